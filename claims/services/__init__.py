"""The write surface of the claims app: every change to articles, claims, evidence,
verdicts and claim sets goes through a function here, one module per noun.

Functions are keyword-only, named noun_verb, atomic, take the acting `user=` (None for
commands and tasks, which name themselves in the history reason), check the role,
record who and why in the history, and enqueue background work after commit.
Views, the admin, commands, the demo loader and tasks call only these for writes.
"""

from .articles import article_create, article_fill_from_capture, article_import_url
from .claimreview import ClaimReviewImportError, ClaimReviewItemsError, claimreview_import
from .claims import claim_assign, claim_create, claim_update
from .claimsets import claimset_add_claims, claimset_create, claimset_remove_claims
from .evidence import (
    claims_flag_for_source,
    evidence_add,
    evidence_assess,
    evidence_attach,
    evidence_record,
    evidence_refresh_passages,
    evidence_remove,
    evidence_suggest_passages,
    source_evidence_update,
)
from .workflow import (
    ConflictError,
    WorkflowError,
    allowed_actions,
    claim_dismiss,
    claim_reopen,
    claim_start_review,
    verdict_approve,
    verdict_propose,
    verdict_record,
    verdict_return,
    verdict_revise,
)

__all__ = [
    "ClaimReviewImportError",
    "ClaimReviewItemsError",
    "ConflictError",
    "WorkflowError",
    "allowed_actions",
    "article_create",
    "article_fill_from_capture",
    "article_import_url",
    "claim_assign",
    "claim_create",
    "claim_dismiss",
    "claim_reopen",
    "claim_start_review",
    "claim_update",
    "claimreview_import",
    "claims_flag_for_source",
    "claimset_add_claims",
    "claimset_create",
    "claimset_remove_claims",
    "evidence_add",
    "evidence_assess",
    "evidence_attach",
    "evidence_record",
    "evidence_refresh_passages",
    "evidence_remove",
    "evidence_suggest_passages",
    "source_evidence_update",
    "verdict_approve",
    "verdict_propose",
    "verdict_record",
    "verdict_return",
    "verdict_revise",
]
