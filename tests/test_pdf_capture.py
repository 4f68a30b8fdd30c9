"""A PDF report captured: its text page by page, its first page as the screenshot, and the
flags of a PDF without text or one that cannot be read (sources/engines/pdf.py)."""

import hashlib
import math
from pathlib import Path

import pytest
from django.urls import reverse
from warcio.archiveiterator import ArchiveIterator

from sources.engines.pdf import SHOT_MAX_HEIGHT, SHOT_WIDTH
from sources.models import Artefact, Capture

from .support.commands import run_capture_command
from .support.httpserver import Reply
from .support.pdfs import small_pdf
from .support.png import read_png
from .support.web import client_for, page_text

pytestmark = pytest.mark.django_db
PDFS = Path(__file__).parent / "fixtures" / "pdf"
REPORT = (PDFS / "report-two-pages.pdf").read_bytes()
SCAN = (PDFS / "scan-no-text-layer.pdf").read_bytes()


def capture_pdf(site, name, data, *args):
    url = site.add(name, Reply(data, content_type="application/pdf"))
    rows, error = run_capture_command(url, "--sync", "--json", *args)
    assert error is None, error  # whatever the PDF, it is archived: not a failed fetch
    return rows[0], Capture.objects.get(pk=rows[0]["capture"])


def screenshot_of(capture):
    """The screenshot artefact and its stored bytes, checked against its sha256 and size."""
    shot = Artefact.objects.get(capture=capture, kind="screenshot")
    with shot.file.open("rb") as handle:
        data = handle.read()
    assert shot.content_type == "image/png" and shot.size == len(data)
    assert shot.sha256 == hashlib.sha256(data).hexdigest()
    return shot, read_png(data)


@pytest.mark.parametrize("engine", ["http", "browser"])
def test_a_pdf_report_gets_its_text_page_count_and_its_first_page_as_screenshot(
    site, capture_settings, engine
):
    row, got = capture_pdf(site, "report.pdf", REPORT, "--with-text", "--engine", engine)
    assert row["outcome"] == "ok" and row["pages"] == 2 and row["error_code"] == ""
    assert row["engine"] == "http"  # a PDF is never rendered by the browser
    assert "joint regional air defence system" in row["text"]
    assert got.page_of(row["text"].index("joint regional")) == 1
    assert got.page_of(row["text"].index("42 exercises")) == 2
    assert Artefact.objects.filter(capture=got, kind="wacz").exists()
    shot, png = screenshot_of(got)
    assert row["screenshot"] == shot.sha256
    # An A4 page at the screenshot width; its heading and first paragraph are drawn (dark
    # pixels at the top), the rest of the page is white paper.
    assert (png.width, png.height) == (SHOT_WIDTH, math.ceil(SHOT_WIDTH * 842.88 / 595.92))
    assert png.dark_fraction(top=150) > 0.02 and png.dark_fraction() < 0.02
    # Only the document counts as the capture's content: sha256 is the PDF's.
    assert got.sha256 == hashlib.sha256(REPORT).hexdigest()


def test_a_pdf_without_a_text_layer_is_archived_flagged_and_still_pictured(site, capture_settings):
    row, got = capture_pdf(site, "scan.pdf", SCAN)
    assert row["outcome"] == "ok" and row["error_code"] == "no_text_layer" and row["pages"] == 1
    assert got.archive
    # The scan's picture is all a reviewer can see of it: the screenshot shows the text.
    shot, png = screenshot_of(got)
    assert row["screenshot"] == shot.sha256 and png.dark_fraction(top=200) > 0.005


def test_a_truncated_pdf_is_archived_and_flagged_unreadable_without_a_screenshot(
    site, capture_settings
):
    data = REPORT[: len(REPORT) // 2]
    row, got = capture_pdf(site, "cut.pdf", data)
    assert row["outcome"] == "ok" and row["error_code"] == "pdf_unreadable"
    assert row["text_chars"] == 0 and row["screenshot"] is None
    with got.archive.open("rb") as handle:
        payloads = [r.content_stream().read() for r in ArchiveIterator(handle)]
    assert payloads == [data]


def test_a_first_page_that_cannot_be_drawn_leaves_the_capture_without_a_screenshot(
    site, capture_settings
):
    data = small_pdf("Forty two exercises were held in the year.", broken_first_page=True)
    row, got = capture_pdf(site, "half-broken.pdf", data, "--with-text")
    assert row["outcome"] == "ok" and row["pages"] == 2 and row["screenshot"] is None
    assert "Forty two exercises" in row["text"]
    assert "1 of 2 pages could not be read" in got.error_message
    assert not Artefact.objects.filter(capture=got, kind="screenshot").exists()


@pytest.mark.parametrize(
    "width, height, drawn",
    [
        (14400, 14400, (SHOT_WIDTH, SHOT_WIDTH)),  # the largest page PDF allows: scaled down
        (200, 14400, (36, SHOT_MAX_HEIGHT)),  # a long strip: as tall as allowed, narrow
        (842, 595, (SHOT_WIDTH, 905)),  # landscape
        (3, 3, (SHOT_WIDTH, SHOT_WIDTH)),  # a tiny page is drawn large, within the cap
    ],
)
def test_a_pdf_page_of_any_size_is_drawn_within_the_screenshot_size_cap(
    site, capture_settings, width, height, drawn
):
    data = small_pdf("Quarterly figures", width=width, height=height)
    _, got = capture_pdf(site, f"page-{width}x{height}.pdf", data)
    _, png = screenshot_of(got)
    assert (png.width, png.height) == drawn


def test_the_source_page_shows_the_first_page_of_a_pdf(site, capture_settings, reviewer):
    _, got = capture_pdf(site, "shown.pdf", REPORT)
    client = client_for(reviewer)
    url = reverse("claims:source_detail", args=[got.source_id])
    picture = reverse("claims:capture_artefact", args=[got.pk, "screenshot"])
    text_tab = page_text(client.get(url))
    # No separate first-screen picture for a PDF: the thumbnail is the page itself.
    assert f'id="capture-thumbnail" class="capture-thumb" src="{picture}"' in text_tab
    shot_tab = page_text(client.get(url, {"tab": "screenshot"}))
    assert f'<img id="capture-screenshot" src="{picture}"' in shot_tab
    assert "First page of the PDF" in shot_tab
    response = client.get(picture)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    body = b"".join(response.streaming_content)
    assert read_png(body).width == SHOT_WIDTH
