"""Background work of the claims app: email notifications.

Services enqueue these with delay_on_commit inside their transaction (a claim was
assigned to someone, their verdict was approved or returned), so a slow or broken
mail server never fails the reviewer's action, and nothing is sent for a change
that rolled back. Passage suggestion reacts to sources' capture_finished signal
(claims/receivers.py) and runs in the capture worker.
"""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

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
    assignee = user_or_none(assignee_pk)
    # Gone, or given to someone else meanwhile: the message would be wrong.
    if claim is None or assignee is None or claim.assignee_id != assignee.pk:
        return
    send_claim_assigned_email(claim=claim, assignee=assignee, by=user_or_none(by_pk))


@shared_task(ignore_result=True, **MAIL_RETRY)
def send_verdict_decided(verdict_pk, state):
    verdict = (
        Verdict.objects.select_related("claim", "rating", "author", "approver")
        .filter(pk=verdict_pk)
        .first()
    )
    if verdict is None:
        return
    send_verdict_decided_email(verdict=verdict, state=state)


def claim_url(claim_pk):
    return settings.SITE_URL.rstrip("/") + reverse("claims:claim_detail", args=[claim_pk])


def _one_line(text, limit=70):
    # A subject is one header line: user text with newlines must not reach it.
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _send(subject, template, context, to):
    body = render_to_string(template, context).strip() + "\n"
    return send_mail(_one_line(subject, 120), body, None, [to])


def send_claim_assigned_email(*, claim, assignee, by):
    return _send(
        f"Claim assigned to you: {_one_line(claim.text)}",
        "claims/email/claim_assigned.txt",
        {"claim": claim, "assignee": assignee, "by": by, "url": claim_url(claim.pk)},
        assignee.email,
    )


def send_verdict_decided_email(*, verdict, state):
    outcome = "approved" if state == verdict.State.APPROVED else "returned"
    return _send(
        f"Your verdict was {outcome}: {_one_line(verdict.claim.text)}",
        "claims/email/verdict_decided.txt",
        {
            "verdict": verdict,
            "claim": verdict.claim,
            "approved": state == verdict.State.APPROVED,
            "url": claim_url(verdict.claim_id),
        },
        verdict.author.email,
    )


def user_or_none(pk):
    return get_user_model().objects.filter(pk=pk).first() if pk else None
