"""Every page needs a signed-in reviewer or editor; every action is a CSRF-protected POST."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimSet
from sources.models import Capture

from .support.factories import make_claim, make_evidence, make_verdict
from .support.personas import PASSWORD
from .support.web import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(reviewer):
    claim = make_claim()
    evidence = make_evidence(claim)
    capture = Capture.objects.create(
        source=evidence.source, requested_at=timezone.now(), outcome=Capture.Outcome.OK
    )
    verdict = make_verdict(claim, reviewer)
    claim_set = ClaimSet.objects.create(name="Belarus", slug="belarus")
    return {
        "claim": claim,
        "evidence": evidence,
        "verdict": verdict,
        "source": evidence.source,
        "capture": capture,
        "article": claim.article,
        "claim_set": claim_set,
    }


def pages(rows):
    return [
        reverse("claims:queue"),
        reverse("claims:search") + "?q=Minsk",
        reverse("claims:article_list"),
        reverse("claims:article_import"),
        reverse("claims:article_detail", args=[rows["article"].pk]),
        reverse("claims:claim_detail", args=[rows["claim"].pk]),
        reverse("claims:source_detail", args=[rows["source"].pk]),
        reverse("claims:capture_download", args=[rows["capture"].pk]),
        reverse("claims:evidence_item", args=[rows["evidence"].pk]),
        reverse("claims:claimset_list"),
        reverse("claims:claimset_detail", args=[rows["claim_set"].slug]),
    ]


def actions(rows):
    claim, verdict = rows["claim"].pk, rows["verdict"].pk
    return [
        reverse("claims:claim_edit", args=[claim]),
        reverse("claims:claim_assign", args=[claim]),
        reverse("claims:claim_start", args=[claim]),
        reverse("claims:claim_propose", args=[claim]),
        reverse("claims:claim_dismiss", args=[claim]),
        reverse("claims:claim_reopen", args=[claim]),
        reverse("claims:verdict_approve", args=[verdict]),
        reverse("claims:verdict_return", args=[verdict]),
        reverse("claims:verdict_edit", args=[verdict]),
        reverse("claims:evidence_add", args=[claim]),
        reverse("claims:article_claim_create", args=[rows["article"].pk]),
        reverse("claims:evidence_assess", args=[rows["evidence"].pk]),
        reverse("claims:evidence_remove", args=[rows["evidence"].pk]),
        reverse("claims:claimset_add"),
        reverse("claims:claimset_remove", args=[rows["claim_set"].slug]),
        reverse("claims:source_recapture", args=[rows["source"].pk]),
        reverse("claims:source_upload", args=[rows["source"].pk]),
        reverse("claims:claimset_list"),  # POST creates a set
        reverse("claims:article_import"),  # POST imports
    ]


def test_every_page_sends_anonymous_visitors_to_sign_in(client, rows):
    for url in pages(rows):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("claims:login") + "?next="), url


def test_every_action_refuses_anonymous_visitors_and_changes_nothing(client, rows):
    before = Claim.objects.get().version
    for url in actions(rows):
        response = client.post(url, {"version": 1})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("claims:login")), url
    assert Claim.objects.get().version == before
    assert rows["evidence"].__class__.objects.count() == 1


def test_a_user_without_a_role_is_refused_every_page_and_action(outsider, rows):
    client = client_for(outsider)
    for url in pages(rows):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "no reviewer or editor role" in response.content.decode()
    for url in actions(rows):
        assert client.post(url, {}).status_code == 403, url
    assert Claim.objects.get().version == 1


def test_actions_refuse_a_post_without_csrf_token(reviewer, rows):
    client = client_for(reviewer, enforce_csrf_checks=True)
    claim = rows["claim"]
    for url in actions(rows):
        response = client.post(url, {"take": "1", "assign-version": claim.version})
        assert response.status_code == 403, url
        assert "CSRF" in response.content.decode(), url
    claim.refresh_from_db()
    assert claim.assignee is None and claim.version == 1


def test_actions_accept_a_post_with_the_page_csrf_token(reviewer, rows):
    client = client_for(reviewer, enforce_csrf_checks=True)
    claim = rows["claim"]
    client.get(reverse("claims:claim_detail", args=[claim.pk]))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("claims:claim_assign", args=[claim.pk]),
        {"take": "1", "assign-version": claim.version, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.assignee == reviewer


def test_actions_do_not_answer_get(reviewer, rows):
    client = client_for(reviewer)
    for url in actions(rows):
        if url in (reverse("claims:claimset_list"), reverse("claims:article_import")):
            continue  # pages that also take a POST
        assert client.get(url).status_code == 405, url


def test_sign_in_page_signs_in_and_returns_to_the_page_asked_for(client, reviewer):
    target = reverse("claims:article_list")
    page = client.get(reverse("claims:login") + f"?next={target}")
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()
    response = client.post(
        reverse("claims:login"), {"username": "rita", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == target
    assert client.session[SESSION_KEY] == str(reviewer.pk)


def test_sign_in_with_a_wrong_password_says_so(client, reviewer):
    response = client.post(reverse("claims:login"), {"username": "rita", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_sign_in_does_not_redirect_to_another_site(client, reviewer):
    response = client.post(
        reverse("claims:login"),
        {"username": "rita", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("claims:queue")


def test_sign_out_is_a_post_and_ends_the_session(reviewer):
    client = client_for(reviewer)
    assert client.get(reverse("claims:logout")).status_code == 405
    response = client.post(reverse("claims:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("claims:login")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("claims:queue")).status_code == 302


def test_unknown_ids_are_404(reviewer):
    client = client_for(reviewer)
    for name in ("claims:claim_detail", "claims:article_detail", "claims:source_detail"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    assert client.get(reverse("claims:claimset_detail", args=["nope"])).status_code == 404
    assert client.post(reverse("claims:verdict_approve", args=[999999])).status_code == 404
