from smtplib import SMTPException

from celery import shared_task

from . import notify
from .models import Claim, Verdict

# A mail server that is down or slow is transient; the message is worth a few retries.
MAIL_RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(ignore_result=True, **MAIL_RETRY)
def send_claim_assigned(claim_pk, assignee_pk, by_pk=None):
    claim = Claim.objects.select_related("article").filter(pk=claim_pk).first()
    assignee = notify.user_or_none(assignee_pk)
    # Gone, or given to someone else meanwhile: the message would be wrong.
    if claim is None or assignee is None or claim.assignee_id != assignee.pk:
        return
    notify.send_claim_assigned_email(claim=claim, assignee=assignee, by=notify.user_or_none(by_pk))


@shared_task(ignore_result=True, **MAIL_RETRY)
def send_verdict_decided(verdict_pk, state):
    verdict = (
        Verdict.objects.select_related("claim", "rating", "author", "approver")
        .filter(pk=verdict_pk)
        .first()
    )
    if verdict is None:
        return
    notify.send_verdict_decided_email(verdict=verdict, state=state)
