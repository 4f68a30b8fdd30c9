"""The claim page (quote in context, evidence, verdicts, history) and edits of the claim itself.

The page's context and `act()`, through which every POST on it goes, are in common.py
(the evidence and verdict endpoints of this page use them too).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import timeline
from ..queries import next_claim
from ..roles import is_editor
from ..services import claim_assign, claim_update
from .access import get_claim, reviewer_required
from .common import CLAIM_PAGE, act, claim_page, evidence_page, timeline_context


@reviewer_required
def claim_detail(request, pk):
    return claim_page(request, get_claim(request, pk))


@reviewer_required
def claim_next(request):
    """The "next claim" link (key n): the claim that has waited longest for this user.
    Resolved on click, so that no page pays a query for a link seldom followed."""
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        after = None
    found = next_claim(request.user, editor=is_editor(request.user), after=after)
    if found is None:
        messages.info(
            request,
            "Nothing else is waiting for you: no claim awaits your approval "
            "and none assigned to you is open.",
        )
        return redirect("claims:queue")
    return redirect("claims:claim_detail", found.pk)


@require_GET
@reviewer_required
def claim_history(request, pk):
    """An older page of the claim's history (the page's "Older entries" loads it)."""
    claim = get_claim(request, pk)
    before = timeline.parse_timeline_cursor(request.GET.get("before"))
    return render(request, f"{CLAIM_PAGE}#timeline_page", timeline_context(claim, before))


@require_GET
@reviewer_required
def claim_evidence_more(request, pk):
    """The next sources of the claim (the page's "More sources" loads them)."""
    claim = get_claim(request, pk)
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        after = None
    items, evidence_next = evidence_page(claim, after=after) if after else ([], None)
    context = {
        "claim": claim,
        "claim_closed": claim.is_closed,
        "evidence": items,
        "evidence_next": evidence_next,
    }
    return render(request, f"{CLAIM_PAGE}#evidence_page", context)


@require_POST
@reviewer_required
def claim_edit(request, pk):
    claim = get_claim(request, pk)
    return act(
        request,
        claim,
        "edit",
        lambda data: claim_update(
            claim=claim,
            user=request.user,
            text=data["text"],
            attributed_to=data["attributed_to"],
            expected_version=data["version"],
        ),
        success="Claim saved.",
    )


@require_POST
@reviewer_required
def claim_assign_view(request, pk):
    claim = get_claim(request, pk)

    def assign(data):
        assignee = data["assignee"]
        if request.POST.get("take"):
            assignee = request.user
        claim_assign(
            claim=claim, user=request.user, assignee=assignee, expected_version=data["version"]
        )

    return act(request, claim, "assign", assign, success="Assignment saved.")
