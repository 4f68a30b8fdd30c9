"""A small, deterministic guess at the language of an article body.

Captures carry no language, and pasted text often comes without one. Counting
the most frequent function words of each language is enough to tell the few
languages a newsroom handles apart; when the evidence is thin the answer is ""
(unknown) rather than a guess.
"""

import re
from collections import Counter

from .words import STOPWORDS

_WORDS = {lang: frozenset(words.split()) for lang, words in STOPWORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+")
SAMPLE_CHARS = 20_000
MIN_HITS = 5


def guess_language(text: str) -> str:
    """An ISO 639-1 code, or "" when the text gives too little to go on."""
    tokens = Counter(t.lower() for t in _TOKEN.findall(text[:SAMPLE_CHARS]))
    scores = {
        lang: sum(count for token, count in tokens.items() if token in words)
        for lang, words in _WORDS.items()
    }
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    (best, best_hits), (_, runner_up) = ranked[0], ranked[1]
    if best_hits < MIN_HITS or best_hits < 1.5 * runner_up:
        return ""
    return best
