"""Suggest check-worthy claims in an article body.

Sentences come from claims.text.segmenter (exact offsets). Page furniture (menus,
widgets, captions, credits, counters, prompts) is dropped by rules, in front of any
scoring, with the reason it was dropped. The rest is scored:

- in a language the trained model knows (English), by the model (claims.text.model):
  the probability that a fact-checker would check the sentence, from its words and the
  fact-checker features (date, number, named actors, official action, comparison,
  attribution, hedges, first person, length);
- in any other language, by the feature scorer: a plain weighted sum of the same
  features found with that language's word lists (claims.text.words).

Either way each suggestion carries its reasons: the features and words that raised or
lowered its score, in plain words. Deterministic: same text, same output.
"""

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from operator import itemgetter

from . import MAX_TEXT_CHARS
from .features import (
    LABELS,
    MONTH_STEMS,
    known_names,
    sentence_features,
    words_of,
)
from .furniture_words import (
    BYLINE_JOINS,
    BYLINE_STARTS,
    CAPTION_LINE_STARTS,
    CREDIT_LINE_STARTS,
    DATE_LINE_STARTS,
    DATE_LINE_WORDS,
    LABEL_STARTS,
    PROMO,
    WEEKDAYS,
)
from .language import guess_language
from .model import feature_values, sigmoid
from .model import load as load_model
from .segmenter import split_sentences
from .words import FUNCTION_WORDS, MONTHS

MIN_WORDS = 5
MAX_REASON_ITEMS = 4
MAX_REASON_WORDS = 3  # words shown per direction
MIN_WORD_WEIGHT = 0.05  # log-odds; smaller contributions are not worth a reviewer's time

# The feature scorer (languages the model was not trained on).
WEIGHTS = {
    "date": 0.25,
    "number": 0.2,
    "actors": 0.24,  # at three actors or more (0.08 each)
    "action": 0.2,
    "comparison": 0.1,
    "attributed": 0.05,
    "hedge": -0.15,
    "first_person": -0.1,
    "long": -0.1,
}
BASE_SCORE = 0.1

_CREDIT_C = r"\(c\)\s"
_CREDIT_LABEL = (
    r"\b(?:photo|image|picture|credit|source|video|illustration|"
    r"фото|источник|джерело|foto|bild|quelle|crédit|fuente)\s*:"
)
_CREDIT_AGENCY = r"\b(?:getty images|ap photo|afp|reuters|shutterstock|istock)\b\s*[/|]"
# The credit rule whole; boilerplate_reason runs it by parts (_is_credit).
_CREDIT = re.compile(f"©|{_CREDIT_C}|{_CREDIT_LABEL}|{_CREDIT_AGENCY}", re.IGNORECASE)
_CREDIT_C_RE, _CREDIT_LABEL_RE, _CREDIT_AGENCY_RE = (
    re.compile(part, re.IGNORECASE) for part in (_CREDIT_C, _CREDIT_LABEL, _CREDIT_AGENCY)
)
# "Caption - Site Name, 1920, 13.12.2023": a caption followed by the site and image metadata.
_CREDIT_TAIL = re.compile(r"(?:^|\s)[-–—|]\s+[^.!?]{1,80}?,\s*\d{2,4}(?:\s*,\s*[\d./-]{4,10})?\s*$")
# What _CREDIT_TAIL's last characters before the trailing space must be: a digit, or two
# of "digit . / -". A sentence ending "said." cannot match, and the scan is not run.
_CREDIT_END = re.compile(r"\d$|[\d./-][./-]$")


def _trie_pattern(phrases):
    """One regex for "any of these phrases", factored by shared prefixes ("s(?:ign up|ee
    also|...)"): a flat alternation tries every phrase at every position of the text,
    this one only the phrases that start with the character there (a third of the time
    on news text). Same matches or none, so the same sentences are dropped."""
    tree = {}
    for phrase in phrases:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here

    def alternatives(node):
        branches = [re.escape(char) + alternatives(rest) for char, rest in node.items() if char]
        if not branches:
            return ""
        ends = "" in node
        if len(branches) == 1 and not ends:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if ends else "")

    return re.compile(alternatives(tree))


# Any of the PROMO phrases anywhere in the lower-cased sentence (one pass, not one per phrase).
_PROMO = _trie_pattern(PROMO)
_TERMINAL = tuple(".!…。！\"'”’»)")
_LETTER = re.compile(r"[^\W\d_]")
_TERM_WORDS = {"<year>": "a year", "<num>": "a number", "<pct>": "a percentage"}
_weight = itemgetter(1)  # of a (term, weight) pair


