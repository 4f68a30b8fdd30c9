"""Capture through the real queue and a real worker (tests/worker.py), on the real broker.

The worker fetches from the loopback `site` (exempted for it) with the short limits of
tests/worker.py CAPTURE_SETTINGS: retries 0.2 s apart, at most 3 attempts.
"""

import time
from contextlib import contextmanager

import pytest
from django.utils import timezone

from sources.services import source_add, sources_recheck, sources_sweep
from sources.tasks import capture_source
from workbench.celery import app

from .support.factories import make_source
from .support.httpserver import Reply
from .support.pages import ARTICLE
from .support.worker import Worker, capture_env

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("capture_settings"),
]

FINAL = ("ok", "failed", "refused")


def settled(source):
    source.refresh_from_db()
    return source.status in FINAL


def outcomes(source):
    return list(
        source.captures.order_by("requested_at").values_list("outcome", "error_code", "http_status")
    )


def test_an_added_source_is_captured_by_the_worker(site, celery_worker):
    url = site.add("article", Reply(ARTICLE))
    source = source_add(url=url)
    celery_worker.wait_until(lambda: settled(source))
    capture = source.latest_capture
    assert (source.status, capture.outcome, capture.title) == (
        "ok",
        "ok",
        "Air defence pact extended",
    )
    assert "several thousand soldiers" in capture.text
    with capture.archive.open("rb") as archive:  # written by the worker, read here
        assert archive.read(2) == b"\x1f\x8b"


def test_a_503_then_200_is_retried_to_success(site, celery_worker):
    url = site.add("flaky", Reply(status=503), Reply(status=503), Reply(ARTICLE))
    source = source_add(url=url)
    celery_worker.wait_until(lambda: settled(source))
    assert source.status == "ok"
    assert outcomes(source) == [
        ("failed", "http_503", 503),
        ("failed", "http_503", 503),
        ("ok", "", 200),
    ]


def test_a_429_is_retried_after_the_time_the_server_asked_for(site, celery_worker):
    url = site.add("busy", Reply(status=429, headers={"Retry-After": "1"}), Reply(ARTICLE))
    source = source_add(url=url)
    celery_worker.wait_until(lambda: settled(source))
    first, second = (hit.at for hit in site.hits(url))
    assert source.status == "ok" and second - first >= 1.0


def test_a_404_fails_without_retry(site, celery_worker):
    url = site.add("missing", Reply("nothing here", status=404))
    source = source_add(url=url)
    celery_worker.wait_until(lambda: settled(source))
    assert (source.status, source.attempts) == ("failed", 1)
    assert outcomes(source) == [("failed", "http_404", 404)]
    assert len(site.hits(url)) == 1


def test_duplicate_messages_give_one_capture(site, celery_worker):
    source = make_source(url=site.add("slow", Reply(ARTICLE, delay=0.5)))
    ids = [capture_source.apply_async((source.pk,)).id for _ in range(4)]
    celery_worker.wait_until(lambda: all(celery_worker.succeeded(i) for i in ids))
    source.refresh_from_db()
    assert source.status == "ok" and outcomes(source) == [("ok", "", 200)]
    assert len(site.hits(source.url)) == 1


def test_a_worker_killed_mid_capture_is_swept_and_captured_once(
    site, celery_worker, media_root, settings
):
    url = site.add("hangs-once", Reply(ARTICLE, delay=5), Reply(ARTICLE))
    source = make_source(url=url)
    env = capture_env(site, media_root, CAPTURE_LEASE_SECONDS=1)
    doomed = Worker(queues=("capture-crash",), concurrency=1, extra_env=env).start()
    try:
        capture_source.apply_async((source.pk,), queue="capture-crash")
        doomed.wait_until(lambda: site.hits(url))
        doomed.kill()  # no ack, no cleanup: the message is unacked or, on a file broker, gone
    finally:
        doomed.stop()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("capture-crash")
    source.refresh_from_db()
    assert source.status == "capturing"
    while source.lease_expires_at >= timezone.now():
        time.sleep(0.1)
    settings.CAPTURE_SWEEP_GRACE = 60
    assert sources_sweep() == 1
    celery_worker.wait_until(lambda: settled(source))
    assert outcomes(source) == [("ok", "", 200)]


@contextmanager
def broker_down():
    """Point this process's Celery app at a port where no broker listens."""
    saved = app.conf.broker_url

    def drop_pools():
        # app.close() drops the connection pool but not the producer pool, which keeps
        # the connection it was made with: without this, publishing inside the block
        # reached the real broker (or, in a fresh process, the dead one ever after).
        app.close()
        app.amqp._producer_pool = None

    drop_pools()
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        yield
    finally:
        drop_pools()
        app.conf.broker_url = saved


def test_a_source_added_while_the_broker_is_down_is_kept_and_captured_later(
    site, celery_worker, settings
):
    settings.CAPTURE_SWEEP_GRACE = 300  # the default: the sweep must not wait for it
    url = site.add("article", Reply(ARTICLE))
    with broker_down():
        source = source_add(url=url)  # the user's request succeeds
    source.refresh_from_db()
    assert source.status == "pending" and not site.hits(url)
    assert source.lease_expires_at is None  # due at the very next sweep, not in 5 minutes
    assert sources_sweep() == 1  # beat, once the broker is back
    celery_worker.wait_until(lambda: settled(source))
    assert source.status == "ok" and outcomes(source) == [("ok", "", 200)]


def test_recheck_through_the_worker_records_changed_and_vanished_pages(
    site, celery_worker, settings
):
    url = site.add("story", Reply(ARTICLE))
    source = source_add(url=url)
    celery_worker.wait_until(lambda: settled(source))
    first = source.latest_capture
    settings.RECHECK_AFTER_DAYS = 0

    site.set(url, Reply(ARTICLE.replace("several thousand", "fifty thousand")))
    assert sources_recheck() == 1
    celery_worker.wait_until(lambda: settled(source) and source.latest_capture != first)
    assert source.status == "ok" and source.latest_capture.sha256 != first.sha256

    site.set(url, Reply("Gone", status=410))
    changed = source.latest_capture
    assert sources_recheck() == 1
    celery_worker.wait_until(lambda: settled(source) and source.latest_capture != changed)
    assert source.status == "failed" and source.latest_capture.http_status == 410
