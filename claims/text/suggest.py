"""Suggest check-worthy claims in an article body.

Sentences come from claims.text.segmenter (exact offsets). Page furniture (menus,
widgets, captions, credits, counters, prompts) is dropped with the reason it was
dropped; the rest is scored by features a fact-checker looks for: a date, a
number, named actors, an official action, a comparison. The score is a plain
weighted sum so that the reason shown to the reviewer is the whole explanation.
Deterministic: same text, same output, no model.
"""

import re
from dataclasses import asdict, dataclass

from . import MAX_TEXT_CHARS
from .segmenter import split_sentences
from .words import (
    ACTION_WORDS,
    ATTRIBUTION,
    COMPARISON,
    FIRST_PERSON,
    HEDGES,
    NUMBER_WORDS,
    PROMO,
    RELATIVE_DATES,
    SENTENCE_STARTERS,
    month_pattern,
)

MIN_WORDS = 5
MAX_REASON_ITEMS = 4

WEIGHTS = {
    "date": 0.25,
    "number": 0.2,
    "named actors": 0.08,  # per actor, up to 3
    "official action": 0.2,
    "comparison": 0.1,
    "attributed": 0.05,
    "prediction or opinion": -0.15,
    "first person": -0.1,
    "long": -0.1,
}
BASE_SCORE = 0.1
MAX_ACTORS = 3

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)
_YEAR = re.compile(r"(?<![\d.,])(?:1[89]\d\d|20\d\d)s?(?![\d.,]\d)")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_MONTH = re.compile(month_pattern(), re.IGNORECASE)
_NUMBER = re.compile(
    r"(?<![\w.])\d+(?:[,.\u00a0\u202f ]\d{3})*(?:[.,]\d+)?%?(?!\w)|\b\d+(?:st|nd|rd|th)\b"
)
_CREDIT = re.compile(
    r"©|\(c\)\s|\b(?:photo|image|picture|credit|source|video|illustration|"
    r"фото|источник|foto|bild|quelle)\s*:|"
    r"\b(?:getty images|ap photo|afp|reuters|shutterstock|istock)\b\s*[/|]",
    re.IGNORECASE,
)
# "Caption - Site Name, 1920, 13.12.2023": a caption followed by the site and image metadata.
_CREDIT_TAIL = re.compile(r"(?:^|\s)[-–—|]\s+[^.!?]{1,80}?,\s*\d{2,4}(?:\s*,\s*[\d./-]{4,10})?\s*$")
_TERMINAL = tuple(".!…。！\"'”’»)")
_CAPITALISED = re.compile(r"^[^\W\d_][^\W_]*(?:[-'’][^\W_]+)*$")


@dataclass(frozen=True, slots=True)
class Suggestion:
    start: int
    end: int
    text: str
    score: float
    reason: str

    def as_dict(self):
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Dropped:
    start: int
    end: int
    text: str
    why: str

    def as_dict(self):
        return {"start": self.start, "end": self.end, "text": self.text, "dropped": self.why}


_CAPTION_REASONS = ("photo or copyright credit", "caption with site credit")


def boilerplate_reason(sentence_text: str, words: list[str]) -> str | None:
    """Why this sentence is page furniture rather than body text, or None."""
    letters = sum(ch.isalpha() for ch in sentence_text)
    if letters == 0:
        return "counter or symbol, no words"
    if _CREDIT.search(sentence_text):
        return "photo or copyright credit"
    if _CREDIT_TAIL.search(sentence_text):
        return "caption with site credit"
    lowered = sentence_text.lower()
    if any(phrase in lowered for phrase in PROMO):
        return "site prompt (subscribe, share, log in, more news)"
    if sentence_text.rstrip().endswith("?"):
        return "question, not a statement"
    if len(words) < MIN_WORDS:
        return "too short for a claim (menu, widget or label)"
    if not sentence_text.rstrip().endswith(_TERMINAL):
        return "heading or caption (no closing punctuation)"
    return None


def _is_capitalised(word):
    return word[:1].isupper() and bool(_CAPITALISED.match(word))


def _mid_sentence_names(sentences_words):
    """Capitalised words seen after the first word somewhere in the document.

    A capitalised first word is a name only if the document also capitalises it
    mid-sentence ("Moscow has ..." yes, "Aside from ..." no).
    """
    names = set()
    for words in sentences_words:
        for word in words[1:]:
            if _is_capitalised(word):
                names.add(word)
    return names


