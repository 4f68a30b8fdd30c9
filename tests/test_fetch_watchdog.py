"""One watchdog thread serves every fetch's deadline, and one heartbeat thread every
capture's lease (sources/timers.py): no thread is started per fetch or per capture, and
each deadline and lease keeps its own meaning. Real loopback servers and a real database.
"""

import dataclasses
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from sources import watchdog
from sources.addresses import parse_allow_list
from sources.capture import capture_attempt
from sources.fetch import FetchError, Limits, fetch
from sources.lease import HEARTBEAT, Lease
from sources.models import Source

from .support.factories import make_source
from .support.httpserver import Reply
from .support.pages import ARTICLE
from .test_fetch_limits import TRICKLES, trickler

PAGE = b"<html><head><title>Page</title></head><body><p>Hello.</p></body></html>"


@pytest.fixture
def limits(site):
    return Limits.from_settings(
        allow_private=parse_allow_list((site.authority,)),
        connect_timeout=1,
        read_timeout=5,
        deadline=5,
    )


@pytest.fixture
def thread_starts(monkeypatch):
    """The names of threads started from the test's own thread (the loopback server
    starts one per request from its own thread; those are not counted)."""
    started, me = [], threading.current_thread()
    start = threading.Thread.start

    def counting_start(thread):
        if threading.current_thread() is me:
            started.append(thread.name)
        return start(thread)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    return started


def trickle(site, name):
    """A server trickling one header line: the parser waits for its end, so only the
    watchdog shutting the socket down ends the fetch (no check runs between reads)."""
    reply, _seen = trickler(head=TRICKLES["headers"][0], drip=TRICKLES["headers"][1])
    return site.add(name, reply)


def fetch_error(url, limits):
    try:
        fetch(url, limits=limits)
    except FetchError as error:
        return error
    raise AssertionError(f"{url} was fetched")


def wait_for(condition, seconds=10):
    for _ in range(int(seconds / 0.02)):
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_fetches_start_no_thread_of_their_own(site, limits, thread_starts):
    url = site.add("page", Reply(PAGE))
    fetch(url, limits=limits)  # the first fetch of the process starts the watchdog
    thread_starts.clear()
    for _ in range(5):
        assert fetch(url, limits=limits).body == PAGE
    assert thread_starts == []
    assert watchdog.WATCHDOG.thread().is_alive()
    assert watchdog.WATCHDOG.pending() == 0  # every finished fetch took its deadline away


def test_a_deadline_earlier_than_the_watched_one_wakes_the_watchdog(site, limits):
    stop, errors = threading.Event(), []

    def until_stopped(handler):  # one header line, trickled until the test ends it
        handler.wfile.write(TRICKLES["headers"][0])
        while not stop.wait(0.05):
            handler.wfile.write(TRICKLES["headers"][1])
            handler.wfile.flush()

    later_limits = dataclasses.replace(limits, deadline=30, read_timeout=30)
    later_ends = time.monotonic() + 30
    later = threading.Thread(
        target=lambda: errors.append(fetch_error(site.add("later", until_stopped), later_limits))
    )
    later.start()  # the watchdog now sleeps towards this deadline, 30 s away
    assert wait_for(lambda: watchdog.WATCHDOG.pending() == 1)
    try:
        error = fetch_error(trickle(site, "sooner"), dataclasses.replace(limits, deadline=1.0))
        # Cut at its own deadline, long before the one the watchdog slept towards.
        assert error.code == "deadline" and time.monotonic() < later_ends
    finally:
        stop.set()
        later.join(10)
    assert len(errors) == 1 and errors[0].code != "deadline"  # ended by its server


def test_a_passed_deadline_cuts_only_its_own_fetch(site, limits):
    slow = site.add("slow", Reply(PAGE, delay=1.5))
    results = []
    other = threading.Thread(target=lambda: results.append(fetch(slow, limits=limits)))
    other.start()
    error = fetch_error(trickle(site, "cut"), dataclasses.replace(limits, deadline=0.5))
    other.join(10)
    assert error.code == "deadline"
    assert [r.body for r in results] == [PAGE]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("capture_settings")
