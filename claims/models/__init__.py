"""The editorial domain: articles, claims, evidence, ratings, verdicts, claim sets, the
reviews other checkers published, and the rows derived from them.

Workflow rules (who may move a claim where) live in claims/services/workflow.py; models
only hold data, invariants the database can enforce, and field validation.
"""

from .derived import ClaimBand, ClaimSetChange, ClaimSetTally
from .editorial import USER, Article, Claim, ClaimSet, Evidence, Rating, Verdict
from .reviews import ImportedReview, RatingLabel

__all__ = [
    "USER",
    "Article",
    "Claim",
    "ClaimBand",
    "ClaimSet",
    "ClaimSetChange",
    "ClaimSetTally",
    "Evidence",
    "ImportedReview",
    "Rating",
    "RatingLabel",
    "Verdict",
]
