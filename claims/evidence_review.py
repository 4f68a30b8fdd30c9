"""The reviewer's side of evidence: assess a source on a claim, or take it off."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .history import tracked_delete, tracked_save
from .models import Claim, Evidence
from .roles import is_reviewer
from .workflow import WorkflowError

CLOSED = (Claim.Status.VERIFIED, Claim.Status.DISMISSED)


def _require_open_claim(claim, user):
    if not is_reviewer(user):
        raise PermissionDenied("Only reviewers and editors can do this.")
    if claim.status in CLOSED:
        # Its verdict was approved on this evidence; changing it silently would
        # rewrite the basis of a published result.
        raise WorkflowError(
            f"This claim is {claim.get_status_display().lower()}; reopen it to change its "
            "evidence.",
            code="closed",
        )


@transaction.atomic
def evidence_assess(*, evidence, user, stance, passage="", note=""):
    """Record the passage relied on and the stance, against the source's latest capture."""
    evidence = (
        Evidence.objects.select_for_update().select_related("claim", "source").get(pk=evidence.pk)
    )
    _require_open_claim(evidence.claim, user)
    if stance not in Evidence.Stance.values:
        raise WorkflowError({"stance": f"Unknown stance “{stance}”."})
    passage, note = (passage or "").strip(), (note or "").strip()
    if stance != Evidence.Stance.UNASSESSED and not passage:
        raise WorkflowError(
            {"passage": "Quote the passage of the source that the stance rests on."}
        )
    changed = [
        name
        for name, value in (("stance", stance), ("passage", passage), ("note", note))
        if getattr(evidence, name) != value
    ]
    if not changed:
        return evidence
    evidence.stance, evidence.passage, evidence.note = stance, passage, note
    evidence.capture_id = evidence.source.latest_capture_id
    return tracked_save(
        evidence, user=user, reason=f"Assessed: {evidence.get_stance_display().lower()}"
    )


@transaction.atomic
def evidence_remove(*, evidence, user):
    evidence = (
        Evidence.objects.select_for_update().select_related("claim", "source").get(pk=evidence.pk)
    )
    _require_open_claim(evidence.claim, user)
    tracked_delete(evidence, user=user, reason=f"Source removed: {evidence.source.url}")
