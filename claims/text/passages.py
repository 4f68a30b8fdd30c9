"""Find the passages of a source text that bear on a claim: BM25 over sentence windows.

The source text is split into sentences (claims.text.segmenter, exact offsets), and
every run of one or two consecutive sentences is a candidate passage. Terms are
lower-cased words with stop words dropped and a light suffix stripping, so that
"deployed" matches "deployment" no better than a human would expect but
"soldiers" matches "soldier". IDF is computed over the sentences of this one
source: a term the source repeats everywhere (its own subject) counts for less
than the rare words that pin a passage down (a year, a name, a number).

Stemming follows the language of the source text (claims.text.language): English keeps
the light stripper below, other languages get their Snowball stemmer (snowballstemmer:
Russian, German, French, Spanish, Portuguese, Italian, Arabic...), Ukrainian a light
suffix stripper of its own (Snowball has none). Numbers stay whole ("41.2" is one term,
and "41,2" the same one), so a decimal never matches its integer part.
"""

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import snowballstemmer

from . import MAX_TEXT_CHARS
from .language import guess_language
from .segmenter import split_sentences
from .words import FUNCTION_WORDS

K1 = 1.2
B = 0.75
MAX_WINDOW = 2  # sentences per passage
TOP = 3

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


def terms(text: str, language: str = "en") -> list[tuple[str, str]]:
    """(term, word as written) for every non-stop word of text."""
    stem_word = stemmer_for(language)
    found = []
    for word in _TOKEN.findall(text):
        lowered = word.lower()
        if lowered in _STOP:
            continue
        if lowered[0].isdigit():
            found.append((lowered.replace(",", "."), word))
        else:
            found.append((stem_word(lowered), word))
    return found


@dataclass(frozen=True, slots=True)
class Passage:
    start: int
    end: int
    text: str
    score: float
    terms: list[str] = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def match_passages(
    query: str, text: str, *, top: int = TOP, max_window: int = MAX_WINDOW, language: str = ""
):
    """The best `top` non-overlapping passages of text for query, best first.

    language: the source text's ISO code when known; otherwise it is identified."""
    text = text[:MAX_TEXT_CHARS]
    language = language or guess_language(text) or "en"
    query_terms = {}
    for term, word in terms(query, language):
        query_terms.setdefault(term, word)
    sentences = split_sentences(text)
    if not query_terms or not sentences:
        return []
    sentence_terms = [Counter(term for term, _ in terms(s.text, language)) for s in sentences]

    # IDF over the sentences of this source (Lucene's always-positive form).
    n = len(sentences)
    df = Counter()
    for counts in sentence_terms:
        df.update(term for term in counts if term in query_terms)
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in query_terms}

    windows = []
    for i in range(n):
        counts = Counter()
        for width in range(1, max_window + 1):
            j = i + width - 1
            if j >= n:
                break
            counts = counts + sentence_terms[j]
            windows.append((i, j, counts, sum(counts.values())))
    avgdl = sum(w[3] for w in windows) / len(windows) or 1.0

    scored = []
    for i, j, counts, length in windows:
        score, matched = 0.0, []
        for term, word in query_terms.items():
            tf = counts.get(term, 0)
            if not tf:
                continue
            matched.append(word)
            score += idf[term] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avgdl))
        if score > 0:
            scored.append((round(score, 4), i, j, matched))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))

    chosen, used = [], set()
    for score, i, j, matched in scored:
        if used.intersection(range(i, j + 1)):
            continue
        used.update(range(i, j + 1))
        start, end = sentences[i].start, sentences[j].end
        chosen.append(Passage(start, end, text[start:end], score, matched))
        if len(chosen) == top:
            break
    return chosen
