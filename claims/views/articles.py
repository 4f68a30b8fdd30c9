"""Articles: the list, and an article's page with its claims highlighted in the body."""

from django.shortcuts import render

from .. import highlight
from ..models import Article
from ..paging import keyset_page
from .access import get_article, reviewer_required

PAGE_SIZE = 50


@reviewer_required
def article_list(request):
    articles = Article.objects.defer("body")
    page = keyset_page(
        articles,
        stamp_field="created_at",
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    return render(request, "claims/article_list.html", {"page": page, "nav": "articles"})


@reviewer_required
def article_detail(request, pk):
    article = get_article(request, pk)
    claims = list(article.claims.select_related("assignee").order_by("start", "pk"))
    return render(
        request,
        "claims/article_detail.html",
        {
            "article": article,
            "claims": claims,
            "runs": highlight.runs(article.body, claims),
            "nav": "articles",
        },
    )
