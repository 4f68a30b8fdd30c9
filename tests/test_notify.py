"""Email notifications: on assignment to someone, and when their verdict is approved or returned."""

import pytest
from django.core import mail
from django.db import transaction

from claims.services import claim_assign
from claims.services.workflow import verdict_approve, verdict_propose, verdict_return
from claims.tasks import send_claim_assigned, send_verdict_decided

from .support.factories import make_article, make_claim, rating
from .support.web import enqueued, run_enqueued

# Proposals here are about the workflow, not evidence: each says why it needs none.
NO_SOURCE = "The claim is checked against the article itself."

pytestmark = pytest.mark.django_db


def test_assignment_email_names_the_claim_the_article_and_the_link(
    reviewer, editor, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://workbench.example"
    article = make_article(title="Defense <cooperation>")
    claim = make_claim(article, text="Line one\nline two of the claim")
    with django_capture_on_commit_callbacks() as callbacks:
        claim_assign(claim=claim, user=editor, assignee=reviewer)
    run_enqueued(callbacks)
    [message] = mail.outbox
    assert message.to == ["rita@example.org"]
    # The claim's newline must not reach the subject header.
    assert message.subject == "Claim assigned to you: Line one line two of the claim"
    assert "ed assigned you a claim to review" in message.body
    assert 'From the article "Defense <cooperation>" (Example News).' in message.body
    assert f"https://workbench.example/claims/{claim.pk}/" in message.body


def test_no_email_to_yourself_nor_to_someone_without_an_address(
    reviewer, editor, django_capture_on_commit_callbacks
):
    claim = make_claim()
    editor.email = ""
    editor.save()
    with django_capture_on_commit_callbacks() as callbacks:
        claim_assign(claim=claim, user=reviewer, assignee=reviewer)
        claim_assign(claim=claim, user=editor, assignee=editor)
    assert enqueued(callbacks) == []


def test_nothing_is_enqueued_when_the_change_rolls_back(
    reviewer, editor, django_capture_on_commit_callbacks
):
    claim = make_claim()
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            claim_assign(claim=claim, user=editor, assignee=reviewer)
            raise RuntimeError("boom")
    assert enqueued(callbacks) == []


def test_an_assignment_email_is_dropped_when_the_claim_was_reassigned_meanwhile(
    reviewer, editor, second_editor
):
    claim = make_claim()
    claim_assign(claim=claim, user=editor, assignee=second_editor)
    send_claim_assigned(claim.pk, reviewer.pk, editor.pk)
    assert mail.outbox == []


def test_approved_and_returned_verdicts_email_their_author(
    reviewer, editor, django_capture_on_commit_callbacks
):
    first = make_claim()
    second = make_claim(quote="In 2022, several thousand soldiers were deployed in Belarus.")
    with django_capture_on_commit_callbacks() as callbacks:
        a = verdict_propose(
            no_evidence_reason=NO_SOURCE,
            claim=first,
            rating=rating("True"),
            rationale="Yes.",
            user=reviewer,
        )
        b = verdict_propose(
            no_evidence_reason=NO_SOURCE,
            claim=second,
            rating=rating("False"),
            rationale="No.",
            user=reviewer,
        )
        verdict_approve(verdict=a, user=editor)
        verdict_return(verdict=b, user=editor, comment="Which source says so?")
    assert [(task.name, args) for task, args, _ in enqueued(callbacks)] == [
        ("claims.tasks.send_verdict_decided", (a.pk, "approved")),
        ("claims.tasks.send_verdict_decided", (b.pk, "returned")),
    ]
    run_enqueued(callbacks)
    approved, returned = mail.outbox
    assert approved.subject.startswith("Your verdict was approved: In 2009")
    assert 'ed approved your verdict "True" on this claim, which is now verified' in approved.body
    assert returned.subject.startswith("Your verdict was returned: In 2022")
    assert "Which source says so?" in returned.body


def test_a_deleted_verdict_sends_nothing():
    send_verdict_decided(987654, "approved")
    assert mail.outbox == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_approval_email(celery_worker, worker_mail_dir, reviewer, editor):
    claim = make_claim(text="A claim only this test mails about")
    verdict = verdict_propose(
        no_evidence_reason=NO_SOURCE,
        claim=claim,
        rating=rating("True"),
        rationale="Yes.",
        user=reviewer,
    )
    verdict_approve(verdict=verdict, user=editor)

    def sent():
        return [
            p.read_text()
            for p in worker_mail_dir.iterdir()
            if f"/claims/{claim.pk}/" in p.read_text()
        ]

    celery_worker.wait_until(lambda: sent())
    [message] = sent()
    assert "To: rita@example.org" in message and "Your verdict was approved" in message
