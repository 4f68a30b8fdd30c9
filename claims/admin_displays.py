"""Read-only admin panels for suggestions, passages and similar claims.

All text here comes from articles or fetched pages: format_html escapes it, so
nothing fetched is ever rendered as markup.
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .queries import claim_similar
from .text import MAX_TEXT_CHARS
from .text.suggest import suggest_claims

SHOWN = 10


def suggestions_panel(article):
    if not article.pk or not article.body or len(article.body) > MAX_TEXT_CHARS:
        return "—"
    rows = format_html_join(
        "",
        "<li><b>{}</b> [{}–{}] {}<br><small>{}</small></li>",
        (
            (f"{s.score:.2f}", s.start, s.end, s.text, s.reason)
            for s in suggest_claims(article.body, limit=SHOWN)
        ),
    )
    return format_html("<ol>{}</ol>", rows) if rows else "No check-worthy sentences found."


def passages_panel(evidence):
    passages = evidence.suggested_passages or []
    if not passages:
        return "— (computed when the source has a good capture)"
    rows = format_html_join(
        "",
        "<li><b>{}</b> {}<br><small>matched: {} · capture {} · offsets {}–{}</small></li>",
        (
            (
                p.get("score"),
                p.get("text"),
                ", ".join(p.get("terms", [])),
                p.get("capture"),
                p.get("start"),
                p.get("end"),
            )
            for p in passages
        ),
    )
    return format_html("<ol>{}</ol>", rows)


def similar_panel(claim):
    if not claim.pk:
        return "—"
    found = claim_similar(claim)
    if not found:
        return "No similar earlier claims."
    rows = format_html_join(
        "",
        '<li>{} <a href="{}">{}</a> — {}</li>',
        (
            (
                f"{item.similarity:.2f}",
                reverse("admin:claims_claim_change", args=[item.claim.pk]),
                str(item.claim),
                item.verdict.rating.label if item.verdict else item.claim.get_status_display(),
            )
            for item in found
        ),
    )
    return format_html("<ul>{}</ul>", rows)
