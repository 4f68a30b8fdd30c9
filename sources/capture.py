"""The capture pipeline: the attempt a task runs, and recording what it found.

One attempt claims a Source (a conditional update whose lease is the claim token), waits
for the domain's turn, fetches through sources/fetch.py, archives the response as a WARC
record, extracts the text, appends the Capture and settles the Source if it still holds the
claim, then sends `capture_finished` once the row is committed (sources/signals.py).

The states of a Source and who moves it between them are described in sources/services.py.
This module imports neither sources.services nor sources.tasks.
"""

import hashlib
import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .archive import warc_resource
from .engines import capture_url
from .extract import extract
from .fetch import FetchError
from .models import Artefact, Capture, DomainSlot, Source
from .signals import capture_finished

logger = logging.getLogger(__name__)

S = Source.Status
VANISHED_STATUSES = (404, 410)


@dataclass
class Step:
    """What one capture attempt asks of its caller (the task or the command)."""

    claimed: bool
    capture: Capture | None = None
    retry_in: float | None = None  # seconds; None when there is nothing more to do


def _seconds(value):
    return timedelta(seconds=value)


def _claim(source_pk):
    """Take the work with a conditional update; return the lease (the token) or None."""
    now = timezone.now()
    lease = now + _seconds(settings.CAPTURE_LEASE_SECONDS)
    claimed = (
        Source.objects.claimable(now)
        .filter(pk=source_pk)
        .update(status=S.CAPTURING, lease_expires_at=lease, attempts=F("attempts") + 1)
    )
    return lease if claimed else None


def _domain_turn(domain):
    """Seconds to wait before this domain may be fetched, reserving that turn.

    The next allowed time per domain is a database row, so the interval holds across all
    workers and processes. Returns (True, wait) with the turn reserved, or (False, wait)
    when the wait is too long to sleep through (the caller comes back later).
    """
    interval = settings.FETCH_DOMAIN_INTERVAL
    if interval <= 0:
        return True, 0.0
    with transaction.atomic():
        now = timezone.now()
        slot, _ = DomainSlot.objects.select_for_update().get_or_create(
            domain=domain, defaults={"next_at": now}
        )
        start = max(now, slot.next_at)
        wait = (start - now).total_seconds()
        if wait > settings.FETCH_DOMAIN_MAX_WAIT:
            return False, wait
        slot.next_at = start + _seconds(interval)
        slot.save(update_fields=["next_at"])
    return True, wait


def _domain_hold(domain, seconds):
    """Keep every worker off a domain that asked us to back off (429 Retry-After)."""
    if settings.FETCH_DOMAIN_INTERVAL <= 0 or not seconds:
        return
    until = timezone.now() + _seconds(min(seconds, settings.CAPTURE_RETRY_MAX))
    with transaction.atomic():
        slot, _ = DomainSlot.objects.select_for_update().get_or_create(
            domain=domain, defaults={"next_at": until}
        )
        if slot.next_at < until:
            slot.next_at = until
            slot.save(update_fields=["next_at"])


def retry_delay(attempt, retry_after=None):
    """Exponential backoff with jitter, at least Retry-After, capped below the broker's
    visibility timeout (a longer countdown would make Redis deliver the task twice)."""
    ceiling = settings.CAPTURE_RETRY_MAX
    delay = min(ceiling, settings.CAPTURE_RETRY_BASE * 2 ** max(0, attempt - 1))
    delay = delay / 2 + random.uniform(0, delay / 2)
    if retry_after:
        delay = max(delay, min(retry_after, ceiling))
    return delay


def capture_attempt(*, source_pk, engine=None):
    """One attempt at capturing a source: claim, wait for the domain, fetch, record.

    Never runs inside a transaction: nothing is held open across the HTTP request.
    """
    lease = _claim(source_pk)
    if lease is None:
        return Step(claimed=False)
    source = Source.objects.get(pk=source_pk)
    try:
        return _attempt(source, lease, engine)
    except Exception as exc:
        # Record what broke (the row would otherwise sit in "capturing" until swept).
        error = FetchError("internal_error", f"Capture failed inside the workbench: {exc!r}")
        _record(source, lease, _failure_fields(timezone.now(), error))
        raise


