"""Marking claims in an article: from a suggestion or from any span of the body."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .history import tracked_save
from .models import Article, Claim
from .roles import require_reviewer

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
