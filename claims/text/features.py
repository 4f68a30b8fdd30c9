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
    FUNCTION_WORDS,
    GERMAN_ARTICLE_NAMES,
    GERMAN_DETERMINERS,
    GERMAN_INSTITUTIONS,
    MODAL_MONTHS,
    MONTHS,
    NUMBER_WORDS,
    RELATIVE_DATES,
    SENTENCE_STARTERS,
    month_pattern,
    words_for,
)

MAX_ACTORS = 3
LONG_WORDS = 60

# Possessive ("++", "*+"): the first attempt always succeeds (the tail may be empty), so
# nothing is ever given back; the same words, without the engine keeping places to go back.
WORD = re.compile(r"[^\W_]++(?:['’.\-][^\W_]++)*+", re.UNICODE)
_YEAR = re.compile(r"(?<![\d.,])(?:1[89]\d\d|20\d\d)s?(?![\d.,]\d)")
_DIGIT = re.compile(r"\d")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_MONTH = re.compile(month_pattern(), re.IGNORECASE)
# The month rule and the phrase lists are case-insensitive alternations, the costliest
# regexes per sentence, while most sentences hold none of their words. Each sentence's
# words are therefore collected once, folded as those rules compare letters, and a rule
# runs only when one of the words it needs is there (a necessary condition, so the rule
# finds the same things). The fold is str.lower() after mapping the characters that the
# regex case folding equates with a letter while str.lower() does not ("ſ" is "s", "İ" and
# "ı" are "i", old Cyrillic letter forms); it keeps every character one character and
# keeps which characters are word characters, so a whole word of the sentence is a whole
# word of the folded text (tests/test_suggest_prechecks.py checks both on every code point).
_FOLD = str.maketrans(
    {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u1c80": "в", "\u1c81": "д"}
    | {"\u1c82": "о", "\u1c83": "с", "\u1c84": "т", "\u1c85": "т", "\u1c86": "ъ"}
    | {"\u1c87": "ѣ", "\u1c88": "ꙋ"}
)
# translate() is slow, and most text holds none of these characters.
_FOLDABLE = re.compile("[" + "".join(map(chr, _FOLD)) + "]")
_RUN = re.compile(r"\w+")
_RELATIVE_DATE_WORDS = frozenset(RELATIVE_DATES)  # a set: looked up once per capitalised word
# German capitalises weekdays too ("seit Montag"): no actors (common_noun_positions).
_GERMAN_DATE_WORDS = frozenset(words_for("de")["relative_dates"])
# Every month match starts a word with a month name, or is "may", "mai" or "мая" whole
# (beside a number): the stems are a first cheap test, the names the exact one.
MONTH_STEMS = frozenset(name[:3] for name in MONTHS)
_MONTH_NAMES = tuple(name for name in MONTHS if name not in MODAL_MONTHS)
_MONTH_MODALS = frozenset(("may", "mai", "мая"))  # those month_pattern() takes beside a number
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
    return {
        word
        for words in sentences_words
        for word in words[1:]
        if word[:1].isupper() and _is_capitalised_rest(word) and not _is_pronoun_i(word)
    }


# is_capitalised() and _PRONOUN_I.match() taken apart for the loops over every word (a call
# per word of the document was a tenth of the suggestion time): the loops test
# word[:1].isupper() inline, which most words fail, and call these for the rest only. A word
# of letters only is capitalised without the regex; the pronoun starts with "I".
def _is_capitalised_rest(word):
    """is_capitalised(word) for a word whose first character is upper case."""
    return word.isalpha() or _CAPITALISED.match(word) is not None


def _is_pronoun_i(word):
    return word[0] == "I" and _PRONOUN_I.match(word) is not None


def fold(text):
    """text lower-cased as the case-insensitive rules compare it (see _FOLD)."""
    return (text.translate(_FOLD) if _FOLDABLE.search(text) else text).lower()


def folded_words(text):
    """The set of whole words (\\w runs) of fold(text): what the pre-checks look up."""
    return set(_RUN.findall(fold(text)))


def _folded_pieces(text, words_lower):
    """A superset of folded_words(text), made from its words (words_of(text), lower-cased,
    ’ made ') at the cost of a few string operations rather than a regex pass. The words'
    pieces between ' . - are the runs of letters and digits of the text, so they hold every
    whole word (\\w run) that has no "_", and the pre-checks look up no word with one.
    Exact only when fold() is str.lower(): a text with a character of _FOLD gets the real
    folded_words()."""
    if _FOLDABLE.search(text):
        return folded_words(text)
    joined = " ".join(words_lower)
    return set(joined.replace("'", " ").replace(".", " ").replace("-", " ").split())


def month_mentions(text, runs=None):
    """What _MONTH finds in text (the same list), skipping the regex when no word of the
    text can start a match. runs: folded_words(text) or a superset of it, if made already."""
    runs = folded_words(text) if runs is None else runs
    if MONTH_STEMS.isdisjoint({run[:3] for run in runs}):  # the cheap test first
        return []
    if any(run.startswith(_MONTH_NAMES) or run in _MONTH_MODALS for run in runs):
        return _MONTH.findall(text)
    return []


def _is_calendar_word(word):
    lowered = word.lower()
    if lowered in _RELATIVE_DATE_WORDS:
        return True
    # A whole-word match starts with a month name, so with one of the stems. (_FOLD maps no
    # ASCII character: an ASCII start needs no translate(), the slow part.)
    stem = lowered[:3] if word[:3].isascii() else word.translate(_FOLD).lower()[:3]
    return stem in MONTH_STEMS and bool(_MONTH.fullmatch(lowered))


def common_noun_positions(words, language):
    """Where words holds a capitalised common noun rather than a name: in German, where
    every noun is capitalised, a word after a determiner ("die Summe", "im Jahr"), after a
    determiner and one lower-case word ("im nächsten Jahr"), or after a number ("500
    Soldaten", "1,2 Milliarden Euro"). Names mostly go without ("sagte Scholz", "in
    Berlin"). Acronyms ("die EU"), institutions and offices ("die Bundesregierung", "der
    Kanzler") and the names said with an article ("die Ukraine") stay actors. Other
    languages capitalise names only: no position."""
    if language != "de":
        return frozenset()
    positions = set()
    for index in range(1, len(words)):
        word = words[index]
        if not word[:1].isupper() or word.isupper():
            continue
        lowered = word.lower()
        if lowered in _GERMAN_DATE_WORDS:
            positions.add(index)
            continue
        if lowered in GERMAN_ARTICLE_NAMES or any(
            stem.endswith(GERMAN_INSTITUTIONS) for stem in (lowered, lowered[:-1], lowered[:-2])
        ):
            continue
        before = words[index - 1].lower()
        if (
            before in GERMAN_DETERMINERS
            or before[:1].isdigit()
            or before in NUMBER_WORDS
            or (
                index > 1
                and before[:1].islower()
                and words[index - 2].lower() in GERMAN_DETERMINERS
            )
        ):
            positions.add(index)
    return frozenset(positions)


def actors(words, names, language="en"):
    """Named actors: runs of capitalised words (and acronyms), in order, distinct."""
    found, run = [], []
    nouns = common_noun_positions(words, language)
    for index, word in enumerate(words):
        # is_capitalised() inlined, as in known_names; a lower-case word only ends a run.
        if not word[:1].isupper() or index in nouns:
            if run:
                found.append(" ".join(run))
                run = []
            continue
        name_like = (
            _is_capitalised_rest(word) and not _is_pronoun_i(word) and not _is_calendar_word(word)
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


class _Phrases:
    """A phrase list's case-insensitive rule with its pre-checks. The rule matches whole
    words only, so a phrase can match only where each of its words is one of the
    sentence's folded words: the rule runs only when all the words of some phrase are."""

    def __init__(self, phrases):
        self.pattern = _phrase_pattern(phrases)
        words = [_RUN.findall(fold(phrase)) for phrase in phrases]
        self.words = tuple(map(frozenset, words))
        # First, at the cost of one set operation: one word of each phrase, the rarest-
        # looking (not a function word, then the longest): "year" for "this year".
        self.keys = frozenset(
            max(each, key=lambda word: (word not in FUNCTION_WORDS, len(word))) for each in words
        )

    def findall(self, text, runs):
        """self.pattern.findall(text); runs: folded_words(text) or a superset of it."""
        if self.keys.isdisjoint(runs) or not any(words <= runs for words in self.words):
            return []
        return self.pattern.findall(text)


class _Lists:
    """The compiled word lists of one language (English's when the language has none)."""

    def __init__(self, language):
        lists = words_for(language)
        self.comparison_rule = _Phrases(lists["comparison"])
        self.comparison = self.comparison_rule.pattern
        self.attribution_rule = _Phrases(lists["attribution"])
        self.attribution = self.attribution_rule.pattern
        self.relative_dates_rule = _Phrases(lists["relative_dates"])
        self.relative_dates = self.relative_dates_rule.pattern
        self.hedges = frozenset(lists["hedges"])
        self.first_person = frozenset(lists["first_person"])


_LISTS = {}


def lists_for(language):
    key = language or "en"
    if key not in _LISTS:
        _LISTS[key] = _Lists(key)
    return _LISTS[key]


def _words_in(words_lower, present, vocabulary):
    """The words of words_lower in vocabulary, in order, repeats kept; found [] at the
    speed of one set operation when none is there (present: set(words_lower))."""
    return [] if vocabulary.isdisjoint(present) else [w for w in words_lower if w in vocabulary]


def _distinct(items):
    return tuple(dict.fromkeys(map(str.strip, items)))


def sentence_features(text, words, names, language="en"):
    """The features present in one sentence, in a fixed order (see KEYS). words:
    words_of(text)."""
    lists = lists_for(language)
    # Curly and straight apostrophes alike ("I’ve" is "i've" in the lists).
    words_lower = [w.lower().replace("’", "'") for w in words]
    present = set(words_lower)  # for the pre-checks of the word lists
    runs = _folded_pieces(text, words_lower)  # for those of the case-insensitive rules
    found = []

    # Years, numeric dates and numbers all start with a digit; most sentences have none,
    # and those that have one need not be searched before the first (the rules' look-
    # behinds and \b still see the characters before it).
    digit = _DIGIT.search(text)
    digits, first = digit is not None, digit.start() if digit else 0
    years = list(_YEAR.finditer(text, first)) if digits else []
    dates = [m.group() for m in years]
    dates += _NUMERIC_DATE.findall(text, first) if digits else []
    dates += month_mentions(text, runs)
    dates += lists.relative_dates_rule.findall(text, runs)
    if dates:
        found.append(Found("date", _distinct(dates)))

    year_spans = {m.span() for m in years}
    numbers = [
        m.group()
        for m in (_NUMBER.finditer(text, first) if digits else ())
        if m.span() not in year_spans and not _NUMERIC_DATE.match(text, m.start())
    ]
    numbers += _words_in(words_lower, present, NUMBER_WORDS)
    if numbers:
        found.append(Found("number", _distinct(numbers)))

    named = actors(words, names, language)
    if named:
        found.append(Found("actors", tuple(named), min(len(named), MAX_ACTORS) / MAX_ACTORS))

    actions = _words_in(words_lower, present, ACTION_WORDS)
    if actions:
        found.append(Found("action", _distinct(actions)))

    comparisons = lists.comparison_rule.findall(text, runs)
    if comparisons:
        found.append(Found("comparison", _distinct(comparisons)))

    attributions = lists.attribution_rule.findall(text, runs)
    if attributions:
        found.append(Found("attributed", _distinct(attributions)))

    hedges = _words_in(words_lower, present, lists.hedges)
    if hedges:
        found.append(Found("hedge", _distinct(hedges)))
    first_person = _words_in(words_lower, present, lists.first_person)
    if first_person:
        found.append(Found("first_person", _distinct(first_person)))
    if len(words) > LONG_WORDS:
        found.append(Found("long"))
    return found
