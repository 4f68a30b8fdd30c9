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
    assert "Showing the 2 most recently changed" in html


def test_a_one_letter_query_asks_for_more(reviewer):
    make_claim()
    html = page_text(client_for(reviewer).get(URL, {"q": "a"}))
    assert "Type at least 2 characters." in html


def test_the_search_box_is_on_every_page(reviewer):
    html = page_text(client_for(reviewer).get(reverse("claims:queue")))
    assert 'role="search"' in html and 'for="topsearch-q"' in html
