"""The claim workflow: each transition allowed or refused as DESIGN.md says."""

import pytest
from django.core.exceptions import PermissionDenied

from claims.models import Claim, Verdict
from claims.services import workflow
from claims.services.workflow import ConflictError, WorkflowError

from .support.factories import make_claim, make_evidence, rating

# Proposals here are about the workflow, not evidence: each says why it needs none.
NO_SOURCE = "The claim is checked against the article itself."

pytestmark = pytest.mark.django_db
S = Claim.Status


def proposed(reviewer, claim=None):
    claim = claim or make_claim()
    return workflow.verdict_propose(
        no_evidence_reason=NO_SOURCE,
        claim=claim,
        rating=rating("Mostly true"),
        rationale="Treaty text",
        user=reviewer,
    )


def test_reviewer_starts_review_and_becomes_assignee(reviewer):
    claim = workflow.claim_start_review(claim=make_claim(), user=reviewer)
    assert claim.status == S.IN_REVIEW
    assert claim.assignee == reviewer


def test_proposing_a_verdict_awaits_approval(reviewer):
    verdict = proposed(reviewer)
    verdict.claim.refresh_from_db()
    assert verdict.state == Verdict.State.PROPOSED
    assert verdict.claim.status == S.AWAITING_APPROVAL


def test_verdict_needs_a_rationale(reviewer):
    with pytest.raises(WorkflowError):
        workflow.verdict_propose(
            no_evidence_reason=NO_SOURCE,
            claim=make_claim(),
            rating=rating(),
            rationale="  ",
            user=reviewer,
        )


def test_editor_approves_anothers_verdict_and_claim_is_verified(reviewer, editor):
    verdict = workflow.verdict_approve(verdict=proposed(reviewer), user=editor)
    claim = Claim.objects.get()
    assert verdict.state == Verdict.State.APPROVED
    assert verdict.approver == editor and verdict.decided_at
    assert claim.status == S.VERIFIED


def test_false_rating_still_verifies_the_claim(reviewer, editor):
    verdict = workflow.verdict_propose(
        no_evidence_reason=NO_SOURCE,
        claim=make_claim(),
        rating=rating("False"),
        rationale="Wrong year",
        user=reviewer,
    )
    workflow.verdict_approve(verdict=verdict, user=editor)
    assert Claim.objects.verified().count() == 1


def test_reviewer_cannot_approve(reviewer, defaults):
    from .support.personas import make_user

    other = make_user("ron", "reviewer")
    with pytest.raises(PermissionDenied):
        workflow.verdict_approve(verdict=proposed(reviewer), user=other)
    assert Claim.objects.get().status == S.AWAITING_APPROVAL


def test_editor_cannot_approve_own_verdict(editor):
    verdict = proposed(editor)
    with pytest.raises(PermissionDenied):
        workflow.verdict_approve(verdict=verdict, user=editor)
    verdict.refresh_from_db()
    assert verdict.state == Verdict.State.PROPOSED


def test_outsider_cannot_propose(outsider):
    with pytest.raises(PermissionDenied):
        proposed(outsider)


def test_return_needs_a_comment_and_sends_claim_back_to_review(reviewer, editor):
    verdict = proposed(reviewer)
    with pytest.raises(WorkflowError):
        workflow.verdict_return(verdict=verdict, user=editor, comment="")
    verdict = workflow.verdict_return(verdict=verdict, user=editor, comment="Cite the treaty")
    assert verdict.state == Verdict.State.RETURNED
    assert verdict.review_comment == "Cite the treaty"
    assert Claim.objects.get().status == S.IN_REVIEW


def test_returned_claim_can_be_proposed_again(reviewer, editor):
    workflow.verdict_return(verdict=proposed(reviewer), user=editor, comment="More sources")
    again = proposed(reviewer, Claim.objects.get())
    assert again.state == Verdict.State.PROPOSED


def test_cannot_approve_a_returned_verdict(reviewer, editor):
    verdict = workflow.verdict_return(verdict=proposed(reviewer), user=editor, comment="No")
    with pytest.raises(WorkflowError):
        workflow.verdict_approve(verdict=verdict, user=editor)


def test_cannot_propose_on_a_claim_awaiting_approval(reviewer):
    verdict = proposed(reviewer)
    with pytest.raises(WorkflowError):
        proposed(reviewer, verdict.claim)


def test_cannot_propose_on_a_verified_claim(reviewer, editor):
    verdict = workflow.verdict_approve(verdict=proposed(reviewer), user=editor)
    with pytest.raises(WorkflowError):
        proposed(reviewer, verdict.claim)