def _attempt(source, lease, engine=None):
    if source.attempts > settings.CAPTURE_MAX_ATTEMPTS:
        # Claimed again and again without a result: its workers keep dying on it.
        error = FetchError("attempts_exhausted", "Every capture attempt was interrupted.")
        return _record(source, lease, _failure_fields(timezone.now(), error))
    go, wait = _domain_turn(source.domain)
    if not go:
        later = wait + random.uniform(0, settings.FETCH_DOMAIN_INTERVAL)
        Source.objects.filter(pk=source.pk, lease_expires_at=lease).update(
            status=S.PENDING,
            attempts=F("attempts") - 1,
            lease_expires_at=timezone.now() + _seconds(later + settings.CAPTURE_SWEEP_GRACE),
        )
        return Step(claimed=True, retry_in=later)
    time.sleep(wait)
    requested_at = timezone.now()
    try:
        # The engine (sources/engines/) fetches, archives and extracts.
        captured = capture_url(source.url, engine=engine)
    except FetchError as error:
        if error.http_status == 429:
            _domain_hold(source.domain, error.retry_after)
        return _record_failure(source, lease, requested_at, error)
    result = captured.document
    fields = {
        "origin": Capture.Origin.FETCHED,
        "requested_at": requested_at,
        "outcome": Capture.Outcome.OK,
        "http_status": result.status,
        "final_url": result.final_url[:2000],
        "content_type": _header(result.headers, "content-type", result.content_type)[:255],
        "engine": captured.engine,
        "resources": captured.resources,
        **_content_fields(result.body, captured.extracted),
    }
    archive = _store_archive(source, captured.warc)
    artefacts = store_artefacts(source, captured.artefacts)
    return _record(source, lease, fields, archive=archive, artefacts=artefacts)


def _header(headers, name, default=""):
    return next((value for key, value in headers if key.lower() == name), default)


def _content_fields(body, extracted):
    return {
        "size": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
        "title": extracted.title,
        "byline": extracted.byline,
        "published": extracted.published,
        "language": extracted.language,
        "site_name": extracted.site_name,
        "encoding": extracted.encoding,
        "text": extracted.text,
        "error_code": extracted.error_code,
        "error_message": extracted.problem,
        "page_count": extracted.page_count,
        "page_starts": extracted.page_starts or [],
    }


def _store_archive(source, data):
    now = timezone.now()
    name = f"archives/{now:%Y/%m}/source-{source.pk}-{now:%Y%m%dT%H%M%S%f}.warc.gz"
    return default_storage.save(name, ContentFile(data))


_EXTENSIONS = {"image/png": "png", "application/wacz": "wacz"}


