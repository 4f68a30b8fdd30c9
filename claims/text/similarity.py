"""What "similar claims" compares: the content words of a claim, and pg_trgm's measure on them.

Function words ("the", "of", "in", in the languages claims.text.words lists)
are shared by every sentence; comparing them makes every claim look a little
like every other and makes a trigram index read most of the table. The key
keeps the content words, lower-cased, in order.
"""

import re
import struct

from .words import FUNCTION_WORDS

_WORD = re.compile(r"[^\W_]+")


def similarity_key(text: str) -> str:
    return " ".join(w for w in _WORD.findall((text or "").lower()) if w not in FUNCTION_WORDS)


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigram set of text."""
    found = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def float4(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(a, b), as a float4 like PostgreSQL returns it."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return float4(shared / (len(ta) + len(tb) - shared))
