"""Evidence on the claim page: assess a source (passage, stance, note) or remove it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..evidence_review import evidence_assess, evidence_remove
from ..workflow import WorkflowError
from .access import get_evidence, reviewer_required
from .claim import add_form_errors, claim_page, evidence_form


@require_POST
@reviewer_required
def evidence_assess_view(request, pk):
    item = get_evidence(request, pk)
    form = evidence_form(item, request.POST)
    if form.is_valid():
        try:
            evidence_assess(evidence=item, user=request.user, **form.cleaned_data)
        except WorkflowError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "Assessment saved.")
            return redirect(
                reverse("claims:claim_detail", args=[item.claim_id]) + f"#evidence-{item.pk}"
            )
    return claim_page(request, item.claim, bound=form, status=400)


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
