"""Train the check-worthiness model from the CheckThat! data (scikit-learn, dev dependency).

Used by `manage.py train_checkworthiness` and benchmarks/checkworthiness.py; the runtime
(claims.text.model) never imports this module. Deterministic: fixed data order, a
deterministic solver, rounded weights, a gzip stream without a timestamp.

Data (see the README of the data folder): CheckThat! 2024 English train/dev/dev-test and
the 2019 training debates. Model choice and the decision threshold are tuned on dev only;
dev-test and the held-back 2019 debates are for reporting, and every sentence found in
them (same words, case and spacing aside) is removed from the training rows.
"""

import gzip
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .features import KEYS, known_names, sentence_features, words_of
from .model import Model, feature_values, meaning_words, ngrams, tokens

CT24 = "ct24-english/CT24_checkworthy_english_{}.tsv"
CT19 = "ct19-task1-training"
_CT24_ROW = re.compile(r"(\d+)\t([^\t]*?)\t(Yes|No)(?=\s|\d|$)")
# Every third 2019 debate (in name order, starting with the third) is held back for MAP.
HELD_BACK_EVERY = 3

# C is chosen on CT24 dev by average precision (threshold-free; see the report
# `train_checkworthiness` prints). The grid is small on purpose, so that dev is not
# overfitted and the run stays short.
GRID = {"C": (0.5, 1.0, 2.0)}
# The C the validation runs with (dev chose it every time).
VALIDATION_C = 2.0
# Whether the 2019 training debates join CT24 train: chosen on MAP over those debates in
# validation (benchmarks/checkworthiness_validation.py; dev AP, saturated near 0.955, does
# not tell the settings apart). See data/ORIGIN.md.
WITH_CT19 = True
# Classes weighted to balance, so 0.5 is the cut where a miss and a false alarm cost the
# same. A cut tuned on dev does not carry over: dev is drawn like train (F1 0.90 there),
# and its best cut (0.6-0.65) loses a third of the recall on dev-test.
THRESHOLD = 0.5
FEATURE_SCALE = 1.0
# The sentence's meaning, sum(GloVe vectors) / sqrt(n) over its n known words, enters the
# model times this scale (claims.text.embeddings; validation MAP the same at 0.25-1).
MEANING_SCALE = 0.5
MAX_TERMS = 40_000
MIN_DF = 2


@dataclass
class Sentence:
    text: str
    label: int
    values: dict = field(default_factory=dict)  # fact-checker features (claims.text.features)


def _clean(text):
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text


def _key(text):
    return " ".join(re.findall(r"\w+", text.lower()))


def _with_features(texts_labels, names=frozenset()):
    rows = []
    for text, label in texts_labels:
        found = sentence_features(text, words_of(text), names)
        rows.append(Sentence(text, label, feature_values(found)))
    return rows


def read_ct24(data_dir, part):
    """Sentences of one CT24 part; one malformed line in train holds two rows, hence the regex."""
    path = Path(data_dir) / CT24.format(part)
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        for match in _CT24_ROW.finditer(line + "\n"):
            pairs.append((_clean(match.group(2)), int(match.group(3) == "Yes")))
    return _with_features(pairs)


def read_ct19(data_dir):
    """{debate name: [Sentence, ...] in document order}, features with the debate's names."""
    return read_debates(Path(data_dir) / CT19)


def read_debates(folder):
    """The debates of a folder in the 2019 layout (line, speaker, text, label; any CRLF)."""
    debates = {}
    for path in sorted(Path(folder).glob("*.tsv")):
        pairs = []
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.rstrip("\r").split("\t")
            if len(cells) == 4:
                pairs.append((cells[2].strip(), int(cells[3].strip() == "1")))
        names = known_names([words_of(text) for text, _ in pairs])
        debates[path.stem] = _with_features(pairs, names)
    return debates


def split_ct19(debates):
    names = sorted(debates)
    held = {n for i, n in enumerate(names) if i % HELD_BACK_EVERY == HELD_BACK_EVERY - 1}
    train = {n: debates[n] for n in names if n not in held}
    return train, {n: debates[n] for n in names if n in held}


@dataclass
class Data:
    train: list
    dev: list
    dev_test: list
    ct19_train: dict
    ct19_held: dict


