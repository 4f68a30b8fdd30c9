"""What several pages share, so that no page's module imports another's.

The claim page is drawn from three modules (claim, evidence, verdicts), so its
context and `act()` live here: every POST on the claim page goes through `act()`:
a valid form calls one service; a stale version gives 409 with what changed; a
refused move gives the form back with the reason; nothing is saved in either case.
Also here: putting a service's ValidationError on a form, and the rules for when an
evidence item (or its passages note) is polled while its source is captured.
"""

import re

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render

from sources.models import Capture, Source

from .. import timeline
from ..models import ClaimSet, Evidence, Verdict
from ..queries import claim_similar_cached, reviews_side_by_side, with_counts
from ..roles import is_editor
from ..services import ConflictError, WorkflowError, allowed_actions
from ..text import display
from . import forms as f

CLAIM_PAGE = "claims/claim/detail.html"

FORMS = {
    "edit": f.ClaimEditForm,
    "assign": f.AssignForm,
    "start": f.StartReviewForm,
    "propose": f.ProposeForm,
    "dismiss": f.ReasonForm,
    "reopen": f.ReasonForm,
    "approve": f.ApproveForm,
    "return": f.ReturnForm,
    "verdict_edit": f.VerdictEditForm,
}

# These carry the proposed verdict's version; the others the claim's.
VERDICT_FORMS = ("approve", "return", "verdict_edit")


def add_form_errors(form, error, default_field=None):
    """Put a ValidationError from a service on the form: on its field when the form has
    one, else on default_field, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else default_field, errors)
    else:
        form.add_error(default_field, error)


# Polling: a source being captured, and the suggested passages that follow a capture.

WORKING = (Source.Status.PENDING, Source.Status.CAPTURING)
# After a capture succeeds, passages are suggested by the worker a moment later;
# the page asks a few more times, then stops (a reload shows them whenever they come).
PASSAGE_POLLS = 10


def capturing(item):
    """The item's source is being captured: the whole item is polled (it has no form yet)."""
    return item.source.status in WORKING


def awaiting_passages(item, poll):
    """Captured, but the suggested passages are not in yet: only a note is polled, so that
    a passage being typed is never replaced."""
    capture = item.source.latest_capture
    return (
        item.source.status == Source.Status.OK
        and capture is not None
        and capture.outcome == Capture.Outcome.OK
        and not item.suggested_passages
        and poll < PASSAGE_POLLS
    )


def mark_polling(item, poll=0):
    item.poll = poll + 1 if capturing(item) else None
    item.passages_poll = poll + 1 if not item.poll and awaiting_passages(item, poll) else None
    return item


# The claim page.

# Reasons that tasks record name the task (DESIGN.md); people read what happened instead.
MACHINE_REASONS = [
    (
        re.compile(r"^capture_finished: capture \d+"),
        "Done automatically when the source's page was captured",
    ),
]


def human_reason(why):
    for pattern, words in MACHINE_REASONS:
        why = pattern.sub(words, why)
    return why


def readable(entries):
    """History entries with human reasons and word-level diffs of each changed field."""
    for entry in entries:
        entry.why = human_reason(entry.why)
        for change in entry.changes:
            change.pieces = display.word_diff(change.old, change.new)
    return entries


def evidence_rows(claim):
    return (
        claim.evidence.select_related("claim", "source", "source__latest_capture", "added_by")
        .defer("source__latest_capture__text")
        .order_by("created_at", "pk")
    )


# Sources shown with the claim; more load on demand (htmx). Each carries its assessment
# form, the costliest part of the page to render (~3 ms an item on a busy machine).
EVIDENCE_PAGE = 10


def prepare_items(rows):
    items = list(rows)
    for item in items:
        item.form = evidence_form(item)
        mark_polling(item)
    return items