@dataclass(frozen=True, slots=True)
class Reason:
    """One thing that moved a suggestion's score, in words a reviewer understands."""

    label: str  # "date (2009, 2017)", "word “signed”"
    kind: str  # "feature" or "word"
    effect: str  # "raised" or "lowered"
    weight: float  # its part of the score (log-odds for the model, points for features)


@dataclass(frozen=True, slots=True)
class Suggestion:
    start: int
    end: int
    text: str
    score: float
    reason: str
    reasons: tuple[Reason, ...] = ()
    language: str = ""  # the language the sentence was scored as ("" unknown: English lists)
    scorer: str = "features"  # "model" or "features"
    worthy: bool = False  # at or above the model's cut (features: 0.5)

    def as_dict(self):
        return asdict(self)

    @property
    def raised_by(self):
        """What made it worth checking, strongest first, as a reviewer reads it."""
        return [reason.label for reason in self.reasons if reason.effect == "raised"]

    @property
    def lowered_by(self):
        return [reason.label for reason in self.reasons if reason.effect == "lowered"]


@dataclass(frozen=True, slots=True)
class Dropped:
    start: int
    end: int
    text: str
    why: str

    def as_dict(self):
        return {"start": self.start, "end": self.end, "text": self.text, "dropped": self.why}


_CAPTION_REASONS = ("photo or copyright credit", "caption with site credit")


def _starts(phrases):
    """A rule for "the sentence starts with one of these phrases" (case aside)."""
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return f"(?:{alternatives})"


# Credit lines of news pages, matched at the start of a sentence only (match(), not search()).
_CAPTION_START = re.compile(
    _starts(CAPTION_LINE_STARTS) + r"(?!\w)|copyright\s+(?:\(c\)\s*|©\s*)?(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_CREDIT_START = re.compile(_starts(CREDIT_LINE_STARTS) + r"(?!\w)", re.IGNORECASE)
_DATE_LINE = re.compile(_starts(DATE_LINE_STARTS) + r"(?!\w)", re.IGNORECASE)
_DATE_WORD_STARTS = tuple(MONTHS) + tuple(WEEKDAYS)
_LABEL = re.compile(_starts(LABEL_STARTS) + r"\s*:", re.IGNORECASE)
# The first words those rules can start with: a sentence starting with none of them (nearly
# every one) needs none of the rules run.
_NEWS_LINE_FIRST_WORDS = frozenset(
    phrase.split()[0].strip("(:")
    for phrase in (*CAPTION_LINE_STARTS, *CREDIT_LINE_STARTS, *DATE_LINE_STARTS, *LABEL_STARTS)
) | {"copyright", *BYLINE_STARTS}


def _bare_words(text, punctuation):
    """The words of text without the punctuation around them, empty ones left out."""
    return [word for word in (w.strip(punctuation) for w in text.split()) if word]


def _names_only(text):
    """Whether text is names only: capitalised words and BYLINE_JOINS, at most 14 words."""
    words = _bare_words(text.rstrip(" ."), ",;|()-–—")
    return (
        0 < len(words) <= 14
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w.lower() in BYLINE_JOINS for w in words)
    )


def _is_byline(text):
    """ "By Andrew Roth in Moscow.", "Von Anna Müller und Jan Berg, Berlin": a byline word,
    then names only ("By 2030, ..." and "By Monday, Russia had ..." are statements)."""
    first, _, rest = text.partition(" ")
    return first.lower() in BYLINE_STARTS and _names_only(rest)


def _is_date_word(word):
    lowered = word.lower()
    return (
        any(char.isdigit() for char in word)
        or lowered in DATE_LINE_WORDS
        or lowered.startswith(_DATE_WORD_STARTS)
        or (len(lowered) <= 4 and lowered[:3] in MONTH_STEMS)  # "Dec", "Sept", "дек"
        or (word.isupper() and len(word) <= 4)  # PM, EST, GMT, MSK
    )


def _is_date_line(text):
    """ "Updated 3:45 PM EST, Wed December 13, 2023": a DATE_LINE_STARTS word, then only
    a date and time ("Updated 2023 figures show ..." is a statement)."""
    start = _DATE_LINE.match(text)
    if start is None:
        return False
    words = _bare_words(text[start.end() :], ",.:;|()-–—")
    return bool(words) and all(map(_is_date_word, words))


