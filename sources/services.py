"""The public API of `sources`: what claims, the admin, the command and beat call.

source_add, source_recapture, capture_upload, sources_sweep and sources_recheck decide what
to capture and queue it; the attempt a worker runs is in sources/capture.py.

The Source row is the source of truth and Celery only the doorbell:
- pending:   waiting for a worker. lease_expires_at is when the message we sent should
             have been picked up; after that the sweep sends another one;
- capturing: a worker claimed it with a conditional update; lease_expires_at is its
             lease and, being unique, the claim token. A worker that outlives its lease
             finds the token changed and drops its result;
- ok / failed / refused: the outcome of the latest attempt (latest_capture).
A duplicate or redelivered message finds nothing to claim and does nothing.
"""

import logging
import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .capture import record_upload
from .models import Capture, Source
from .staging import remove_stale_staging
from .urlnorm import normalize_url

logger = logging.getLogger(__name__)

S = Source.Status


def _seconds(value):
    return timedelta(seconds=value)


def _expected(now):
    """Until this time the sweep trusts that a queued message is on its way."""
    return now + _seconds(settings.CAPTURE_SWEEP_GRACE)


def _enqueue(source_pk, now, *, mark=True):
    from .tasks import capture_source  # enqueue only: tasks.py imports this module for beat

    if mark:
        Source.objects.filter(pk=source_pk, status=S.PENDING).update(
            lease_expires_at=_expected(now)
        )
    capture_source.delay_on_commit(source_pk)


def source_unsent(*, source_pk):
    """The capture message could not be published (the broker is down): make the source
    due at the next sweep, which then re-sends it within one sweep interval of the broker
    answering, instead of trusting the lost message for CAPTURE_SWEEP_GRACE."""
    try:
        Source.objects.filter(pk=source_pk, status=S.PENDING).update(lease_expires_at=None)
    except DatabaseError:  # then the grace runs out instead; nothing is lost
        logger.warning("could not mark source %s for the sweep", source_pk, exc_info=True)


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
    try:
        return record_upload(
            source, data=data, content_type=content_type, filename=uploaded_file.name, user=user
        )
    except OSError as exc:
        # Full disk, I/O error, permissions: ours, not the reviewer's; nothing was recorded.
        logger.error("uploaded copy of %s not stored", source.url, exc_info=True)
        raise ValidationError(
            f"The copy could not be stored ({exc.strerror or exc}); nothing was saved. "
            "Try again later or tell an administrator.",
            code="storage_error",
        ) from exc


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
    try:
        remove_stale_staging()
    except OSError:
        logger.warning("could not clean the archive staging files", exc_info=True)
    return queued


# Failures of ours rather than of the page: what captures_retry re-queues by default.
OWN_FAILURE_CODES = (
    "internal_error",
    "attempts_exhausted",
    "database_unavailable",
    "storage_error",
)


def failed_sources(*, codes=OWN_FAILURE_CODES):
    """Sources whose latest capture failed with one of `codes` (all failures when empty)."""
    failed = Source.objects.filter(status=S.FAILED, latest_capture__outcome=Capture.Outcome.FAILED)
    return failed.filter(latest_capture__error_code__in=codes) if codes else failed


def sources_retry_failed(*, sources, user=None, enqueue=True):
    """Queue failed sources for a fresh capture (attempts reset). Returns how many."""
    now = timezone.now()
    queued = 0
    for pk in sources.filter(status=S.FAILED).values_list("pk", flat=True):
        with transaction.atomic():
            if Source.objects.filter(pk=pk, status=S.FAILED).update(
                status=S.PENDING, attempts=0, lease_expires_at=_expected(now)
            ):
                if enqueue:
                    _enqueue(pk, now, mark=False)
                queued += 1
    logger.info("%d failed sources re-queued by %s", queued, user or "the system")
    return queued


# -- Recheck (issue 15): batches sized from what is due, claimed in one statement. ------


def recheck_batch_size(due):
    """How many to queue this run: the due sources spread over the runs of one recheck
    period (RECHECK_AFTER_DAYS of RECHECK_EVERY-second runs), never fewer than
    RECHECK_BATCH, never more than RECHECK_MAX_BATCH. 5M sources on a 30-day cycle with
    hourly runs need ~6,900 a run; a backlog (a new deployment, a worker outage) is caught
    up at up to the maximum per run instead of at the trickle rate."""
    runs = max(1.0, settings.RECHECK_AFTER_DAYS * 86400 / settings.RECHECK_EVERY)
    wanted = math.ceil(due / runs) if due else 0
    return min(settings.RECHECK_MAX_BATCH, max(settings.RECHECK_BATCH, wanted))


def sources_recheck(*, limit=None):
    """Queue a recapture of sources last checked longer ago than RECHECK_AFTER_DAYS.

    The due sources are counted through the partial index on last_checked_at (capped at
    what a whole period's runs could take), a batch is sized from that count
    (recheck_batch_size) and claimed oldest first in one UPDATE; each claimed source is one
    message on the capture queue, which every capture worker consumes, and the per-domain
    slots (DomainSlot) keep each site's politeness whatever the batch size. The capture
    then tells (capture_finished) whether the content changed or vanished.
    """
    now = timezone.now()
    cutoff = now - timedelta(days=settings.RECHECK_AFTER_DAYS)
    due = Source.objects.due_for_recheck(cutoff).order_by("last_checked_at")
    if limit is None:
        counted = due.values("pk")[: settings.RECHECK_MAX_BATCH * 24 * 30].count()
        limit = recheck_batch_size(counted)
    with transaction.atomic():
        batch = due.values("pk")[:limit]
        if connection.features.has_select_for_update_skip_locked:
            batch = batch.select_for_update(skip_locked=True, of=("self",))
        pks = list(batch.values_list("pk", flat=True))
        # One statement for the batch; the conditions are repeated so that a source whose
        # status changed since it was read is not claimed.
        queued = (
            Source.objects.due_for_recheck(cutoff)
            .filter(pk__in=pks)
            .update(status=S.PENDING, attempts=0, lease_expires_at=_expected(now))
        )
        if queued:
            claimed = Source.objects.filter(pk__in=pks, status=S.PENDING).values_list(
                "pk", flat=True
            )
            for pk in claimed:
                _enqueue(pk, now, mark=False)
    if queued:
        logger.info("recheck queued %d sources", queued)
    return queued
