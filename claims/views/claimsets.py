"""Claim sets: list with verified/total counts, create, a set's page, add and remove claims."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import queries
from ..exports import FORMATS
from ..models import ClaimSet
from ..paging import keyset_page
from ..queries import with_counts
from ..roles import is_editor
from ..services import (
    WorkflowError,
    claimset_add_claims,
    claimset_create,
    claimset_remove_claims,
)
from .access import get_claim, get_claim_set, reviewer_required
from .common import CLAIM_PAGE, add_form_errors, claim_sets_context
from .forms import AddToSetForm, ClaimSetForm, RemoveFromSetForm

PAGE_SIZE = 50


def _back(request, fallback, note=""):
    """Return to the page the form was on (a local URL only), else to fallback.

    From htmx on a claim page (`panel` names the claim) the answer is the claim's
    sets panel instead, with the note in it.
    """
    panel = request.POST.get("panel", "")
    if request.htmx and panel.isdigit():
        claim = get_claim(request, int(panel))
        context = {**claim_sets_context(claim, request.user), "sets_note": note}
        return render(request, f"{CLAIM_PAGE}#claim_sets_panel", context)
    if note:
        messages.success(request, note)
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@reviewer_required
def claimset_list(request):
    form = ClaimSetForm()
    if request.method == "POST":
        form = ClaimSetForm(request.POST)
        if form.is_valid():
            try:
                claim_set = claimset_create(user=request.user, **form.cleaned_data)
            except WorkflowError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"Claim set “{claim_set.name}” created.")
                return redirect("claims:claimset_detail", claim_set.slug)
    sets = with_counts().select_related("created_by")
    return render(
        request,
        "claims/claimset/list.html",
        {"sets": sets, "form": form, "is_editor": is_editor(request.user), "nav": "sets"},
        status=400 if form.is_bound else 200,
    )


@reviewer_required
def claimset_detail(request, slug):
    claim_set = get_claim_set(request, slug)
    counted = with_counts(ClaimSet.objects.filter(pk=claim_set.pk)).get()
    page = keyset_page(
        queries.list_rows(claim_set.claims.all()),
        stamp_field="updated_at",
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    return render(
        request,
        "claims/claimset/detail.html",
        {
            "claim_set": counted,
            "page": page,
            "is_editor": is_editor(request.user),
            "exports": export_links(claim_set),
            "nav": "sets",
        },
    )


EXPORT_LABELS = {
    "claimreview": "ClaimReview JSON-LD",
    "csv": "CSV",
    "json": "JSON",
    "jsonl": "JSON Lines",
}


def export_links(claim_set):
    """(label, verified-only URL, URL with every claim or None) per export format."""
    links = []
    for name, fmt in FORMATS.items():
        url = reverse("exports:claimset_export", kwargs={"slug": claim_set.slug, "fmt": name})
        every = None if fmt.verified_only else f"{url}?all=1"
        links.append((EXPORT_LABELS.get(name, name), url, every))
    return links


@require_POST
@reviewer_required
def claimset_add(request):
    form = AddToSetForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(request, "claims:queue")
    claim_set = form.cleaned_data["claim_set"]
    added = claimset_add_claims(
        claim_set=claim_set, claims=form.cleaned_data["claims"], user=request.user
    )
    already = len(form.cleaned_data["claims"]) - added
    more = f" ({already} already in it)" if already else ""
    note = f"Added {added} claim{'s' * (added != 1)} to “{claim_set.name}”{more}."
    return _back(request, "claims:queue", note)


@require_POST
@reviewer_required
def claimset_remove(request, slug):
    claim_set = get_claim_set(request, slug)
    form = RemoveFromSetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the claims to remove.")
        return _back(request, claim_set_url(claim_set))
    removed = claimset_remove_claims(
        claim_set=claim_set, claims=form.cleaned_data["claims"], user=request.user
    )
    note = f"Removed {removed} claim{'s' * (removed != 1)} from “{claim_set.name}”."
    return _back(request, claim_set_url(claim_set), note)


def claim_set_url(claim_set):
    return reverse("claims:claimset_detail", args=[claim_set.slug])
