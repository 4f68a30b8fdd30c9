"""Evidence: the reviewer attaches a source to a claim, assesses it or takes it off; and
evidence reacting to captures (suggested passages, flags when a source changes)."""

from functools import partial

from django.db import IntegrityError, transaction

from sources.models import Capture
from sources.services import source_add
from sources.urlnorm import normalize_url

from ..history import tracked_bulk_update, tracked_delete, tracked_save
from ..models import Claim, Evidence
from ..queries import claims_citing, last_good_capture
from ..roles import require_reviewer
from ..text.passages import TOP, PassageIndex
from .workflow import WorkflowError

# Evidence rows written per transaction when a capture fans out to the claims citing it.
FANOUT_CHUNK = 200


def passages_for(claim, capture, *, top=TOP, index=None):
    """The passages of capture's text that best match the claim, as stored on Evidence.

    index: the PassageIndex of capture's text when the caller matches several claims."""
    if index is None:
        index = PassageIndex(capture.text or "")
    query = f"{claim.text}\n{claim.quote}"
    passages = []
    for passage in index.match(query, top=top):
        found = {"capture": capture.pk, **passage.as_dict()}
        if capture.page_starts:  # a PDF: the passage cites its page
            found["page"] = capture.page_of(passage.start)
        passages.append(found)
    return passages


@transaction.atomic
def evidence_suggest_passages(*, evidence, capture, reason, user=None):
    """Store the best passages of capture for this evidence's claim (user None: a task)."""
    evidence = Evidence.objects.select_for_update().select_related("claim").get(pk=evidence.pk)
    evidence.suggested_passages = passages_for(evidence.claim, capture)
    return tracked_save(evidence, user=user, reason=reason)


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
    evidence = evidence_refresh_passages(evidence=evidence, reason="Passages suggested", user=user)
    if not evidence.suggested_passages:
        # A capture that finishes before this transaction commits cannot see this row,
        # so its capture_finished receiver skips it: look once more after the commit.
        transaction.on_commit(partial(_passages_after_commit, evidence.pk))
    return evidence


@transaction.atomic
def evidence_record(
    *, claim, source, reason, stance, passage="", note="", capture=None, added_by=None, user=None
):
    """Evidence assessed outside the review UI (cited by an imported ClaimReview, the demo
    data), stored as given; a source already on the claim is left as it is.
    user None: a command, named in reason."""
    existing = Evidence.objects.filter(claim=claim, source=source).first()
    if existing is not None:
        return existing
    evidence = Evidence(
        claim=claim,
        source=source,
        stance=stance,
        passage=passage,
        note=note,
        capture=capture,
        added_by=added_by,
    )
    return tracked_save(evidence, user=user, reason=reason)


def _passages_after_commit(evidence_pk):
    evidence = (
        Evidence.objects.select_related("source__latest_capture").filter(pk=evidence_pk).first()
    )
    if evidence is not None and not evidence.suggested_passages:
        evidence_refresh_passages(evidence=evidence, reason="Passages suggested")


def evidence_refresh_passages(*, evidence, reason="Passages suggested", user=None):
    """Suggest passages from the source's latest good capture, if it has one."""
    capture = evidence.source.latest_capture
    if capture is None or capture.outcome != Capture.Outcome.OK:
        return evidence
    return evidence_suggest_passages(evidence=evidence, capture=capture, reason=reason, user=user)


def source_evidence_update(
    *, source, capture, content_changed, reason, user=None, chunk=FANOUT_CHUNK
):
    """Recompute the passages of every evidence row on source after a good capture.

    The capture's text is segmented and indexed once and every citing claim matched
    against it; the rows are written `chunk` at a time, each chunk its own transaction
    (rows locked, one UPDATE, one INSERT of their history rows), so that a source cited
    by thousands of claims never holds one long transaction. Suggestions made from an
    earlier capture of unchanged content stay as they are; a row whose suggestions come
    out the same is not written. Returns the evidence rows written."""
    rows = Evidence.objects.filter(source=source)
    if not content_changed:
        rows = rows.filter(suggested_passages=[])
    pks = list(rows.order_by("pk").values_list("pk", flat=True))
    if not pks:
        return []
    index = PassageIndex(capture.text or "")
    updated = []
    for start in range(0, len(pks), chunk):
        updated += _suggest_chunk(
            pks[start : start + chunk],
            capture,
            index,
            content_changed=content_changed,
            reason=reason,
            user=user,
        )
    return updated


@transaction.atomic
def _suggest_chunk(pks, capture, index, *, content_changed, reason, user):
    rows = (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("claim")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    changed = []
    for evidence in rows:
        if not content_changed and evidence.suggested_passages:
            continue  # suggested meanwhile (evidence_add after its commit)
        passages = passages_for(evidence.claim, capture, index=index)
        if passages != evidence.suggested_passages:
            evidence.suggested_passages = passages
            changed.append(evidence)
    return tracked_bulk_update(changed, ["suggested_passages"], user=user, reason=reason)


@transaction.atomic
def claims_flag_for_source(*, source, why, user=None):
    """Flag the verified claims that cite source, saying why. Returns the flagged claims."""
    flagged = []
    for pk in claims_citing(source).order_by("pk").values_list("pk", flat=True):
        claim = Claim.objects.select_for_update().get(pk=pk)
        claim.needs_attention = True
        claim.attention_reason = why
        claim.version += 1  # other open forms on this claim are now stale
        flagged.append(tracked_save(claim, user=user, reason=f"Flagged: {why}"))
    return flagged


# The reviewer's side: attach, assess, remove (only while the claim is open).


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
    """The reviewer attaches the source at url to an open claim (evidence_add does
    the work: capture queued, or passages suggested at once from an earlier capture).

    Refuses a source already on the claim, so that the reviewer hears about it; raises
    ValidationError for a URL sources will not take.
    """
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _require_open_claim(claim, user)
    already = claim.evidence.filter(source__url=normalize_url(url)).first()
    if already is not None:
        raise WorkflowError({"url": f"{already.source.url} is already evidence on this claim."})
    return evidence_add(claim=claim, url=url, user=user)


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
