"""Reviewers are told plainly when no worker is consuming a queue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from workbench.models import Heartbeat

from .support.personas import PASSWORD
from .support.worker import Worker

pytestmark = pytest.mark.django_db


def beat(name, minutes_ago):
    Heartbeat.objects.create(
        name=name, last_seen=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


def status(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("worker_status")).content.decode()


def test_no_banner_while_every_queue_has_a_recent_worker(client, reviewer):
    beat("default", 1)
    beat("capture", 2)
    assert status(client, reviewer).strip() == ""


def test_banner_names_the_silent_queue_and_when_it_was_last_seen(client, reviewer):
    beat("default", 1)
    beat("capture", 10)
    text = status(client, reviewer)
    assert "No background worker" in text
    assert "<strong>capture</strong>" in text and "10" in text
    assert "<strong>default</strong>" not in text


def test_banner_when_no_worker_ever_reported(client, reviewer):
    assert "<strong>default</strong>, <strong>capture</strong>" in status(client, reviewer)


def test_worker_status_needs_a_signed_in_user(client):
    response = client.get(reverse("worker_status"))
    assert response.status_code == 302


def test_every_page_polls_the_worker_status(client, reviewer):
    client.login(username=reviewer.username, password=PASSWORD)
    page = client.get(reverse("claims:queue")).content.decode()
    assert f'hx-get="{reverse("worker_status")}"' in page


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_reports_for_each_queue_it_consumes(django_db_blocker):
    worker = Worker(queues=("status-probe",), concurrency=1).start()
    try:
        worker.wait_until(lambda: Heartbeat.objects.filter(name="status-probe").exists())
    finally:
        worker.stop()
    assert Heartbeat.objects.get(name="status-probe").hostname


def test_banner_says_captures_run_on_the_http_engine_when_the_worker_found_no_chromium(
    client, reviewer, settings
):
    from workbench.tasks import heartbeat_record

    beat("default", 1)
    settings.CAPTURE_ENGINE, settings.CHROMIUM_PATH = "http", ""
    heartbeat_record("capture")  # what a capture worker without Chromium writes
    text = status(client, reviewer)
    assert 'id="capture-engine-fallback"' in text
    assert "<strong>http</strong> engine" in text and "found no Chromium" in text
    assert "No background worker" not in text


def test_no_engine_banner_with_chromium_or_an_http_engine_chosen_on_purpose(
    client, reviewer, settings
):
    from workbench.tasks import heartbeat_record

    beat("default", 1)
    settings.CAPTURE_ENGINE, settings.CHROMIUM_PATH = "browser", "/usr/bin/chromium"
    heartbeat_record("capture")
    assert status(client, reviewer).strip() == ""
    settings.CAPTURE_ENGINE = "http"  # an operator's choice, with a Chromium at hand
    heartbeat_record("capture")
    assert status(client, reviewer).strip() == ""


def test_no_engine_banner_for_a_capture_worker_no_longer_heard_from(client, reviewer):
    beat("default", 1)
    Heartbeat.objects.create(
        name="capture",
        last_seen=timezone.now() - datetime.timedelta(minutes=10),
        capture_engine="http",
    )
    text = status(client, reviewer)
    assert "<strong>capture</strong>" in text and "capture-engine-fallback" not in text
