"""Evidence on the claim page: attach a source, watch its capture, assess it, remove it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sources.models import Capture

from ..services import evidence_assess, evidence_attach, evidence_remove
from .access import get_claim, get_evidence, reviewer_required
from .common import (
    CLAIM_PAGE,
    add_form_errors,
    claim_page,
    evidence_form,
    evidence_rows,
    mark_polling,
)
from .forms import EvidenceAddForm

# Partials of the claim page that htmx swaps in place.
ITEM = f"{CLAIM_PAGE}#evidence_item"
PASSAGES_NOTE = f"{CLAIM_PAGE}#passages_note"


def _anchor(item):
    return reverse("claims:claim_detail", args=[item.claim_id]) + f"#evidence-{item.pk}"


@require_POST
@reviewer_required
def evidence_add_view(request, pk):
    claim = get_claim(request, pk)
    form = EvidenceAddForm(request.POST, prefix="evidence-add")
    if form.is_valid():
        try:
            item = evidence_attach(claim=claim, url=form.cleaned_data["url"], user=request.user)
        except ValidationError as error:  # a refused URL, or a source already attached
            add_form_errors(form, error, default_field="url")
            messages.error(request, "Not added: " + " ".join(error.messages))
        else:
            messages.success(request, f"Added {item.source.url}; it is being captured.")
            return redirect(_anchor(item))
    return claim_page(request, claim, bound=form, status=400)


def render_item(request, item, form=None, *, note="", poll=0, template=ITEM):
    item = mark_polling(evidence_rows(item.claim).get(pk=item.pk), poll)
    item.form = form or evidence_form(item)
    return render(
        request,
        template,
        {
            "item": item,
            "claim": item.claim,
            "claim_closed": item.claim.is_closed,
            "note": note,
            "part": template == PASSAGES_NOTE,
        },
    )


@require_GET
@reviewer_required
def evidence_item(request, pk):
    """One evidence item for htmx to poll while its source is captured; with
    part=passages only the note that waits for the suggested passages."""
    item = get_evidence(request, pk)
    try:
        poll = max(0, int(request.GET.get("poll", 0)))
    except ValueError:
        poll = 0
    template = PASSAGES_NOTE if request.GET.get("part") == "passages" else ITEM
    return render_item(request, item, poll=poll, template=template)


@require_POST
@reviewer_required
def evidence_assess_view(request, pk):
    item = get_evidence(request, pk)
    form = evidence_form(item, request.POST)
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        picked = Capture.objects.filter(pk=data["capture_id"], source=item.source_id).first()
        try:
            evidence_assess(
                evidence=item,
                user=request.user,
                stance=data["stance"],
                passage=data["passage"],
                note=data["note"],
                capture=picked,
            )
            saved = True
        except ValidationError as error:
            add_form_errors(form, error)
    if request.htmx:
        # The item is swapped in place (htmx swaps 2xx answers, so errors come as 200 too).
        note = "Assessment saved." if saved else ""
        response = render_item(request, item, None if saved else form, note=note)
        if saved:  # the page's history and verdict panel refresh themselves on this event
            response["HX-Trigger"] = "claim-changed"
        return response
    if saved:
        messages.success(request, "Assessment saved.")
        return redirect(_anchor(item))
    messages.error(request, "Assessment not saved: see the evidence below.")
    return claim_page(request, item.claim, bound=form, status=400)


@require_POST
@reviewer_required
def evidence_remove_view(request, pk):
    item = get_evidence(request, pk)
    try:
        evidence_remove(evidence=item, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Removed {item.source.url} from this claim.")
    return redirect("claims:claim_detail", item.claim_id)
