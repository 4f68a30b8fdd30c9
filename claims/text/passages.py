"""Find the passages of a source text that bear on a claim: BM25 over sentence windows.

The source text is split into sentences (claims.text.segmenter, exact offsets), and
every run of one or two consecutive sentences is a candidate passage. Terms are
lower-cased words with stop words dropped and a light suffix stripping, so that
"deployed" matches "deployment" no better than a human would expect but
"soldiers" matches "soldier". IDF is computed over the sentences of this one
source: a term the source repeats everywhere (its own subject) counts for less
than the rare words that pin a passage down (a year, a name, a number).
"""

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from . import MAX_TEXT_CHARS
from .segmenter import split_sentences
from .words import FUNCTION_WORDS

K1 = 1.2
B = 0.75
MAX_WINDOW = 2  # sentences per passage
TOP = 3

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
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


def terms(text: str) -> list[tuple[str, str]]:
    """(term, word as written) for every non-stop word of text."""
    found = []
    for word in _TOKEN.findall(text):
        lowered = word.lower()
        if lowered in _STOP:
            continue
        found.append((stem(lowered), word))
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


def match_passages(query: str, text: str, *, top: int = TOP, max_window: int = MAX_WINDOW):
    """The best `top` non-overlapping passages of text for query, best first."""
    text = text[:MAX_TEXT_CHARS]
    query_terms = {}
    for term, word in terms(query):
        query_terms.setdefault(term, word)
    sentences = split_sentences(text)
    if not query_terms or not sentences:
        return []
    sentence_terms = [Counter(term for term, _ in terms(s.text)) for s in sentences]

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
