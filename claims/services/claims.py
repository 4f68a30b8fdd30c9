"""Claims: marking one in an article (from a suggestion or any span of the body), editing
its wording and attribution, assigning it.

Like the transitions in claims/services/workflow.py, edits lock the row, refuse a stale
copy (optimistic locking on `version`) and record who and why in the history.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ..history import tracked_save
from ..models import Article, Claim
from ..roles import is_editor, is_reviewer, require_reviewer
from ..tasks import send_claim_assigned
from .workflow import WorkflowError, check_version

QUOTE_PREVIEW = 120


def _offset(value, name):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: f"The {name} offset must be a whole number."}) from None
    if number < 0:
        raise ValidationError({name: f"The {name} offset cannot be negative."})
    return number


def check_quote(body, *, quote, start, end):
    """Refuse a quote that is not exactly body[start:end], saying what is there instead."""
    if not quote or not quote.strip():
        raise ValidationError({"quote": "The quote is empty."}, code="empty")
    if end - start != len(quote):
        raise ValidationError(
            {
                "end": f"The quote has {len(quote)} characters but offsets {start}-{end} "
                f"span {end - start}."
            },
            code="length_mismatch",
        )
    if end > len(body):
        raise ValidationError(
            {"end": f"Offsets {start}-{end} fall outside the body ({len(body)} characters)."},
            code="out_of_range",
        )
    found = body[start:end]
    if found != quote:
        elsewhere = body.find(quote)
        hint = (
            f" The quote appears at offsets {elsewhere}-{elsewhere + len(quote)}."
            if (elsewhere >= 0)
            else " The quote does not appear anywhere in the body."
        )
        raise ValidationError(
            {
                "quote": "The quote does not match the article text at these offsets: "
                f"the body there reads “{found[:QUOTE_PREVIEW]}”.{hint}"
            },
            code="quote_mismatch",
        )


@transaction.atomic
def claim_create(
    *,
    article,
    quote,
    start,
    end=None,
    user,
    text="",
    attributed_to="",
    checkworthiness=None,
    reason="Claim marked",
):
    """Mark body[start:end] of article as a claim. The quote must equal the body there.

    `text` is the self-contained statement (the quote when left empty). `user` is
    the acting reviewer, or None for commands and tasks (name them in `reason`).
    """
    if user is not None:  # None: a command or a task
        require_reviewer(user, "mark claims")
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status != Article.Status.READY:
        raise ValidationError(
            f"The article is {article.get_status_display().lower()}; claims can be marked "
            "once its text is in.",
            code="article_not_ready",
        )
    quote = quote or ""
    start = _offset(start, "start")
    end = start + len(quote) if end is None else _offset(end, "end")
    check_quote(article.body, quote=quote, start=start, end=end)
    existing = article.claims.filter(start=start, end=end).first()
    if existing is not None:
        raise ValidationError(
            f"Claim #{existing.pk} already quotes this span.", code="duplicate_span"
        )
    claim = Claim(
        article=article,
        quote=quote,
        start=start,
        end=end,
        text=(text or "").strip() or quote.strip(),
        attributed_to=(attributed_to or "").strip(),
        checkworthiness=checkworthiness,
        created_by=user,
    )
    claim.full_clean()
    return tracked_save(claim, user=user, reason=reason)


@transaction.atomic
def claim_update(*, claim, user, text, attributed_to, expected_version=None):
    """Change the claim's self-contained wording and attribution (the quote stays)."""
    require_reviewer(user)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    check_version(claim, expected_version)
    if claim.is_closed:
        raise WorkflowError(
            f"This claim is {claim.get_status_display().lower()}; reopen it before editing.",
            code="closed",
        )
    text = (text or "").strip()
    if not text:
        raise WorkflowError({"text": "A claim needs a statement."})
    attributed_to = (attributed_to or "").strip()
    changed = [
        name
        for name, value in (("text", text), ("attributed_to", attributed_to))
        if getattr(claim, name) != value
    ]
    if not changed:
        return claim
    claim.text = text
    claim.attributed_to = attributed_to
    claim.version += 1
    return tracked_save(claim, user=user, reason="Edited: " + ", ".join(changed))


@transaction.atomic
def claim_assign(*, claim, user, assignee, expected_version=None):
    """Give the claim to assignee (None: nobody). Anyone may take a claim; editors hand them out."""
    require_reviewer(user)
    if assignee is not None and assignee.pk != user.pk and not is_editor(user):
        raise PermissionDenied("Only an editor can assign a claim to someone else.")
    if assignee is None and not is_editor(user):
        current = Claim.objects.filter(pk=claim.pk).values_list("assignee_id", flat=True).first()
        if current != user.pk:
            raise PermissionDenied("Only an editor can unassign someone else's claim.")
    if assignee is not None and not is_reviewer(assignee):
        raise WorkflowError({"assignee": f"{assignee} is not a reviewer or an editor."})
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    check_version(claim, expected_version)
    if claim.assignee_id == (assignee.pk if assignee else None):
        return claim
    claim.assignee = assignee
    claim.version += 1
    reason = f"Assigned to {assignee.get_username()}" if assignee else "Unassigned"
    tracked_save(claim, user=user, reason=reason)
    if assignee is not None and assignee.pk != user.pk:
        if assignee.email:
            send_claim_assigned.delay_on_commit(claim.pk, assignee.pk, user.pk)
    return claim
