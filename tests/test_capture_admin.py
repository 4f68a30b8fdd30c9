"""Admin: sources with their captures, recapture, uploads, downloads as attachments."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sources.capture import capture_attempt
from sources.models import Capture, Source

from .support.factories import make_source
from .support.httpserver import Reply
from .support.pages import ARTICLE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capture_settings")]

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def captured(site, django_capture_on_commit_callbacks):
    # Markup shown as text on the page, so it is in the extracted text as it is.
    page = ARTICLE.replace("Minsk, 13 December.", f"{html.escape(HOSTILE)} Minsk, 13 December.")
    source = make_source(url=site.add("hostile", Reply(page)))
    with django_capture_on_commit_callbacks(execute=True):  # the archive moves into place
        return capture_attempt(source_pk=source.pk).capture


def test_a_source_added_in_admin_is_queued_for_capture(
    admin_client, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse("admin:sources_source_add"), {"url": "HTTPS://Example.org/new"}
        )
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.url, source.status, source.added_by) == (
        "https://example.org/new",
        "pending",
        staff,
    )
    assert len(callbacks) == 1


def test_an_unsafe_url_is_refused_by_the_admin_form(admin_client):
    response = admin_client.post(reverse("admin:sources_source_add"), {"url": "ftp://example.org/"})
    assert response.status_code == 200 and not Source.objects.exists()


def test_the_recapture_action_queues_the_selected_sources(
    admin_client, django_capture_on_commit_callbacks
):
    sources = [
        make_source(url=f"https://example.org/{i}", status="ok", last_checked_at=timezone.now())
        for i in range(2)
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(
            reverse("admin:sources_source_changelist"),
            {"action": "recapture", "_selected_action": [s.pk for s in sources]},
        )
    assert set(Source.objects.values_list("status", flat=True)) == {"pending"}
    assert len(callbacks) == 2


def test_source_page_lists_captures_and_filters_work(admin_client, captured):
    source = captured.source
    page = admin_client.get(reverse("admin:sources_source_change", args=[source.pk]))
    assert page.status_code == 200
    assert reverse("admin:sources_capture_archive", args=[captured.pk]).encode() in page.content
    changelist = reverse("admin:sources_source_changelist")
    for query in (
        "latest_capture__outcome=ok",
        "latest_capture__error_code=http_404",
        f"domain={source.domain}",
        "status=failed",
    ):
        assert admin_client.get(f"{changelist}?{query}").status_code == 200


def test_captured_text_is_shown_escaped(admin_client, captured):
    assert HOSTILE in captured.text
    page = admin_client.get(reverse("admin:sources_capture_change", args=[captured.pk]))
    assert HOSTILE.encode() not in page.content
    assert b"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page.content


def test_archive_and_text_are_downloads_not_pages(admin_client, captured):
    archive = admin_client.get(reverse("admin:sources_capture_archive", args=[captured.pk]))
    assert archive["Content-Type"] == "application/warc"
    assert archive["Content-Disposition"].startswith("attachment;")
    assert b"".join(archive.streaming_content)[:2] == b"\x1f\x8b"
    text = admin_client.get(reverse("admin:sources_capture_text", args=[captured.pk]))
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert text["Content-Disposition"].startswith("attachment;")
    assert text["X-Content-Type-Options"] == "nosniff"
    assert HOSTILE.encode() in text.content


def test_downloads_need_a_staff_login(client, outsider, captured):
    url = reverse("admin:sources_capture_text", args=[captured.pk])
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 302


def test_an_uploaded_copy_is_captured_from_the_admin(admin_client, staff):
    source = make_source(url="https://paywalled.example/story", status="failed")
    url = reverse("admin:sources_source_upload", args=[source.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"file": SimpleUploadedFile("story.html", ARTICLE.encode())})
    assert response.status_code == 302
    capture = Capture.objects.get(source=source)
    assert (capture.origin, capture.uploaded_by) == ("uploaded", staff)
    refused = admin_client.post(url, {"file": SimpleUploadedFile("x.png", b"\x89PNG\x00\x00")})
    assert refused.status_code == 200 and b"Only an HTML page" in refused.content