def _is_calendar_word(word):
    lowered = word.lower()
    return lowered in RELATIVE_DATES or bool(_MONTH.fullmatch(lowered))


def _actors(words, known_names):
    """Named actors: runs of capitalised words (and acronyms), in order, distinct."""
    actors, run = [], []
    for index, word in enumerate(words):
        name_like = _is_capitalised(word) and word != "I" and not _is_calendar_word(word)
        if index == 0 and name_like:
            name_like = word in known_names and word.lower() not in SENTENCE_STARTERS
        if name_like:
            run.append(word)
            continue
        if run:
            actors.append(" ".join(run))
            run = []
    if run:
        actors.append(" ".join(run))
    seen = []
    for actor in actors:
        if actor not in seen:
            seen.append(actor)
    return seen


def _matches(words_lower, vocabulary):
    return [w for w in dict.fromkeys(words_lower) if w in vocabulary]


def _phrase_pattern(phrases):
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


_RELATIVE_DATES = _phrase_pattern(RELATIVE_DATES)
_COMPARISON = _phrase_pattern(COMPARISON)
_ATTRIBUTION = _phrase_pattern(ATTRIBUTION)


def _phrases(text, pattern):
    """Distinct phrases of pattern found in text, as written there."""
    return list(dict.fromkeys(pattern.findall(text)))


def _listed(label, items):
    shown = ", ".join(items[:MAX_REASON_ITEMS])
    return f"{label} ({shown})" if shown else label


def score_sentence(text, words, known_names):
    """Return (score, reason) for one body sentence."""
    words_lower = [w.lower() for w in words]
    score = BASE_SCORE
    reasons = []

    dates = _YEAR.findall(text) + _NUMERIC_DATE.findall(text) + _MONTH.findall(text)
    dates += _phrases(text, _RELATIVE_DATES)
    if dates:
        score += WEIGHTS["date"]
        reasons.append(_listed("date", list(dict.fromkeys(d.strip() for d in dates))))

    year_spans = {m.span() for m in _YEAR.finditer(text)}
    numbers = [
        m.group().strip()
        for m in _NUMBER.finditer(text)
        if m.span() not in year_spans and not _NUMERIC_DATE.match(text, m.start())
    ]
    numbers += _matches(words_lower, NUMBER_WORDS)
    if numbers:
        score += WEIGHTS["number"]
        reasons.append(_listed("number", list(dict.fromkeys(numbers))))

    actors = _actors(words, known_names)
    if actors:
        score += WEIGHTS["named actors"] * min(len(actors), MAX_ACTORS)
        reasons.append(_listed("named actors", actors))

    actions = _matches(words_lower, ACTION_WORDS)
    if actions:
        score += WEIGHTS["official action"]
        reasons.append(_listed("official action", actions))

    comparisons = _phrases(text, _COMPARISON)
    if comparisons:
        score += WEIGHTS["comparison"]
        reasons.append(_listed("comparison", comparisons))

    if _ATTRIBUTION.search(text):
        score += WEIGHTS["attributed"]
        reasons.append("attributed")

    hedges = _matches(words_lower, HEDGES)
    if hedges:
        score += WEIGHTS["prediction or opinion"]
        reasons.append(_listed("less checkable: prediction or opinion", hedges))
    if _matches(words_lower, FIRST_PERSON):
        score += WEIGHTS["first person"]
        reasons.append("less checkable: first person")
    if len(words) > 60:
        score += WEIGHTS["long"]
        reasons.append("long: consider quoting part")

    score = round(min(max(score, 0.0), 1.0), 2)
    return score, ", ".join(reasons) or "statement without dates, numbers or names"


def analyse(text: str) -> tuple[list[Suggestion], list[Dropped]]:
    """Split, filter and score. Suggestions are ranked best first, then by position."""
    sentences = split_sentences(text)
    sentence_words = [_WORD.findall(s.text) for s in sentences]
    known_names = _mid_sentence_names(sentence_words)
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
        score, reason = score_sentence(sentence.text, words, known_names)
        suggestions.append(Suggestion(sentence.start, sentence.end, sentence.text, score, reason))
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
