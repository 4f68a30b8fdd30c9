"""Snippets come back from the database with the matched words between two control
characters that no extracted text contains; here they become <mark> around escaped text."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

START, STOP = "\x02", "\x03"
LESS_THAN = "\x01"  # PostgreSQL's snippets carry "<" as this (see backends.py)


def render(snippet: str):
    """Escaped text with <mark>…</mark> around the matched words (safe to render)."""
    out, marked = [], False
    snippet = (snippet or "").replace(LESS_THAN, "<")
    for piece in snippet.replace(STOP, START).split(START):
        if piece:
            out.append(f"<mark>{escape(piece)}</mark>" if marked else escape(piece))
        marked = not marked
    return mark_safe("".join(out).strip())
