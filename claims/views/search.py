"""Search across claims, articles and sources: the first few matches of each, newest first."""

from django.shortcuts import render

from .. import queries
from .access import reviewer_required
from .forms import SearchForm

LIMIT = queries.SEARCH_LIMIT
MIN_LENGTH = 2


@reviewer_required
def search(request):
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    results = queries.search_results(q, limit=LIMIT) if len(q) >= MIN_LENGTH else None
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
