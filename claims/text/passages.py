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


class PassageIndex:
    """One source text segmented, stemmed and counted once, to be matched against many claims.

    Every run of 1..max_window consecutive sentences is a candidate passage, scored by BM25
    with IDF over the sentences. The index keeps each sentence's term counts, the sentences
    each term occurs in and the windows' lengths, so a query only scores the windows that
    hold one of its terms (a window with none scores 0 and is never chosen). A recapture
    cited by hundreds of claims builds it once instead of once per claim.
    """

    def __init__(self, text: str, *, language: str = "", max_window: int = MAX_WINDOW):
        self.text = text = text[:MAX_TEXT_CHARS]
        self.language = language or guess_language(text) or "en"
        self.max_window = max_window
        self.sentences = split_sentences(text)
        self.counts = [
            Counter(term for term, _ in terms(s.text, self.language)) for s in self.sentences
        ]
        self.where = {}  # term -> [(sentence index, count)] of the sentences holding it
        for index, counts in enumerate(self.counts):
            for term, count in counts.items():
                self.where.setdefault(term, []).append((index, count))
        n = len(self.sentences)
        lengths = [sum(counts.values()) for counts in self.counts]
        # The length (terms) of the window i..j, for every window that exists.
        self.lengths = {}
        for i in range(n):
            length = 0
            for j in range(i, min(n, i + max_window)):
                length += lengths[j]
                self.lengths[i, j] = length
        self.avgdl = (sum(self.lengths.values()) / len(self.lengths) or 1.0) if n else 1.0

    def idf(self, term: str) -> float:
        """Lucene's always-positive IDF over the sentences of this source."""
        n, df = len(self.sentences), len(self.where.get(term, ()))
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def match(self, query: str, *, top: int = TOP) -> list[Passage]:
        """The best `top` non-overlapping passages for query, best first."""
        query_terms = {}
        for term, word in terms(query, self.language):
            query_terms.setdefault(term, word)
        if not query_terms or not self.sentences:
            return []
        n, width, avgdl = len(self.sentences), self.max_window, self.avgdl
        # Term by term in the query's order, as a window's score adds them up: only the
        # windows around the sentences holding the term.
        scores, matched = {}, {}
        for term, word in query_terms.items():
            postings = self.where.get(term)
            if not postings:
                continue
            tfs = {}
            for k, count in postings:
                for i in range(max(0, k - width + 1), k + 1):
                    for j in range(k, min(n, i + width)):
                        tfs[i, j] = tfs.get((i, j), 0) + count
            idf = self.idf(term)
            for window, tf in tfs.items():
                length = self.lengths[window]
                weight = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avgdl))
                scores[window] = scores.get(window, 0.0) + weight
                matched.setdefault(window, []).append(word)
        scored = [
            (round(score, 4), i, j, matched[i, j]) for (i, j), score in scores.items() if score > 0
        ]
        scored.sort(key=lambda item: (-item[0], item[1], item[2]))

        chosen, used = [], set()
        for score, i, j, words in scored:
            if used.intersection(range(i, j + 1)):
                continue
            used.update(range(i, j + 1))
            start, end = self.sentences[i].start, self.sentences[j].end
            chosen.append(Passage(start, end, self.text[start:end], score, words))
            if len(chosen) == top:
                break
        return chosen


def match_passages(
    query: str, text: str, *, top: int = TOP, max_window: int = MAX_WINDOW, language: str = ""
):
    """The best `top` non-overlapping passages of text for query, best first (one query:
    PassageIndex does the work; keep the index to match more claims against the same text).

    language: the source text's ISO code when known; otherwise it is identified."""
    return PassageIndex(text, language=language, max_window=max_window).match(query, top=top)
