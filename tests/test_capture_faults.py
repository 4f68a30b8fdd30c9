"""Transient faults of ours: archives staged and moved into place, no orphan files, the
lease renewed while a capture runs, failed captures queued again by error code.

A full disk and a database restart are exercised with real processes by
benchmarks/faults.py; here the storage fault is a file where the media folder should be.
"""

import io
import os
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sources.capture import capture_attempt
from sources.models import Capture, Source
from sources.services import failed_sources, sources_retry_failed, sources_sweep
from sources.staging import STAGING_PREFIX, remove_stale_staging

from .support.factories import make_source
from .support.httpserver import Reply
from .support.pages import ARTICLE

pytestmark = pytest.mark.usefixtures("capture_settings")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_a_capture_leaves_exactly_its_archive_and_no_staging_file(
    site, media, django_capture_on_commit_callbacks
):
    source = make_source(url=site.add("article", Reply(ARTICLE)))
    with django_capture_on_commit_callbacks(execute=True):
        step = capture_attempt(source_pk=source.pk)
    kept = [step.capture.archive.name, *(a.file.name for a in step.capture.artefacts.all())]
    assert files(media) == sorted(name.rsplit("/", 1)[1] for name in kept)
    assert not [name for name in files(media) if name.startswith(".staging-")]


@pytest.mark.django_db(transaction=True)
def test_a_capture_that_lost_its_claim_leaves_no_file(site, media):
    url = site.add("slow", Reply(ARTICLE, delay=1.0))
    source = make_source(url=url)

    def take_over():  # another worker took it over meanwhile (a new claim token)
        while not site.hits(url):
            time.sleep(0.02)
        Source.objects.filter(pk=source.pk).update(lease_expires_at=timezone.now())
        connection.close()

    thief = threading.Thread(target=take_over)
    thief.start()
    step = capture_attempt(source_pk=source.pk)
    thief.join()
    assert not step.claimed and not Capture.objects.exists()
    assert files(media) == []


@pytest.mark.django_db
def test_stale_staging_files_are_removed_and_fresh_ones_kept(media):
    folder = media / "archives" / timezone.now().strftime("%Y/%m")
    folder.mkdir(parents=True)
    stale, fresh = folder / f"{STAGING_PREFIX}a.part", folder / f"{STAGING_PREFIX}b.part"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"y")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    assert remove_stale_staging() == 1
    assert files(media) == [fresh.name]


@pytest.mark.django_db(transaction=True)
def test_the_lease_is_renewed_while_a_slow_capture_runs_so_the_sweep_leaves_it_alone(
    site, settings
):
    settings.CAPTURE_LEASE_SECONDS = 1.0
    settings.CAPTURE_HEARTBEAT_SECONDS = 0.2
    settings.FETCH_DEADLINE = 6.0
    settings.FETCH_READ_TIMEOUT = 6.0
    url = site.add("slow", Reply(ARTICLE, delay=3.0))
    source = make_source(url=url)
    steps = []
    runner = threading.Thread(
        target=lambda: (steps.append(capture_attempt(source_pk=source.pk)), connection.close())
    )
    runner.start()
    leases, swept = [], 0
    while runner.is_alive():
        time.sleep(0.3)
        source.refresh_from_db()
        if source.status == "capturing":
            leases.append(source.lease_expires_at)
            assert source.lease_expires_at > timezone.now() - timezone.timedelta(seconds=0.3)
            swept += sources_sweep()
    runner.join()
    assert swept == 0 and len(set(leases)) >= 3  # renewed several times, never taken over
    assert steps[0].capture.outcome == "ok" and len(site.hits(url)) == 1


@pytest.mark.django_db
def test_captures_retry_requeues_failed_captures_by_error_code(
    site, django_capture_on_commit_callbacks
):
    def failed(code):
        source = make_source(url=site.add(code, Reply(ARTICLE)), status="failed")
        capture = Capture.objects.create(
            source=source,
            requested_at=timezone.now(),
            outcome="failed",
            error_code=code,
            error_message="x",
        )
        Source.objects.filter(pk=source.pk).update(latest_capture=capture, attempts=3)
        return source

    ours, gone, lost = failed("internal_error"), failed("http_404"), failed("storage_error")
    out = io.StringIO()
    call_command("captures_retry", "--dry-run", stdout=out)
    assert out.getvalue().split("\n")[:2] == ["     1  internal_error", "     1  storage_error"]
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("captures_retry", "--code", "internal_error", stdout=io.StringIO())
    assert len(callbacks) == 1
    statuses = dict(Source.objects.values_list("pk", "status"))
    assert (statuses[ours.pk], statuses[gone.pk], statuses[lost.pk]) == (
        "pending",
        "failed",
        "failed",
    )
    assert Source.objects.get(pk=ours.pk).attempts == 0
    assert sources_retry_failed(sources=failed_sources(codes=()), enqueue=False) == 2


@pytest.mark.django_db
def test_an_upload_onto_a_failing_disk_is_a_clear_error_and_records_nothing(
    reviewer, settings, tmp_path, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocker)
    source = make_source()
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:source_upload", args=[source.pk]),
        {"file": SimpleUploadedFile("copy.html", ARTICLE.encode(), "text/html")},
    )
    assert response.status_code == 400
    assert "could not be stored" in response.content.decode()
    assert not Capture.objects.exists()


@pytest.mark.django_db
def test_the_sources_admin_action_retries_only_failed_sources(client, staff, site):
    from django.urls import reverse

    failed = make_source(url=site.add("a", Reply(ARTICLE)), status="failed")
    captured = make_source(url=site.add("b", Reply(ARTICLE)), status="ok")
    capture = Capture.objects.create(
        source=failed, requested_at=timezone.now(), outcome="failed", error_code="http_503"
    )
    Source.objects.filter(pk=failed.pk).update(latest_capture=capture)
    client.force_login(staff)
    client.post(
        reverse("admin:sources_source_changelist"),
        {"action": "retry_failed", "_selected_action": [failed.pk, captured.pk]},
    )
    statuses = dict(Source.objects.values_list("pk", "status"))
    assert (statuses[failed.pk], statuses[captured.pk]) == ("pending", "ok")
