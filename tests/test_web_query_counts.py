"""Every page answers with a bounded number of queries, the same with 10 claims or 200."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimSet
from sources.models import Capture

from .support.factories import make_article, make_evidence, make_source, make_verdict
from .support.web import client_for

pytestmark = pytest.mark.django_db

SENTENCE = "The ministry said 4,000 troops arrived in 2022. "
MAX_QUERIES = 20


def add_claims(article, source, claim_set, author, n):
    for _ in range(n):
        start = len(article.body)
        article.body += SENTENCE
        article.save()
        claim = Claim.objects.create(
            article=article,
            text=f"Troops arrived ({start})",
            quote=SENTENCE.strip(),
            start=start,
            end=start + len(SENTENCE.strip()),
            status=Claim.Status.AWAITING_APPROVAL,
            assignee=author,
        )
        make_verdict(claim, author)
        make_evidence(claim, source)
        claim_set.claims.add(claim)


@pytest.fixture
def world(reviewer):
    article = make_article(body="")
    source = make_source()
    capture = Capture.objects.create(
        source=source, requested_at=timezone.now(), outcome="ok", text="The ministry said so."
    )
    source.latest_capture = capture
    source.save()
    claim_set = ClaimSet.objects.create(name="Troops", slug="troops")
    add_claims(article, source, claim_set, reviewer, 10)
    first = Claim.objects.order_by("pk").first()
    return {
        "article": article,
        "source": source,
        "claim_set": claim_set,
        "pages": [
            reverse("claims:queue") + "?view=mine",
            reverse("claims:queue") + "?view=approval",
            reverse("claims:queue") + "?view=recent&status=awaiting_approval",
            reverse("claims:article_list"),
            reverse("claims:article_detail", args=[article.pk]),
            reverse("claims:claim_detail", args=[first.pk]),
            reverse("claims:source_detail", args=[source.pk]),
            reverse("claims:claimset_list"),
            reverse("claims:claimset_detail", args=["troops"]),
            reverse("claims:search") + "?q=troops",
        ],
    }


def count(client, url):
    cache.clear()  # every page measured cold: a cached answer (similar claims) saves queries
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_do_not_grow_with_the_number_of_claims(world, reviewer, editor):
    client = client_for(editor)
    small = {url: count(client, url) for url in world["pages"]}
    add_claims(world["article"], world["source"], world["claim_set"], reviewer, 190)
    assert Claim.objects.count() == 200
    large = {url: count(client, url) for url in world["pages"]}
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large