def evidence_page(claim, after=None, limit=EVIDENCE_PAGE):
    """(the claim's evidence items after the `after` evidence pk, ready to render; the
    pk to continue after, or None). In the page's order: created_at, then pk."""
    rows = evidence_rows(claim)
    if after is not None:
        last = Evidence.objects.filter(pk=after, claim=claim).values("created_at").first()
        if last is None:
            return [], None
        rows = rows.filter(
            Q(created_at__gt=last["created_at"]) | Q(created_at=last["created_at"], pk__gt=after)
        )
    items = prepare_items(rows[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return items, (items[-1].pk if more else None)


def evidence_form(item, data=None):
    suggestions = item.suggested_passages or []
    pick = f.initial_pick(item.passage, suggestions)
    return f.EvidenceAssessForm(
        data,
        prefix=f"evidence-{item.pk}",
        suggestions=suggestions,
        initial={
            "stance": item.stance,
            "pick": pick,
            "passage": item.passage if pick == f.OWN else "",
            "note": item.note,
        },
    )


def claim_sets_context(claim, user):
    """The claim's sets with their counts, and (for editors) the sets it could join."""
    sets = list(with_counts(ClaimSet.objects.filter(claims=claim)))
    editor = is_editor(user)
    others = ClaimSet.objects.exclude(pk__in=[s.pk for s in sets]).only("slug", "name")
    return {
        "claim": claim,
        "claim_sets": sets,
        "other_sets": list(others) if editor else [],
        "is_editor": editor,
    }


def claim_context(request, claim, *, bound=None, conflict=None):
    """Everything the claim page shows; `bound` replaces the blank form of one action
    (or of one evidence row, when it is an EvidenceAssessForm)."""
    user = request.user
    verdicts = list(claim.verdicts.select_related("rating", "author", "approver"))
    proposed = next((v for v in verdicts if v.state == Verdict.State.PROPOSED), None)
    returned = next((v for v in verdicts if v.state == Verdict.State.RETURNED), None)
    editor = is_editor(user)
    initial = {
        "edit": {"text": claim.text, "attributed_to": claim.attributed_to},
        "assign": {"assignee": claim.assignee_id},
        "propose": {"rating": returned.rating_id, "rationale": returned.rationale}
        if returned
        else {},
        "verdict_edit": {"rating": proposed.rating_id, "rationale": proposed.rationale}
        if proposed
        else {},
    }
    forms = {}
    for name, form_class in FORMS.items():
        if name in VERDICT_FORMS:
            if proposed is None:
                continue
            version = proposed.version
        else:
            version = claim.version
        data = {**initial.get(name, {}), "version": version}
        forms[name] = form_class(initial=data, prefix=name)
    evidence, evidence_next = evidence_page(claim)
    if isinstance(bound, f.EvidenceAssessForm) and bound.prefix not in {
        item.form.prefix for item in evidence
    }:
        # The row with the refused input is further down: show it with its errors.
        pk = int(bound.prefix.removeprefix("evidence-"))
        evidence += prepare_items(evidence_rows(claim).filter(pk=pk))
    for item in evidence:
        if isinstance(bound, f.EvidenceAssessForm) and bound.prefix == item.form.prefix:
            item.form = bound
    forms["evidence_add"] = f.EvidenceAddForm(prefix="evidence-add")
    if bound and bound.prefix in forms:
        forms[bound.prefix] = bound
    elif isinstance(bound, f.EvidenceAddForm):
        forms["evidence_add"] = bound
    before, quote, after = display.context(claim.article.body, claim.start, claim.end)
    our_review, imported_reviews = reviews_side_by_side(claim, verdicts)
    assessed = [item for item in evidence if item.stance != Evidence.Stance.UNASSESSED]
    return {
        "claim": claim,
        "article": claim.article,
        "context_before": before,
        "context_quote": quote,
        "context_after": after,
        "evidence": evidence,
        "assessed": assessed,
        "evidence_next": evidence_next,
        "claim_closed": claim.is_closed,
        "verdicts": verdicts,
        "our_review": our_review,
        "imported_reviews": imported_reviews,
        "proposed": proposed,
        "actions": allowed_actions(claim, user),
        "is_editor": editor,
        "can_decide": bool(editor and proposed and proposed.author_id != user.pk),
        "is_author": bool(proposed and proposed.author_id == user.pk),
        "forms": forms,
        **timeline_context(claim),
        "similar": claim_similar_cached(claim),
        **claim_sets_context(claim, user),
        "conflict": conflict,
        "stances": Evidence.Stance.choices,
        "nav": "queue",
    }


def timeline_context(claim, before=None):
    """The newest page of the claim's history and the cursor of the next (older) one."""
    entries, cursor = timeline.claim_timeline_page(claim, before=before)
    return {"claim": claim, "timeline": readable(entries), "timeline_next": cursor}


def claim_page(request, claim, *, bound=None, conflict=None, status=200):
    return render(
        request,
        CLAIM_PAGE,
        claim_context(request, claim, bound=bound, conflict=conflict),
        status=status,
    )


def _conflict(obj, form, error):
    """The refusal, what changed since the user's version, and their input kept for a retry."""
    stale_version = form.cleaned_data["version"]
    fresh = type(obj).objects.get(pk=obj.pk)
    summary, entries = timeline.changes_since(fresh, stale_version)
    data = form.data.copy()
    data[form.add_prefix("version")] = fresh.version
    retry = type(form)(data, prefix=form.prefix)
    retry.is_valid()
    # The form may not be shown any more (say the claim moved on to awaiting
    # approval), so the panel repeats what the user typed.
    yours = [
        (field.label, str(form.cleaned_data[field.name]))
        for field in form.visible_fields()
        if form.cleaned_data.get(field.name) not in (None, "")
    ]
    return retry, {
        "message": error.messages[0],
        "what": obj._meta.verbose_name,
        "summary": summary,
        "entries": readable(entries),
        "yours": yours,
    }


def act(request, claim, name, service, *, success, target=None):
    """Validate the named form and call service(cleaned_data); answer as described above.

    target: the row whose version the form carries (the claim unless a verdict).
    """
    form = FORMS[name](request.POST, prefix=name)
    if not form.is_valid():
        return claim_page(request, claim, bound=form, status=400)
    try:
        service(form.cleaned_data)
    except ConflictError as error:
        retry, conflict = _conflict(target or claim, form, error)
        claim.refresh_from_db()
        return claim_page(request, claim, bound=retry, conflict=conflict, status=409)
    except WorkflowError as error:
        add_form_errors(form, error)
        # Also at the top: the form may not be on the page in the claim's new state.
        messages.error(request, "Not saved: " + " ".join(error.messages))
        claim.refresh_from_db()
        return claim_page(request, claim, bound=form, status=400)
    messages.success(request, success)
    return redirect("claims:claim_detail", claim.pk)
