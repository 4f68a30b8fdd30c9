"""Articles: the list, the import form (URL or pasted text), and an article's page with its
claims highlighted in the body, the ranked suggestions beside it, and claims made from a
suggestion or from a selection of the text."""

import hashlib
from collections import OrderedDict

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..models import Article
from ..paging import keyset_page
from ..services import article_create, article_import_url, claim_create
from ..text import MAX_TEXT_CHARS, display
from ..text.suggest import analyse
from .access import get_article, reviewer_required
from .articlehtml import body_html, claim_list_html
from .common import add_form_errors
from .forms import ImportUrlForm, PasteForm, SelectionClaimForm, SuggestionClaimForm

PAGE_SIZE = 50
SUGGESTIONS_SHOWN = 15


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
    return render(request, "claims/article/list.html", {"page": page, "nav": "articles"})


@reviewer_required
def article_import(request):
    """GET: the two ways in. POST (mode=url or mode=text): import, then the article's page."""
    url_form = ImportUrlForm(prefix="by-url")
    paste_form = PasteForm(prefix="paste")
    if request.method == "POST":
        mode = request.POST.get("mode")
        form = (
            ImportUrlForm(request.POST, prefix="by-url")
            if mode == "url"
            else PasteForm(request.POST, prefix="paste")
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                if mode == "url":
                    article = article_import_url(
                        url=data["url"],
                        user=request.user,
                        title=data["title"],
                        publisher=data["publisher"],
                        published=data["published"],
                    )
                else:
                    article = article_create(
                        body=data["body"],
                        url=data["url"],
                        user=request.user,
                        title=data["title"],
                        publisher=data["publisher"],
                        published=data["published"],
                    )
            except ValidationError as error:
                add_form_errors(form, error, default_field="url" if mode == "url" else "body")
            else:
                return redirect("claims:article_detail", article.pk)
        if mode == "url":
            url_form = form
        else:
            paste_form = form
    return render(
        request,
        "claims/article/import.html",
        {"url_form": url_form, "paste_form": paste_form, "nav": "articles"},
        status=400 if request.method == "POST" else 200,
    )


# Analysing reads the whole body (seconds for 2M characters): done once per body text, not
# per view. The key is the body's digest, so an edited body is a new computation.
ANALYSIS_CACHE_SECONDS = 24 * 3600


def analysis(article):
    """(ranked suggestions, dropped furniture) of a ready body; none for a body over the
    suggester's limit (the page still works)."""
    if article.status != Article.Status.READY or not article.body.strip():
        return [], []
    if len(article.body) > MAX_TEXT_CHARS:
        return [], []
    key = f"claims:analysis:{hashlib.sha256(article.body.encode()).hexdigest()}"
    found = _RECENT.get(key)
    if found is not None:
        _RECENT.move_to_end(key)
        return found
    found = cache.get(key)
    if found is None:
        found = analyse(article.body)
        cache.set(key, found, ANALYSIS_CACHE_SECONDS)
    _RECENT[key] = found
    while len(_RECENT) > RECENT_ANALYSES:
        _RECENT.popitem(last=False)
    return found


# The last few analyses as objects, in this process: reading one back from the cache
# unpickles every suggestion (about 0.1 s for 1,500 sentences). Keyed by the body's
# digest like the cache, so an edited body is never answered from here.
RECENT_ANALYSES = 16
_RECENT = OrderedDict()


def suggestions_for(article, claims, found=None):
    """The best suggestions of the body, each marked with the claim already on its span."""
    found = analysis(article)[0] if found is None else found
    by_span = {(c.start, c.end): c for c in claims}
    return [(s, by_span.get((s.start, s.end))) for s in found[:SUGGESTIONS_SHOWN]]


def article_page(request, article, *, selection_form=None, status=200, in_place=False):
    """The article's page; in_place: only its working area and the messages (htmx)."""
    claims = list(
        article.claims.only("article_id", "text", "start", "end", "status").order_by("start", "pk")
    )
    found, dropped = analysis(article)
    suggestions = suggestions_for(article, claims, found)
    chosen = next((s for s, claim in suggestions if claim is None), None)
    template = "claims/article/detail.html" + ("#in_place" if in_place else "")
    return render(
        request,
        template,
        {
            "article": article,
            "claims": claims,
            "body": body_html(
                display.paragraphs(
                    article.body,
                    claims,
                    sentences=[(s.start, s.end) for s, _ in suggestions],
                    furniture=[(d.start, d.end, d.why) for d in dropped],
                )
            ),
            "claim_list": claim_list_html(claims),
            "suggestions": suggestions,
            "chosen": chosen.start if chosen else None,
            "selection_form": selection_form or SelectionClaimForm(prefix="selection"),
            "importing": article.status == Article.Status.IMPORTING,
            "nav": "articles",
        },
        status=status,
    )


@reviewer_required
def article_detail(request, pk):
    return article_page(request, get_article(request, pk))


def _locate(body, quote, start):
    """Where quote is in body: at start when given, else its only occurrence."""
    if start is not None:
        return start
    count = body.count(quote)
    if count == 0:
        raise ValidationError({"quote": "These words are not in the article text."})
    if count > 1:
        raise ValidationError(
            {
                "quote": f"These words appear {count} times in the article; select them in the "
                "text so that the place is known."
            }
        )
    return body.index(quote)


@require_POST
@reviewer_required
def article_claim_create(request, pk):
    """A claim from a suggestion (mode=suggestion) or from a selection of the text."""
    article = get_article(request, pk)
    if request.POST.get("mode") == "suggestion":
        form = SuggestionClaimForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That suggestion could not be read; reload the page.")
            return _back(request, article)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        score = next(
            (s.score for s in analysis(article)[0] if (s.start, s.end) == (start, end)), None
        )
        try:
            claim = claim_create(
                article=article,
                quote=article.body[start:end],
                start=start,
                end=end,
                user=request.user,
                checkworthiness=score,
                reason="Claim from a suggestion",
            )
        except ValidationError as error:
            messages.error(request, "Not added: " + " ".join(error.messages))
            return _back(request, article)
        return _added(request, claim)
    form = SelectionClaimForm(request.POST, prefix="selection")
    if form.is_valid():
        data = form.cleaned_data
        try:
            start = _locate(article.body, data["quote"], data["start"])
            claim = claim_create(
                article=article,
                quote=data["quote"],
                start=start,
                user=request.user,
                text=data["text"],
                attributed_to=data["attributed_to"],
                reason="Claim marked in the text",
            )
        except ValidationError as error:
            add_form_errors(form, error, default_field="quote")
        else:
            return _added(request, claim)
    messages.error(request, "The claim was not added: see the form beside the text.")
    # htmx swaps only 2xx answers: the form with its errors comes back as 200 there.
    if request.htmx:
        return article_page(request, article, selection_form=form, in_place=True)
    return article_page(request, article, selection_form=form, status=400)


def _back(request, article):
    if request.htmx:
        return article_page(request, article, in_place=True)
    return redirect("claims:article_detail", article.pk)


def _added(request, claim):
    messages.success(request, f"Claim {claim.pk} added: {claim.text[:80]}")
    if request.htmx:  # in place: the reader stays where they were in the text
        return article_page(request, claim.article, in_place=True)
    return redirect(reverse("claims:article_detail", args=[claim.article_id]) + "#claims-heading")
