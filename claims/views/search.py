"""Search across claims, articles and sources: the first few matches of each, newest first."""

from django.db.models import Q
from django.shortcuts import render

from sources.models import Source

from .. import queue
from ..models import Article, Claim
from .access import reviewer_required
from .forms import SearchForm

LIMIT = 25
MIN_LENGTH = 2


def search_results(q, limit=None):
    """Each list holds at most limit rows, and a flag saying whether there are more
    (one extra row is fetched instead of counting)."""
    limit = limit or LIMIT
    claims = queue.list_rows(
        Claim.objects.filter(
            Q(text__icontains=q) | Q(quote__icontains=q) | Q(attributed_to__icontains=q)
        )
    ).order_by("-updated_at", "-pk")
    articles = (
        Article.objects.filter(
            Q(title__icontains=q)
            | Q(publisher__icontains=q)
            | Q(byline__icontains=q)
            | Q(url__icontains=q)
        )
        .defer("body")
        .order_by("-created_at", "-pk")
    )
    sources = (
        Source.objects.filter(Q(url__icontains=q) | Q(latest_capture__title__icontains=q))
        .select_related("latest_capture")
        .defer("latest_capture__text")
        .order_by("-created_at", "-pk")
    )
    return {
        name: (rows[:limit], len(rows) > limit)
        for name, rows in (
            ("claims", list(claims[: limit + 1])),
            ("articles", list(articles[: limit + 1])),
            ("sources", list(sources[: limit + 1])),
        )
    }


@reviewer_required
def search(request):
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    results = search_results(q) if len(q) >= MIN_LENGTH else None
    return render(
        request,
        "claims/search/results.html",
        {
            "form": form,
            "q": q,
            "search_q": q,
            "results": results,
            "min_length": MIN_LENGTH,
            "limit": LIMIT,
        },
    )
