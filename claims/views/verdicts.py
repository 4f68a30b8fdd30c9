"""The verdict panel's actions: start review, propose, revise, approve, return, reopen, dismiss.

Each is a POST that calls one service of claims.services.workflow or .claims:
roles and states are decided there, never by which buttons the page showed.
"""

from django.views.decorators.http import require_POST

from ..services import (
    claim_dismiss,
    claim_reopen,
    claim_start_review,
    verdict_approve,
    verdict_propose,
    verdict_return,
    verdict_revise,
)
from .access import get_claim, get_verdict, reviewer_required
from .common import act


@require_POST
@reviewer_required
def claim_start(request, pk):
    claim = get_claim(request, pk)
    return act(
        request,
        claim,
        "start",
        lambda data: claim_start_review(
            claim=claim, user=request.user, expected_version=data["version"]
        ),
        success="Review started; the claim is assigned to you if it had no assignee.",
    )


@require_POST
@reviewer_required
def claim_propose(request, pk):
    claim = get_claim(request, pk)
    return act(
        request,
        claim,
        "propose",
        lambda data: verdict_propose(
            claim=claim,
            user=request.user,
            rating=data["rating"],
            rationale=data["rationale"],
            no_evidence_reason=data["no_evidence_reason"],
            expected_version=data["version"],
        ),
        success="Verdict proposed. An editor will approve or return it.",
    )


@require_POST
@reviewer_required
def claim_dismiss_view(request, pk):
    claim = get_claim(request, pk)
    return act(
        request,
        claim,
        "dismiss",
        lambda data: claim_dismiss(
            claim=claim, user=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        success="Claim dismissed.",
    )


@require_POST
@reviewer_required
def claim_reopen_view(request, pk):
    claim = get_claim(request, pk)
    return act(
        request,
        claim,
        "reopen",
        lambda data: claim_reopen(
            claim=claim, user=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        success="Claim reopened; its verdict is kept as superseded.",
    )


@require_POST
@reviewer_required
def verdict_approve_view(request, pk):
    verdict = get_verdict(request, pk)
    return act(
        request,
        verdict.claim,
        "approve",
        lambda data: verdict_approve(
            verdict=verdict, user=request.user, expected_version=data["version"]
        ),
        success="Verdict approved: the claim is verified.",
        target=verdict,
    )


@require_POST
@reviewer_required
def verdict_return_view(request, pk):
    verdict = get_verdict(request, pk)
    return act(
        request,
        verdict.claim,
        "return",
        lambda data: verdict_return(
            verdict=verdict,
            user=request.user,
            comment=data["comment"],
            expected_version=data["version"],
        ),
        success="Verdict returned to its author with your comment.",
        target=verdict,
    )


@require_POST
@reviewer_required
def verdict_edit(request, pk):
    verdict = get_verdict(request, pk)
    return act(
        request,
        verdict.claim,
        "verdict_edit",
        lambda data: verdict_revise(
            verdict=verdict,
            user=request.user,
            rating=data["rating"],
            rationale=data["rationale"],
            expected_version=data["version"],
        ),
        success="Verdict revised.",
        target=verdict,
    )