def load_data(data_dir):
    ct19_train, ct19_held = split_ct19(read_ct19(data_dir))
    return Data(
        read_ct24(data_dir, "train"),
        read_ct24(data_dir, "dev"),
        read_ct24(data_dir, "dev-test"),
        ct19_train,
        ct19_held,
    )


def training_rows(data, with_ct19):
    """Train rows without any sentence that appears in an evaluation set, deduplicated."""
    unseen = {_key(s.text) for s in data.dev + data.dev_test}
    unseen |= {_key(s.text) for doc in data.ct19_held.values() for s in doc}
    rows = list(data.train)
    if with_ct19:
        rows += [s for name in sorted(data.ct19_train) for s in data.ct19_train[name]]
    kept, seen = [], set()
    for row in rows:
        key = _key(row.text)
        if key and key not in unseen and key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


class Vectors:
    """Pretrained word vectors (claims.text.embeddings.load) as model inputs."""

    def __init__(self, words, matrix):
        self.words, self.matrix = words, matrix
        self.index = {word: row for row, word in enumerate(words)}

    def block(self, rows):
        """MEANING_SCALE * sum(vectors) / sqrt(n) per row, over the n words known here
        (each occurrence counts), as claims.text.model.Model._with_meanings undoes it."""
        import numpy

        out = numpy.zeros((len(rows), self.matrix.shape[1]))
        for i, row in enumerate(rows):
            ids = [self.index[w] for w in meaning_words(tokens(row.text)) if w in self.index]
            if ids:
                out[i] = self.matrix[ids].sum(axis=0) / math.sqrt(len(ids))
        return out * MEANING_SCALE

    def weights(self, coef):
        """{word: MEANING_SCALE * coef . vector}: one number per word for the shipped model."""
        values = self.matrix @ coef * MEANING_SCALE
        return dict(zip(self.words, values.tolist(), strict=True))


def _matrices(vectorizer, rows, fit=False, vectors=None):
    from scipy.sparse import csr_matrix, hstack

    texts = [r.text for r in rows]
    words = vectorizer.fit_transform(texts) if fit else vectorizer.transform(texts)
    dense = [[r.values.get(f"f:{k}", 0.0) * FEATURE_SCALE for k in KEYS] for r in rows]
    blocks = [words, csr_matrix(dense)]
    if vectors is not None:
        blocks.append(csr_matrix(vectors.block(rows)))
    return hstack(blocks).tocsr()


def vocabulary(texts):
    """The terms in at least MIN_DF texts, the most frequent first, at most MAX_TERMS:
    {term: column}.

    Not TfidfVectorizer(max_features=): it orders by count with NumPy's unstable argsort,
    so which of the terms tied at the cut it keeps depends on the NumPy build and the CPU
    (this host rebuilt 2,872 terms differently from the file first shipped). Here no term
    is cut by an arbitrary tie-break: when the cut falls among terms of equal count, none
    of them is kept (on the chosen rows 27,162 terms, each seen at least 3 times: the cut
    fell among the 16,230 terms seen twice, of which max_features kept an arbitrary part)."""
    counts, documents = Counter(), Counter()
    for text in texts:
        terms = ngrams(text)
        counts.update(terms)
        documents.update(set(terms))
    kept = [term for term, n in documents.items() if n >= MIN_DF]
    if len(kept) > MAX_TERMS:
        floor = sorted((counts[term] for term in kept), reverse=True)[MAX_TERMS]
        kept = [term for term in kept if counts[term] > floor]
    return {term: column for column, term in enumerate(sorted(kept))}


