"""python manage.py capture URL [URL ...] [--sync] [--json]"""

import io
import json

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
def test_sync_retries_a_temporary_failure_and_exits_zero(site):
    url = site.add("flaky", Reply(status=503), Reply(ARTICLE))
    lines, error = capture(url, "--sync")
    assert error is None
    assert lines[0].startswith("ok       200") and lines[0].endswith("Air defence pact extended")


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
