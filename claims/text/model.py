"""The trained check-worthiness model, read and applied in pure Python.

A logistic regression over TF-IDF word unigrams and bigrams plus the fact-checker
features of claims.text.features, trained with scikit-learn by
`manage.py train_checkworthiness` (claims/text/training.py) on the CheckThat! data
(see data/ORIGIN.md). The learned weights ship as a small gzipped JSON file; this module
needs neither scikit-learn nor NumPy, so a score is the same on every machine, and every
score comes apart into the contributions of its words and features, which are the
reasons shown to reviewers.
"""

import gzip
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "data" / "checkworthiness.json.gz"

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)*")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def tokens(text):
    """Lower-cased words; numbers become <year>, <num> or <pct> (the value never generalises)."""
    found = []
    for token in _TOKEN.findall(text.lower()):
        if token[0].isdigit():
            if token.endswith("%"):
                found.append("<pct>")
            elif _YEAR.fullmatch(token):
                found.append("<year>")
            else:
                found.append("<num>")
        else:
            found.append(token.replace("’", "'"))
    return found


def ngrams(text):
    """The model's text terms: unigrams and bigrams of tokens()."""
    words = tokens(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def feature_values(found):
    """The dense inputs from claims.text.features.Found items: name -> value."""
    return {f"f:{item.key}": item.amount for item in found}


@dataclass(frozen=True, slots=True)
class Contribution:
    name: str  # a term ("signed", "<year>") or a feature ("f:date")
    weight: float  # its part of the log-odds


class Model:
    def __init__(self, document):
        self.version = document["version"]
        self.languages = frozenset(document["languages"])
        self.intercept = document["intercept"]
        self.threshold = document["threshold"]
        self.sublinear_tf = document["sublinear_tf"]
        self.terms = {term: (idf, coef) for term, idf, coef in document["terms"]}
        self.features = dict(document["features"])
        self.feature_scale = document["feature_scale"]

    def contributions(self, text, values):
        """(log-odds, [Contribution...]) for one sentence: TF-IDF (l2) terms and features."""
        counts = {}
        for term in ngrams(text):
            if term in self.terms:
                counts[term] = counts.get(term, 0) + 1
        weighted = {}
        for term, count in counts.items():
            tf = 1 + math.log(count) if self.sublinear_tf else count
            weighted[term] = tf * self.terms[term][0]
        norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
        parts = [
            Contribution(term, value / norm * self.terms[term][1])
            for term, value in weighted.items()
        ]
        parts += [
            Contribution(name, value * self.feature_scale * self.features[name])
            for name, value in values.items()
            if name in self.features
        ]
        return self.intercept + sum(p.weight for p in parts), parts

    def probability(self, text, values):
        logit, _ = self.contributions(text, values)
        return sigmoid(logit)


def sigmoid(x):
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)


@lru_cache(maxsize=1)
def load(path=MODEL_PATH):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return Model(json.load(handle))
