"""The article page's body and claim list, written in Python (claims/views/articlehtml.py):
the same markup the template wrote, every text escaped."""

import random
from types import SimpleNamespace

import pytest
from django.template.defaultfilters import truncatechars
from django.urls import reverse

from claims.text.display import paragraphs
from claims.views.articlehtml import body_html, claim_list_html, truncated

from .support.factories import make_article
from .support.web import client_for


def test_claim_texts_are_cut_as_truncatechars_cuts_them():
    rng = random.Random(15)
    letters = "ab é\u0301ñ\u0303<&"
    for _ in range(3000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 140)))
        assert truncated(text) == truncatechars(text, 120)


def claim(pk, start, end, text="", status="unreviewed"):
    return SimpleNamespace(pk=pk, start=start, end=end, text=text, status=status)


def test_overlapping_claims_share_a_mark_titled_with_each_claim_and_its_status():
    body = 'He said "<b>" & left. Then more.'
    a, b = claim(7, 0, 21), claim(8, 8, 32, status="verified")
    html = body_html(paragraphs(body, [a, b], furniture=[(22, 32, 'a "menu"')]))
    url = reverse("claims:claim_detail", args=[7])
    assert html == (
        f'<p class="para"><mark class="" data-start="0"><a href="{url}" title="Claim 7: '
        'Unreviewed">He said </a></mark><mark class="overlap" data-start="8"><a href="'
        f'{url}" title="Claim 7: Unreviewed; Claim 8: Verified">&quot;&lt;b&gt;&quot; &amp; '
        "left.</a></mark>"
        f'<mark class="" data-start="21"><a href="{reverse("claims:claim_detail", args=[8])}"'
        ' title="Claim 8: Verified"> </a></mark><span class="furniture" title="Page '
        'furniture: a &quot;menu&quot;"><mark class="" data-start="22"><a href="'
        f'{reverse("claims:claim_detail", args=[8])}" title="Claim 8: Verified">Then more.'
        "</a></mark></span></p>"
    )


def test_the_claim_list_escapes_texts_and_names_statuses():
    html = claim_list_html([claim(3, 0, 1, text="<i>x</i> " * 20, status="in_review")])
    url = reverse("claims:claim_detail", args=[3])
    assert html.startswith(f'<li><a href="{url}">&lt;i&gt;x&lt;/i&gt; ')
    assert html.endswith('…</a> <span class="status status-in_review">In review</span></li>')


@pytest.mark.django_db
def test_the_article_page_lists_and_marks_every_claim(reviewer):
    article = make_article(body="Sentence number. " * 40)
    for i in range(30):
        article.claims.create(text=f"c{i}", quote="Sentence number.", start=i * 17, end=i * 17 + 16)
    html = client_for(reviewer).get(reverse("claims:article_detail", args=[article.pk]))
    text = html.content.decode()
    assert text.count("<mark ") == 30
    assert text.count('<li><a href="/claims/') == 30
