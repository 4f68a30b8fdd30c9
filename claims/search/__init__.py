"""Full-text search over claims, articles and captured sources: one service, two backends.

    search(q=..., kind="claims", filters=Filters(...), after=cursor, limit=25) -> Page

The query syntax is websearch_to_tsquery's ("quoted phrase", -exclude, OR), parsed once in
query.py; PostgreSQL answers from tsvector documents with GIN indexes and SQLite from FTS5
tables (backends.py). Results are ranked (best first, then newest), paged by keyset (the
`after` cursor of the previous page: no OFFSET, no COUNT), and carry a highlighted snippet.
"""

from dataclasses import dataclass, field

from sources.models import Source

from ..models import Article, Claim
from ..queries import list_rows
from . import snippets
from .backends import Filters, backend
from .query import Query, parse

__all__ = ["KINDS", "Filters", "Page", "Query", "decode_cursor", "parse", "search"]

KINDS = {"claims": "Claims", "articles": "Articles", "sources": "Sources"}
LIMIT = 25


@dataclass(slots=True)
class Page:
    kind: str
    hits: list = field(default_factory=list)  # model instances, each with .snippet
    next_cursor: str = ""  # empty on the last page


def decode_cursor(value):
    """(score, pk) from a cursor, or None for a missing or mangled one (the first page)."""
    try:
        score, pk = (value or "").split(":")
        return float(score), int(pk)
    except ValueError:
        return None


def _objects(kind, pks):
    if kind == "claims":
        return list_rows(Claim.objects.filter(pk__in=pks)).in_bulk()
    if kind == "articles":
        return Article.objects.filter(pk__in=pks).defer("body").in_bulk()
    return (
        Source.objects.filter(pk__in=pks)
        .select_related("latest_capture")
        .defer("latest_capture__text")
        .in_bulk()
    )


def search(*, q, kind="claims", filters=None, after=None, limit=LIMIT, candidates=None) -> Page:
    """One page of `kind` matching q; a query with nothing to look for finds nothing.
    candidates: how many matches are ranked (backends.CANDIDATES when not given)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    query = q if isinstance(q, Query) else parse(q)
    page = Page(kind)
    if not query:
        return page
    engine = backend()
    filters = filters or Filters()
    rows = engine.rows(kind, query, filters, after, limit + 1, candidates)
    more, rows = len(rows) > limit, rows[:limit]
    objects = _objects(kind, [pk for pk, _ in rows])
    found = engine.snippets(kind, query, [pk for pk, _ in rows])
    for pk, _score in rows:
        if pk in objects:  # deleted between the two queries
            objects[pk].snippet = snippets.render(found.get(pk, ""))
            page.hits.append(objects[pk])
    if more and rows:
        pk, score = rows[-1]
        page.next_cursor = f"{score!r}:{pk}"
    return page