def _is_dateline(text):
    """ "МОСКВА, 13 дек — РИА Новости.", "NEW YORK, Dec 13 (Reuters).": a place in capitals
    and a comma, then only a date and names (the agency), standing as a sentence of its own."""
    place, comma, rest = text.partition(",")
    letters = place.replace(" ", "").replace("-", "")
    if not comma or not 3 <= len(letters) <= 30 or not letters.isalpha() or not place.isupper():
        return False
    words = _bare_words(rest, ",.:;|()/-–—")
    return (
        0 < len(words) <= 8
        and any(char.isdigit() for char in rest)
        and all(_is_date_word(w) or w[:1].isupper() for w in words)
    )


def news_line_reason(text: str, lowered: str | None = None) -> str | None:
    """Why a sentence is a news page's credit, byline, date line or link label, or None.
    lowered: text.lower(), if at hand."""
    head = text.lstrip()
    lowered = text.lower() if lowered is None else lowered
    if "via getty images" in lowered:
        return "photo or copyright credit"
    space = head.find(" ")
    first_word = head[:space] if space > 0 else head
    if first_word[1:2].isupper() and _is_dateline(head):  # "MOSCOW," "NEW YORK,"
        return "dateline (place, date, agency)"
    first = first_word.lower().strip("(:,")
    if first not in _NEWS_LINE_FIRST_WORDS:
        return None
    if _CAPTION_START.match(head):
        return "photo or copyright credit"
    credit = _CREDIT_START.match(head)
    if (credit and _names_only(head[credit.end() :])) or _is_byline(head):
        return "byline or credit line"
    if _is_date_line(head):
        return "date line (published or updated)"
    if _LABEL.match(head):
        return "label of a link, player or note (watch, related, tags, correction)"
    return None


def _is_credit(text):
    """Whether _CREDIT finds a credit in text. It does exactly when one of its alternatives
    does; the whole case-insensitive alternation is slow, so each alternative runs apart,
    and only on a sentence holding the character it needs (most sentences hold none)."""
    return (
        "©" in text
        or ("(" in text and _CREDIT_C_RE.search(text) is not None)
        or (":" in text and _CREDIT_LABEL_RE.search(text) is not None)
        or (("/" in text or "|" in text) and _CREDIT_AGENCY_RE.search(text) is not None)
    )


def boilerplate_reason(sentence_text: str, words: list[str]) -> str | None:
    """Why this sentence is page furniture rather than body text, or None."""
    if not _LETTER.search(sentence_text):
        return "counter or symbol, no words"
    if _is_credit(sentence_text):
        return "photo or copyright credit"
    if _CREDIT_END.search(sentence_text.rstrip()[-2:]) and _CREDIT_TAIL.search(sentence_text):
        return "caption with site credit"
    lowered = sentence_text.lower()
    news = news_line_reason(sentence_text, lowered)
    if news:
        return news
    if _PROMO.search(lowered):
        return "site prompt (subscribe, share, log in, more news)"
    if sentence_text.rstrip().endswith("?"):
        return "question, not a statement"
    if len(words) < MIN_WORDS:
        return "too short for a claim (menu, widget or label)"
    if not sentence_text.rstrip().endswith(_TERMINAL):
        return "heading or caption (no closing punctuation)"
    return None


def _feature_label(found):
    label = LABELS[found.key]
    if found.key in ("attributed", "first_person"):  # the words add nothing here
        return label
    shown = ", ".join(found.items[:MAX_REASON_ITEMS])
    return f"{label} ({shown})" if shown else label


def _word_label(term):
    if "<" not in term:  # most terms hold no placeholder
        return f"“{term}”"
    if term in _TERM_WORDS:
        return _TERM_WORDS[term]
    for placeholder, words in _TERM_WORDS.items():
        term = term.replace(placeholder, f"[{words[2:]}]")
    return f"“{term}”"


@lru_cache(maxsize=65_536)
def _telling(term):
    """Whether a term says something to a reviewer ("of", "to the" do not)."""
    return any(word not in FUNCTION_WORDS for word in term.split())


def _first_telling(pairs):
    """The first MAX_REASON_WORDS pairs whose term a reviewer can read."""
    chosen = []
    for pair in pairs:
        if _telling(pair[0]):
            chosen.append(pair)
            if len(chosen) == MAX_REASON_WORDS:
                break
    return chosen


def _reason_text(reasons, present):
    """Today's one-line reason: the features present, then the words that weighed most."""
    parts = [", ".join(present) or "statement without dates, numbers or names"]
    for effect, title in (("raised", "words for"), ("lowered", "words against")):
        words = [r.label for r in reasons if r.kind == "word" and r.effect == effect]
        if words:
            parts.append(f"{title}: {', '.join(words)}")
    return "; ".join(parts)


