"""Export formats: content, escaping, filters, and a query count that ignores the size."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.exports import FORMATS, ExportFilter, export_chunks, records
from claims.exports.writers import BOM, CLAIM_COLUMNS
from claims.models import ClaimSet

from .support.factories import (
    make_article,
    make_capture,
    make_claim,
    make_evidence,
    make_source,
    make_verdict,
    make_verified,
    rating,
)

# Cyrillic, commas, quotes, a newline and a leading "=" (a spreadsheet formula).
TRICKY = '=HYPERLINK("http://evil.example/","Минск, 13 декабря")\nsaid "yes", twice'
TRICKY_PASSAGE = '-2+3 «Союзное государство», "quoted"\nnext line'


def export_text(fmt, export_filter=None, **kwargs):
    return "".join(export_chunks(fmt, export_filter or ExportFilter(**kwargs)))


def claimreview_items(text):
    document = json.loads(text)
    assert document["@context"] == "https://schema.org"
    return document["@graph"]


@pytest.fixture
def tricky(db, reviewer, editor):
    """A verified claim whose text, article and evidence hold every awkward character."""
    article = make_article(
        title="Статья, с «кавычками»",
        url="https://news.example/статья",
        publisher="Пресса, Inc.",
        byline="Иван Петров",
        published=datetime.date(2023, 12, 13),
        body="Intro. " + TRICKY + " Outro.",
    )
    claim = make_claim(article, quote=TRICKY, text=TRICKY, attributed_to="Пресса, Inc.")
    source = make_source("https://source.example/doc?id=1")
    capture = make_capture(source, sha256="cd" * 32, archive="archives/doc.warc.gz")
    make_evidence(claim, source, stance="contradicts", passage=TRICKY_PASSAGE, capture=capture)
    make_evidence(claim, make_source("https://other.example/"), stance="context")
    make_verified(claim, reviewer, editor, label="Mostly false", rationale="=1+1, «нет»")
    return claim


def _claim_texts(fmt, text):
    """The claim texts as a consumer of each format reads them back."""
    if fmt == "csv":
        return [row["claim"] for row in csv.DictReader(io.StringIO(text[len(BOM) :], newline=""))]
    if fmt == "jsonl":
        return [json.loads(line)["claim"] for line in text.splitlines()]
    if fmt == "json":
        return [claim["claim"] for claim in json.loads(text)["claims"]]
    return [item["claimReviewed"] for item in claimreview_items(text)]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_carries_awkward_text_of_a_set_intact(tricky, fmt):
    claim_set = ClaimSet.objects.create(name="Набор, «один»", slug="tricky")
    claim_set.claims.add(tricky)
    text = export_text(fmt, claim_set=claim_set)
    expected = "'" + TRICKY if fmt == "csv" else TRICKY  # CSV shows the formula as text
    assert _claim_texts(fmt, text) == [expected]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_an_empty_set_gives_a_valid_empty_file(db, fmt):
    text = export_text(fmt, claim_set=ClaimSet.objects.create(name="Empty", slug="empty"))
    assert _claim_texts(fmt, text) == []
    if fmt == "csv":
        assert text == BOM + ",".join(CLAIM_COLUMNS) + "\r\n"
    if fmt == "json":
        assert json.loads(text)["count"] == 0


def test_csv_opens_in_a_spreadsheet_and_neutralises_formulas(tricky):
    text = export_text("csv")
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[len(BOM) :], newline="")))
    assert len(rows) == 1
    row = rows[0]
    assert row["claim"] == "'" + TRICKY  # shown as text, newline and quotes intact
    assert row["quote"] == "'" + TRICKY
    assert row["rationale"] == "'=1+1, «нет»"
    assert row["article_title"] == "Статья, с «кавычками»"
    assert row["publisher"] == "Пресса, Inc."
    assert row["rating"] == "Mostly false" and row["rating_value"] == "2"
    assert row["status"] == "verified"
    assert row["evidence_count"] == "2"
    assert row["evidence_1_passage"] == "'" + TRICKY_PASSAGE
    assert row["evidence_1_stance"] == "contradicts"
    assert row["evidence_1_sha256"] == "cd" * 32
    capture_id = tricky.evidence.first().capture_id
    assert row["evidence_1_archive_url"].endswith(f"/api/captures/{capture_id}/archive")
    assert row["evidence_2_source_url"] == "https://other.example/"
    assert row["evidence_2_captured_at"] == "" and row["evidence_2_archive_url"] == ""
    assert row["claim_url"] == f"http://127.0.0.1:8000/claims/{tricky.pk}/"


def test_csv_pads_every_row_to_the_widest_claim(tricky, reviewer, editor):
    other = make_claim(tricky.article, quote=TRICKY, text="Plain claim")
    make_verified(other, reviewer, editor)
    lines = list(csv.reader(io.StringIO(export_text("csv")[len(BOM) :], newline="")))
    assert {len(line) for line in lines} == {len(lines[0])}
    assert lines[0][-6:] == [
        "evidence_2_source_url",
        "evidence_2_stance",
        "evidence_2_passage",
        "evidence_2_captured_at",
        "evidence_2_sha256",
        "evidence_2_archive_url",
    ]


def test_json_nests_claim_article_verdict_and_evidence_with_provenance(tricky, editor):
    document = json.loads(export_text("json"))
    assert document["count"] == 1
    assert document["export"]["filters"]["include_unverified"] is False
    assert document["export"]["site"] == "http://127.0.0.1:8000"
    (claim,) = document["claims"]
    assert claim["claim"] == TRICKY
    assert claim["article"]["title"] == "Статья, с «кавычками»"
    assert claim["article"]["published"] == "2023-12-13"
    assert claim["verdict"]["rating"] == "Mostly false"
    assert claim["verdict"]["approver"] == {"username": editor.username, "name": "ed"}
    assert claim["verdict"]["author"]["username"] == "rita"
    first, second = claim["evidence"]
    assert first["source_url"] == "https://source.example/doc?id=1"
    assert first["stance"] == "contradicts"
    assert first["passage"] == TRICKY_PASSAGE
    assert first["capture"]["sha256"] == "cd" * 32
    capture = tricky.evidence.first().capture
    assert datetime.datetime.fromisoformat(first["capture"]["captured_at"]) == capture.finished_at
    approved_at = datetime.datetime.fromisoformat(claim["verdict"]["approved_at"])
    assert approved_at == tricky.verdicts.get().decided_at
    assert claim["verdict"]["approved_at"].endswith("+00:00")
    assert first["capture"]["archive_url"].startswith("http://127.0.0.1:8000/api/captures/")
    assert second["capture"] is None


def test_json_lines_has_one_claim_per_line(tricky, reviewer, editor):
    make_verified(make_claim(tricky.article, quote=TRICKY, text="Второй"), reviewer, editor)
    lines = export_text("jsonl").splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["claim"] for line in lines] == [TRICKY, "Второй"]


def test_claimreview_has_every_field(tricky, settings):
    settings.CLAIMREVIEW_PUBLISHER = {"name": "Desk Checks", "url": "https://desk.example/"}
    (item,) = claimreview_items(export_text("claimreview"))
    assert item["@type"] == "ClaimReview"
    assert item["claimReviewed"] == TRICKY
    assert item["url"] == f"http://127.0.0.1:8000/claims/{tricky.pk}/"
    assert item["datePublished"] == timezone.now().date().isoformat()  # UTC
    # The publishing organisation, not the reviewer (schema.org/Google: the fact-checker).
    assert item["author"] == {
        "@type": "Organization",
        "name": "Desk Checks",
        "url": "https://desk.example/",
    }
    assert "editor" not in item
    assert item["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly false",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    claim = item["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Organization", "name": "Пресса, Inc."}
    assert claim["appearance"] == {
        "@type": "Article",
        "url": "https://news.example/статья",
        "headline": "Статья, с «кавычками»",
        "publisher": {"@type": "Organization", "name": "Пресса, Inc."},
        "datePublished": "2023-12-13",
        "author": {"name": "Иван Петров"},  # a byline does not say person or organisation
    }
    assert [c["url"] for c in item["citation"]] == [
        "https://source.example/doc?id=1",
        "https://other.example/",
    ]


def test_claimreview_rating_without_a_value_has_only_its_label(tricky, reviewer, editor):
    claim = make_claim(tricky.article, quote=TRICKY, text="Cannot tell")
    make_verified(claim, reviewer, editor, label="Unverifiable")
    items = {i["claimReviewed"]: i for i in claimreview_items(export_text("claimreview"))}
    assert items["Cannot tell"]["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Unverifiable",
    }


def test_imported_review_keeps_its_published_url(tricky):
    verdict = tricky.verdicts.get()
    verdict.review_url = "https://factcheck.example/review/1"
    verdict.save()
    (item,) = claimreview_items(export_text("claimreview"))
    assert item["url"] == "https://factcheck.example/review/1"


@pytest.fixture
def claims_in_every_state(db, reviewer, editor):
    article = make_article()
    states = {}
    for status in ["unreviewed", "in_review", "awaiting_approval", "verified", "dismissed"]:
        reason = "not a claim" if status == "dismissed" else ""
        states[status] = make_claim(
            article, text=f"claim {status}", status=status, dismissed_reason=reason
        )
    make_verdict(states["awaiting_approval"], reviewer)  # proposed: not exported as verdict
    make_verified(states["verified"], reviewer, editor)
    return states


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "claimreview"])
def test_only_verified_claims_by_default(claims_in_every_state, fmt):
    text = export_text(fmt)
    assert "claim verified" in text
    for status in ["unreviewed", "in_review", "awaiting_approval", "dismissed"]:
        assert f"claim {status}" not in text


def test_all_includes_the_rest_with_their_status(claims_in_every_state):
    lines = export_text("jsonl", include_unverified=True).splitlines()
    found = {json.loads(line)["claim"]: json.loads(line) for line in lines}
    assert {c["status"] for c in found.values()} == set(claims_in_every_state)
    assert found["claim awaiting_approval"]["verdict"] is None  # a proposal is not a verdict
    assert found["claim verified"]["verdict"]["rating"] == "False"


def test_claimreview_never_holds_unverified_claims(claims_in_every_state):
    items = claimreview_items(export_text("claimreview", include_unverified=True))
    assert [i["claimReviewed"] for i in items] == ["claim verified"]


def test_filters_by_set_article_rating_and_date(db, reviewer, editor):
    first, second = make_article(title="First"), make_article(title="Second")
    day = datetime.datetime(2024, 3, 10, 12, tzinfo=datetime.UTC)
    claims = {}
    for name, article, label, days in [
        ("a", first, "False", 0),
        ("b", first, "True", 1),
        ("c", second, "False", 2),
    ]:
        claims[name] = make_claim(article, text=name)
        make_verified(
            claims[name], reviewer, editor, label=label, decided_at=day + datetime.timedelta(days)
        )
    claim_set = ClaimSet.objects.create(name="Set", slug="set")
    claim_set.claims.add(claims["a"], claims["c"])

    def exported(**kwargs):
        return [json.loads(line)["claim"] for line in export_text("jsonl", **kwargs).splitlines()]

    assert exported() == ["a", "b", "c"]
    assert exported(claim_set=claim_set) == ["a", "c"]
    assert exported(article=second) == ["c"]
    assert exported(ratings=(rating("True"),)) == ["b"]
    assert exported(ratings=(rating("True"), rating("False"))) == ["a", "b", "c"]
    assert exported(date_from=datetime.date(2024, 3, 11)) == ["b", "c"]
    assert exported(date_to=datetime.date(2024, 3, 11)) == ["a", "b"]
    assert exported(date_from=datetime.date(2024, 3, 11), date_to=datetime.date(2024, 3, 11)) == [
        "b"
    ]


def _make_verified_claims(article, count, reviewer, editor):
    for i in range(count):
        claim = make_claim(article, text=f"claim {i}")
        for j in range(3):
            source = make_source(f"https://s{j}.example/{claim.pk}")
            make_evidence(claim, source, capture=make_capture(source))
        make_verified(claim, reviewer, editor)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_query_count_does_not_depend_on_the_number_of_claims(
    fmt, db, reviewer, editor, monkeypatch, django_assert_max_num_queries
):
    # Small chunks, so claims and their evidence rows straddle chunk boundaries.
    monkeypatch.setattr(records, "CHUNK_SIZE", 7)
    article = make_article()
    claim_set = ClaimSet.objects.create(name="Set", slug="set")

    def count_queries():
        claim_set.claims.set(article.claims.all())
        with CaptureQueriesContext(connection) as queries:
            text = export_text(fmt, claim_set=claim_set, include_unverified=fmt != "claimreview")
        return len(queries), text

    _make_verified_claims(article, 10, reviewer, editor)
    few, _ = count_queries()
    _make_verified_claims(article, 40, reviewer, editor)
    many, text = count_queries()
    assert few == many
    # ClaimReview reads one more: the reviews imported on those claims.
    with django_assert_max_num_queries(4 if fmt == "claimreview" else 3):
        export_text(fmt, claim_set=claim_set)
    assert text.count("claim ") >= 50  # every claim was written despite the small chunks
    if fmt == "jsonl":
        evidence = [len(json.loads(line)["evidence"]) for line in text.splitlines()]
        assert evidence == [3] * 50
