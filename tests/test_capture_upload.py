"""A reviewer's copy of a page we cannot fetch (a paywall, a login wall)."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from warcio.archiveiterator import ArchiveIterator

from sources.engines.pdf import SHOT_WIDTH
from sources.models import Artefact, Capture
from sources.services import capture_upload

from .support.factories import make_source
from .support.pages import ARTICLE
from .support.png import read_png

pytestmark = pytest.mark.django_db


def upload(name, data, user, source=None):
    source = source or make_source(url="https://paywalled.example/story", status="failed")
    return capture_upload(source=source, uploaded_file=SimpleUploadedFile(name, data), user=user)


def test_a_reviewer_uploads_an_html_copy_of_a_paywalled_page(
    reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        capture = upload("story.html", ARTICLE.encode(), reviewer)
    source = capture.source
    source.refresh_from_db()
    assert (capture.origin, capture.uploaded_by, capture.outcome) == ("uploaded", reviewer, "ok")
    assert capture.title == "Air defence pact extended"
    assert "several thousand soldiers" in capture.text and capture.content_type == "text/html"
    assert (source.status, source.latest_capture) == ("ok", capture)
    assert len(callbacks) == 2  # the archive moves into place, then capture_finished
    with capture.archive.open("rb") as archive:
        record = next(iter(ArchiveIterator(archive)))
    assert record.rec_type == "resource"
    assert record.rec_headers.get_header("WARC-Target-URI") == source.url
    assert "rita" in record.rec_headers.get_header("WARC-Description")


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("report.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("notes.txt", "Plain notes, Минск.".encode(), "text/plain"),
        ("saved", b"<!DOCTYPE html><html><body><p>Saved page</p></body></html>", "text/html"),
    ],
)
def test_pdf_text_and_html_copies_are_accepted(name, data, content_type, reviewer):
    capture = upload(name, data, reviewer)
    assert (capture.content_type, capture.size) == (content_type, len(data))


@pytest.mark.parametrize(
    "name, data",
    [
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("empty.html", b""),
        ("big.txt", b"x" * 2048),
    ],
)
def test_binary_empty_or_oversized_uploads_are_refused(name, data, reviewer, settings):
    settings.FETCH_MAX_BYTES = 1024
    with pytest.raises(ValidationError):
        upload(name, data, reviewer)
    assert not Capture.objects.exists()


def test_an_uploaded_pdf_gets_its_first_page_as_screenshot_like_a_fetched_one(
    reviewer, django_capture_on_commit_callbacks
):
    report = (Path(__file__).parent / "fixtures" / "pdf" / "report-two-pages.pdf").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        capture = upload("report.pdf", report, reviewer)
    shot = Artefact.objects.get(capture=capture, kind="screenshot")
    with shot.file.open("rb") as handle:
        data = handle.read()
    assert (shot.content_type, shot.size) == ("image/png", len(data))
    assert shot.sha256 == hashlib.sha256(data).hexdigest()
    png = read_png(data)
    assert png.width == SHOT_WIDTH and png.dark_fraction(top=150) > 0.02
    # The capture's content is the PDF, not its picture.
    assert capture.sha256 == hashlib.sha256(report).hexdigest() and capture.page_count == 2


def test_an_uploaded_pdf_that_cannot_be_read_is_recorded_without_a_screenshot(reviewer):
    capture = upload("report.pdf", b"%PDF-1.7\n...", reviewer)
    assert capture.error_code == "pdf_unreadable"
    assert not Artefact.objects.filter(capture=capture).exists()
