"""Claims' phrases are found from an index of word pairs (claims 0016, PostgreSQL): it must
find exactly what checking every row's document finds, in any configuration."""

import random

import pytest
from django.db import connection

from claims.search import Filters, parse, search
from claims.search.backends import PostgresBackend

from .support.factories import make_article, make_claim

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index"),
]

# Few words, so that phrases of them are often present, often apart, often absent; with
# stop words, compounds, numbers, apostrophes and two scripts.
WORDS = [
    "the", "union", "state", "budget", "of", "in", "was", "covid-19", "41.2", "U.S.",
    "grain", "exports", "it's", "mil.by", "war", "Ukraine", "running", "runs", "fast",
    "войска", "России", "в", "Беларуси", "l'armée", "co-operation", "e-mail",
]  # fmt: skip
LANGUAGES = ["", "en", "ru", "fr"]


def claim_with(text, language):
    article = make_article(title="Article", body=f"Intro. {text} Outro.", language=language)
    return make_claim(article, quote=text, text=text)


def found(q, language=""):
    return {hit.pk for hit in search(q=q, filters=Filters(language=language), limit=500).hits}


def without_pairs(monkeypatch, q, language=""):
    with monkeypatch.context() as patch:
        patch.setattr(PostgresBackend, "_pairs", lambda self, query, filters: None)
        return found(q, language)


def test_a_phrase_found_by_its_pairs_is_what_the_documents_hold(monkeypatch):
    rng = random.Random(16)
    for _ in range(160):
        claim_with(" ".join(rng.choices(WORDS, k=rng.randint(3, 12))), rng.choice(LANGUAGES))
    queries = set()
    while len(queries) < 120:
        phrase = " ".join(rng.choices(WORDS, k=rng.randint(2, 3)))
        extra = rng.choice(["", " union", " -grain", ' OR "exports war"', " OR budget"])
        queries.add(f'"{phrase}"{extra}')
    queries |= {"covid-19", "mil.by", '"running fast"', '"the war in Ukraine"', '"it\'s"'}
    matched = 0
    for q in sorted(queries):
        for language in LANGUAGES:
            expected = without_pairs(monkeypatch, q, language)
            assert found(q, language) == expected, (q, language)
            matched += bool(expected)
    assert matched > 50  # the comparison is not between empty results


def test_the_pairs_follow_edits_of_the_claim(reviewer):
    claim = claim_with("The union state budget grew.", "en")
    assert found('"state budget"') == {claim.pk}
    claim.text = claim.quote = "Budget of the union state 28"  # the quote's length stays
    claim.save()
    assert found('"state budget"') == set()
    assert found('"budget of the union"') == {claim.pk}


def test_a_group_without_a_phrase_is_not_narrowed_by_pairs():
    backend = PostgresBackend()
    assert backend._pairs(parse('"union state" budget'), Filters()) is not None
    assert backend._pairs(parse('"union state" OR budget'), Filters()) is None
    assert backend._pairs(parse("union state"), Filters()) is None
    assert backend._pairs(parse('"the"'), Filters()) is None  # one word: no pair


def test_a_claim_phrase_is_read_from_the_pairs_index_not_from_its_words():
    from django.test.utils import CaptureQueriesContext

    claim_with("The union state budget grew.", "en")
    with CaptureQueriesContext(connection) as queries:
        found('"union state"')
    ranked = next(q["sql"] for q in queries.captured_queries if "ts_rank_cd" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: make it pick an index
        cursor.execute(f"EXPLAIN {ranked}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claims_search_claim_pairs" in plan
    assert "claims_search_claim_document" not in plan
