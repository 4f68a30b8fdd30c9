"""How the check-worthiness model's settings were chosen: MAP on the 2019 training debates.

    .venv/bin/python benchmarks/checkworthiness_validation.py [--data ...] [--embeddings ...]

The held-back 2019 debates (every third in name order) only report; the settings are
chosen here, on the other 13 debates in 3 folds by debate (name order, every third). Each
fold trains on CT24 train without any sentence found in that fold's debates (2,757 of
their 10,170 are in CT24 train), with the other 2019 training debates when the settings
say so, and ranks the fold's debates. CT24 dev average precision is printed beside it.
Needs the dev dependencies and the word vectors (claims.text.embeddings fetches them
from the npm registry into ~/.cache when they are missing). Takes a few minutes.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.text import embeddings, training  # noqa: E402
from claims.text.model import Model  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "checkworthiness"
FOLDS = 3
CANDIDATES = [
    ("word 1-2-grams + features (the model before)", False, False),
    ("+ meanings (GloVe)", False, True),
    ("+ the 2019 training debates", True, False),
    ("+ meanings + the 2019 training debates (shipped)", True, True),
]


def rows_without(data, debates, with_ct19):
    """training_rows() with the fold's debates treated as held back."""
    held = dict(data.ct19_held) | debates
    others = {n: d for n, d in data.ct19_train.items() if n not in debates}
    return training.training_rows(
        training.Data(data.train, data.dev, data.dev_test, others, held), with_ct19
    )


def score_with(rows, vectors):
    vectorizer, classifier = training.fit(
        rows, C=training.VALIDATION_C, class_weight="balanced", vectors=vectors
    )
    model = Model(training.to_document(vectorizer, classifier, training.THRESHOLD, {}, vectors))
    return lambda sentences: training.model_scores(model, sentences)


def validate(data, with_ct19, vectors):
    names = sorted(data.ct19_train)
    per_debate = {}
    for fold in range(FOLDS):
        debates = {n: data.ct19_train[n] for n in names[fold::FOLDS]}
        score = score_with(rows_without(data, debates, with_ct19), vectors)
        for name, rows in debates.items():
            per_debate[name] = training.mean_average_precision({name: rows}, score)
    score = score_with(training.training_rows(data, with_ct19), vectors)
    dev_ap = training.ranked_average_precision([r.label for r in data.dev], score(data.dev))
    return per_debate, dev_ap


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--embeddings", default=str(embeddings.DEFAULT_PATH))
    args = parser.parse_args()
    data = training.load_data(args.data)
    vectors = training.Vectors(*embeddings.load(embeddings.fetch(args.embeddings)))
    settings = f"settings (C {training.VALIDATION_C}, balanced)"
    print(f"| {settings} | validation MAP | P@1 | CT24 dev AP |")
    print("|---|---|---|---|")
    for label, with_ct19, meanings in CANDIDATES:
        per_debate, dev_ap = validate(data, with_ct19, vectors if meanings else None)
        aps = [ap for ap, _ in per_debate.values()]
        p1 = [hit for _, hit in per_debate.values()]
        print(
            f"| {label} | {sum(aps) / len(aps):.4f} | {sum(p1) / len(p1):.3f} | {dev_ap:.4f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
