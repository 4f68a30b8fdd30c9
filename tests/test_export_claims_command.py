"""export_claims and the demo data it is tried on first."""

import csv
import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.demo.reviews import SOURCES_DIR
from claims.exports.files import write_atomically
from claims.models import Claim, ClaimSet, Evidence, Verdict
from sources.models import Capture

DEMO_SET = "demo-russia-belarus"
DEMO_SOURCES = SOURCES_DIR


@pytest.fixture
def demo(defaults):
    call_command("load_demo", stdout=io.StringIO())
    return ClaimSet.objects.get(slug=DEMO_SET)


def export(*args):
    out = io.StringIO()
    call_command("export_claims", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_demo_has_sources_evidence_and_two_verified_claims(demo):
    assert demo.claims.count() == 4
    assert demo.claims.verified().count() == 2
    assert demo.claims.awaiting_approval().count() == 1
    for evidence in Evidence.objects.filter(claim__status="verified"):
        capture = evidence.capture
        assert capture.origin == Capture.Origin.UPLOADED
        assert evidence.passage in capture.text
        bundled = (DEMO_SOURCES / f"{capture.source.url.rsplit('/', 1)[1]}.txt").read_bytes()
        assert capture.sha256 == hashlib.sha256(bundled).hexdigest()
        assert capture.archive  # the uploaded copy, archived as a WARC record
    for verdict in Verdict.objects.approved():
        assert verdict.approver != verdict.author


def test_load_demo_twice_duplicates_nothing(demo):
    counts = (Claim.objects.count(), Evidence.objects.count(), Verdict.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Claim.objects.count(), Evidence.objects.count(), Verdict.objects.count()) == counts
    assert Capture.objects.count() == 3


def test_every_format_exports_the_demo_set(demo):
    graph = json.loads(export("--set", DEMO_SET, "--format", "claimreview"))["@graph"]
    assert len(graph) == 2
    document = json.loads(export("--set", DEMO_SET, "--format", "json"))
    assert document["count"] == 2
    assert all(c["evidence"][0]["capture"]["archive_url"] for c in document["claims"])
    assert len(export("--set", DEMO_SET, "--format", "jsonl").splitlines()) == 2
    rows = list(csv.DictReader(io.StringIO(export("--set", DEMO_SET, "--format", "csv")[1:])))
    assert {r["rating"] for r in rows} == {"True"}


def test_all_adds_the_claims_in_progress_with_their_status(demo):
    lines = export("--set", DEMO_SET, "--format", "jsonl", "--all").splitlines()
    assert sorted(json.loads(line)["status"] for line in lines) == [
        "awaiting_approval",
        "unreviewed",
        "verified",
        "verified",
    ]


def test_filters_by_rating_and_article(demo):
    article = demo.claims.first().article_id
    assert export("--rating", "False", "--format", "jsonl") == ""
    assert len(export("--article", str(article), "--format", "jsonl").splitlines()) == 2


def test_writes_a_file_in_one_piece(demo, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "claims.csv"
    call_command("export_claims", "--format", "csv", "-o", str(target), stderr=io.StringIO())
    assert target.read_bytes().startswith("\ufeffclaim_id".encode())
    assert [p.name for p in target.parent.iterdir()] == ["claims.csv"]  # no temporary left


def test_export_failing_part_way_leaves_the_existing_file_untouched(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("previous export")

    def failing_chunks():
        yield '{"claims": ['
        raise OSError("database connection lost")

    with pytest.raises(OSError):
        write_atomically(target, failing_chunks())
    assert target.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--set", "nope"], "No claim set"),
        (["--format", "claimreview", "--all"], "ClaimReview"),
        (["--rating", "Nonsense"], "rating"),
        (["--since", "2024-02-30"], "since"),
        (["--since", "2024-03-02", "--until", "2024-03-01"], "after"),
        (["--article", "999999"], "article"),
        (["-o", "/nonexistent-dir/out.json"], "No such directory"),
    ],
)
def test_bad_options_are_clear_errors(defaults, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_claims", *args, stdout=io.StringIO())
