"""python manage.py capture URL [URL ...] [--sync] [--json]"""

import io
import json
import time

import pytest
from django.core.management import CommandError, call_command

from sources.models import Source

from .support.httpserver import Reply
from .support.pages import ARTICLE

pytestmark = pytest.mark.usefixtures("capture_settings")


def capture(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("capture", *args, stdout=out, stderr=err)
        error = None
    except CommandError as exc:
        error = str(exc)
    return out.getvalue().splitlines(), error


@pytest.mark.django_db
def test_sync_json_prints_one_object_per_url_and_fails_if_any_failed(site):
    ok = site.add("article", Reply(ARTICLE))
    missing = site.add("missing", Reply(status=404))
    lines, error = capture(ok, missing, "not a url", "--sync", "--json")
    rows = [json.loads(line) for line in lines]
    assert [(r["url"], r["outcome"], r["http_status"], r["error_code"]) for r in rows] == [
        (ok, "ok", 200, ""),
        (missing, "failed", 404, "http_404"),
        ("not a url", "invalid", None, "invalid_url"),
    ]
    assert rows[0]["title"] == "Air defence pact extended" and len(rows[0]["sha256"]) == 64
    assert error == "2 of 3 URLs were not captured."
    assert Source.objects.count() == 2


@pytest.mark.django_db
def test_sync_reports_a_temporary_failure_as_retry_scheduled_instead_of_sleeping(site):
    url = site.add("flaky", Reply(status=503), Reply(ARTICLE))
    ok = site.add("article", Reply(ARTICLE))
    started = time.monotonic()
    lines, error = capture(url, ok, "--sync", "--json")
    rows = [json.loads(line) for line in lines]
    assert [(r["outcome"], r["error_code"], r["http_status"]) for r in rows] == [
        ("pending", "retry_scheduled", 503),
        ("ok", "", 200),
    ]
    assert rows[0]["error_message"].startswith("http_503: ")
    assert error == "1 of 2 URLs were not captured."
    assert len(site.hits(url)) == 1  # one attempt here; the retry is a worker's
    assert Source.objects.get(url=url).status == "pending"
    assert time.monotonic() - started < 3 * 1.0 + 4  # no backoff slept (0.2 s base, at most 2)


@pytest.mark.django_db
def test_sync_timeout_bounds_the_whole_command(site):
    slow = [site.add(f"slow{i}", Reply(ARTICLE, delay=3)) for i in range(3)]
    started = time.monotonic()
    lines, error = capture(*slow, "--sync", "--json", "--timeout", "1.5")
    elapsed = time.monotonic() - started
    rows = [json.loads(line) for line in lines]
    assert [r["error_code"] for r in rows] == ["retry_scheduled", "timeout", "timeout"]
    # the first URL is cut by what was left of --timeout (the deadline or the read timeout,
    # whichever the 1.5 s reaches first on a busy machine), then left for a worker
    assert rows[0]["error_message"].split(":")[0] in ("deadline", "read_timeout")
    assert rows[1]["error_message"] == "Not attempted: --timeout ran out."
    assert error == "3 of 3 URLs were not captured." and elapsed < 3


@pytest.mark.django_db
def test_sync_a_redirect_to_an_invalid_location_fails_that_url_only(site):
    broken = site.add("broken", Reply(status=302, headers={"Location": "http://[::1"}))
    ok = site.add("article", Reply(ARTICLE))
    lines, error = capture(broken, ok, "--sync", "--json")
    rows = [json.loads(line) for line in lines]
    assert [(r["outcome"], r["error_code"]) for r in rows] == [
        ("failed", "invalid_redirect"),
        ("ok", ""),
    ]
    assert error == "1 of 2 URLs were not captured."


@pytest.mark.django_db
def test_a_captured_source_is_reported_and_recaptured_only_on_request(site):
    url = site.add("article", Reply(ARTICLE))
    capture(url, "--sync")
    capture(url, "--sync")
    assert len(site.hits(url)) == 1
    capture(url, "--sync", "--recapture")
    assert len(site.hits(url)) == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_without_sync_the_queue_and_a_worker_capture_it(site, celery_worker):
    url = site.add("queued", Reply(ARTICLE))
    lines, error = capture(url, "--json", "--timeout", "30")
    assert error is None and json.loads(lines[0])["outcome"] == "ok"
