"""The claim review workflow: the one place that decides who may move what where.

    unreviewed -> in_review -> awaiting_approval -> verified
                      ^               |                 |
                      +--- returned --+    reopen ------+     any state -> dismissed

A claim is verified when it has an approved verdict, whatever the rating.
Services take keyword-only arguments and an explicit acting user; they raise
PermissionDenied for a role that may not act and WorkflowError (a
ValidationError, so forms and the admin show it) for a move the state forbids.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..history import tracked_save
from ..models import Claim, Evidence, Verdict
from ..roles import is_editor, is_reviewer, require_editor, require_reviewer
from ..tasks import send_verdict_decided

S = Claim.Status

# (action, from-state) -> to-state. Anything not listed is refused.
TRANSITIONS = {
    ("start_review", S.UNREVIEWED): S.IN_REVIEW,
    ("propose", S.UNREVIEWED): S.AWAITING_APPROVAL,
    ("propose", S.IN_REVIEW): S.AWAITING_APPROVAL,
    ("approve", S.AWAITING_APPROVAL): S.VERIFIED,
    ("return", S.AWAITING_APPROVAL): S.IN_REVIEW,
    ("reopen", S.VERIFIED): S.IN_REVIEW,
    ("reopen", S.DISMISSED): S.IN_REVIEW,
    **{("dismiss", state): S.DISMISSED for state in S if state != S.DISMISSED},
}


class WorkflowError(ValidationError):
    pass


class ConflictError(WorkflowError):
    """Someone else saved the row since the form was loaded (optimistic locking)."""


def next_status(claim, action):
    try:
        return TRANSITIONS[(action, claim.status)]
    except KeyError:
        raise WorkflowError(
            f"Cannot {action.replace('_', ' ')} a claim that is "
            f"{claim.get_status_display().lower()}.",
            code="invalid_transition",
        ) from None


def allowed_actions(claim, user):
    """The actions this user may take on this claim now (for showing buttons)."""
    actions = {action for (action, state) in TRANSITIONS if state == claim.status}
    if not is_editor(user):
        actions -= {"approve", "return", "reopen"}
    if not is_reviewer(user):
        actions = set()
    return actions


def check_version(obj, expected_version):
    """Refuse a save based on a stale copy of obj."""
    if expected_version is not None and int(expected_version) != obj.version:
        raise ConflictError(
            f"{obj._meta.verbose_name.capitalize()} was changed by someone else since you "
            f"opened it (version {expected_version}, now {obj.version}).",
            code="conflict",
        )


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _move(claim, action, *, user, reason):
    claim.status = next_status(claim, action)
    claim.version += 1
    return tracked_save(claim, user=user, reason=reason)


@transaction.atomic
def claim_start_review(*, claim, user, expected_version=None):
    require_reviewer(user)
    claim = _locked(Claim, claim.pk)
    check_version(claim, expected_version)
    if claim.assignee_id is None:
        claim.assignee = user
    return _move(claim, "start_review", user=user, reason="Review started")


def _check_grounds(claim, no_evidence_reason):
    """A verdict rests on at least one assessed source, or says why it needs none (a claim
    about the article itself, say): an approver should never find a bare opinion."""
    assessed = claim.evidence.exclude(stance=Evidence.Stance.UNASSESSED).exists()
    if not assessed and not no_evidence_reason:
        refusal = ValidationError(
            "Assess at least one source (set its stance), or say why this verdict needs no source.",
            code="no_evidence",
        )
        raise WorkflowError({"no_evidence_reason": refusal})


@transaction.atomic
def verdict_propose(
    *, claim, rating, rationale, user, no_evidence_reason="", expected_version=None
):
    """Propose a verdict. It needs an assessed source or a recorded reason why none is
    needed; the proposer becomes the assignee when the claim has none (proposing without
    "Start review" used to leave it unassigned)."""
    require_reviewer(user)
    if not (rationale or "").strip():
        raise WorkflowError({"rationale": "A verdict needs a rationale."})
    no_evidence_reason = (no_evidence_reason or "").strip()
    claim = _locked(Claim, claim.pk)
    check_version(claim, expected_version)
    status = next_status(claim, "propose")
    _check_grounds(claim, no_evidence_reason)
    for old in claim.verdicts.proposed():  # normally none: a claim awaiting approval has one
        old.state = Verdict.State.SUPERSEDED
        tracked_save(old, user=user, reason="Superseded by a new proposal")
    verdict = Verdict(
        claim=claim,
        rating=rating,
        rationale=rationale.strip(),
        author=user,
        no_evidence_reason=no_evidence_reason,
    )
    tracked_save(verdict, user=user, reason="Verdict proposed")
    if claim.assignee_id is None:
        claim.assignee = user
    claim.status = status
    claim.version += 1
    tracked_save(claim, user=user, reason=f"Verdict proposed: {rating}")
    return verdict


def _notify_author(verdict):
    # Sent by a task after commit: a slow mail server never fails the decision,
    # and nothing is sent for a decision that rolled back.
    if verdict.author.email:
        send_verdict_decided.delay_on_commit(verdict.pk, verdict.state)


def _decide(verdict, *, user, expected_version):
    require_editor(user)
    verdict = _locked(Verdict, verdict.pk)
    check_version(verdict, expected_version)
    if verdict.author_id == user.pk:
        raise PermissionDenied("An editor cannot approve or return their own verdict.")
    if verdict.state != Verdict.State.PROPOSED:
        raise WorkflowError(
            f"This verdict is {verdict.get_state_display().lower()}, not proposed.",
            code="invalid_transition",
        )
    return verdict


@transaction.atomic
def verdict_approve(*, verdict, user, expected_version=None):
    verdict = _decide(verdict, user=user, expected_version=expected_version)
    claim = _locked(Claim, verdict.claim_id)
    status = next_status(claim, "approve")
    verdict.state = Verdict.State.APPROVED
    verdict.approver = user
    verdict.decided_at = timezone.now()
    verdict.version += 1
    tracked_save(verdict, user=user, reason="Verdict approved")
    claim.status = status
    claim.needs_attention = False
    claim.attention_reason = ""
    claim.version += 1
    tracked_save(claim, user=user, reason=f"Verified: {verdict.rating}")
    _notify_author(verdict)
    return verdict


@transaction.atomic
def verdict_return(*, verdict, user, comment, expected_version=None):
    if not (comment or "").strip():
        raise WorkflowError({"comment": "Say why the verdict is returned."})
    verdict = _decide(verdict, user=user, expected_version=expected_version)
    claim = _locked(Claim, verdict.claim_id)
    status = next_status(claim, "return")
    verdict.state = Verdict.State.RETURNED
    verdict.approver = user
    verdict.decided_at = timezone.now()
    verdict.review_comment = comment.strip()
    verdict.version += 1
    tracked_save(verdict, user=user, reason=f"Verdict returned: {comment.strip()}")
    claim.status = status
    claim.version += 1
    tracked_save(claim, user=user, reason="Verdict returned to the reviewer")
    _notify_author(verdict)
    return verdict


def _supersede_verdicts(claim, *, user, reason):
    for verdict in claim.verdicts.filter(
        state__in=[Verdict.State.APPROVED, Verdict.State.PROPOSED]
    ):
        verdict.state = Verdict.State.SUPERSEDED
        verdict.version += 1
        tracked_save(verdict, user=user, reason=reason)


@transaction.atomic
def claim_reopen(*, claim, user, reason, expected_version=None):
    require_editor(user)
    if not (reason or "").strip():
        raise WorkflowError({"reason": "Say why the claim is reopened."})
    claim = _locked(Claim, claim.pk)
    check_version(claim, expected_version)
    status = next_status(claim, "reopen")
    _supersede_verdicts(claim, user=user, reason=f"Claim reopened: {reason.strip()}")
    claim.status = status
    claim.dismissed_reason = ""
    claim.version += 1
    return tracked_save(claim, user=user, reason=f"Reopened: {reason.strip()}")


@transaction.atomic
def claim_dismiss(*, claim, user, reason, expected_version=None):
    require_reviewer(user)
    if not (reason or "").strip():
        raise WorkflowError({"reason": "Say why the claim is dismissed."})
    claim = _locked(Claim, claim.pk)
    check_version(claim, expected_version)
    status = next_status(claim, "dismiss")
    _supersede_verdicts(claim, user=user, reason="Claim dismissed")
    claim.status = status
    claim.dismissed_reason = reason.strip()
    claim.version += 1
    return tracked_save(claim, user=user, reason=f"Dismissed: {reason.strip()}")


@transaction.atomic
def verdict_revise(*, verdict, user, rating, rationale, expected_version=None):
    """The author revises a proposed verdict before an editor decides on it."""
    require_reviewer(user)
    verdict = Verdict.objects.select_for_update().get(pk=verdict.pk)
    check_version(verdict, expected_version)
    if verdict.author_id != user.pk:
        raise PermissionDenied("Only the author can revise a proposed verdict.")
    if verdict.state != Verdict.State.PROPOSED:
        raise WorkflowError(
            f"This verdict is {verdict.get_state_display().lower()}; it can no longer be revised.",
            code="invalid_transition",
        )
    rationale = (rationale or "").strip()
    if not rationale:
        raise WorkflowError({"rationale": "A verdict needs a rationale."})
    changed = []
    if verdict.rating_id != rating.pk:
        changed.append("rating")
    if verdict.rationale != rationale:
        changed.append("rationale")
    if not changed:
        return verdict
    verdict.rating = rating
    verdict.rationale = rationale
    verdict.version += 1
    return tracked_save(verdict, user=user, reason="Revised: " + ", ".join(changed))


@transaction.atomic
def verdict_record(
    *, claim, rating, rationale, author, reason, approver=None, decided_at=None, user=None
):
    """Record a verdict reached outside this workbench's review (the demo data): proposed
    by author and, when approver is given, approved by them. The claim moves straight to
    awaiting approval or verified. user None: a command, named in reason.
    """
    claim = _locked(Claim, claim.pk)
    verdict = Verdict(claim=claim, rating=rating, rationale=rationale, author=author)
    claim.status = S.AWAITING_APPROVAL
    if approver is not None:
        verdict.state = Verdict.State.APPROVED
        verdict.approver = approver
        verdict.decided_at = decided_at or timezone.now()
        claim.status = S.VERIFIED
    verdict.full_clean()
    tracked_save(verdict, user=user, reason=reason)
    claim.version += 1
    tracked_save(claim, user=user, reason=reason)
    return verdict
