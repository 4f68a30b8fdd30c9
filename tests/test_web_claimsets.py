"""Claim sets: create, add and remove claims from the queue and the claim page, counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimSet

from .support.factories import make_article, make_claim, make_verdict
from .support.web import client_for, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim_set(editor):
    return ClaimSet.objects.create(name="Belarus, December", slug="belarus", created_by=editor)


def test_editor_creates_a_claim_set_with_a_slug_from_its_name(editor):
    response = client_for(editor).post(
        reverse("claims:claimset_list"), {"name": "Union State claims", "description": "Dec."}
    )
    claim_set = ClaimSet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:claimset_detail", args=["union-state-claims"])
    assert (claim_set.slug, claim_set.created_by) == ("union-state-claims", editor)
    assert claim_set.history.get().history_user == editor


def test_a_taken_short_name_is_a_form_error(editor, claim_set):
    response = client_for(editor).post(
        reverse("claims:claimset_list"), {"name": "Another", "slug": "belarus"}
    )
    assert response.status_code == 400
    assert "is taken" in page_text(response)
    assert ClaimSet.objects.count() == 1


def test_a_nameless_set_is_a_form_error(editor):
    response = client_for(editor).post(reverse("claims:claimset_list"), {"name": ""})
    assert response.status_code == 400
    assert not ClaimSet.objects.exists()


def test_a_reviewer_sees_sets_but_cannot_create_or_change_them(reviewer, claim_set):
    client = client_for(reviewer)
    html = page_text(client.get(reverse("claims:claimset_list")))
    assert "Belarus, December" in html and "New claim set" not in html
    assert client.post(reverse("claims:claimset_list"), {"name": "Mine"}).status_code == 403
    claim = make_claim()
    response = client.post(
        reverse("claims:claimset_add"), {"claim_set": "belarus", "claims": [claim.pk]}
    )
    assert response.status_code == 403
    assert not claim_set.claims.exists()


def test_editor_adds_selected_claims_from_the_queue_and_returns_to_it(editor, claim_set):
    article = make_article()
    a = make_claim(article)
    b = make_claim(article, quote="In 2022, several thousand soldiers were deployed in Belarus.")
    queue_url = reverse("claims:queue") + "?view=recent"
    html = page_text(client_for(editor).get(queue_url))
    assert 'form="bulk-add" name="claims"' in html
    response = client_for(editor).post(
        reverse("claims:claimset_add"),
        {"claim_set": "belarus", "claims": [a.pk, b.pk], "next": queue_url},
    )
    assert response.status_code == 302 and response["Location"] == queue_url
    assert set(claim_set.claims.all()) == {a, b}
    record = claim_set.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == f"Added claims {a.pk}, {b.pk}"
    # Adding again adds nothing and says so.
    response = client_for(editor).post(
        reverse("claims:claimset_add"),
        {"claim_set": "belarus", "claims": [a.pk], "next": queue_url},
        follow=True,
    )
    assert "Added 0 claims to “Belarus, December” (1 already in it)." in page_text(response)


def test_adding_with_nothing_selected_says_so(editor, claim_set):
    response = client_for(editor).post(
        reverse("claims:claimset_add"), {"claim_set": "belarus", "next": "/"}, follow=True
    )
    assert "Select at least one claim." in page_text(response)


def test_next_must_be_a_local_address(editor, claim_set):
    claim = make_claim()
    response = client_for(editor).post(
        reverse("claims:claimset_add"),
        {"claim_set": "belarus", "claims": [claim.pk], "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("claims:queue")


def test_editor_adds_and_removes_a_claim_on_the_claim_page(editor, claim_set):
    claim = make_claim()
    claim_url = reverse("claims:claim_detail", args=[claim.pk])
    client = client_for(editor)
    assert "Add to" in page_text(client.get(claim_url))
    client.post(
        reverse("claims:claimset_add"),
        {"claim_set": "belarus", "claims": [claim.pk], "next": claim_url},
    )
    html = page_text(client.get(claim_url))
    assert "Belarus, December</a>" in html and "(0/1 verified)" in html
    response = client.post(
        reverse("claims:claimset_remove", args=["belarus"]),
        {"claims": [claim.pk], "next": claim_url},
    )
    assert response["Location"] == claim_url
    assert not claim_set.claims.exists()
    assert claim_set.history.first().history_change_reason == f"Removed claim {claim.pk}"


def test_set_list_and_page_show_verified_and_total(reviewer, claim_set):
    article = make_article()
    verified = make_claim(article, status=Claim.Status.VERIFIED)
    other = make_claim(
        article, quote="In 2022, several thousand soldiers were deployed in Belarus."
    )
    claim_set.claims.add(verified, other)
    client = client_for(reviewer)
    assert '<span class="set-counts">1 / 2</span>' in page_text(
        client.get(reverse("claims:claimset_list"))
    )
    response = client.get(reverse("claims:claimset_detail", args=["belarus"]))
    assert "1 of 2</strong> claims verified" in page_text(response)
    assert {c.pk for c in response.context["page"].items} == {verified.pk, other.pk}


def test_set_page_query_count_does_not_grow_with_claims(editor, claim_set):
    article = make_article()
    client = client_for(editor)
    url = reverse("claims:claimset_detail", args=["belarus"])
    claim_set.claims.add(*[make_claim(article, text=f"c{i}") for i in range(10)])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    claim_set.claims.add(*[make_claim(article, text=f"d{i}") for i in range(190)])
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small) <= 10


def test_from_htmx_the_claim_page_gets_its_sets_panel_back(editor, claim_set):
    claim = make_claim()
    client = client_for(editor)
    response = client.post(
        reverse("claims:claimset_add"),
        {"claim_set": "belarus", "claims": [claim.pk], "panel": claim.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = page_text(response)
    assert html.startswith('<section class="card" aria-labelledby="sets-heading"')
    assert "Added 1 claim to “Belarus, December”." in html and "(0/1 verified)" in html
    response = client.post(
        reverse("claims:claimset_remove", args=["belarus"]),
        {"claims": [claim.pk], "panel": claim.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "Removed 1 claim from “Belarus, December”." in page_text(response)
    assert "In no claim set." in page_text(response)
    assert not claim_set.claims.exists()


def test_set_page_links_to_every_export_of_the_set(reviewer, claim_set):
    html = page_text(client_for(reviewer).get(reverse("claims:claimset_detail", args=["belarus"])))
    for fmt in ("claimreview", "csv", "json", "jsonl"):
        assert f'href="/exports/sets/belarus.{fmt}"' in html
    assert 'href="/exports/sets/belarus.csv?all=1"' in html
    assert "belarus.claimreview?all=1" not in html  # ClaimReview is for reviewed claims only


def test_the_set_page_csv_link_downloads_the_verified_claims(reviewer, editor, claim_set):
    verified = make_claim(status=Claim.Status.VERIFIED, text="Verified, with a comma")
    make_verdict(verified, reviewer, state="approved", approver=editor)
    claim_set.claims.add(verified)
    response = client_for(reviewer).get("/exports/sets/belarus.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "Verified, with a comma" in b"".join(response.streaming_content).decode()
