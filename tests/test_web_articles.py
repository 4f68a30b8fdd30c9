"""Articles: the list and the article page with its claims highlighted in the escaped body."""

import pytest
from django.urls import reverse

from claims.text import display as highlight

from .support.factories import make_article, make_claim
from .support.web import client_for, page_text

pytestmark = pytest.mark.django_db


def test_article_list_shows_articles_newest_first(reviewer):
    old = make_article(title="Older")
    new = make_article(title="<em>Newer</em>")
    response = client_for(reviewer).get(reverse("claims:article_list"))
    assert [a.pk for a in response.context["page"].items] == [new.pk, old.pk]
    html = page_text(response)
    assert "&lt;em&gt;Newer&lt;/em&gt;" in html and "<em>Newer" not in html


def test_article_page_highlights_claims_and_escapes_the_body(reviewer):
    article = make_article(
        title="<script>document.title='x'</script>",
        body="Intro <b>bold</b>. In 2009, Moscow and Minsk signed an air defense agreement. End.",
    )
    claim = make_claim(article)
    html = page_text(client_for(reviewer).get(reverse("claims:article_detail", args=[article.pk])))
    # "Intro <b>bold</b>." is too short for a claim: shown greyed as furniture, escaped.
    assert 'title="Page furniture: too short for a claim (menu, widget or label)">' in html
    assert ">Intro &lt;b&gt;bold&lt;/b&gt;.</span> " in html
    assert "<script>document" not in html
    link = reverse("claims:claim_detail", args=[claim.pk])
    assert f'<a href="{link}"' in html
    assert ">In 2009, Moscow and Minsk signed an air defense agreement.</a></mark></span> " in html
    assert ">End.</span></p></div>" in html


def test_overlapping_claims_split_into_runs():
    class Span:
        def __init__(self, pk, start, end):
            self.pk, self.start, self.end = pk, start, end

    a, b = Span(1, 0, 10), Span(2, 5, 15)
    runs = highlight.runs("0123456789ABCDEFGHIJ", [a, b])
    assert [(r.text, [c.pk for c in r.claims]) for r in runs] == [
        ("01234", [1]),
        ("56789", [1, 2]),
        ("ABCDE", [2]),
        ("FGHIJ", []),
    ]
    # A span outside the body (a stale claim) is ignored rather than breaking the page.
    assert highlight.runs("short", [Span(3, 2, 99)])[0].text == "short"


def test_context_cuts_at_word_boundaries_with_ellipses():
    body = "word " * 200 + "QUOTE" + " word" * 200
    start = body.index("QUOTE")
    before, quote, after = highlight.context(body, start, start + 5, width=50)
    assert quote == "QUOTE"
    assert before.startswith("…word") and after.endswith("word…")
    assert highlight.context("QUOTE", 0, 5) == ("", "QUOTE", "")


def test_article_page_query_count_is_bounded(reviewer, django_assert_max_num_queries):
    article = make_article(body="Sentence number. " * 400)
    for i in range(50):
        start = i * 17
        article.claims.create(text=f"c{i}", quote="Sentence number.", start=start, end=start + 16)
    client = client_for(reviewer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("claims:article_detail", args=[article.pk]))
    assert response.status_code == 200


def test_suggestions_are_computed_once_per_article_body(reviewer, monkeypatch):
    from claims.views import articles

    calls = []
    real = articles.analyse

    def counting(text, **kwargs):
        calls.append(len(text))
        return real(text, **kwargs)

    monkeypatch.setattr(articles, "analyse", counting)
    article = make_article()
    client = client_for(reviewer)
    page = reverse("claims:article_detail", args=[article.pk])
    first = client.get(page).context["suggestions"]
    assert client.get(page).context["suggestions"] == first and len(calls) == 1
    article.body += " In 2023, exports of potash fell by 40 percent."
    article.save()
    client.get(page)
    assert len(calls) == 2  # a new body, a new computation