def store_artefacts(source, artefacts):
    """Save an engine's artefacts to storage; unsaved Artefact rows (capture set later)."""
    now = timezone.now()
    rows = []
    for kind, (data, content_type) in artefacts.items():
        extension = _EXTENSIONS.get(content_type, "html")
        name = f"artefacts/{now:%Y/%m}/source-{source.pk}-{now:%Y%m%dT%H%M%S%f}-{kind}.{extension}"
        rows.append(
            Artefact(
                kind=kind,
                file=default_storage.save(name, ContentFile(data)),
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
    return rows


def _failure_fields(requested_at, error):
    return {
        "origin": Capture.Origin.FETCHED,
        "requested_at": requested_at,
        "outcome": Capture.Outcome.REFUSED if error.refused else Capture.Outcome.FAILED,
        "http_status": error.http_status,
        "final_url": (error.final_url or "")[:2000],
        "error_code": error.code[:64],
        "error_message": error.message,
    }


def _record_failure(source, lease, requested_at, error):
    fields = _failure_fields(requested_at, error)
    retry_in = None
    attempts = Source.objects.values_list("attempts", flat=True).get(pk=source.pk)
    if error.temporary and attempts < settings.CAPTURE_MAX_ATTEMPTS:
        retry_in = retry_delay(attempts, error.retry_after)
    return _record(source, lease, fields, retry_in=retry_in)


@transaction.atomic
def _record(source, lease, fields, *, archive="", retry_in=None, artefacts=()):
    """Append the Capture and settle the Source, if this worker still holds the claim."""
    now = timezone.now()
    previous = source.latest_capture_id
    capture = Capture.objects.create(source=source, finished_at=now, archive=archive, **fields)
    for artefact in artefacts:
        artefact.capture = capture
    Artefact.objects.bulk_create(artefacts)
    if retry_in is not None:
        changes = {
            "status": S.PENDING,
            "lease_expires_at": now + _seconds(retry_in + settings.CAPTURE_SWEEP_GRACE),
        }
    else:
        status = {"ok": S.OK, "failed": S.FAILED, "refused": S.REFUSED}[capture.outcome]
        changes = {"status": status, "lease_expires_at": None, "last_checked_at": now}
    # The claim token check and the write are one conditional update.
    owned = Source.objects.filter(pk=source.pk, status=S.CAPTURING, lease_expires_at=lease)
    if not owned.update(latest_capture=capture, **changes):
        logger.warning("capture of %s outlived its claim; result dropped", source.url)
        transaction.set_rollback(True)
        for name in [archive, *(a.file.name for a in artefacts)]:
            if name:
                default_storage.delete(name)
        return Step(claimed=False)
    source.latest_capture = capture
    for name, value in changes.items():
        setattr(source, name, value)
    _announce(capture, source, had_captures=previous is not None)
    return Step(claimed=True, capture=capture, retry_in=retry_in)


def _announce(capture, source, *, had_captures):
    """Send capture_finished once the row is committed (see sources/signals.py)."""
    relevant = capture.outcome == Capture.Outcome.OK or capture.http_status in VANISHED_STATUSES
    last_ok = None
    if had_captures and relevant:
        last_ok = source.captures.ok().exclude(pk=capture.pk).first()
    content_changed = bool(
        capture.outcome == Capture.Outcome.OK and last_ok and last_ok.sha256 != capture.sha256
    )
    # Gone: a 404/410 where we last had the page, reported once (not on every recheck).
    vanished = bool(
        capture.http_status in VANISHED_STATUSES
        and last_ok
        and not source.captures.filter(
            requested_at__gt=last_ok.requested_at, http_status__in=VANISHED_STATUSES
        )
        .exclude(pk=capture.pk)
        .exists()
    )

    def send():
        # A failing receiver must not undo or re-run a capture that is already recorded.
        for receiver, response in capture_finished.send_robust(
            sender=Capture,
            capture=capture,
            source=source,
            content_changed=content_changed,
            vanished=vanished,
        ):
            if isinstance(response, Exception):
                logger.error(
                    "capture_finished receiver %r failed",
                    receiver,
                    exc_info=(type(response), response, response.__traceback__),
                )

    transaction.on_commit(send)


@transaction.atomic
def record_upload(source, *, data, content_type, filename, user):
    """Record a reviewer's uploaded copy (already checked by services.capture_upload)."""
    extracted = extract(body=data, content_type=content_type, url=source.url)
    note = f"Uploaded by {user.get_username()} as {filename}"
    archive = _store_archive(
        source, warc_resource(url=source.url, content_type=content_type, body=data, note=note)
    )
    source = Source.objects.select_for_update().get(pk=source.pk)
    now = timezone.now()
    capture = Capture.objects.create(
        source=source,
        origin=Capture.Origin.UPLOADED,
        uploaded_by=user,
        requested_at=now,
        finished_at=now,
        outcome=Capture.Outcome.OK,
        content_type=content_type,
        archive=archive,
        **_content_fields(data, extracted),
    )
    # The copy stands until a newer capture: any running or pending fetch is superseded.
    had_captures = source.latest_capture_id is not None
    source.latest_capture = capture
    source.status = S.OK
    source.lease_expires_at = None
    source.save(update_fields=["latest_capture", "status", "lease_expires_at"])
    _announce(capture, source, had_captures=had_captures)
    return capture
