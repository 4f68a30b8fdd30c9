"""Edits that are not workflow transitions: a claim's wording, its assignee, a proposed verdict.

Like the transitions in claims/workflow.py they lock the row, refuse a stale copy
(optimistic locking on `version`) and record who and why in the history.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import notify
from .history import tracked_save
from .models import Claim, Verdict
from .roles import EDITOR, REVIEWER, is_editor, is_reviewer, require_reviewer
from .workflow import WorkflowError, check_version


@transaction.atomic
def claim_update(*, claim, user, text, attributed_to, expected_version=None):
    """Change the claim's self-contained wording and attribution (the quote stays)."""
    require_reviewer(user)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    check_version(claim, expected_version)
    if claim.is_closed:
        raise WorkflowError(
            f"This claim is {claim.get_status_display().lower()}; reopen it before editing.",
            code="closed",
        )
    text = (text or "").strip()
    if not text:
        raise WorkflowError({"text": "A claim needs a statement."})
    attributed_to = (attributed_to or "").strip()
    changed = [
        name
        for name, value in (("text", text), ("attributed_to", attributed_to))
        if getattr(claim, name) != value
    ]
    if not changed:
        return claim
    claim.text = text
    claim.attributed_to = attributed_to
    claim.version += 1
    return tracked_save(claim, user=user, reason="Edited: " + ", ".join(changed))


@transaction.atomic
def claim_assign(*, claim, user, assignee, expected_version=None):
    """Give the claim to assignee (None: nobody). Anyone may take a claim; editors hand them out."""
    require_reviewer(user)
    if assignee is not None and assignee.pk != user.pk and not is_editor(user):
        raise PermissionDenied("Only an editor can assign a claim to someone else.")
    if assignee is None and not is_editor(user):
        current = Claim.objects.filter(pk=claim.pk).values_list("assignee_id", flat=True).first()
        if current != user.pk:
            raise PermissionDenied("Only an editor can unassign someone else's claim.")
    if assignee is not None and not is_reviewer(assignee):
        raise WorkflowError({"assignee": f"{assignee} is not a reviewer or an editor."})
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    check_version(claim, expected_version)
    if claim.assignee_id == (assignee.pk if assignee else None):
        return claim
    claim.assignee = assignee
    claim.version += 1
    reason = f"Assigned to {assignee.get_username()}" if assignee else "Unassigned"
    tracked_save(claim, user=user, reason=reason)
    if assignee is not None and assignee.pk != user.pk:
        notify.claim_assigned(claim=claim, assignee=assignee, by=user)
    return claim


def assignable_users():
    """People who can be given claims: members of the reviewer or editor group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[REVIEWER, EDITOR])
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def verdict_update(*, verdict, user, rating, rationale, expected_version=None):
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
