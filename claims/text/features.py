"""What a fact-checker looks for in a sentence: dates, numbers, named actors, an official
action, a comparison, attribution; and what makes it less checkable: hedges, predictions,
first person, length.

Shared by the trained model (as extra inputs beside the words), by the feature scorer
used for languages the model was not trained on, and by the reasons shown to reviewers.
Word lists come from claims.text.words, per language.
"""

import re
from dataclasses import dataclass

from .words import (
    ACTION_WORDS,
    MONTHS,
    NUMBER_WORDS,
    RELATIVE_DATES,
    SENTENCE_STARTERS,
    month_pattern,
    words_for,
)

MAX_ACTORS = 3
LONG_WORDS = 60

WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)
_YEAR = re.compile(r"(?<![\d.,])(?:1[89]\d\d|20\d\d)s?(?![\d.,]\d)")
_DIGIT = re.compile(r"\d")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_MONTH = re.compile(month_pattern(), re.IGNORECASE)
# The month rule is a case-insensitive alternation of five languages' month names: the
# costliest regex per sentence, while most sentences name no month. Every match holds a
# month name (or may/mai/мая), so it holds that name's first three letters: when none of
# them is in the lower-cased text, the rule cannot match and is not run. Characters the
# rule's case folding equates with a letter of a month name but str.lower() does not
# ("ſ" is "s", "İ" and "ı" are "i", old Cyrillic letter forms) are mapped first.
_MONTH_STEMS = frozenset(name[:3] for name in MONTHS)
_MONTH_STEM = re.compile("|".join(sorted(_MONTH_STEMS)))  # one pass, not one per stem
_FOLD = str.maketrans(
    {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u1c80": "в", "\u1c81": "д"}
    | {"\u1c82": "о", "\u1c83": "с", "\u1c84": "т", "\u1c85": "т"}
)
_NUMBER = re.compile(
    r"(?<![\w.])\d+(?:[,.\u00a0\u202f ]\d{3})*(?:[.,]\d+)?%?(?!\w)|\b\d+(?:st|nd|rd|th)\b"
)
_CAPITALISED = re.compile(r"^[^\W\d_][^\W_]*(?:[-'’][^\W_]+)*$")
# "I'm", "I'll", "I'd", "I've": the pronoun with a clitic is first person, not a name.
_PRONOUN_I = re.compile(r"^I(?:['’](?:m|ll|d|ve|s))?$")


@dataclass(frozen=True, slots=True)
class Found:
    """One feature present in a sentence, with the words that show it."""

    key: str
    items: tuple[str, ...] = ()
    amount: float = 1.0  # 0..1; named actors count up to MAX_ACTORS


# Plain words for reviewers; keys are also the model's feature names ("f:date").
LABELS = {
    "date": "date",
    "number": "number",
    "actors": "named actors",
    "action": "official action",
    "comparison": "comparison",
    "attributed": "attributed",
    "hedge": "less checkable: prediction or opinion",
    "first_person": "less checkable: first person",
    "long": "long: consider quoting part",
}
KEYS = tuple(LABELS)


def words_of(text):
    return WORD.findall(text)


def is_capitalised(word):
    return word[:1].isupper() and bool(_CAPITALISED.match(word))


def known_names(sentences_words):
    """Capitalised words seen after the first word somewhere in the document.

    A capitalised first word is a name only if the document also capitalises it
    mid-sentence ("Moscow has ..." yes, "Aside from ..." no).
    """
    names = set()
    for words in sentences_words:
        for word in words[1:]:
            if is_capitalised(word) and not _PRONOUN_I.match(word):
                names.add(word)
    return names


def _may_name_a_month(text):
    return _MONTH_STEM.search(text.translate(_FOLD).lower()) is not None


def month_mentions(text):
    """What _MONTH finds in text (the same list), skipping the regex when it cannot match."""
    return _MONTH.findall(text) if _may_name_a_month(text) else []


def _is_calendar_word(word):
    lowered = word.lower()
    if lowered in RELATIVE_DATES:
        return True
    # A whole-word match starts with a month name, so with one of the stems.
    stem = word.translate(_FOLD).lower()[:3]
    return stem in _MONTH_STEMS and bool(_MONTH.fullmatch(lowered))


def actors(words, names):
    """Named actors: runs of capitalised words (and acronyms), in order, distinct."""
    found, run = [], []
    for index, word in enumerate(words):
        name_like = (
            is_capitalised(word) and not _PRONOUN_I.match(word) and not _is_calendar_word(word)
        )
        if index == 0 and name_like:
            name_like = word in names and word.lower() not in SENTENCE_STARTERS
        if name_like:
            run.append(word)
            continue
        if run:
            found.append(" ".join(run))
            run = []
    if run:
        found.append(" ".join(run))
    return list(dict.fromkeys(found))


def _phrase_pattern(phrases):
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


class _Lists:
    """The compiled word lists of one language (English's when the language has none)."""

    def __init__(self, language):
        lists = words_for(language)
        self.comparison = _phrase_pattern(lists["comparison"])
        self.attribution = _phrase_pattern(lists["attribution"])
        self.hedges = frozenset(lists["hedges"])
        self.first_person = frozenset(lists["first_person"])


_RELATIVE_DATES = _phrase_pattern(RELATIVE_DATES)
_LISTS = {}


def lists_for(language):
    key = language or "en"
    if key not in _LISTS:
        _LISTS[key] = _Lists(key)
    return _LISTS[key]


def _distinct(items):
    return tuple(dict.fromkeys(i.strip() for i in items))


def sentence_features(text, words, names, language="en"):
    """The features present in one sentence, in a fixed order (see KEYS)."""
    lists = lists_for(language)
    # Curly and straight apostrophes alike ("I’ve" is "i've" in the lists).
    words_lower = [w.lower().replace("’", "'") for w in words]
    found = []

    # Years, numeric dates and numbers all need a digit; most sentences have none.
    digits = _DIGIT.search(text) is not None
    years = list(_YEAR.finditer(text)) if digits else []
    dates = [m.group() for m in years]
    dates += _NUMERIC_DATE.findall(text) if digits else []
    dates += month_mentions(text) + _RELATIVE_DATES.findall(text)
    if dates:
        found.append(Found("date", _distinct(dates)))

    year_spans = {m.span() for m in years}
    numbers = [
        m.group()
        for m in (_NUMBER.finditer(text) if digits else ())
        if m.span() not in year_spans and not _NUMERIC_DATE.match(text, m.start())
    ]
    numbers += [w for w in words_lower if w in NUMBER_WORDS]
    if numbers:
        found.append(Found("number", _distinct(numbers)))

    named = actors(words, names)
    if named:
        found.append(Found("actors", tuple(named), min(len(named), MAX_ACTORS) / MAX_ACTORS))

    actions = [w for w in words_lower if w in ACTION_WORDS]
    if actions:
        found.append(Found("action", _distinct(actions)))

    comparisons = lists.comparison.findall(text)
    if comparisons:
        found.append(Found("comparison", _distinct(comparisons)))

    attributions = lists.attribution.findall(text)
    if attributions:
        found.append(Found("attributed", _distinct(attributions)))

    hedges = [w for w in words_lower if w in lists.hedges]
    if hedges:
        found.append(Found("hedge", _distinct(hedges)))
    first = [w for w in words_lower if w in lists.first_person]
    if first:
        found.append(Found("first_person", _distinct(first)))
    if len(words) > LONG_WORDS:
        found.append(Found("long"))
    return found