def test_captures_start_no_thread_for_their_lease_or_deadline(site, thread_starts):
    sources = [make_source(url=site.add(f"a{i}", Reply(ARTICLE))) for i in range(4)]
    capture_attempt(source_pk=sources[0].pk)  # may start the watchdog and the heartbeat
    thread_starts.clear()
    for source in sources[1:]:
        assert capture_attempt(source_pk=source.pk).capture.outcome == "ok"
    assert thread_starts == []
    assert HEARTBEAT.thread().is_alive() and HEARTBEAT.pending() == 0


def claimed(settings, count):
    """Sources in `capturing` with a lease of CAPTURE_LEASE_SECONDS, as a claim leaves them."""
    token = timezone.now() + timezone.timedelta(seconds=settings.CAPTURE_LEASE_SECONDS)
    return [
        make_source(url=f"https://example.org/{i}", status="capturing", lease_expires_at=token)
        for i in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_one_heartbeat_renews_every_live_lease_and_none_after_it_ends(settings):
    settings.CAPTURE_LEASE_SECONDS = 2.0
    settings.CAPTURE_HEARTBEAT_SECONDS = 0.1
    first, second = claimed(settings, 2)
    with (
        Lease(first.pk, first.lease_expires_at) as a,
        Lease(second.pk, second.lease_expires_at) as b,
    ):
        tokens = {a.token, b.token}
        assert wait_for(lambda: a.token not in tokens and b.token not in tokens)
    ended = {first.pk: a.token, second.pk: b.token}
    time.sleep(0.4)  # four heartbeats: none may renew a lease whose capture ended
    rows = dict(Source.objects.values_list("pk", "lease_expires_at"))
    assert rows == ended
    assert not a.lost and not b.lost


@pytest.mark.django_db(transaction=True)
def test_a_capture_holding_its_lease_does_not_hold_up_the_others(settings):
    settings.CAPTURE_LEASE_SECONDS = 2.0
    settings.CAPTURE_HEARTBEAT_SECONDS = 0.1
    busy, other = claimed(settings, 2)
    with (
        Lease(busy.pk, busy.lease_expires_at) as held,
        Lease(other.pk, other.lease_expires_at) as b,
    ):
        with held.lock:  # as the capture does while it writes its result
            seen = {b.token}
            assert wait_for(lambda: seen.add(b.token) or len(seen) >= 3)
            assert held.token == busy.lease_expires_at  # not renewed while held
        assert wait_for(lambda: held.token != busy.lease_expires_at)  # renewed once free


@pytest.mark.django_db(transaction=True)
def test_a_lease_taken_over_is_lost_and_no_longer_renewed(settings):
    settings.CAPTURE_LEASE_SECONDS = 2.0
    settings.CAPTURE_HEARTBEAT_SECONDS = 0.1
    (source,) = claimed(settings, 1)
    with Lease(source.pk, source.lease_expires_at) as lease:
        other = timezone.now() + timezone.timedelta(minutes=5)  # another worker's token
        Source.objects.filter(pk=source.pk).update(lease_expires_at=other)
        assert wait_for(lambda: lease.lost)
        time.sleep(0.3)
        assert Source.objects.get(pk=source.pk).lease_expires_at == other
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_closes_its_database_connection_once_no_lease_is_live(settings):
    settings.CAPTURE_LEASE_SECONDS = 2.0
    settings.CAPTURE_HEARTBEAT_SECONDS = 0.05
    (source,) = claimed(settings, 1)
    with Lease(source.pk, source.lease_expires_at) as lease:
        first = lease.token
        assert wait_for(lambda: lease.token != first)  # renewed: the thread has connected

    def closed_on_the_heartbeat_thread():
        seen = threading.Event()
        answer = []
        # Runs on the heartbeat thread, where `connection` is that thread's own.
        HEARTBEAT.add(time.monotonic(), lambda: answer.append(connection.connection is None))
        HEARTBEAT.add(time.monotonic(), seen.set)
        seen.wait(5)
        return answer == [True]

    assert wait_for(closed_on_the_heartbeat_thread)
