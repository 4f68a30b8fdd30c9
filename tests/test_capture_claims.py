"""Several workers at once: one capture per source, one request per second per domain.

Threads stand in for workers (each has its own database connection), so these tests
commit for real (transaction=True).
"""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from sources.capture import capture_attempt
from sources.models import Capture, Source

from .support.factories import make_source
from .support.httpserver import Reply
from .support.pages import ARTICLE

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("capture_settings"),
]


def in_threads(count, function):
    """Run function(i) in `count` threads started together; return their results."""
    results, barrier = [None] * count, threading.Barrier(count)

    def run(i):
        barrier.wait()
        try:
            results[i] = function(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_workers_racing_for_one_source_capture_it_once(site):
    source = make_source(url=site.add("slow", Reply(ARTICLE, delay=0.3)))
    steps = in_threads(4, lambda _: capture_attempt(source_pk=source.pk))
    assert sorted(step.claimed for step in steps) == [False, False, False, True]
    assert Capture.objects.filter(source=source).count() == 1
    assert len(site.hits(source.url)) == 1


def test_a_worker_that_outlived_its_lease_drops_its_result(site):
    url = site.add("stuck-then-fine", Reply(ARTICLE, delay=1.0), Reply(ARTICLE))
    source = make_source(url=url)
    first = []
    worker = threading.Thread(
        target=lambda: (first.append(capture_attempt(source_pk=source.pk)), connection.close())
    )
    worker.start()
    while not site.hits(url):
        threading.Event().wait(0.02)
    # The first worker's lease runs out (as if it hung); the sweep lets another one in.
    expired = timezone.now() - datetime.timedelta(seconds=1)
    Source.objects.filter(pk=source.pk).update(lease_expires_at=expired)
    second = capture_attempt(source_pk=source.pk)
    worker.join(10)
    assert second.capture.outcome == "ok"
    assert first[0].claimed is False and first[0].capture is None
    assert list(Capture.objects.filter(source=source)) == [second.capture]


def test_requests_to_one_domain_are_spaced_across_workers(site, settings):
    settings.FETCH_DOMAIN_INTERVAL = 0.3
    settings.FETCH_DOMAIN_MAX_WAIT = 2
    sources = [make_source(url=site.add(f"polite{i}", Reply(ARTICLE))) for i in range(3)]
    steps = in_threads(3, lambda i: capture_attempt(source_pk=sources[i].pk))
    assert all(step.capture.outcome == "ok" for step in steps)
    starts = sorted(site.hits(source.url)[0].at for source in sources)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.25, gaps  # 0.3 s apart, less the scheduling slack of a request


def test_a_long_wait_for_a_domain_requeues_instead_of_sleeping(site, settings):
    settings.FETCH_DOMAIN_INTERVAL = 60
    settings.FETCH_DOMAIN_MAX_WAIT = 1
    first, second = (make_source(url=site.add(f"busy{i}", Reply(ARTICLE))) for i in range(2))
    assert capture_attempt(source_pk=first.pk).capture.outcome == "ok"
    step = capture_attempt(source_pk=second.pk)
    second.refresh_from_db()
    assert step.claimed and step.capture is None and 59 < step.retry_in <= 120
    assert (second.status, second.attempts) == ("pending", 0)
    assert not site.hits(second.url)
