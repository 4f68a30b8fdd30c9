"""Email notifications: a claim was assigned to someone, their verdict was approved or returned.

Services call claim_assigned() / verdict_decided() inside their transaction; the
message is sent by a task after commit, so a slow or broken mail server never
fails the reviewer's action, and nothing is sent for a change that rolled back.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse


def claim_url(claim_pk):
    return settings.SITE_URL.rstrip("/") + reverse("claims:claim_detail", args=[claim_pk])


def claim_assigned(*, claim, assignee, by):
    from .tasks import send_claim_assigned

    if assignee.email:
        send_claim_assigned.delay_on_commit(claim.pk, assignee.pk, by.pk if by else None)


def verdict_decided(*, verdict):
    from .tasks import send_verdict_decided

    if verdict.author.email:
        send_verdict_decided.delay_on_commit(verdict.pk, verdict.state)


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
