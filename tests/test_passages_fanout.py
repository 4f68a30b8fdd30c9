"""A capture cited by many claims: its text indexed once, every citing evidence row given
the passages the per-row path gives, in a bounded number of queries, with history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.services.evidence import evidence_suggest_passages, source_evidence_update

from .support.factories import (
    make_article,
    make_claim,
    make_evidence,
    make_finished_capture,
    make_source,
)
from .support.pages import SOURCE_PAGE

pytestmark = pytest.mark.django_db

# Claims of different kinds against SOURCE_PAGE: the passage is obvious, spread over two
# sentences, shares only frequent words, or shares no word at all.
CLAIMS = [
    "In 2009, Moscow and Minsk signed an air defense agreement.",
    "In 2022, several thousand soldiers were deployed in Belarus.",
    "A 2017 protocol changed the command of the regional system.",
    "Both parliaments ratified the agreement before it entered into force.",
    "Belarus and Russia hold the Union Shield exercises.",
    "The Union State holds joint exercises regularly.",
    "Pancakes were served at the summit.",
]
REASON = "capture_finished: capture 1"


def citing_evidence(source, copies=1):
    """Evidence on source from len(CLAIMS) * copies claims (copies: articles of the same
    sentences, so that claims repeat as they do across a desk's articles)."""
    rows = []
    for _ in range(copies):
        article = make_article(body=" ".join(CLAIMS))
        rows += [make_evidence(make_claim(article, quote=quote), source) for quote in CLAIMS]
    return rows


def test_every_citing_evidence_gets_the_passages_the_per_row_path_gives():
    source = make_source()
    rows = citing_evidence(source, copies=2)
    capture = make_finished_capture(source, text=SOURCE_PAGE)
    written = source_evidence_update(
        source=source, capture=capture, content_changed=True, reason=REASON, chunk=4
    )
    assert len(written) == len(rows) - 2  # the pancakes share no word: nothing to write
    for evidence in rows:
        evidence.refresh_from_db()
        fanned_out = evidence.suggested_passages
        per_row = evidence_suggest_passages(evidence=evidence, capture=capture, reason="again")
        assert fanned_out == per_row.suggested_passages
    by_claim = {e.claim.quote: e.suggested_passages for e in rows}
    assert by_claim[CLAIMS[0]][0]["text"].startswith("On 3 February 2009 in Moscow")
    assert by_claim[CLAIMS[1]][0]["text"].startswith("In 2022 several thousand soldiers")
    assert all(p["capture"] == capture.pk for p in by_claim[CLAIMS[0]])
    assert by_claim[CLAIMS[-1]] == []


def test_the_fan_out_costs_the_same_queries_for_seven_citing_rows_as_for_seventy():
    def queries(copies):
        source = make_source(url=f"https://example.org/cited-{copies}")
        citing_evidence(source, copies=copies)
        capture = make_finished_capture(source, text=SOURCE_PAGE)
        with CaptureQueriesContext(connection) as run:
            written = source_evidence_update(
                source=source, capture=capture, content_changed=True, reason=REASON
            )
        assert len(written) == (len(CLAIMS) - 1) * copies
        return len(run.captured_queries)

    # Ids, then one chunk: lock and read, one UPDATE, one INSERT of history (+ savepoint).
    assert queries(1) == queries(10) <= 6


def test_chunks_bound_the_queries_of_a_source_cited_many_times():
    source = make_source()
    rows = citing_evidence(source, copies=3)
    capture = make_finished_capture(source, text=SOURCE_PAGE)
    with CaptureQueriesContext(connection) as run:
        source_evidence_update(
            source=source, capture=capture, content_changed=True, reason=REASON, chunk=7
        )
    chunks = -(-len(rows) // 7)
    assert len(run.captured_queries) <= 1 + 5 * chunks


def test_each_written_row_has_its_history_with_the_reason_and_no_user():
    source = make_source()
    rows = citing_evidence(source)
    capture = make_finished_capture(source, text=SOURCE_PAGE)
    before = {e.pk: e.history.count() for e in rows}
    source_evidence_update(source=source, capture=capture, content_changed=True, reason=REASON)
    for evidence in rows:
        evidence.refresh_from_db()
        if not evidence.suggested_passages:
            assert evidence.history.count() == before[evidence.pk]
            continue
        assert evidence.history.count() == before[evidence.pk] + 1
        record = evidence.history.first()
        assert (record.history_type, record.history_user) == ("~", None)
        assert record.history_change_reason == REASON
        assert record.suggested_passages == evidence.suggested_passages
        assert (record.stance, record.note) == (evidence.stance, evidence.note)


def test_a_recheck_writes_nothing_for_claims_that_still_match_nothing():
    source = make_source()
    citing_evidence(source)
    first = make_finished_capture(source, text=SOURCE_PAGE)
    source_evidence_update(source=source, capture=first, content_changed=True, reason=REASON)
    again = make_finished_capture(source, text=SOURCE_PAGE)
    assert (
        source_evidence_update(
            source=source, capture=again, content_changed=False, reason="recheck"
        )
        == []
    )
