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
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .archive import warc_resource
from .claiming import claim_source, settle_source
from .engines import capture_url
from .engines.http import pdf_artefacts
from .extract import extract
from .fetch import FetchError, Limits
from .lease import Lease
from .models import Artefact, Capture, DomainSlot, Source
from .signals import capture_finished
from .staging import stage_archive, stage_artefact

logger = logging.getLogger(__name__)

S = Source.Status
VANISHED_STATUSES = (404, 410)


@dataclass
class Step:
    """What one capture attempt asks of its caller (the task or the command)."""

    claimed: bool
    capture: Capture | None = None
    retry_in: float | None = None  # seconds; None when there is nothing more to do
    fault: str = ""  # a transient fault of ours (database, storage) that sent it back


# Faults of our own infrastructure, not of the page: the source goes back to pending with
# backoff and the attempt is given back, whatever the page. OSError covers the archive
# storage (ENOSPC, EIO, EACCES); DatabaseError a restart, failover or lost connection.
FAULTS = (DatabaseError, OSError)
# How long a fetched response is held in memory waiting for the database to come back
# before it is given up (the source is then fetched again later).
RECORD_PATIENCE = 30.0


def _seconds(value):
    return timedelta(seconds=value)


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


def capture_attempt(*, source_pk, deadline=None, engine=None):
    """One attempt at capturing a source: claim, wait for the domain, fetch, record.

    Never runs inside a transaction: nothing is held open across the HTTP request.
    `deadline` (seconds) bounds the fetch below FETCH_DEADLINE (the command's --timeout).
    A database error before the claim propagates (nothing was claimed; the task retries).
    """
    source = claim_source(source_pk)
    if source is None:
        return Step(claimed=False)
    with Lease(source_pk, source.lease_expires_at) as lease:
        try:
            return _attempt(source, lease, deadline, engine)
        except FAULTS as exc:
            return _give_back(source, lease, exc)
        except Exception as exc:
            # A bug of ours: record it (the row would otherwise sit in "capturing").
            error = FetchError("internal_error", f"Capture failed inside the workbench: {exc!r}")
            _record(source, lease, _failure_fields(timezone.now(), error))
            raise


def fault_code(exc):
    if isinstance(exc, DatabaseError):
        return "database_unavailable"
    return "storage_error"


def _give_back(source, lease, exc):
    """A transient fault of ours: back to pending with backoff, the attempt not counted."""
    code = fault_code(exc)
    logger.warning("capture of %s hit %s; retrying later", source.url, code, exc_info=True)
    delay = retry_delay(1)
    with lease.lock:
        lease.lost = True  # no more renewals: the lease is being handed back
        try:
            if not connection.in_atomic_block:
                connection.close()  # a broken connection is reopened on the next query
            Source.objects.filter(
                pk=source.pk, status=S.CAPTURING, lease_expires_at=lease.token
            ).update(
                status=S.PENDING,
                attempts=F("attempts") - 1,
                lease_expires_at=timezone.now() + _seconds(delay + settings.CAPTURE_SWEEP_GRACE),
            )
        except DatabaseError:
            # Still down: the lease runs out on its own and the source is claimable again.
            remaining = (lease.token - timezone.now()).total_seconds()
            delay = max(delay, remaining + 1)
    return Step(claimed=True, retry_in=delay, fault=code)


def _attempt(source, lease, deadline=None, engine=None):
    if source.attempts > settings.CAPTURE_MAX_ATTEMPTS:
        # Claimed again and again without a result: its workers keep dying on it.
        error = FetchError("attempts_exhausted", "Every capture attempt was interrupted.")
        return _record(source, lease, _failure_fields(timezone.now(), error))
    go, wait = _domain_turn(source.domain)
    if not go:
        later = wait + random.uniform(0, settings.FETCH_DOMAIN_INTERVAL)
        with lease.lock:
            Source.objects.filter(pk=source.pk, lease_expires_at=lease.token).update(
                status=S.PENDING,
                attempts=F("attempts") - 1,
                lease_expires_at=timezone.now() + _seconds(later + settings.CAPTURE_SWEEP_GRACE),
            )
            lease.lost = True
        return Step(claimed=True, retry_in=later)
    time.sleep(wait)
    requested_at = timezone.now()
    limits = None
    if deadline is not None:
        limits = Limits.from_settings(deadline=max(0.1, min(deadline, settings.FETCH_DEADLINE)))
    try:
        # The engine (sources/engines/) fetches, archives and extracts.
        captured = capture_url(source.url, engine=engine, limits=limits)
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
    # Every file is staged (sources/staging.py): in place only once the row commits.
    staged = []
    try:
        staged.append(stage_archive(source.pk, captured.warc))
        artefacts = _stage_artefacts(source.pk, captured.artefacts, staged)
        return _record_patiently(source, lease, fields, archive=staged[0], artefacts=artefacts)
    except BaseException:
        for file in staged:
            file.discard()
        raise


