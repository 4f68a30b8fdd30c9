"""The model's meanings (issue 13): pretrained word vectors folded into one weight per word.

Training adds MEANING_SCALE * sum(vectors) / sqrt(n) over a sentence's n known words to
the inputs; the shipped model keeps one weight per word and must give the same log-odds,
and name each word once among the reasons.
"""

import io
import json
import math
import tarfile

import pytest

from claims.text import embeddings
from claims.text.model import Model, load, meaning_words, tokens
from claims.text.training import Sentence, Vectors, fit, to_document


def make_model(terms=(), meanings=(), intercept=0.0):
    return Model(
        {
            "version": 1,
            "languages": ["en"],
            "intercept": intercept,
            "threshold": 0.5,
            "sublinear_tf": True,
            "feature_scale": 1.0,
            "features": [],
            "terms": [list(t) for t in terms],
            "meanings": [list(m) for m in meanings],
        }
    )


def test_contractions_are_split_as_glove_spells_them():
    words = tokens("We’ve said they don't, can't and won't; the minister's plan")
    assert meaning_words(words) == [
        "we", "'ve", "said", "they", "do", "n't", "ca", "n't", "and", "wo", "n't",
        "the", "minister", "'s", "plan",
    ]  # fmt: skip


def test_meanings_are_shared_over_the_known_words_and_join_their_terms():
    model = make_model(
        terms=[("uranium", 2.0, 1.5)],
        meanings=[("uranium", 0.6), ("gave", -0.3), ("russia", 0.9), ("ignored", 0.0)],
    )
    terms, _ = model.parts("Clinton gave Russia uranium, uranium ignored", {})
    share = 1 / math.sqrt(5)  # gave, russia, uranium, uranium, ignored: 0.0 still counts
    tfidf = 1.5  # one term: its l2-normalised value is 1
    assert terms == [
        ("uranium", pytest.approx(tfidf + 2 * 0.6 * share)),
        ("gave", pytest.approx(-0.3 * share)),
        ("russia", pytest.approx(0.9 * share)),
        ("ignored", 0.0),
    ]
    assert model.logit("Clinton gave Russia uranium, uranium ignored", {}) == pytest.approx(
        tfidf + (2 * 0.6 - 0.3 + 0.9) * share
    )


def test_a_sentence_without_known_words_has_no_meaning():
    model = make_model(terms=[("signed", 1.0, 0.5)], meanings=[("treaty", 1.0)])
    assert model.parts("They signed it in 2021.", {})[0] == [("signed", 0.5)]


def test_the_shipped_model_gives_the_training_log_odds():
    """Fit on a few sentences with small vectors; the model file's arithmetic, weights
    rounded, must give the classifier's own decision function."""
    vocabulary = ["troops", "billion", "weather", "lovely", "signed", "treaty", "n't"]
    vectors = Vectors(
        vocabulary,
        __import__("numpy").array(
            [[(i * 7 + j * 3) % 5 - 2.0 for j in range(4)] for i in range(len(vocabulary))]
        ),
    )
    texts = [
        ("Moscow signed the treaty and sent 9,000 troops in 2021.", 1),
        ("The budget grew by 3 billion dollars last year.", 1),
        ("What lovely weather we have today.", 0),
        ("I don't think so, thank you.", 0),
        ("They signed a treaty on troops.", 1),
        ("Lovely to see you all.", 0),
    ]
    rows = [Sentence(text, label) for text, label in texts]
    vectorizer, classifier = fit(rows, C=1.0, class_weight="balanced", vectors=vectors)
    document = to_document(vectorizer, classifier, 0.5, {}, vectors)
    assert [word for word, _ in document["meanings"]] == sorted(vocabulary)
    model = Model(json.loads(json.dumps(document)))

    from claims.text.training import _matrices

    expected = classifier.decision_function(_matrices(vectorizer, rows, vectors=vectors))
    for row, logit in zip(rows, expected, strict=True):
        assert model.logit(row.text, {}) == pytest.approx(logit, abs=1e-4)


def test_shipped_model_names_a_word_once_among_its_reasons():
    model = load()
    assert model.meanings, "the shipped model carries its word meanings"
    terms, _ = model.parts("Hillary Clinton gave Russia 20 percent of our uranium.", {})
    names = [name for name, _ in terms]
    assert len(names) == len(set(names))
    assert "uranium" in names


def package(tmp_path, words, vectors):
    """A tarball laid out like the npm package."""
    raw = json.dumps({"words": words, "vectors": vectors}).encode()
    path = tmp_path / "vectors.tgz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(embeddings.MEMBER)
        info.size = len(raw)
        archive.addfile(info, io.BytesIO(raw))
    return path


def test_loading_keeps_content_words_in_the_shapes_tokens_take(tmp_path):
    words = ["the", ",", "troops", "2021", "u.s.", "x", "n't", "'s", "billion", "of"]
    path = package(tmp_path, words, {w: [float(i)] * 101 for i, w in enumerate(words)})
    kept, matrix = embeddings.load(path)
    assert kept == ["troops", "n't", "'s", "billion"]
    assert matrix.shape == (4, embeddings.DIMENSIONS)
    assert matrix[0].tolist() == [2.0] * embeddings.DIMENSIONS


def test_a_file_that_is_not_the_package_is_refused(tmp_path):
    bogus = tmp_path / embeddings.PACKAGE
    bogus.write_bytes(b"not the vectors")
    with pytest.raises(embeddings.EmbeddingsError, match="sha512"):
        embeddings.fetch(bogus)
    with pytest.raises(embeddings.EmbeddingsError, match="not a word-vector package"):
        embeddings.load(bogus)


def test_training_command_says_why_the_vectors_cannot_be_read(tmp_path):
    from django.core.management import CommandError, call_command

    data = tmp_path / "data" / "ct24-english"
    data.mkdir(parents=True)
    (data / "CT24_checkworthy_english_train.tsv").write_text("Sentence_id\tText\tclass_label\n")
    bogus = tmp_path / "vectors.tgz"
    bogus.write_bytes(b"not the vectors")
    with pytest.raises(CommandError, match=r"^word vectors: .*sha512"):
        call_command(
            "train_checkworthiness",
            "--data",
            str(tmp_path / "data"),
            "--output",
            str(tmp_path / "model"),
            "--embeddings",
            str(bogus),
        )
    assert not (tmp_path / "model").exists()
