"""The home page: the reviewer's queue of claims, in tabs, filtered, a page at a time."""

from django.shortcuts import render

from .. import queries
from ..models import ClaimSet
from ..paging import keyset_page
from ..roles import is_editor
from .access import reviewer_required
from .forms import QueueFilterForm

PAGE_SIZE = 50
SORTS = {"recent": "Latest change first", "waiting": "Longest waiting first"}


def _selected_article(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@reviewer_required
def queue_home(request):
    editor = is_editor(request.user)
    form = QueueFilterForm(
        request.GET or None,
        users=queries.assignable_users(),
        articles=queries.recent_articles(_selected_article(request.GET.get("article"))),
    )
    filters = {}
    # An editor lands where the work waits on them: approvals, when there are any.
    default_tab = "approval" if editor and queries.approvals_waiting(request.user) else "mine"
    tab = default_tab
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        tab = data["view"] or default_tab
        filters = {
            "status": data["status"] or None,
            "assignee": form.assignee_value(),
            "article": form.articles.get(data["article"]),
            "rating": data["rating"],
        }
    if tab in queries.EDITOR_TABS and not editor:
        tab = "mine"
    claims = queries.apply_filters(
        queries.tab_queryset(tab, request.user), tab=tab, user=request.user, **filters
    )
    # Approvals: the longest waiting first (time since the claim last changed, which for a
    # claim awaiting approval is when its verdict was proposed, give or take an assignment).
    sort = request.GET.get("sort")
    if sort not in SORTS:
        sort = "waiting" if tab == "approval" else "recent"
    page = keyset_page(
        queries.list_rows(claims),
        stamp_field="updated_at",
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        oldest_first=sort == "waiting",
    )
    tabs = [
        (k, label) for k, label in queries.TABS.items() if editor or k not in queries.EDITOR_TABS
    ]
    return render(
        request,
        "claims/queue/list.html",
        {
            "form": form,
            "tab": tab,
            "tab_label": queries.TABS[tab],
            "tabs": tabs,
            "page": page,
            "status_counts": queries.status_counts(),
            "claim_sets": list(ClaimSet.objects.only("slug", "name")) if editor else [],
            "filtered": any(value is not None for value in filters.values()),
            "sort": sort,
            "sorts": SORTS,
            "nav": "queue",
        },
    )
