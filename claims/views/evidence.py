"""Evidence on the claim page: assess a source (passage, stance, note) or remove it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..evidence_review import evidence_assess, evidence_remove
from ..workflow import WorkflowError
from .access import get_evidence, reviewer_required
from .claim import add_form_errors, claim_page, evidence_form, evidence_rows, is_closed


@require_POST
@reviewer_required
def evidence_assess_view(request, pk):
    item = get_evidence(request, pk)
    form = evidence_form(item, request.POST)
    saved = False
    if form.is_valid():
        try:
            evidence_assess(evidence=item, user=request.user, **form.cleaned_data)
            saved = True
        except WorkflowError as error:
            add_form_errors(form, error)
    if request.htmx:
        # The item is swapped in place (htmx swaps 2xx answers, so errors come as 200 too).
        note = "Assessment saved." if saved else ""
        return _item(request, item, None if saved else form, note=note)
    if saved:
        messages.success(request, "Assessment saved.")
        return redirect(
            reverse("claims:claim_detail", args=[item.claim_id]) + f"#evidence-{item.pk}"
        )
    return claim_page(request, item.claim, bound=form, status=400)


def _item(request, item, form=None, *, note=""):
    item = evidence_rows(item.claim).get(pk=item.pk)
    item.form = form or evidence_form(item)
    return render(
        request,
        "claims/includes/evidence_item.html",
        {"item": item, "claim": item.claim, "claim_closed": is_closed(item.claim), "note": note},
    )


@require_POST
@reviewer_required
def evidence_remove_view(request, pk):
    item = get_evidence(request, pk)
    try:
        evidence_remove(evidence=item, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Removed {item.source.url} from this claim.")
    return redirect("claims:claim_detail", item.claim_id)
