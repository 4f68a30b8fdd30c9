"""Nothing lost, nothing stale: the sweep re-sends lost work, the recheck finds changes."""

import datetime

import pytest
from django.utils import timezone

from sources.capture import capture_attempt
from sources.models import Source
from sources.services import sources_recheck, sources_sweep

from .support.factories import make_source
from .support.httpserver import Reply
from .support.pages import ARTICLE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capture_settings")]


def minutes(n):
    return timezone.now() + datetime.timedelta(minutes=n)


def test_the_sweep_requeues_only_work_that_no_worker_is_doing(django_capture_on_commit_callbacks):
    sources = {
        "never sent": make_source(url="https://a.example/1"),
        "message overdue": make_source(url="https://a.example/2", lease_expires_at=minutes(-1)),
        "worker died": make_source(
            url="https://a.example/3", status="capturing", lease_expires_at=minutes(-1)
        ),
        "message on its way": make_source(url="https://a.example/4", lease_expires_at=minutes(5)),
        "being captured": make_source(
            url="https://a.example/5", status="capturing", lease_expires_at=minutes(5)
        ),
        "done": make_source(url="https://a.example/6", status="ok"),
        "refused": make_source(url="https://a.example/7", status="refused"),
    }
    with django_capture_on_commit_callbacks() as callbacks:
        assert sources_sweep() == 3
    assert len(callbacks) == 3
    status = {name: Source.objects.get(pk=s.pk).status for name, s in sources.items()}
    assert status["worker died"] == "pending"  # its old worker, if alive, finds its claim gone
    assert status["being captured"] == "capturing"
    # Just re-sent: the next sweep waits for the grace period again.
    assert Source.objects.get(pk=sources["never sent"].pk).lease_expires_at > timezone.now()


@pytest.fixture
def recheck(settings, django_capture_on_commit_callbacks):
    settings.RECHECK_AFTER_DAYS = 0

    def run(source):
        with django_capture_on_commit_callbacks() as queued:
            assert sources_recheck() == 1
        assert len(queued) == 1
        with django_capture_on_commit_callbacks(execute=True):
            step = capture_attempt(source_pk=source.pk)
        source.refresh_from_db()
        return step

    return run


def test_recheck_reports_changed_and_vanished_content(site, recheck, finished):
    url = site.add("story", Reply(ARTICLE))
    source = make_source(url=url, status="ok", last_checked_at=minutes(-1))

    assert recheck(source).capture.outcome == "ok"  # the first capture: nothing to compare
    assert finished[-1]["content_changed"] is False

    recheck(source)
    assert (finished[-1]["content_changed"], finished[-1]["vanished"]) == (False, False)

    site.set(url, Reply(ARTICLE.replace("several thousand", "fifty thousand")))
    first_sha = source.latest_capture.sha256
    step = recheck(source)
    assert step.capture.sha256 != first_sha
    assert (finished[-1]["content_changed"], finished[-1]["vanished"]) == (True, False)

    site.set(url, Reply("Gone", status=410))
    step = recheck(source)
    assert step.retry_in is None and source.status == "failed"
    assert (finished[-1]["content_changed"], finished[-1]["vanished"]) == (False, True)

    recheck(source)  # still gone: already reported
    assert finished[-1]["vanished"] is False

    site.set(url, Reply(ARTICLE))
    recheck(source)  # back, and different from the last good copy
    assert source.status == "ok" and finished[-1]["content_changed"] is True
    assert source.captures.count() == 6


def test_recently_checked_sources_are_not_rechecked(settings):
    settings.RECHECK_AFTER_DAYS = 30
    make_source(url="https://b.example/", status="ok", last_checked_at=minutes(-60 * 24 * 29))
    old = make_source(url="https://c.example/", status="ok", last_checked_at=minutes(-60 * 24 * 31))
    assert sources_recheck() == 1
    assert Source.objects.get(pk=old.pk).status == "pending"


def test_the_recheck_batch_is_sized_to_finish_every_source_within_the_period(settings):
    from sources.services import recheck_batch_size

    settings.RECHECK_AFTER_DAYS, settings.RECHECK_EVERY = 30, 3600
    settings.RECHECK_BATCH, settings.RECHECK_MAX_BATCH = 200, 20_000
    # 5M sources on a 30-day cycle, hourly runs: 720 runs share them.
    assert recheck_batch_size(5_000_000) == 6945
    assert recheck_batch_size(1_000) == 200 and recheck_batch_size(0) == 200
    assert recheck_batch_size(50_000_000) == 20_000


def test_a_run_queues_its_whole_batch_oldest_first(settings, django_capture_on_commit_callbacks):
    settings.RECHECK_AFTER_DAYS, settings.RECHECK_EVERY = 30, 30 * 86400 / 3  # three runs
    settings.RECHECK_BATCH, settings.RECHECK_MAX_BATCH = 2, 100
    sources = [
        make_source(url=f"https://d{i}.example/", status="ok", last_checked_at=minutes(-i - 50_000))
        for i in range(30)
    ]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert sources_recheck() == 10  # 30 due over three runs
    assert len(queued) == 10
    pending = set(Source.objects.filter(status="pending").values_list("pk", flat=True))
    assert pending == {s.pk for s in sources[-10:]}  # the longest unchecked
    with django_capture_on_commit_callbacks(execute=False):
        assert sources_recheck() == 7  # 20 still due: the ones queued are not
