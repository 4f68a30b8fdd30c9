"""What "similar claims" compares: the content words of a claim, stemmed by its language,
and pg_trgm's measure on them.

Function words ("the", "of", "in", in the languages claims.text.words lists) are shared by
every sentence; comparing them makes every claim look a little like every other and makes
a trigram index read most of the table. The key keeps the content words, lower-cased and
stemmed by the claim's language (claims.text.stemming, the terms passages match on), in
order: "Россия разместила оружие" and "России размещено оружие" share "росс" and "оруж"
where their words share only a few trigrams.

The language is identified from the claim's own text (claims.text.language, its best guess
however unsure: a claim is a sentence or two), never taken from its article, so the key of a
text is the same wherever it is computed: stored by Claim.save() and derived again for a
lookup. Text of fewer than three words is keyed as English, as passages do; its light
stripper leaves words of other scripts alone.
"""

import functools
import hashlib
import re
import struct

from .language import guess_language
from .stemming import terms

_WORD = re.compile(r"[^\W_]+")


def similarity_key(text: str) -> str:
    text = text or ""
    return " ".join(term for term, _ in terms(text, guess_language(text, min_confidence=0) or "en"))


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


# -- MinHash bands: a selective candidate step for the same measure ---------------------
#
# pg_trgm's similarity is the Jaccard index of two trigram sets. MinHash estimates it:
# under a random permutation of all trigrams, two sets have the same smallest member
# with probability equal to their Jaccard index. BANDS groups of ROWS such minima
# make the band keys; two keys collide with probability 1 - (1 - s^ROWS)^BANDS:
# 0.9953 at s=0.5, 0.9996 at 0.58 (a rewording), 1.0 for near-duplicates. Trigrams
# are shared by many words, so fewer rows per band name too many candidates
# (2 rows: thousands per 30,000 claims, measured on benchmarks/similar_claims.py's
# claims; 3 rows: about 180). Candidates are then scored exactly, so the ranking
# is pg_trgm's.
ROWS = 3
BANDS = 40
# One hash per (trigram, permutation): ROWS * BANDS independent 32-bit values read
# from SHAKE-128, so every permutation is a random one and the values never change
# between processes (stored keys must not). A claim's trigrams repeat across claims:
# the cache makes a key's signature mostly lookups.
_VALUES = struct.Struct(f"<{ROWS * BANDS}I")
_BAND_SALTS = struct.unpack(f"<{BANDS}Q", hashlib.shake_128(b"claims bands").digest(8 * BANDS))
_MULTIPLIERS = [
    m | 1 for m in struct.unpack(f"<{ROWS}Q", hashlib.shake_128(b"rows").digest(8 * ROWS))
]
_MASK = (1 << 64) - 1


@functools.lru_cache(maxsize=200_000)
def _trigram_values(trigram: str) -> tuple[int, ...]:
    return _VALUES.unpack(hashlib.shake_128(trigram.encode("utf-8")).digest(_VALUES.size))


def band_keys(key: str) -> list[int]:
    """The BANDS signed 64-bit band keys of a similarity key ([] when it has no words)."""
    found = trigrams(key)
    if not found:
        return []
    minima = list(map(min, zip(*map(_trigram_values, found), strict=True)))
    # The band's ROWS minima mixed into 64 bits (odd multipliers keep them apart); the
    # band's salt keeps equal minima in different bands apart.
    keys = []
    for band in range(BANDS):
        mixed = _BAND_SALTS[band]
        for row, value in enumerate(minima[band * ROWS : (band + 1) * ROWS]):
            mixed = ((mixed ^ value) * _MULTIPLIERS[row]) & _MASK
        keys.append(mixed - (1 << 64) if mixed >= 1 << 63 else mixed)
    return keys
