"""Admin panels for suggestions, passages and similar claims: shown, and always escaped."""

import pytest
from django.urls import reverse

from .support.factories import make_article, make_claim, make_evidence, make_finished_capture
from .support.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.login(username=staff.username, password=PASSWORD)
    return client


def test_article_page_lists_suggestions_with_reasons_escaped(staff_client):
    article = make_article(
        body="Subscribe\nIn 2009, <b>Moscow</b> and Minsk signed an agreement on air defense."
    )
    page = staff_client.get(reverse("admin:claims_article_change", args=[article.pk]))
    html = page.content.decode()
    assert "Suggested claims" in html
    assert "In 2009, &lt;b&gt;Moscow&lt;/b&gt; and Minsk signed" in html
    assert "official action (signed" in html


def test_evidence_page_shows_suggested_passages_escaped(staff_client):
    from claims.services.evidence import evidence_refresh_passages

    claim = make_claim()
    evidence = make_evidence(claim)
    make_finished_capture(
        evidence.source,
        text="<script>alert(1)</script> In 2009 Moscow and Minsk signed an air defense agreement.",
    )
    evidence_refresh_passages(evidence=evidence)
    page = staff_client.get(reverse("admin:claims_evidence_change", args=[evidence.pk]))
    html = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "matched: 2009, Moscow, Minsk, signed" in html


def test_claim_page_lists_similar_earlier_claims(staff_client):
    first = make_claim()
    second = make_claim(first.article)  # the same quote in another claim
    page = staff_client.get(reverse("admin:claims_claim_change", args=[second.pk]))
    html = page.content.decode()
    assert reverse("admin:claims_claim_change", args=[first.pk]) in html
    assert "1.00" in html
