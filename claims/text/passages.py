"""Find the passages of a source text that bear on a claim: BM25 over sentence windows.

The source text is split into sentences (claims.text.segmenter, exact offsets), and
every run of one or two consecutive sentences is a candidate passage. Terms are
lower-cased words with stop words dropped and a light suffix stripping, so that
"deployed" matches "deployment" no better than a human would expect but
"soldiers" matches "soldier". IDF is computed over the sentences of this one
source: a term the source repeats everywhere (its own subject) counts for less
than the rare words that pin a passage down (a year, a name, a number).

Stemming follows the language of the source text (claims.text.language), by
claims.text.stemming (which similarity keys share): English a light stripper, other
languages their Snowball stemmer, Ukrainian a stripper of its own. Numbers stay whole
("41.2" is one term, and "41,2" the same one), so a decimal never matches its integer part.
"""

import math
from collections import Counter
from dataclasses import asdict, dataclass, field

from . import MAX_TEXT_CHARS
from .language import guess_language
from .segmenter import split_sentences
from .stemming import terms

K1 = 1.2
B = 0.75
MAX_WINDOW = 2  # sentences per passage
TOP = 3


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
