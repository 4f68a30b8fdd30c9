"""Source capture: the plain functions that tasks, the command, the admin and claims call.

The Source row is the source of truth and Celery only the doorbell:
- pending:   waiting for a worker. lease_expires_at is when the message we sent should
             have been picked up; after that the sweep sends another one;
- capturing: a worker claimed it with a conditional update; lease_expires_at is its
             lease and, being unique, the claim token. A worker that outlives its lease
             finds the token changed and drops its result;
- ok / failed / refused: the outcome of the latest attempt (latest_capture).
A duplicate or redelivered message finds nothing to claim and does nothing.
"""

import hashlib
import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .archive import warc_resource, warc_response
from .extract import extract
from .fetch import FetchError, fetch
from .models import Capture, DomainSlot, Source
from .signals import capture_finished
from .urlnorm import normalize_url

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


def _expected(now):
    """Until this time the sweep trusts that a queued message is on its way."""
    return now + _seconds(settings.CAPTURE_SWEEP_GRACE)


def _enqueue(source_pk, now, *, mark=True):
    from .tasks import capture_source  # tasks import this module

    if mark:
        Source.objects.filter(pk=source_pk, status=S.PENDING).update(
            lease_expires_at=_expected(now)
        )
    capture_source.delay_on_commit(source_pk)


@transaction.atomic
def source_add(*, url, user=None, enqueue=True):
    """The one Source for this URL (normalised), queued for capture if new or not captured.

    Raises ValidationError for anything but an http(s) URL without credentials. If the
    broker is down the Source is still saved (pending) and the sweep queues it later.
    """
    normalized = normalize_url(url)
    if len(normalized) > Source._meta.get_field("url").max_length:
        raise ValidationError("The URL is too long.", code="max_length")
    now = timezone.now()
    source, created = Source.objects.get_or_create(
        url=normalized, defaults={"added_by": user, "lease_expires_at": _expected(now)}
    )
    if enqueue and (created or source.status == S.PENDING):
        _enqueue(source.pk, now, mark=not created)
        source.lease_expires_at = _expected(now)
    return source


@transaction.atomic
def source_recapture(*, source, user=None, enqueue=True):
    """Queue a fresh capture of `source` unless a worker is capturing it right now."""
    now = timezone.now()
    busy = Source.objects.filter(pk=source.pk, status=S.CAPTURING, lease_expires_at__gt=now)
    if not busy.exists():
        Source.objects.filter(pk=source.pk).update(status=S.PENDING, attempts=0)
        if enqueue:
            _enqueue(source.pk, now)
        logger.info("recapture of %s requested by %s", source.url, user or "the system")
    source.refresh_from_db()
    return source


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


def capture_attempt(*, source_pk):
    """One attempt at capturing a source: claim, wait for the domain, fetch, record.

    Never runs inside a transaction: nothing is held open across the HTTP request.
    """
    lease = _claim(source_pk)
    if lease is None:
        return Step(claimed=False)
    source = Source.objects.get(pk=source_pk)
    try:
        return _attempt(source, lease)
    except Exception as exc:
        # Record what broke (the row would otherwise sit in "capturing" until swept).
        error = FetchError("internal_error", f"Capture failed inside the workbench: {exc!r}")
        _record(source, lease, _failure_fields(timezone.now(), error))
        raise


def _attempt(source, lease):
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
        result = fetch(source.url)
    except FetchError as error:
        if error.http_status == 429:
            _domain_hold(source.domain, error.retry_after)
        return _record_failure(source, lease, requested_at, error)
    extracted = extract(
        body=result.body,
        content_type=result.content_type,
        charset=result.charset,
        url=result.final_url,
    )
    fields = {
        "origin": Capture.Origin.FETCHED,
        "requested_at": requested_at,
        "outcome": Capture.Outcome.OK,
        "http_status": result.status,
        "final_url": result.final_url[:2000],
        "content_type": _header(result.headers, "content-type", result.content_type)[:255],
        **_content_fields(result.body, extracted),
    }
    archive = _store_archive(source, warc_response(result))
    return _record(source, lease, fields, archive=archive)


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
        "error_message": extracted.problem,
    }


def _store_archive(source, data):
    now = timezone.now()
    name = f"archives/{now:%Y/%m}/source-{source.pk}-{now:%Y%m%dT%H%M%S%f}.warc.gz"
    return default_storage.save(name, ContentFile(data))


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
def _record(source, lease, fields, *, archive="", retry_in=None):
    """Append the Capture and settle the Source, if this worker still holds the claim."""
    now = timezone.now()
    previous = source.latest_capture_id
    capture = Capture.objects.create(source=source, finished_at=now, archive=archive, **fields)
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
        if archive:
            default_storage.delete(archive)
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


_UPLOAD_TYPES = {"application/pdf", "text/html", "text/plain"}


def _sniff_upload(data, name):
    """HTML, PDF or plain text, judged by the bytes (a browser's type is only a hint)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[:8192]:
        return None  # binary
    html_marks = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")
    if head.startswith(html_marks) or name.lower().endswith((".html", ".htm", ".xhtml")):
        return "text/html"
    return "text/plain"


@transaction.atomic
def capture_upload(*, source, uploaded_file, user):
    """A reviewer's copy of a page we cannot fetch (paywall, login wall): HTML, PDF or text."""
    if user is None:
        raise ValueError("an uploaded copy needs the reviewer who uploaded it")
    limit = settings.FETCH_MAX_BYTES
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"The file is larger than {limit:,} bytes.", code="too_large")
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    content_type = _sniff_upload(data, uploaded_file.name or "")
    if content_type not in _UPLOAD_TYPES:
        raise ValidationError(
            "Only an HTML page, a PDF or a plain text file can be uploaded.",
            code="unsupported_type",
        )
    extracted = extract(body=data, content_type=content_type, url=source.url)
    note = f"Uploaded by {user.get_username()} as {uploaded_file.name}"
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


def sources_sweep(*, limit=500):
    """Re-send the work that no worker is doing (broker was down, message lost, worker
    died holding a lease). Returns how many sources were queued again."""
    now = timezone.now()
    pks = list(Source.objects.lost(now).order_by("created_at").values_list("pk", flat=True)[:limit])
    queued = 0
    for pk in pks:
        with transaction.atomic():
            if Source.objects.lost(now).filter(pk=pk).update(status=S.PENDING):
                _enqueue(pk, now)
                queued += 1
    if queued:
        logger.info("sweep re-queued %d sources", queued)
    return queued


def sources_recheck(*, limit=None):
    """Queue a recapture of sources last checked longer ago than RECHECK_AFTER_DAYS.

    The capture then tells (capture_finished) whether the content changed or vanished.
    """
    now = timezone.now()
    cutoff = now - timedelta(days=settings.RECHECK_AFTER_DAYS)
    due = Source.objects.due_for_recheck(cutoff).order_by("last_checked_at")
    pks = list(due.values_list("pk", flat=True)[: limit or settings.RECHECK_BATCH])
    queued = 0
    for pk in pks:
        with transaction.atomic():
            if due.filter(pk=pk).update(status=S.PENDING, attempts=0):
                _enqueue(pk, now)
                queued += 1
    return queued
