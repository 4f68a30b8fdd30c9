"""The source page: captures over time, escaped text, archive download, diff of two captures."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sources.models import Capture

from .support.factories import make_claim, make_evidence, make_source
from .support.web import client_for, enqueued, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def capture(source, minutes_ago, **fields):
    fields.setdefault("outcome", Capture.Outcome.OK)
    fields.setdefault("http_status", 200)
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    made = Capture.objects.create(source=source, requested_at=at, finished_at=at, **fields)
    if made.outcome == Capture.Outcome.OK:
        source.latest_capture = made
        source.status = "ok"
        source.save()
    return made


def test_source_page_lists_captures_with_outcome_status_size_and_sha256(reviewer):
    source = make_source()
    capture(source, 30, size=2048, sha256="ab" * 32, text="Old text.")
    capture(
        source,
        20,
        outcome=Capture.Outcome.FAILED,
        http_status=503,
        error_code="http_5xx",
        error_message="The server answered 503 Service Unavailable.",
    )
    capture(source, 10, size=4096, sha256="cd" * 32, text="New text.")
    response = client_for(reviewer).get(reverse("claims:source_detail", args=[source.pk]))
    html = page_text(response)
    assert [c.requested_at for c in response.context["captures"]] == sorted(
        (c.requested_at for c in response.context["captures"]), reverse=True
    )
    assert "2.0\xa0KB" in html and "4.0\xa0KB" in html
    assert "http_5xx: The server answered 503 Service Unavailable." in html
    # The whole sha256 is on the page (to cite it), with a button that copies it.
    assert '">' + "cd" * 32 + "</code>" in html and "data-copy=" in html
    assert response.context["shown"].text == "New text."


def test_captured_text_and_title_are_shown_escaped(reviewer):
    source = make_source()
    capture(
        source,
        5,
        title="<img src=x onerror=alert(1)>Report",
        text="Before <script>alert('owned')</script> after <a href='javascript:x'>link</a>",
    )
    html = page_text(client_for(reviewer).get(reverse("claims:source_detail", args=[source.pk])))
    assert "<script>alert" not in html and "<img src=x" not in html and "<a href='javas" not in html
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;Report" in html


def test_an_older_capture_can_be_opened(reviewer):
    source = make_source()
    old = capture(source, 30, text="Old text.")
    capture(source, 10, text="New text.")
    response = client_for(reviewer).get(
        reverse("claims:source_detail", args=[source.pk]), {"capture": old.pk}
    )
    assert response.context["shown"] == old


def test_archive_downloads_as_an_attachment_never_inline(reviewer):
    source = make_source()
    made = capture(source, 5)
    made.archive.save("page.warc.gz", ContentFile(b"WARC/1.1\r\n<html><script>x</script>"))
    response = client_for(reviewer).get(reverse("claims:capture_download", args=[made.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/warc"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"WARC/1.1")


def test_a_capture_without_an_archive_is_404(reviewer):
    made = capture(make_source(), 5)
    assert (
        client_for(reviewer).get(reverse("claims:capture_download", args=[made.pk])).status_code
        == 404
    )


def test_diff_between_two_captures_shows_removed_and_added_lines(reviewer):
    source = make_source()
    old = capture(source, 30, text="The treaty was signed in 2009. Troops <b>arrived</b>.")
    new = capture(source, 10, text="The treaty was signed in 2010. Troops <b>arrived</b>.")
    response = client_for(reviewer).get(
        reverse("claims:source_detail", args=[source.pk]), {"a": new.pk, "b": old.pk}
    )
    diff = response.context["diff"]
    assert (diff["old"], diff["new"]) == (old, new)  # ordered by time, whichever was first
    html = page_text(response)
    assert "<del>− The treaty was signed in 2009.</del>" in html
    assert "<ins>+ The treaty was signed in 2010.</ins>" in html
    assert "Troops &lt;b&gt;arrived&lt;/b&gt;." in html


def test_diff_of_identical_texts_says_so(reviewer):
    source = make_source()
    a = capture(source, 30, text="Same.")
    b = capture(source, 10, text="Same.")
    html = page_text(
        client_for(reviewer).get(
            reverse("claims:source_detail", args=[source.pk]), {"a": a.pk, "b": b.pk}
        )
    )
    assert "The two texts are the same." in html


def test_source_page_lists_the_claims_that_use_it(reviewer):
    claim = make_claim()
    evidence = make_evidence(claim)
    html = page_text(
        client_for(reviewer).get(reverse("claims:source_detail", args=[evidence.source_id]))
    )
    assert reverse("claims:claim_detail", args=[claim.pk]) in html


def test_capture_again_queues_a_new_capture(reviewer, django_capture_on_commit_callbacks):
    source = make_source(status="ok")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(reviewer).post(reverse("claims:source_recapture", args=[source.pk]))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.status == "pending"
    [(task, args, _)] = enqueued(callbacks)
    assert (task.name, args) == ("sources.tasks.capture_source", (source.pk,))


def test_the_page_polls_while_the_source_is_being_captured(reviewer):
    source = make_source()  # pending
    html = page_text(client_for(reviewer).get(reverse("claims:source_detail", args=[source.pk])))
    assert 'hx-select="#source-live"' in html and "capturing the page" in html
    source.status = "ok"
    source.save()
    html = page_text(client_for(reviewer).get(reverse("claims:source_detail", args=[source.pk])))
    assert "hx-select" not in html and "Capture again" in html


def test_a_reviewer_uploads_a_copy_of_a_page_that_cannot_be_fetched(reviewer):
    source = make_source(status="failed")
    upload = SimpleUploadedFile(
        "saved.html",
        b"<html><head><title>Paywalled</title></head><body><article><p>"
        + b"The agreement was signed in 2009 by both ministers. " * 5
        + b"</p></article></body></html>",
        content_type="text/html",
    )
    response = client_for(reviewer).post(
        reverse("claims:source_upload", args=[source.pk]), {"file": upload}
    )
    assert response.status_code == 302
    source.refresh_from_db()
    capture = source.latest_capture
    assert (source.status, capture.origin, capture.uploaded_by) == ("ok", "uploaded", reviewer)
    assert "signed in 2009" in capture.text


def test_an_empty_upload_is_a_form_error(reviewer):
    source = make_source(status="failed")
    response = client_for(reviewer).post(
        reverse("claims:source_upload", args=[source.pk]),
        {"file": SimpleUploadedFile("empty.txt", b"", content_type="text/plain")},
    )
    assert response.status_code == 400
    assert "The submitted file is empty." in page_text(response)
    assert not source.captures.exists()


def test_a_binary_upload_is_refused_with_the_reason(reviewer):
    source = make_source(status="failed")
    response = client_for(reviewer).post(
        reverse("claims:source_upload", args=[source.pk]),
        {"file": SimpleUploadedFile("x.bin", b"\x00\x01\x02" * 100)},
    )
    assert response.status_code == 400
    assert "Only an HTML page, a PDF or a plain text file can be uploaded." in page_text(response)
