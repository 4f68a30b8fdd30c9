"""Search across claims, articles and captured sources (claims/search/): ranked, with
highlighted snippets, filters and keyset pages.

Without a kind the page shows the best few of each; with one, a page of that kind and
a link to the next (the cursor of the last row: no OFFSET, no COUNT).
"""

from django.db.models import Q
from django.shortcuts import render

from sources.models import Source

from .. import search as fulltext
from .access import reviewer_required
from .forms import SearchForm

LIMIT = fulltext.LIMIT
MIN_LENGTH = 2
# The overview (no kind chosen) ranks the first matches of each kind only: ranking
# reads every candidate's document, and an article's or a capture's is long (2,000
# of each cost about 0.1 s at a million claims). The link to one kind ranks further.
OVERVIEW_CANDIDATES = 200


def _url_matches(q, limit):
    """Sources whose URL contains q, when q looks like a URL or host (mil.by/union):
    looked up by domain (indexed), never by scanning every URL."""
    token = q.strip().lower()
    if any(ch.isspace() for ch in token) or not ("." in token or "/" in token):
        return []
    token = token.split("://", 1)[-1]
    host = token.split("/", 1)[0].removeprefix("www.")
    if not host:
        return []
    found = list(
        Source.objects.filter(Q(domain=host) | Q(domain=f"www.{host}"), url__icontains=token)
        .select_related("latest_capture")
        .defer("latest_capture__text")
        .order_by("-created_at", "-pk")[:limit]
    )
    for source in found:
        source.snippet = ""
    return found


def _run(q, kind, filters, after, limit, candidates=None):
    page = fulltext.search(
        q=q, kind=kind, filters=filters, after=after, limit=limit, candidates=candidates
    )
    if kind == "sources" and after is None:
        by_url = _url_matches(q, limit)
        known = {source.pk for source in by_url}
        page.hits = by_url + [hit for hit in page.hits if hit.pk not in known]
    return page


@reviewer_required
def search(request):
    form = SearchForm(request.GET or None)
    valid = form.is_valid()
    q = form.cleaned_data["q"] if valid else ""
    kind = form.cleaned_data.get("kind", "") if valid else ""
    results = page = None
    sections = []
    nothing_to_find = False
    if len(q) >= MIN_LENGTH:
        nothing_to_find = not fulltext.parse(q)
        filters = form.filters()
        if kind:
            after = fulltext.decode_cursor(request.GET.get("after"))
            page = _run(q, kind, filters, after, LIMIT)
        else:
            results = {}
            for name in fulltext.KINDS:
                found = _run(q, name, filters, None, LIMIT, OVERVIEW_CANDIDATES)
                results[name] = (found.hits, bool(found.next_cursor))
            sections = [(name, label, *results[name]) for name, label in fulltext.KINDS.items()]
    return render(
        request,
        "claims/search/results.html",
        {
            "form": form,
            "q": q,
            "search_q": q,
            "kind": kind,
            "kind_label": fulltext.KINDS.get(kind, ""),
            "sections": sections,
            "results": results,
            "page": page,
            "nothing_to_find": nothing_to_find,
            "min_length": MIN_LENGTH,
            "limit": LIMIT,
        },
    )
