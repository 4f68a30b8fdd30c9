"""Check-worthiness, side by side: the feature scorer (the previous default), a plain TF-IDF +
logistic regression baseline and the shipped model, on the CheckThat! data.

    .venv/bin/python benchmarks/checkworthiness.py [--data ../shared/data/checkworthiness]

Prints F1 of the positive class on CT24 English dev-test (the lab's measure) and MAP and
P@1 over the held-back 2019 debates (every third debate in name order; never trained on),
then the average precision of the baseline and the model per held-back debate: six
debates are few, so the per-debate spread says how much a MAP difference means.

- feature scorer: the weighted sum of claims.text.suggest.feature_score (English lists),
  at its default cut (every sentence suggested, as suggest_claims(min_score=0) does) and at
  its best cut on dev-test (an oracle cut: flattering on purpose);
- baseline: scikit-learn's TfidfVectorizer() + LogisticRegression() with default settings,
  trained on CT24 train, cut 0.5;
- model: the shipped weights (claims/text/data/checkworthiness.json.gz) at their cut, and
  the same behind the furniture rules of claims.text.suggest (what suggest_claims does:
  a sentence dropped as furniture, e.g. a question, is never suggested).
With --ct19-test DIR (the lab's 2019 test debates with their gold labels, e.g.
`data/test_annotated/` of github.com/telsayed/clef2019-factchecking-task1, commit 5a381c1;
not shipped here, so that nobody tunes on them), MAP and P@1 on those debates too: the
set the lab ranked teams on (best primary MAP 0.166, the organisers' n-gram baseline
0.1597 (their overview paper)).
Requires the dev dependencies (scikit-learn). No database.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.text import training  # noqa: E402
from claims.text.features import sentence_features, words_of  # noqa: E402
from claims.text.model import load  # noqa: E402
from claims.text.suggest import boilerplate_reason, feature_score  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "checkworthiness"


def feature_scores(rows):
    return [feature_score(sentence_features(r.text, words_of(r.text), set()))[0] for r in rows]


def furniture(rows):
    return [boilerplate_reason(r.text, words_of(r.text)) is not None for r in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--ct19-test", help="folder of the lab's 2019 test debates (gold)")
    args = parser.parse_args()
    data = training.load_data(args.data)
    labels = [r.label for r in data.dev_test]
    table = []

    def row(name, predicted, ranker):
        f1, precision, recall = training.f1_positive(labels, predicted)
        map_, p1 = training.mean_average_precision(data.ct19_held, ranker)
        table.append((name, f1, precision, recall, map_, p1))

    scores = feature_scores(data.dev_test)
    dropped = furniture(data.dev_test)
    row("feature scorer, default cut", [not d for d in dropped], feature_scores)
    cut = training.best_threshold(labels, scores)
    row(f"feature scorer, oracle cut {cut:.2f}", [s >= cut for s in scores], feature_scores)

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer()
    baseline = LogisticRegression(max_iter=1000)
    baseline.fit(
        vectorizer.fit_transform([r.text for r in data.train]), [r.label for r in data.train]
    )

    def baseline_scores(rows):
        return list(baseline.predict_proba(vectorizer.transform([r.text for r in rows]))[:, 1])

    row(
        "TF-IDF + LR baseline, cut 0.5",
        [s >= 0.5 for s in baseline_scores(data.dev_test)],
        baseline_scores,
    )

    model = load()
    model_scores = training.model_scores(model, data.dev_test)
    worthy = [s >= model.threshold for s in model_scores]
    ranker = lambda rows: training.model_scores(model, rows)  # noqa: E731
    row(f"model, cut {model.threshold}", worthy, ranker)
    row(
        "model behind the furniture rules",
        [w and not d for w, d in zip(worthy, dropped, strict=True)],
        ranker,
    )

    print(f"CT24 English dev-test: {len(labels)} sentences, {sum(labels)} check-worthy")
    print(f"held-back 2019 debates ({len(data.ct19_held)}): {', '.join(sorted(data.ct19_held))}")
    print()
    print(f"| {'scorer':<36} | F1 | precision | recall | 2019 MAP | 2019 P@1 |")
    print(f"|{'-' * 38}|----|-----------|--------|----------|----------|")
    for name, f1, precision, recall, map_, p1 in table:
        print(f"| {name:<36} | {f1:.3f} | {precision:.3f} | {recall:.3f} | {map_:.3f} | {p1:.3f} |")
    print()
    print("Average precision per held-back debate (positives / sentences):")
    print(f"| {'debate':<26} | positives | baseline AP | model AP | model - baseline |")
    print(f"|{'-' * 28}|-----------|-------------|----------|------------------|")
    diffs = []
    for name in sorted(data.ct19_held):
        rows = data.ct19_held[name]
        labels_19 = [r.label for r in rows]
        base_ap = training.ranked_average_precision(labels_19, baseline_scores(rows))
        model_ap = training.ranked_average_precision(labels_19, ranker(rows))
        diffs.append(model_ap - base_ap)
        print(
            f"| {name:<26} | {sum(labels_19):>3} / {len(rows):<5} | {base_ap:.3f} "
            f"| {model_ap:.3f} | {model_ap - base_ap:+.3f} |"
        )
    wins = sum(d > 0 for d in diffs)
    print(f"model ahead on {wins} of {len(diffs)} debates, behind on {sum(d < 0 for d in diffs)}")
    if args.ct19_test:
        test = training.read_debates(args.ct19_test)
        print()
        print(f"The lab's 2019 test debates ({len(test)}): MAP / P@1")
        for name, ranker in (
            ("feature scorer", feature_scores),
            ("TF-IDF + LR baseline", baseline_scores),
            ("model", lambda rows: training.model_scores(model, rows)),
        ):
            map_, p1 = training.mean_average_precision(test, ranker)
            print(f"| {name:<22} | {map_:.3f} | {p1:.3f} |")
    print()
    print("Anchors (CheckThat! 2024 English test, not this dev-test): best team F1 0.802.")
    print("CheckThat! 2019 task 1 (its test debates, not these): best primary MAP 0.166.")


if __name__ == "__main__":
    main()