def _stage_artefacts(source_pk, artefacts, staged):
    """(unsaved Artefact, staged file) for each kind -> (data, content type); every staged
    file is also appended to `staged`, so that the caller discards them all on failure."""
    pairs = []
    for kind, (data, content_type) in artefacts.items():
        file = stage_artefact(source_pk, kind, content_type, data)
        staged.append(file)
        pairs.append((_artefact_row(kind, content_type, data, file.name), file))
    return pairs


def _save_artefacts(capture, artefacts):
    """Write the Artefact rows of _stage_artefacts' pairs, now that their capture exists."""
    rows = [row for row, _ in artefacts]
    for row in rows:
        row.capture = capture
    Artefact.objects.bulk_create(rows)


def _artefact_row(kind, content_type, data, name):
    """An unsaved Artefact (its capture is set when the Capture row is written)."""
    return Artefact(
        kind=kind,
        file=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _record_patiently(source, lease, fields, archive, artefacts=()):
    """Record a fetched response, waiting out a short database outage rather than losing it."""
    waited, pause = 0.0, 0.5
    while True:
        try:
            return _record(source, lease, fields, archive=archive, artefacts=artefacts)
        except (OperationalError, InterfaceError):
            if waited >= RECORD_PATIENCE or connection.in_atomic_block:
                raise
            connection.close()
            time.sleep(pause)
            waited += pause
            pause = min(pause * 2, 8.0)


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


def _record(source, lease, fields, *, archive=None, retry_in=None, artefacts=()):
    """Append the Capture and settle the Source, if this worker still holds the claim.

    `archive` is a StagedArchive (sources/staging.py) and `artefacts` pairs of an unsaved
    Artefact and its staged file: moved into place once the row commits, removed if not.
    """
    with lease.lock, transaction.atomic():
        step = _record_row(source, lease.token, fields, archive, retry_in, artefacts)
        lease.lost = True  # settled (or taken over): nothing left to renew
    if not step.claimed:
        for staged in [archive, *(file for _, file in artefacts)]:
            if staged is not None:
                staged.discard()
    return step


def _record_row(source, token, fields, archive, retry_in, artefacts=()):
    now = timezone.now()
    previous = source.latest_capture_id
    capture = Capture.objects.create(
        source=source, finished_at=now, archive=archive.name if archive else "", **fields
    )
    _save_artefacts(capture, artefacts)
    if retry_in is not None:
        changes = {
            "status": S.PENDING,
            "lease_expires_at": now + _seconds(retry_in + settings.CAPTURE_SWEEP_GRACE),
        }
    else:
        status = {"ok": S.OK, "failed": S.FAILED, "refused": S.REFUSED}[capture.outcome]
        changes = {"status": status, "lease_expires_at": None, "last_checked_at": now}
    # The claim token check and the write are one conditional update.
    if not settle_source(source.pk, token, {"latest_capture": capture.pk, **changes}):
        logger.warning("capture of %s outlived its claim; result dropped", source.url)
        transaction.set_rollback(True)
        return Step(claimed=False)
    source.latest_capture = capture
    for name, value in changes.items():
        setattr(source, name, value)
    # Before the signal: its receivers may read the archive.
    for staged in [archive, *(file for _, file in artefacts)]:
        if staged is not None:
            staged.publish_on_commit()
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
    """Record a reviewer's uploaded copy (already checked by services.capture_upload).

    OSError when the archive cannot be written (full disk): nothing is recorded."""
    extracted = extract(body=data, content_type=content_type, url=source.url)
    note = f"Uploaded by {user.get_username()} as {filename}"
    staged = []
    try:
        staged.append(
            stage_archive(
                source.pk,
                warc_resource(url=source.url, content_type=content_type, body=data, note=note),
            )
        )
        # An uploaded PDF is pictured like a fetched one (its first page).
        pictures = pdf_artefacts(data, content_type, extracted)
        artefacts = _stage_artefacts(source.pk, pictures, staged)
        return _record_upload_row(source, staged, artefacts, data, content_type, extracted, user)
    except BaseException:
        for file in staged:
            file.discard()
        raise


def _record_upload_row(source, staged, artefacts, data, content_type, extracted, user):
    archive = staged[0].name
    for file in staged:
        file.publish_on_commit()
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
    _save_artefacts(capture, artefacts)
    # The copy stands until a newer capture: any running or pending fetch is superseded.
    had_captures = source.latest_capture_id is not None
    source.latest_capture = capture
    source.status = S.OK
    source.lease_expires_at = None
    source.save(update_fields=["latest_capture", "status", "lease_expires_at"])
    _announce(capture, source, had_captures=had_captures)
    return capture
