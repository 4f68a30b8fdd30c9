"""Evidence reacting to captures: suggested passages, and flags when a source changes."""

from functools import partial

from django.db import IntegrityError, transaction

from sources.models import Capture
from sources.services import source_add

from .history import tracked_save
from .models import Claim, Evidence, Verdict
from .passages import TOP, match_passages
from .roles import require_reviewer


def passages_for(claim, capture, *, top=TOP):
    """The passages of capture's text that best match the claim, as stored on Evidence."""
    query = f"{claim.text}\n{claim.quote}"
    return [
        {"capture": capture.pk, **passage.as_dict()}
        for passage in match_passages(query, capture.text or "", top=top)
    ]


@transaction.atomic
def evidence_suggest_passages(*, evidence, capture, reason):
    """Store the best passages of capture for this evidence's claim (user None: a task)."""
    evidence = Evidence.objects.select_for_update().select_related("claim").get(pk=evidence.pk)
    evidence.suggested_passages = passages_for(evidence.claim, capture)
    return tracked_save(evidence, user=None, reason=reason)


@transaction.atomic
def evidence_add(*, claim, url, user, note=""):
    """Link the source at url to claim; the same URL twice gives the same evidence row.

    The source is captured in the background and its passages are suggested when the
    capture finishes; a source captured before gets its passages now.
    """
    if user is not None:  # None: a command or a task
        require_reviewer(user, "add evidence")
    source = source_add(url=url, user=user)  # ValidationError for a URL it will not take
    existing = Evidence.objects.filter(claim=claim, source=source).first()
    if existing is not None:
        return existing
    evidence = Evidence(claim=claim, source=source, note=(note or "").strip(), added_by=user)
    try:
        with transaction.atomic():
            tracked_save(evidence, user=user, reason="Source added")
    except IntegrityError:  # the same source added to this claim at the same moment
        return Evidence.objects.get(claim=claim, source=source)
    evidence = evidence_refresh_passages(evidence=evidence, reason="Passages suggested")
    if not evidence.suggested_passages:
        # A capture that finishes before this transaction commits cannot see this row,
        # so its capture_finished receiver skips it: look once more after the commit.
        transaction.on_commit(partial(_passages_after_commit, evidence.pk))
    return evidence


def _passages_after_commit(evidence_pk):
    evidence = (
        Evidence.objects.select_related("source__latest_capture").filter(pk=evidence_pk).first()
    )
    if evidence is not None and not evidence.suggested_passages:
        evidence_refresh_passages(evidence=evidence, reason="Passages suggested")


def evidence_refresh_passages(*, evidence, reason="Passages suggested"):
    """Suggest passages from the source's latest good capture, if it has one."""
    capture = evidence.source.latest_capture
    if capture is None or capture.outcome != Capture.Outcome.OK:
        return evidence
    return evidence_suggest_passages(evidence=evidence, capture=capture, reason=reason)


def source_evidence_update(*, source, capture, content_changed, reason):
    """Recompute passages of every evidence row on source after a good capture."""
    updated = []
    for evidence in Evidence.objects.filter(source=source).order_by("pk"):
        # Suggestions made from an earlier capture of unchanged content stay as they are.
        if content_changed or not evidence.suggested_passages:
            updated.append(
                evidence_suggest_passages(evidence=evidence, capture=capture, reason=reason)
            )
    return updated


def claims_citing(source):
    """Claims whose approved verdict rests on evidence from source."""
    return Claim.objects.filter(
        evidence__source=source, verdicts__state=Verdict.State.APPROVED
    ).distinct()


@transaction.atomic
def claims_flag_for_source(*, source, why):
    """Flag the verified claims that cite source, saying why. Returns the flagged claims."""
    flagged = []
    for pk in claims_citing(source).order_by("pk").values_list("pk", flat=True):
        claim = Claim.objects.select_for_update().get(pk=pk)
        claim.needs_attention = True
        claim.attention_reason = why
        claim.version += 1  # other open forms on this claim are now stale
        flagged.append(tracked_save(claim, user=None, reason=f"Flagged: {why}"))
    return flagged
