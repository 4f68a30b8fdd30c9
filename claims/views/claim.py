"""The claim page (quote in context, evidence, verdicts, history) and edits of the claim itself.

The page's context and `act()`, through which every POST on it goes, are in common.py
(the evidence and verdict endpoints of this page use them too).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ..queries import next_claim
from ..roles import is_editor
from ..services import claim_assign, claim_update
from .access import get_claim, reviewer_required
from .common import act, claim_page


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