def test_reopen_keeps_old_verdict_as_superseded(reviewer, editor):
    verdict = workflow.verdict_approve(verdict=proposed(reviewer), user=editor)
    claim = workflow.claim_reopen(claim=verdict.claim, user=editor, reason="New evidence")
    verdict.refresh_from_db()
    assert claim.status == S.IN_REVIEW
    assert verdict.state == Verdict.State.SUPERSEDED


def test_reviewer_cannot_reopen(reviewer, editor):
    verdict = workflow.verdict_approve(verdict=proposed(reviewer), user=editor)
    with pytest.raises(PermissionDenied):
        workflow.claim_reopen(claim=verdict.claim, user=reviewer, reason="I disagree")


def test_only_verified_or_dismissed_claims_can_be_reopened(editor):
    with pytest.raises(WorkflowError):
        workflow.claim_reopen(claim=make_claim(), user=editor, reason="why not")


@pytest.mark.parametrize("status", [S.UNREVIEWED, S.IN_REVIEW, S.AWAITING_APPROVAL, S.VERIFIED])
def test_any_state_can_be_dismissed_with_a_reason(reviewer, status):
    claim = make_claim(status=status)
    with pytest.raises(WorkflowError):
        workflow.claim_dismiss(claim=claim, user=reviewer, reason="")
    claim = workflow.claim_dismiss(claim=claim, user=reviewer, reason="Opinion, not a fact")
    assert claim.status == S.DISMISSED
    assert claim.dismissed_reason == "Opinion, not a fact"


def test_dismissing_supersedes_open_verdicts(reviewer):
    verdict = proposed(reviewer)
    workflow.claim_dismiss(claim=verdict.claim, user=reviewer, reason="Duplicate")
    verdict.refresh_from_db()
    assert verdict.state == Verdict.State.SUPERSEDED


def test_dismissed_claim_cannot_be_dismissed_again(reviewer):
    claim = workflow.claim_dismiss(claim=make_claim(), user=reviewer, reason="Duplicate")
    with pytest.raises(WorkflowError):
        workflow.claim_dismiss(claim=claim, user=reviewer, reason="Again")


def test_stale_version_is_refused_and_nothing_changes(reviewer):
    claim = make_claim()
    workflow.claim_start_review(claim=claim, user=reviewer, expected_version=1)
    with pytest.raises(ConflictError):
        workflow.claim_dismiss(claim=claim, user=reviewer, reason="x", expected_version=1)
    assert Claim.objects.get().status == S.IN_REVIEW


def test_allowed_actions_depend_on_role(reviewer, editor):
    claim = proposed(reviewer).claim
    assert "approve" in workflow.allowed_actions(claim, editor)
    assert "approve" not in workflow.allowed_actions(claim, reviewer)
    assert workflow.allowed_actions(claim, reviewer) == {"dismiss"}


def test_a_verdict_without_an_assessed_source_or_a_reason_is_refused(reviewer):
    claim = make_claim()
    make_evidence(claim)  # linked but not assessed: no ground for a verdict yet
    with pytest.raises(WorkflowError) as refused:
        workflow.verdict_propose(
            claim=claim, rating=rating(), rationale="Wrong year", user=reviewer
        )
    assert [e.code for e in refused.value.error_dict["no_evidence_reason"]] == ["no_evidence"]
    claim.refresh_from_db()
    assert claim.status == S.UNREVIEWED and not claim.verdicts.exists()


def test_an_assessed_source_is_enough_to_propose(reviewer):
    claim = make_claim()
    make_evidence(claim, stance="contradicts", passage="The pact dates from 2009.")
    verdict = workflow.verdict_propose(
        claim=claim, rating=rating(), rationale="Wrong year", user=reviewer
    )
    assert verdict.no_evidence_reason == ""


def test_the_reason_why_no_source_is_needed_is_recorded_with_the_verdict(reviewer):
    verdict = workflow.verdict_propose(
        claim=make_claim(),
        rating=rating(),
        rationale="The article contradicts itself.",
        no_evidence_reason="  The article's own figures disagree.  ",
        user=reviewer,
    )
    assert Verdict.objects.get().no_evidence_reason == "The article's own figures disagree."
    assert verdict.history.latest().no_evidence_reason == "The article's own figures disagree."


def test_proposing_assigns_the_proposer_when_nobody_is_assigned(reviewer, editor):
    unassigned = proposed(reviewer)
    assert Claim.objects.get(pk=unassigned.claim_id).assignee == reviewer
    taken = make_claim(quote="In 2022, several thousand soldiers were deployed in Belarus.")
    taken.assignee = editor
    taken.save()
    proposed(reviewer, taken)
    assert Claim.objects.get(pk=taken.pk).assignee == editor
