"""Capture services in this process: adding, one attempt, retries, leases, signals.

Pages come from the loopback `site`; the pipeline through a real worker is in
tests/test_capture_pipeline.py.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from sources.capture import capture_attempt
from sources.claiming import claim_source
from sources.models import Capture, Source
from sources.services import source_add, source_recapture

from .support.factories import make_source
from .support.httpserver import Reply
from .support.pages import ARTICLE, RUSSIAN_TEXT, russian_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capture_settings")]


@pytest.fixture
def attempt(django_capture_on_commit_callbacks):
    """Run one capture attempt and then its on-commit work (the signal)."""

    def run(source):
        with django_capture_on_commit_callbacks(execute=True):
            step = capture_attempt(source_pk=source.pk)
        source.refresh_from_db()
        return step

    return run


def test_adding_a_source_normalises_its_url_and_queues_it_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        source = source_add(url="HTTPS://Example.ORG:443/report#section")
        assert source_add(url="https://example.org/report") == source
    assert source.url == "https://example.org/report" and source.domain == "example.org"
    assert source.status == Source.Status.PENDING and source.lease_expires_at is not None
    assert len(callbacks) == 2  # queued once per add while it is still pending
    assert Source.objects.count() == 1


def test_a_source_already_captured_is_not_queued_again(django_capture_on_commit_callbacks):
    source = make_source(status=Source.Status.OK)
    with django_capture_on_commit_callbacks() as callbacks:
        assert source_add(url=source.url) == source
    assert callbacks == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://example.org/",
        "not a url",
        "https://user:pw@example.org/",
        "https://example.org/" + "a" * 2000,
    ],
)
def test_a_bad_url_is_refused_with_a_clear_error(url):
    with pytest.raises(ValidationError):
        source_add(url=url)
    assert not Source.objects.exists()


def test_an_article_is_captured_with_title_byline_date_text_and_archive(site, attempt, finished):
    url = site.add("article", Reply(ARTICLE))
    source = make_source(url=url)
    step = attempt(source)
    capture = step.capture
    assert (source.status, source.latest_capture, step.retry_in) == ("ok", capture, None)
    assert source.last_checked_at and source.lease_expires_at is None
    assert capture.outcome == "ok" and capture.origin == "fetched"
    assert (capture.http_status, capture.final_url) == (200, url)
    assert capture.content_type == "text/html; charset=utf-8"
    assert capture.title == "Air defence pact extended"
    assert capture.byline == "Jane Roe" and capture.site_name == "Example News"
    assert capture.published == datetime.date(2023, 12, 13) and capture.language == "en"
    assert "several thousand soldiers were deployed" in capture.text
    assert "Subscribe" not in capture.text and "track()" not in capture.text
    assert capture.size == len(ARTICLE.encode()) and len(capture.sha256) == 64
    with capture.archive.open("rb") as archive:
        record = next(iter(ArchiveIterator(archive)))
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == url
        assert record.content_stream().read() == ARTICLE.encode()
    assert finished == [
        {"capture": capture, "source": source, "content_changed": False, "vanished": False}
    ]


def test_the_signal_waits_for_the_commit(site, django_capture_on_commit_callbacks, finished):
    source = make_source(url=site.add("article", Reply(ARTICLE)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        capture_attempt(source_pk=source.pk)
    # The archive and the artefacts (the WACZ) move into place, then the signal.
    *publishes, signal = callbacks
    assert finished == [] and len(publishes) == 2
    assert all(getattr(callback, "__name__", "") == "publish" for callback in publishes)
    capture = Capture.objects.get(source=source)
    assert not capture.archive.storage.exists(capture.archive.name)
    for publish in publishes:
        publish()
    assert capture.archive.storage.exists(capture.archive.name) and finished == []
    signal()
    assert finished[0]["capture"].outcome == "ok"


@pytest.mark.parametrize("meta", [True, False])
def test_a_windows_1251_page_is_captured_as_cyrillic(meta, site, attempt):
    url = site.add("ru", Reply(russian_page(meta=meta), content_type="text/html"))
    capture = attempt(make_source(url=url)).capture
    assert capture.title == "Соглашение о ПВО" and RUSSIAN_TEXT in capture.text
    assert capture.encoding == "cp1251"


def test_a_utf8_page_without_charset_is_not_mojibake(site, attempt):
    page = "<html><head><title>Café à Minsk</title></head><body><p>Déjà vu – Минск</p></body>"
    url = site.add("utf8", Reply(page.encode(), content_type="text/html"))
    capture = attempt(make_source(url=url)).capture
    assert capture.title == "Café à Minsk" and "Déjà vu – Минск" in capture.text


def test_a_plain_text_and_a_pdf_source_are_kept(site, attempt):
    text = attempt(
        make_source(url=site.add("t.txt", Reply("Just text.", content_type="text/plain")))
    )
    pdf = attempt(
        make_source(url=site.add("d.pdf", Reply(b"%PDF-1.4 ...", content_type="application/pdf")))
    )
    assert (text.capture.outcome, text.capture.text) == ("ok", "Just text.")
    assert (pdf.capture.outcome, pdf.capture.content_type, pdf.capture.size) == (
        "ok",
        "application/pdf",
        12,
    )


def test_a_404_fails_at_once_without_retry(site, attempt, finished):
    url = site.add("gone", Reply("no", status=404))
    source = make_source(url=url)
    step = attempt(source)
    assert step.retry_in is None
    assert (source.status, source.attempts) == ("failed", 1)
    assert (step.capture.outcome, step.capture.error_code, step.capture.http_status) == (
        "failed",
        "http_404",
        404,
    )
    assert finished[0]["vanished"] is False  # we never had it
    assert len(site.hits(url)) == 1


def test_a_503_is_retried_with_backoff_until_the_attempts_run_out(site, attempt, settings):
    source = make_source(url=site.add("down", Reply(status=503)))
    delays = []
    for _ in range(settings.CAPTURE_MAX_ATTEMPTS):
        step = attempt(source)
        delays.append(step.retry_in)
    assert all(0 < delay <= settings.CAPTURE_RETRY_MAX for delay in delays[:-1])
    assert delays[-1] is None
    assert (source.status, source.attempts) == ("failed", settings.CAPTURE_MAX_ATTEMPTS)
    assert list(source.captures.values_list("error_code", flat=True)) == ["http_503"] * 3


def test_a_retry_waits_and_then_succeeds(site, attempt):
    source = make_source(url=site.add("flaky", Reply(status=503), Reply(ARTICLE)))
    first = attempt(source)
    assert first.retry_in and source.status == "pending"
    # The sweep leaves it alone while its retry is on the way.
    assert source.lease_expires_at > first.capture.finished_at
    second = attempt(source)
    assert second.capture.outcome == "ok" and source.status == "ok"
    assert source.captures.count() == 2


def test_429_retry_after_is_honoured(site, attempt, settings):
    settings.CAPTURE_RETRY_MAX = 30
    source = make_source(url=site.add("busy", Reply(status=429, headers={"Retry-After": "20"})))
    step = attempt(source)
    assert step.retry_in >= 20 and step.capture.error_code == "http_429"


def test_a_forbidden_address_is_recorded_as_refused(attempt, site):
    source = make_source(url="http://127.0.0.1:9/admin")  # loopback, but not the exempt port
    step = attempt(source)
    assert step.retry_in is None and source.status == "refused"
    assert (step.capture.outcome, step.capture.error_code) == ("refused", "address_forbidden")


def test_a_source_claimed_by_a_live_worker_is_left_alone(site, attempt):
    source = make_source(url=site.add("article", Reply(ARTICLE)))
    lease = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)
    Source.objects.filter(pk=source.pk).update(status="capturing", lease_expires_at=lease)
    assert attempt(source).claimed is False
    assert not Capture.objects.exists() and not site.hits(source.url)


def test_a_source_whose_worker_died_is_captured_once_on_redelivery(site, attempt):
    source = make_source(url=site.add("article", Reply(ARTICLE)))
    expired = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    Source.objects.filter(pk=source.pk).update(status="capturing", lease_expires_at=expired)
    assert attempt(source).capture.outcome == "ok"
    assert attempt(source).claimed is False  # the same message delivered once more
    assert source.captures.count() == 1


def test_recapture_queues_a_captured_source_but_not_one_being_captured(
    site, attempt, django_capture_on_commit_callbacks
):
    source = make_source(url=site.add("article", Reply(ARTICLE)))
    attempt(source)
    with django_capture_on_commit_callbacks() as callbacks:
        source = source_recapture(source=source)
    assert source.status == "pending" and len(callbacks) == 1
    capture_attempt(source_pk=source.pk)
    Source.objects.filter(pk=source.pk).update(status="capturing")  # as a worker holds it
    source.refresh_from_db()
    source.lease_expires_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=1)
    source.save()
    with django_capture_on_commit_callbacks() as callbacks:
        assert source_recapture(source=source).status == "capturing"
    assert callbacks == []


def test_a_storage_failure_sends_the_source_back_to_pending_with_its_attempt_given_back(
    site, attempt, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocker)
    source = make_source(url=site.add("article", Reply(ARTICLE)))
    step = attempt(source)
    assert (step.claimed, step.fault) == (True, "storage_error") and step.retry_in > 0
    assert (source.status, source.attempts, source.latest_capture) == ("pending", 0, None)
    assert source.lease_expires_at > datetime.datetime.now(datetime.UTC)  # backoff, then swept
    assert not Capture.objects.exists()  # our fault, not the page's: nothing is "failed"


def _at(seconds):
    return timezone.now() + datetime.timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "status, lease_in",
    [
        ("pending", None),
        ("pending", 60),
        ("capturing", -1),
        ("capturing", 60),
        ("capturing", None),
        ("ok", None),
        ("failed", -1),
        ("refused", None),
    ],
)
def test_the_claim_takes_exactly_what_claimable_offers_and_returns_the_row_it_wrote(
    status, lease_in
):
    lease = None if lease_in is None else _at(lease_in)
    source = make_source(status=status, lease_expires_at=lease, attempts=1)
    offered = Source.objects.claimable(timezone.now()).filter(pk=source.pk).exists()
    claimed = claim_source(source.pk)
    assert (claimed is not None) == offered
    source.refresh_from_db()
    if claimed is None:
        assert (source.status, source.lease_expires_at, source.attempts) == (status, lease, 1)
        return
    # The row as written: its lease is the token later conditional updates compare with.
    assert (claimed.status, claimed.attempts, claimed.url) == ("capturing", 2, source.url)
    assert claimed.lease_expires_at == source.lease_expires_at > timezone.now()
    assert (source.status, source.attempts) == ("capturing", 2)
    assert Source.objects.filter(pk=source.pk, lease_expires_at=claimed.lease_expires_at).exists()


def test_a_capture_nothing_cites_takes_five_statements_claim_and_receiver_included(
    site, django_capture_on_commit_callbacks
):
    source = make_source(url=site.add("article", Reply(ARTICLE)))
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert capture_attempt(source_pk=source.pk).capture.outcome == "ok"
    statements = [
        q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    # Claim and read the row; the Capture, its WACZ artefact, the Source settled (one
    # transaction); then the claims receiver asks once whether anything imports or cites it.
    assert len(statements) == 5, statements
    assert statements[0].startswith("UPDATE") and "RETURNING" in statements[0]
    assert statements[-1].startswith("SELECT EXISTS")