def fit(rows, *, C, class_weight, vectors=None):
    """A fitted (vectorizer, classifier) pair; with vectors, the sentence's meaning too."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(
        analyzer=ngrams, sublinear_tf=True, vocabulary=vocabulary(r.text for r in rows)
    )
    matrix = _matrices(vectorizer, rows, fit=True, vectors=vectors)
    classifier = LogisticRegression(
        C=C, class_weight=class_weight, solver="liblinear", max_iter=1000, random_state=0
    )
    classifier.fit(matrix, [r.label for r in rows])
    return vectorizer, classifier


def to_document(vectorizer, classifier, threshold, report, vectors=None):
    vocabulary = vectorizer.vocabulary_
    coef = classifier.coef_[0]
    terms = sorted(vocabulary.items())
    document = {
        "version": 1,
        "languages": ["en"],
        "intercept": round(float(classifier.intercept_[0]), 6),
        "threshold": round(float(threshold), 4),
        "sublinear_tf": True,
        "feature_scale": FEATURE_SCALE,
        "features": [
            [f"f:{key}", round(float(coef[len(vocabulary) + i]), 6)] for i, key in enumerate(KEYS)
        ],
        "terms": [
            [term, round(float(vectorizer.idf_[i]), 5), round(float(coef[i]), 6)]
            for term, i in terms
        ],
        "report": report,
    }
    if vectors is not None:
        meaning = coef[len(vocabulary) + len(KEYS) :]
        weights = vectors.weights(meaning)
        document["meanings"] = [[word, round(weights[word], 5)] for word in sorted(weights)]
    return document


def write_document(document, path):
    """gzip without a timestamp or file name, so the same weights give the same bytes."""
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    Path(path).write_bytes(buffer.getvalue())


# Measures -----------------------------------------------------------------------------


def f1_positive(labels, predicted):
    tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def best_threshold(labels, scores):
    """The cut with the best F1 on these scores (ties: the higher cut)."""
    best = (0.0, 1.0)
    for cut in sorted(set(scores)):
        f1 = f1_positive(labels, [s >= cut for s in scores])[0]
        if f1 >= best[0]:
            best = (f1, cut)
    return best[1]


def average_precision(labels_in_rank_order):
    hits, total = 0, 0.0
    for rank, label in enumerate(labels_in_rank_order, 1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def mean_average_precision(documents, score):
    """MAP and mean P@1 over documents ({name: [Sentence]}); ties keep document order."""
    aps, p_at_1 = [], []
    for name in sorted(documents):
        rows = documents[name]
        scores = score(rows)
        order = sorted(range(len(rows)), key=lambda i: (-scores[i], i))
        ranked = [rows[i].label for i in order]
        aps.append(average_precision(ranked))
        p_at_1.append(ranked[0] if ranked else 0)
    return sum(aps) / len(aps), sum(p_at_1) / len(p_at_1)


def model_scores(model, rows):
    return [model.probability(r.text, r.values) for r in rows]


def ranked_average_precision(labels, scores):
    order = sorted(range(len(labels)), key=lambda i: (-scores[i], i))
    return average_precision([labels[i] for i in order])


def train(data_dir, vectors=None, log=print):
    """Fit the C grid, choose by average precision on dev: (document, report)."""
    data = load_data(data_dir)
    rows = training_rows(data, WITH_CT19)
    dev_labels = [r.label for r in data.dev]
    best = None
    for C in GRID["C"]:
        vectorizer, classifier = fit(rows, C=C, class_weight="balanced", vectors=vectors)
        model = Model(to_document(vectorizer, classifier, THRESHOLD, {}, vectors))
        scores = model_scores(model, data.dev)
        ap = ranked_average_precision(dev_labels, scores)
        f1 = f1_positive(dev_labels, [s >= THRESHOLD for s in scores])[0]
        log(f"  C={C}: dev average precision {ap:.4f}, F1 {f1:.3f} ({len(rows):,} training rows)")
        if best is None or ap > best[0]:
            best = (ap, f1, vectorizer, classifier, C)
    ap, f1, vectorizer, classifier, C = best
    model = Model(to_document(vectorizer, classifier, THRESHOLD, {}, vectors))
    report = evaluate(model, data, THRESHOLD)
    report.update(
        {
            "chosen on dev": {"C": C, "class_weight": "balanced"},
            "chosen on the 2019 training debates": {
                "with_ct19": WITH_CT19,
                "meanings": vectors is not None,
            },
            "dev average precision": round(ap, 4),
            "dev F1": round(f1, 4),
            "training rows": len(rows),
            "held-back 2019 debates": sorted(data.ct19_held),
        }
    )
    return to_document(vectorizer, classifier, THRESHOLD, report, vectors), report


def evaluate(model, data, cut):
    labels = [r.label for r in data.dev_test]
    scores = model_scores(model, data.dev_test)
    f1, precision, recall = f1_positive(labels, [s >= cut for s in scores])
    map_, p1 = mean_average_precision(data.ct19_held, lambda rows: model_scores(model, rows))
    return {
        "dev-test F1": round(f1, 4),
        "dev-test precision": round(precision, 4),
        "dev-test recall": round(recall, 4),
        "held-back 2019 MAP": round(map_, 4),
        "held-back 2019 P@1": round(p1, 4),
    }
