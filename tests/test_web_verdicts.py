"""The verdict panel: propose, approve, return, reopen, dismiss, revise, through the views."""

import pytest
from django.core import mail
from django.urls import reverse

from claims.models import Claim, Verdict
from claims.services.workflow import verdict_propose

from .support.factories import make_claim, rating
from .support.web import client_for, enqueued, page_text, run_enqueued

# Proposals here are about the workflow, not evidence: each says why it needs none.
NO_SOURCE = "The claim is checked against the article itself."

pytestmark = pytest.mark.django_db

S = Claim.Status


def url(name, pk):
    return reverse(f"claims:{name}", args=[pk])


def propose(client, claim, *, version=None, label="False", rationale="The records say 2010."):
    return client.post(
        url("claim_propose", claim.pk),
        {
            "propose-rating": rating(label).pk,
            "propose-rationale": rationale,
            "propose-no_evidence_reason": NO_SOURCE,
            "propose-version": version or claim.version,
        },
    )


@pytest.fixture
def proposed(reviewer):
    claim = make_claim()
    verdict = verdict_propose(
        no_evidence_reason=NO_SOURCE, claim=claim, rating=rating(), rationale="No.", user=reviewer
    )
    return verdict


def test_reviewer_starts_review_and_proposes_a_verdict(reviewer):
    claim = make_claim()
    client = client_for(reviewer)
    assert client.post(url("claim_start", claim.pk), {"start-version": 1}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW and claim.assignee == reviewer
    response = propose(client, claim)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.AWAITING_APPROVAL
    verdict = claim.verdicts.get()
    assert (verdict.rating.label, verdict.author, verdict.state) == ("False", reviewer, "proposed")
    html = page_text(client.get(url("claim_detail", claim.pk)))
    assert "Verdict proposed. An editor will approve or return it." in html
    assert "Waiting for an editor" in html
    assert 'action="' + url("verdict_approve", verdict.pk) not in html


def test_a_verdict_without_a_rationale_is_a_form_error_and_nothing_is_saved(reviewer):
    claim = make_claim()
    response = propose(client_for(reviewer), claim, rationale="  ")
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    assert not Verdict.objects.exists()
    claim.refresh_from_db()
    assert claim.status == S.UNREVIEWED and claim.version == 1


def test_an_unknown_rating_is_a_form_error(reviewer):
    claim = make_claim()
    response = client_for(reviewer).post(
        url("claim_propose", claim.pk),
        {"propose-rating": 99999, "propose-rationale": "x", "propose-version": 1},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in page_text(response)
    assert not Verdict.objects.exists()


def test_editor_approves_and_the_author_is_emailed(
    proposed, editor, django_capture_on_commit_callbacks
):
    client = client_for(editor)
    html = page_text(client.get(url("claim_detail", proposed.claim_id)))
    assert 'action="' + url("verdict_approve", proposed.pk) in html
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url("verdict_approve", proposed.pk), {"approve-version": 1})
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.state == Verdict.State.APPROVED and proposed.approver == editor
    assert proposed.claim.status == S.VERIFIED
    run_enqueued(callbacks)
    [message] = mail.outbox
    assert message.to == ["rita@example.org"]
    assert message.subject.startswith("Your verdict was approved: In 2009, Moscow")
    assert 'ed approved your verdict "False"' in message.body
    assert f"/claims/{proposed.claim_id}/" in message.body


def test_editor_returns_with_a_comment_and_the_author_is_emailed(
    proposed, editor, django_capture_on_commit_callbacks
):
    comment = "Which records? Cite the ministry's statement. " * 5  # long: over 100 chars
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(editor).post(
            url("verdict_return", proposed.pk),
            {"return-comment": comment, "return-version": 1},
        )
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.state == Verdict.State.RETURNED and proposed.review_comment == comment.strip()
    assert proposed.claim.status == S.IN_REVIEW
    reason = proposed.history.first().history_change_reason
    assert reason.startswith("Verdict returned: Which records?") and len(reason) <= 100
    run_enqueued(callbacks)
    [message] = mail.outbox
    assert message.subject.startswith("Your verdict was returned")
    assert "Cite the ministry's statement." in message.body


def test_returning_without_a_comment_is_refused(proposed, editor):
    response = client_for(editor).post(
        url("verdict_return", proposed.pk), {"return-comment": "", "return-version": 1}
    )
    assert response.status_code == 400
    proposed.refresh_from_db()
    assert proposed.state == Verdict.State.PROPOSED


def test_a_reviewer_cannot_approve_or_return(proposed, reviewer, second_editor):
    client = client_for(reviewer)
    assert (
        client.post(url("verdict_approve", proposed.pk), {"approve-version": 1}).status_code == 403
    )
    response = client.post(
        url("verdict_return", proposed.pk), {"return-comment": "no", "return-version": 1}
    )
    assert response.status_code == 403
    proposed.refresh_from_db()
    assert proposed.state == Verdict.State.PROPOSED


def test_editor_cannot_approve_own_verdict(editor):
    claim = make_claim()
    verdict = verdict_propose(
        no_evidence_reason=NO_SOURCE, claim=claim, rating=rating(), rationale="Mine.", user=editor
    )
    client = client_for(editor)
    html = page_text(client.get(url("claim_detail", claim.pk)))
    assert "you cannot approve your own verdict" in html
    assert (
        client.post(url("verdict_approve", verdict.pk), {"approve-version": 1}).status_code == 403
    )
    verdict.refresh_from_db()
    assert verdict.state == Verdict.State.PROPOSED


def test_approving_a_verdict_revised_since_the_page_loaded_is_refused(proposed, reviewer, editor):
    editor_client = client_for(editor)
    page = page_text(editor_client.get(url("claim_detail", proposed.claim_id)))
    assert 'name="approve-version" value="1"' in page
    # The author revises the rationale after the editor opened the page.
    response = client_for(reviewer).post(
        url("verdict_edit", proposed.pk),
        {
            "verdict_edit-rating": rating("Mostly false").pk,
            "verdict_edit-rationale": "Mostly not.",
            "verdict_edit-version": 1,
        },
    )
    assert response.status_code == 302
    response = editor_client.post(url("verdict_approve", proposed.pk), {"approve-version": 1})
    assert response.status_code == 409
    html = page_text(response)
    assert "Not saved: someone else changed this verdict" in html
    assert "<del>False</del> → <ins>Mostly false</ins>" in html
    assert "<del>No.</del> → <ins>Mostly not.</ins>" in html
    proposed.refresh_from_db()
    assert proposed.state == Verdict.State.PROPOSED and proposed.approver is None
    assert proposed.claim.status == S.AWAITING_APPROVAL


def test_only_the_author_revises_a_proposed_verdict(proposed, second_editor):
    response = client_for(second_editor).post(
        url("verdict_edit", proposed.pk),
        {
            "verdict_edit-rating": rating("True").pk,
            "verdict_edit-rationale": "Yes.",
            "verdict_edit-version": 1,
        },
    )
    assert response.status_code == 403
    proposed.refresh_from_db()
    assert proposed.rationale == "No."


def test_two_concurrent_proposals_keep_the_first(reviewer, second_editor):
    claim = make_claim()
    assert propose(client_for(reviewer), claim, version=1).status_code == 302
    response = propose(client_for(second_editor), claim, version=1, label="True", rationale="Yes.")
    assert response.status_code == 409
    html = page_text(response)
    assert "What you tried to save (not saved)" in html and "Yes." in html
    assert Verdict.objects.get().author == reviewer


def test_editor_reopens_a_verified_claim_with_a_reason(proposed, editor, second_editor):
    client_for(editor).post(url("verdict_approve", proposed.pk), {"approve-version": 1})
    claim = Claim.objects.get()
    assert (
        client_for(second_editor)
        .post(url("claim_reopen", claim.pk), {"reopen-reason": "", "reopen-version": claim.version})
        .status_code
        == 400
    )
    response = client_for(second_editor).post(
        url("claim_reopen", claim.pk),
        {"reopen-reason": "New census data", "reopen-version": claim.version},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    proposed.refresh_from_db()
    assert claim.status == S.IN_REVIEW and proposed.state == Verdict.State.SUPERSEDED


def test_a_reviewer_cannot_reopen(proposed, reviewer, editor):
    client_for(editor).post(url("verdict_approve", proposed.pk), {"approve-version": 1})
    claim = Claim.objects.get()
    response = client_for(reviewer).post(
        url("claim_reopen", claim.pk), {"reopen-reason": "Why not", "reopen-version": claim.version}
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == S.VERIFIED


def test_dismiss_needs_a_reason(reviewer):
    claim = make_claim()
    client = client_for(reviewer)
    response = client.post(
        url("claim_dismiss", claim.pk), {"dismiss-reason": "", "dismiss-version": 1}
    )
    assert response.status_code == 400
    response = client.post(
        url("claim_dismiss", claim.pk),
        {"dismiss-reason": "Opinion, not a fact", "dismiss-version": 1},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.DISMISSED and claim.dismissed_reason == "Opinion, not a fact"


def test_a_move_the_state_forbids_is_explained(reviewer):
    claim = make_claim(status=S.VERIFIED)
    response = client_for(reviewer).post(url("claim_start", claim.pk), {"start-version": 1})
    assert response.status_code == 400
    assert "Cannot start review a claim that is verified." in page_text(response)


def test_no_email_when_the_transaction_rolls_back(
    proposed, editor, django_capture_on_commit_callbacks
):
    # A stale version: refused before anything is saved, so nothing is enqueued.
    with django_capture_on_commit_callbacks() as callbacks:
        client_for(editor).post(url("verdict_approve", proposed.pk), {"approve-version": 7})
    assert enqueued(callbacks) == []
