"""Terms of a text for matching, stemmed by its language: what passages (BM25) and similarity
keys (trigrams) compare, so that "signed" and "signing", or "Минске" and "Минск", count
as one word.

English keeps a deliberately light stripper (plural, -ed, -ing); other languages get their
Snowball stemmer (snowballstemmer: Russian, German, French, Spanish, Portuguese, Italian,
Arabic...), Ukrainian a light suffix stripper of its own (Snowball has none). Function words
(claims.text.words, every listed language) are dropped. Numbers stay whole ("41.2" is one
term, and "41,2" the same one), so a decimal never matches its integer part.
"""

import re
from functools import lru_cache

import snowballstemmer

from .words import FUNCTION_WORDS

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['’][^\W_]+)?")
SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "tr": "turkish",
}
_UK_ENDINGS = sorted(
    """ами ями ові еві ого ому ими іми ась ись ось ися ться ення ання ість ості ій ий ій ої
    ою ею ом ем ах ях ів їв ам ям ий а я о е і ї у ю и й ь""".split(),
    key=len,
    reverse=True,
)
_STOP = FUNCTION_WORDS


def stem(word: str) -> str:
    """A deliberately light English suffix stripper (plural, -ed, -ing), idempotent."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2] if not word.endswith("eed") else word[:-1]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def stem_ukrainian(word: str) -> str:
    """A light Ukrainian suffix stripper: one inflectional ending off, a stem of 3+ kept."""
    word = word.lower()
    for ending in _UK_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=16)
def stemmer_for(language: str):
    """word -> term for a language: Snowball where it has one, else the light strippers."""
    if language in SNOWBALL:
        snowball = snowballstemmer.stemmer(SNOWBALL[language])
        cache = {}

        def stem_word(word):
            if word not in cache:
                cache[word] = snowball.stemWord(word.lower())
            return cache[word]

        return stem_word
    if language == "uk":
        return stem_ukrainian
    return stem


# Elided articles and prepositions ("l'armée", "dell'esercito"): the word is what follows.
_ELIDING = {"fr", "it", "ca"}
_ELISION = re.compile(r"^[^\W\d_]{1,4}['’](?=[^\W\d_]{2})")


def terms(text: str, language: str = "en") -> list[tuple[str, str]]:
    """(term, word as written) for every non-stop word of text."""
    stem_word = stemmer_for(language)
    eliding = language in _ELIDING
    found = []
    for word in _TOKEN.findall(text):
        lowered = word.lower()
        if eliding:
            lowered = _ELISION.sub("", lowered)
        if lowered in _STOP:
            continue
        if lowered[0].isdigit():
            found.append((lowered.replace(",", "."), word))
        else:
            found.append((stem_word(lowered), word))
    return found
