"""The suggestion scoring path as it was before it was made faster (issue 13), kept as
the reference that tests/test_suggest_same_output.py compares the fast path with.

Straightforward on purpose: every regex run on every sentence, every model term turned
into a Contribution, every word's reasons sorted in full. Only the parts that changed
are copied here; segmentation, the furniture rules and the labels are shared.
"""

import math

from claims.text import features as F
from claims.text import suggest as S
from claims.text.model import Contribution, feature_values, ngrams, sigmoid
from claims.text.segmenter import split_sentences


def contributions(model, text, values):
    counts = {}
    for term in ngrams(text):
        if term in model.terms:
            counts[term] = counts.get(term, 0) + 1
    weighted = {}
    for term, count in counts.items():
        tf = 1 + math.log(count) if model.sublinear_tf else count
        weighted[term] = tf * model.terms[term][0]
    norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
    parts = [
        Contribution(term, value / norm * model.terms[term][1]) for term, value in weighted.items()
    ]
    parts += [
        Contribution(name, value * model.feature_scale * model.features[name])
        for name, value in values.items()
        if name in model.features
    ]
    return model.intercept + sum(p.weight for p in parts), parts


def _is_calendar_word(word):
    lowered = word.lower()
    return lowered in F.RELATIVE_DATES or bool(F._MONTH.fullmatch(lowered))


def actors(words, names, language="en"):
    found, run = [], []
    nouns = F.common_noun_positions(words, language)
    for index, word in enumerate(words):
        name_like = (
            index not in nouns
            and F.is_capitalised(word)
            and not F._PRONOUN_I.match(word)
            and not _is_calendar_word(word)
        )
        if index == 0 and name_like:
            name_like = word in names and word.lower() not in F.SENTENCE_STARTERS
        if name_like:
            run.append(word)
            continue
        if run:
            found.append(" ".join(run))
            run = []
    if run:
        found.append(" ".join(run))
    return list(dict.fromkeys(found))


def known_names(sentences_words):
    names = set()
    for words in sentences_words:
        for word in words[1:]:
            if F.is_capitalised(word) and not F._PRONOUN_I.match(word):
                names.add(word)
    return names


def sentence_features(text, words, names, language="en"):
    lists = F.lists_for(language)
    words_lower = [w.lower().replace("’", "'") for w in words]
    found = []
    dates = F._YEAR.findall(text) + F._NUMERIC_DATE.findall(text) + F._MONTH.findall(text)
    dates += lists.relative_dates.findall(text)
    if dates:
        found.append(F.Found("date", F._distinct(dates)))
    year_spans = {m.span() for m in F._YEAR.finditer(text)}
    numbers = [
        m.group()
        for m in F._NUMBER.finditer(text)
        if m.span() not in year_spans and not F._NUMERIC_DATE.match(text, m.start())
    ]
    numbers += [w for w in words_lower if w in F.NUMBER_WORDS]
    if numbers:
        found.append(F.Found("number", F._distinct(numbers)))
    named = actors(words, names, language)
    if named:
        found.append(F.Found("actors", tuple(named), min(len(named), F.MAX_ACTORS) / F.MAX_ACTORS))
    actions = [w for w in words_lower if w in F.ACTION_WORDS]
    if actions:
        found.append(F.Found("action", F._distinct(actions)))
    comparisons = lists.comparison.findall(text)
    if comparisons:
        found.append(F.Found("comparison", F._distinct(comparisons)))
    attributions = lists.attribution.findall(text)
    if attributions:
        found.append(F.Found("attributed", F._distinct(attributions)))
    hedges = [w for w in words_lower if w in lists.hedges]
    if hedges:
        found.append(F.Found("hedge", F._distinct(hedges)))
    first = [w for w in words_lower if w in lists.first_person]
    if first:
        found.append(F.Found("first_person", F._distinct(first)))
    if len(words) > F.LONG_WORDS:
        found.append(F.Found("long"))
    return found


def model_score(model, text, found):
    logit, parts = contributions(model, text, feature_values(found))
    by_feature = {p.name[2:]: p.weight for p in parts if p.name.startswith("f:")}
    reasons = []
    for item in found:
        weight = by_feature.get(item.key, 0.0)
        effect = "raised" if weight >= 0 else "lowered"
        reasons.append(S.Reason(S._feature_label(item), "feature", effect, round(weight, 3)))
    words = sorted(
        (p for p in parts if abs(p.weight) >= S.MIN_WORD_WEIGHT and not p.name.startswith("f:")),
        key=lambda p: -p.weight,
    )
    up = [p for p in words if p.weight > 0 and S._telling(p.name)][: S.MAX_REASON_WORDS]
    down = [p for p in reversed(words) if p.weight < 0 and S._telling(p.name)][: S.MAX_REASON_WORDS]
    reasons += [S.Reason(S._word_label(p.name), "word", "raised", round(p.weight, 3)) for p in up]
    reasons += [
        S.Reason(S._word_label(p.name), "word", "lowered", round(p.weight, 3)) for p in down
    ]
    return round(sigmoid(logit), 2), reasons


def score_sentence(text, words, names, language="en", model=None):
    found = sentence_features(text, words, names, language)
    if model is not None:
        score, reasons = model_score(model, text, found)
        scorer = "model"
    else:
        score, reasons = S.feature_score(found)
        scorer = "features"
    present = [S._feature_label(item) for item in found]
    return score, S._reason_text(reasons, present), tuple(reasons), scorer


def boilerplate_reason(sentence_text, words):
    if not S._LETTER.search(sentence_text):
        return "counter or symbol, no words"
    if S._CREDIT.search(sentence_text):
        return "photo or copyright credit"
    if S._CREDIT_TAIL.search(sentence_text):
        return "caption with site credit"
    news = S.news_line_reason(sentence_text)  # added after the speed work: shared, not copied
    if news:
        return news
    lowered = sentence_text.lower()
    if any(phrase in lowered for phrase in S.PROMO):
        return "site prompt (subscribe, share, log in, more news)"
    if sentence_text.rstrip().endswith("?"):
        return "question, not a statement"
    if len(words) < S.MIN_WORDS:
        return "too short for a claim (menu, widget or label)"
    if not sentence_text.rstrip().endswith(S._TERMINAL):
        return "heading or caption (no closing punctuation)"
    return None


def analyse(text):
    sentences = split_sentences(text)
    sentence_words = [F.words_of(s.text) for s in sentences]
    names = known_names(sentence_words)
    language = S.guess_language(text) if sentences else ""
    model = S._model_for(language)
    threshold = model.threshold if model else 0.5
    pairs = list(zip(sentences, sentence_words, strict=True))
    reasons = [boilerplate_reason(s.text, words) for s, words in pairs]
    caption_blocks = {
        s.block for (s, _), why in zip(pairs, reasons, strict=True) if why in S._CAPTION_REASONS
    }
    suggestions, dropped = [], []
    for sentence, words, why in zip(sentences, sentence_words, reasons, strict=True):
        if not why and sentence.block in caption_blocks:
            why = "part of a caption"
        if why:
            dropped.append(S.Dropped(sentence.start, sentence.end, sentence.text, why))
            continue
        score, reason, reasons_, scorer = score_sentence(
            sentence.text, words, names, language or "en", model
        )
        suggestions.append(
            S.Suggestion(
                sentence.start,
                sentence.end,
                sentence.text,
                score,
                reason,
                reasons_,
                language,
                scorer,
                score >= threshold,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.start))
    return suggestions, dropped
