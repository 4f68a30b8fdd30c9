"""Search across claims, articles and sources."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sources.models import Capture

from .support.factories import make_article, make_claim, make_source
from .support.web import client_for, page_text

pytestmark = pytest.mark.django_db

URL = reverse("claims:search")


def test_search_finds_claims_articles_and_sources(reviewer):
    claim = make_claim(attributed_to="Lukashenko")
    article = make_article(title="Union State budget", body="Nothing here.")
    source = make_source("https://mil.by/union-state/")
    capture = Capture.objects.create(
        source=source, requested_at=timezone.now(), outcome="ok", title="Ministry page"
    )
    source.latest_capture = capture
    source.save()
    client = client_for(reviewer)
    response = client.get(URL, {"q": "union state"})
    assert [a.pk for a in response.context["results"]["articles"][0]] == [article.pk]
    assert client.get(URL, {"q": "mil.by/union"}).context["results"]["sources"][0] == [source]
    assert client.get(URL, {"q": "lukashenko"}).context["results"]["claims"][0] == [claim]
    assert client.get(URL, {"q": "ministry"}).context["results"]["sources"][0] == [source]
    html = page_text(client.get(URL, {"q": "minsk"}))
    assert reverse("claims:claim_detail", args=[claim.pk]) in html


def test_search_results_are_escaped_and_limited(reviewer, monkeypatch):
    from claims.views import search

    monkeypatch.setattr(search, "LIMIT", 2)
    article = make_article(title="<script>alert(1)</script>")
    for i in range(3):
        make_claim(article, text=f"<b>claim {i}</b>")
    html = page_text(client_for(reviewer).get(URL, {"q": "claim"}))
    assert "<b>claim" not in html and "&lt;b&gt;claim 2&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "Showing the 2 best matches" in html


def test_a_one_letter_query_asks_for_more(reviewer):
    make_claim()
    html = page_text(client_for(reviewer).get(URL, {"q": "a"}))
    assert "Type at least 2 characters." in html


def test_the_search_box_is_on_every_page(reviewer):
    html = page_text(client_for(reviewer).get(reverse("claims:queue")))
    assert 'role="search"' in html and 'for="topsearch-q"' in html


def test_search_pages_one_kind_with_filters_and_a_next_link(reviewer, monkeypatch):
    from claims.views import search

    monkeypatch.setattr(search, "LIMIT", 2)
    article = make_article(
        title="Potash", body="Potash one. Potash two. Potash three.", language="en"
    )
    for quote in ("Potash one.", "Potash two.", "Potash three."):
        make_claim(article, quote=quote, text=quote)
    client = client_for(reviewer)
    first = client.get(URL, {"q": "potash", "kind": "claims", "language": "en"})
    assert len(first.context["page"].hits) == 2 and first.context["page"].next_cursor
    html = page_text(first)
    assert 'rel="next"' in html and "<mark>Potash</mark>" in html
    after = first.context["page"].next_cursor
    second = client.get(URL, {"q": "potash", "kind": "claims", "language": "en", "after": after})
    seen = {hit.pk for hit in first.context["page"].hits + second.context["page"].hits}
    assert len(seen) == 3
    assert (
        client.get(URL, {"q": "potash", "kind": "claims", "language": "ru"}).context["page"].hits
        == []
    )


def test_bad_filters_get_field_errors_and_exclusions_alone_find_nothing(reviewer):
    make_claim()
    client = client_for(reviewer)
    html = page_text(
        client.get(URL, {"q": "minsk", "date_from": "2025-02-01", "date_to": "2025-01-01"})
    )
    assert "The end date is before the start date." in html
    html = page_text(client.get(URL, {"q": "minsk", "language": "english!"}))
    assert "Give a two- or three-letter language code" in html
    html = page_text(client.get(URL, {"q": "-minsk"}))
    assert "Add a word to look for" in html


def test_the_overview_ranks_the_first_matches_of_each_kind_and_one_kind_ranks_further(
    reviewer, monkeypatch
):
    from claims.views import search

    monkeypatch.setattr(search, "OVERVIEW_CANDIDATES", 2)
    article = make_article(title="Flax", body="Flax one. Flax two. Flax three.")
    for quote in ("Flax one.", "Flax two.", "Flax three."):
        make_claim(article, quote=quote, text=quote)
    client = client_for(reviewer)
    assert len(client.get(URL, {"q": "flax"}).context["results"]["claims"][0]) == 2
    assert len(client.get(URL, {"q": "flax", "kind": "claims"}).context["page"].hits) == 3
