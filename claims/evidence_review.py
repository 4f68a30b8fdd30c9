"""The reviewer's side of evidence: attach a source to a claim, assess it, or take it off."""

from django.db import transaction

from sources.models import Capture
from sources.urlnorm import normalize_url

from .evidence import evidence_add
from .history import tracked_delete, tracked_save
from .models import Claim, Evidence
from .roles import require_reviewer
from .workflow import WorkflowError


def _require_open_claim(claim, user):
    require_reviewer(user)
    if claim.is_closed:
        # Its verdict was approved on this evidence; changing it silently would
        # rewrite the basis of a published result.
        raise WorkflowError(
            f"This claim is {claim.get_status_display().lower()}; reopen it to change its "
            "evidence.",
            code="closed",
        )


@transaction.atomic
def evidence_attach(*, claim, url, user):
    """The reviewer attaches the source at url to an open claim (evidence.evidence_add
    does the work: capture queued, or passages suggested at once from an earlier capture).

    Refuses a source already on the claim, so that the reviewer hears about it; raises
    ValidationError for a URL sources will not take.
    """
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _require_open_claim(claim, user)
    already = claim.evidence.filter(source__url=normalize_url(url)).first()
    if already is not None:
        raise WorkflowError({"url": f"{already.source.url} is already evidence on this claim."})
    return evidence_add(claim=claim, url=url, user=user)


def last_good_capture(source):
    return (
        source.captures.filter(outcome=Capture.Outcome.OK).order_by("-requested_at", "-pk").first()
    )


@transaction.atomic
def evidence_assess(*, evidence, user, stance, passage="", note="", capture=None):
    """Record the passage relied on and the stance.

    capture: the capture the passage was read in (a picked suggestion says which);
    by default the source's last good capture.
    """
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
    if capture is None or capture.source_id != evidence.source_id:
        capture = last_good_capture(evidence.source)
    evidence.capture = capture
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
