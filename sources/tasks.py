"""Capture tasks: thin wrappers that take ids and call plain functions.

The attempt is sources.capture (the pipeline); beat's work is sources.services (the public
API). All of them run on the `capture` queue (CELERY_TASK_ROUTES).
"""

from celery import shared_task

from .capture import FAULTS, capture_attempt, retry_delay
from .services import source_unsent, sources_recheck, sources_sweep


def _unsent(task, source_pk):
    source_unsent(source_pk=source_pk)


# Retries are counted on the Source row (attempts), which survives redeliveries and
# sweeps; Celery's own counter would restart with every new message, so it is unbounded.
# unpublished: the broker refused the message (see WorkbenchTask.delay_or_log).
@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True, unpublished=_unsent)
def capture_source(self, source_pk):
    """Capture one source. A duplicate or redelivered message finds nothing to claim."""
    try:
        step = capture_attempt(source_pk=source_pk)
    except FAULTS as exc:  # the database was away before anything was claimed
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries + 1)) from exc
    if step.retry_in is not None:
        raise self.retry(countdown=step.retry_in)


@shared_task(ignore_result=True)
def sweep_sources():
    """Beat: re-queue pending work whose message was lost and leases that expired."""
    return sources_sweep()


@shared_task(ignore_result=True)
def recheck_sources():
    """Beat: recapture sources older than RECHECK_AFTER_DAYS (link rot, changed content)."""
    return sources_recheck()
