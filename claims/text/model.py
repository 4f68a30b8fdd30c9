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
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "data" / "checkworthiness.json.gz"

# Possessive ("++", "*+"): the first attempt always succeeds (the tails may be empty), so
# nothing is ever given back; the same tokens, without the engine keeping places to go back.
_TOKEN = re.compile(r"\d++(?:[.,]\d++)*+%?|[^\W\d_]++(?:['’][^\W\d_]++)*+")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_DIGIT = re.compile(r"\d")


def tokens(text):
    """Lower-cased words; numbers become <year>, <num> or <pct> (the value never generalises)."""
    # _TOKEN treats both apostrophes alike, so replacing them in the text before finding the
    # tokens gives the tokens that replacing them in each token gave.
    found = _TOKEN.findall(text.lower().replace("’", "'"))
    return [_number_token(token) if token[0].isdigit() else token for token in found]


def tokens_of_words(text, words):
    """tokens(text), made from words_of(text) when those are the same tokens, which saves
    a regex pass over the text. They are when the text has no digit (_TOKEN splits "covid19"
    and joins "9,000"), no word has "." or "-" in it (words_of joins "U.S", "co-op";
    _TOKEN does not), and lower-casing the text is lower-casing each word: it is, but for
    "İ" (two characters lower-cased) and "Σ" (lower-cased by what follows it). A code-point
    test (tests/test_suggest_prechecks.py) checks that lower() keeps the character classes."""
    joined = " ".join(words)
    if not joined:
        return []
    if (
        "." in joined
        or "-" in joined
        or "\u0130" in text
        or "\u03a3" in text
        or _DIGIT.search(text)
    ):
        return tokens(text)
    found = joined.lower().replace("’", "'").split(" ")
    return [_number_token(token) if token[0].isdigit() else token for token in found]


def _number_token(token):
    if token.endswith("%"):
        return "<pct>"
    return "<year>" if _YEAR.fullmatch(token) else "<num>"


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
        # The second words each first word of a known bigram takes: a sentence's bigram is
        # made into a string and looked up only when it can be a term (most are not).
        self.bigram_tails = {}
        for term in self.terms:
            first, space, second = term.partition(" ")
            if space:
                self.bigram_tails.setdefault(first, set()).add(second)
        self.features = dict(document["features"])
        self.feature_scale = document["feature_scale"]

    def weights(self, text, values):
        """[(name, part of the log-odds), ...]: the sentence's TF-IDF (l2) terms in order of
        first occurrence, then its features. Plain pairs: a suggestion turns only the few
        it shows into reasons (a Contribution per term was about 7% of suggestion time)."""
        terms, features = self.parts(text, values)
        return terms + features

    def parts(self, text, values, words=None):
        """weights() as two lists: the terms' pairs and the features' pairs. words:
        words_of(text) when the caller has them (see tokens_of_words)."""
        lookup = self.terms.get
        # Counter keeps first occurrences in order, as the terms' order must stay. Most
        # terms occur once, where tf is exactly 1 and the weight is the idf.
        sublinear, log = self.sublinear_tf, math.log
        found = [  # (term, tf-idf, coefficient), entry being (idf, coefficient)
            (
                term,
                entry[0] if count == 1 else (1 + log(count) if sublinear else count) * entry[0],
                entry[1],
            )
            for term, count in Counter(self._ngrams(text, words)).items()
            if (entry := lookup(term)) is not None
        ]
        norm = math.sqrt(sum([value * value for _, value, _ in found])) or 1.0
        term_pairs = [(term, value / norm * coef) for term, value, coef in found]
        scale, features = self.feature_scale, self.features
        feature_pairs = [
            (name, value * scale * features[name])
            for name, value in values.items()
            if name in features
        ]
        return term_pairs, feature_pairs

    def _ngrams(self, text, words=None):
        """ngrams(text) less the bigrams that are no term: the same terms, counts and order
        of first occurrence once parts() keeps only the terms."""
        found = tokens(text) if words is None else tokens_of_words(text, words)
        tails, none = self.bigram_tails, ()
        return found + [
            f"{a} {b}" for a, b in zip(found, found[1:], strict=False) if b in tails.get(a, none)
        ]

    def logit(self, text, values):
        return self.intercept + sum(weight for _, weight in self.weights(text, values))

    def contributions(self, text, values):
        """(log-odds, [Contribution...]) for one sentence: TF-IDF (l2) terms and features."""
        parts = [Contribution(name, weight) for name, weight in self.weights(text, values)]
        return self.intercept + sum(p.weight for p in parts), parts

    def probability(self, text, values):
        return sigmoid(self.logit(text, values))


def sigmoid(x):
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)


@lru_cache(maxsize=1)
def load(path=MODEL_PATH):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return Model(json.load(handle))