def feature_score(found):
    """The feature scorer: (score 0..1, reasons) from claims.text.features.Found items."""
    score = BASE_SCORE
    reasons = []
    for item in found:
        weight = WEIGHTS[item.key] * item.amount
        score += weight
        effect = "raised" if weight >= 0 else "lowered"
        reasons.append(Reason(_feature_label(item), "feature", effect, round(weight, 3)))
    return round(min(max(score, 0.0), 1.0), 2), reasons


def model_score(model, text, found, words=None):
    """The trained model: (probability, reasons): features present and the top words.
    words: words_of(text), if at hand."""
    terms, features = model.parts(text, feature_values(found), words)
    # One sum in Model.logit's order (sum() of floats may compensate: never split it).
    logit = model.intercept + sum(map(_weight, terms + features))
    by_feature = {name[2:]: weight for name, weight in features}
    reasons = []
    for item in found:
        weight = by_feature.get(item.key, 0.0)
        effect = "raised" if weight >= 0 else "lowered"
        reasons.append(Reason(_feature_label(item), "feature", effect, round(weight, 3)))
    # The words for, strongest first, and the words against, strongest first: the two ends
    # of the weighty words sorted by weight, as the reasons always took them. The sort is
    # stable (reverse=True keeps it so): equal weights keep the sentence's order, and the
    # words against, read from the end, the reverse of it.
    up = [p for p in terms if p[1] >= MIN_WORD_WEIGHT]
    down = [p for p in terms if p[1] <= -MIN_WORD_WEIGHT]
    up = _first_telling(sorted(up, key=_weight, reverse=True))
    down = _first_telling(reversed(sorted(down, key=_weight, reverse=True)))
    reasons += [Reason(_word_label(n), "word", "raised", round(w, 3)) for n, w in up]
    reasons += [Reason(_word_label(n), "word", "lowered", round(w, 3)) for n, w in down]
    return round(sigmoid(logit), 2), reasons


def score_sentence(text, words, names, language="en", model=None):
    """Return (score, reason, reasons, scorer) for one body sentence."""
    found = sentence_features(text, words, names, language)
    if model is not None:
        score, reasons = model_score(model, text, found, words)
        scorer = "model"
    else:
        score, reasons = feature_score(found)
        scorer = "features"
    # Both scorers give the features' reasons first, in the order found, labelled alike.
    present = [reason.label for reason in reasons[: len(found)]]
    return score, _reason_text(reasons, present), tuple(reasons), scorer


def _model_for(language):
    """The trained model when it knows the language (unknown counts as English)."""
    model = load_model()
    return model if (language or "en") in model.languages else None


def analyse(text: str) -> tuple[list[Suggestion], list[Dropped]]:
    """Split, filter and score. Suggestions are ranked best first, then by position."""
    sentences = split_sentences(text)
    sentence_words = [words_of(s.text) for s in sentences]
    names = known_names(sentence_words)
    language = guess_language(text) if sentences else ""
    model = _model_for(language)
    threshold = model.threshold if model else 0.5
    pairs = list(zip(sentences, sentence_words, strict=True))
    reasons = [boilerplate_reason(s.text, words) for s, words in pairs]
    # A credit marks its whole line as a caption ("Polonez-M, a rocket system. - Site, 1920").
    caption_blocks = {
        s.block for (s, _), why in zip(pairs, reasons, strict=True) if why in _CAPTION_REASONS
    }
    suggestions, dropped = [], []
    for sentence, words, why in zip(sentences, sentence_words, reasons, strict=True):
        if not why and sentence.block in caption_blocks:
            why = "part of a caption"
        if why:
            dropped.append(Dropped(sentence.start, sentence.end, sentence.text, why))
            continue
        score, reason, reasons, scorer = score_sentence(
            sentence.text, words, names, language or "en", model
        )
        suggestions.append(
            Suggestion(
                sentence.start,
                sentence.end,
                sentence.text,
                score,
                reason,
                reasons,
                language,
                scorer,
                score >= threshold,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.start))
    return suggestions, dropped


def suggest_claims(text: str, *, limit: int | None = None, min_score: float = 0.0):
    """The ranked check-worthy sentences of text (see analyse for the details)."""
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(
            f"The text has {len(text):,} characters; suggestions are limited to {MAX_TEXT_CHARS:,}."
        )
    suggestions, _ = analyse(text)
    suggestions = [s for s in suggestions if s.score >= min_score]
    return suggestions[:limit] if limit else suggestions
