"""Export downloads: API tokens, the claim-set download view, archives, admin surfaces."""

import hashlib
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from claims.models import ClaimSet
from workbench.apitokens import apitoken_issue, apitoken_revoke
from workbench.models import ApiToken

from .support.factories import make_capture, make_claim, make_evidence, make_source, make_verified
from .support.personas import PASSWORD


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def claim_set(db, reviewer, editor):
    """A set with one verified claim and one still in review."""
    verified = make_claim(text="Verified one")
    make_verified(verified, reviewer, editor)
    in_review = make_claim(verified.article, text="Still in review", status="in_review")
    claim_set = ClaimSet.objects.create(name="Published", slug="published")
    claim_set.claims.add(verified, in_review)
    return claim_set


def api_url(slug="published", fmt="jsonl"):
    return reverse("exports:api_claimset_export", kwargs={"slug": slug, "fmt": fmt})


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def consumer_token(consumer, staff):
    return apitoken_issue(user=consumer, name="partner feed", created_by=staff)[1]


def test_token_holder_downloads_the_verified_claims_of_a_set(client, claim_set, consumer_token):
    response = client.get(api_url(), **bearer(consumer_token))
    assert response.status_code == 200
    assert response.streaming  # written as it is read, never built whole in memory
    assert response["Content-Type"].startswith("application/jsonl")
    assert 'filename="published-' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    lines = body(response).splitlines()
    assert [json.loads(line)["claim"] for line in lines] == ["Verified one"]


@pytest.mark.parametrize("fmt", ["claimreview", "csv", "json", "jsonl"])
def test_every_format_is_served(client, claim_set, consumer_token, fmt):
    response = client.get(api_url(fmt=fmt), **bearer(consumer_token))
    assert response.status_code == 200
    assert "Verified one" in body(response)


def test_missing_token_is_refused(client, claim_set):
    response = client.get(api_url())
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"] == "missing_token"


def test_wrong_token_is_refused(client, claim_set, consumer_token):
    response = client.get(api_url(), **bearer(consumer_token + "x"))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_revoked_token_is_refused(client, claim_set, consumer_token, staff):
    apitoken_revoke(token=ApiToken.objects.get(), user=staff)
    assert client.get(api_url(), **bearer(consumer_token)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, claim_set, consumer, consumer_token):
    consumer.is_active = False
    consumer.save()
    assert client.get(api_url(), **bearer(consumer_token)).status_code == 401


def test_session_does_not_stand_in_for_a_token(client, claim_set, reviewer):
    client.force_login(reviewer)
    assert client.get(api_url()).status_code == 401


def test_token_of_a_user_without_the_role_is_forbidden(client, claim_set, outsider, staff):
    raw = apitoken_issue(user=outsider, name="x", created_by=staff)[1]
    assert client.get(api_url(), **bearer(raw)).status_code == 403


def test_unknown_set_is_not_found(client, claim_set, consumer_token):
    assert client.get(api_url(slug="nope"), **bearer(consumer_token)).status_code == 404


def test_only_the_review_team_exports_unverified_claims(
    client, claim_set, consumer_token, reviewer, staff
):
    response = client.get(api_url() + "?all=1", **bearer(consumer_token))
    assert response.status_code == 403
    raw = apitoken_issue(user=reviewer, name="r", created_by=staff)[1]
    response = client.get(api_url() + "?all=1", **bearer(raw))
    assert {json.loads(line)["status"] for line in body(response).splitlines()} == {
        "verified",
        "in_review",
    }


def test_bad_filter_is_a_clear_400(client, claim_set, consumer_token):
    response = client.get(api_url() + "?since=2024-13-01", **bearer(consumer_token))
    assert response.status_code == 400
    assert "since" in response.json()["message"]
    response = client.get(api_url(fmt="claimreview") + "?all=1", **bearer(consumer_token))
    assert response.status_code == 400


def test_only_a_digest_of_the_token_is_stored(consumer, staff):
    token, raw = apitoken_issue(user=consumer, name="feed", created_by=staff)
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list().get()]
    assert raw not in stored and token.prefix in raw


def test_use_of_a_token_is_recorded(client, claim_set, consumer_token):
    client.get(api_url(), **bearer(consumer_token))
    assert ApiToken.objects.get().last_used_at is not None


# The session download that the claim-set page links to.


def session_url(slug="published", fmt="csv"):
    return reverse("exports:claimset_export", kwargs={"slug": slug, "fmt": fmt})


def test_claim_set_download_needs_a_signed_in_user(client, claim_set):
    response = client.get(session_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_claim_set_download_refuses_a_user_without_the_role(client, claim_set, outsider):
    client.force_login(outsider)
    assert client.get(session_url()).status_code == 403


@pytest.mark.parametrize("fmt", ["claimreview", "csv", "json", "jsonl"])
def test_reviewer_downloads_a_claim_set(client, claim_set, reviewer, fmt):
    client.force_login(reviewer)
    response = client.get(session_url(fmt=fmt))
    assert response.status_code == 200
    text = body(response)
    assert "Verified one" in text and "Still in review" not in text


def test_reviewer_downloads_a_claim_set_with_unverified_claims(client, claim_set, reviewer):
    client.force_login(reviewer)
    text = body(client.get(session_url() + "?all=1"))
    assert "Still in review" in text and "in_review" in text


def test_consumer_cannot_download_unverified_claims(client, claim_set, consumer):
    client.force_login(consumer)
    assert client.get(session_url() + "?all=1").status_code == 403
    assert client.get(session_url() + "?rating=Nonsense").status_code == 400


def test_download_view_is_get_only(client, claim_set, reviewer):
    client.force_login(reviewer)
    assert client.post(session_url()).status_code == 405


# Archived responses the exports link to.


@pytest.fixture
def archived(claim_set, settings, tmp_path):
    """(capture behind the verified claim's evidence, capture behind the unverified one)."""
    settings.MEDIA_ROOT = tmp_path
    captures = []
    for claim in claim_set.claims.order_by("pk"):
        source = make_source(f"https://src.example/{claim.pk}")
        capture = make_capture(source)
        capture.archive.save("page.warc.gz", ContentFile(b"WARC/1.0 <script>x</script>"))
        make_evidence(claim, source, capture=capture)
        captures.append(capture)
    return captures


def archive_url(capture):
    return reverse("exports:api_capture_archive", args=[capture.pk])


def test_exported_archive_link_downloads_as_an_attachment(client, archived, consumer_token):
    record = json.loads(body(client.get(api_url(), **bearer(consumer_token))).splitlines()[0])
    link = record["evidence"][0]["capture"]["archive_url"]
    assert link.endswith(archive_url(archived[0]))
    response = client.get(archive_url(archived[0]), **bearer(consumer_token))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/warc"
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == "WARC/1.0 <script>x</script>"


def test_archive_of_unverified_evidence_is_for_the_review_team(
    client, archived, consumer_token, reviewer
):
    assert client.get(archive_url(archived[1]), **bearer(consumer_token)).status_code == 403
    client.force_login(reviewer)
    assert client.get(archive_url(archived[1])).status_code == 200


def test_archive_needs_a_token_or_a_session(client, archived):
    assert client.get(archive_url(archived[0])).status_code == 401


# Admin: issuing and revoking tokens, exporting selected claims.


def test_admin_issues_a_token_and_shows_it_once(client, staff, consumer, claim_set):
    client.force_login(staff)
    response = client.post(
        reverse("admin:workbench_apitoken_add"), {"user": consumer.pk, "name": "partner"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    raw = response.context["secret"]
    assert raw in response.content.decode()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    change = client.get(reverse("admin:workbench_apitoken_change", args=[token.pk]))
    assert raw not in change.content.decode()
    client.logout()
    assert client.get(api_url(), **bearer(raw)).status_code == 200


def test_admin_revokes_tokens(client, staff, consumer_token, claim_set):
    client.force_login(staff)
    client.post(
        reverse("admin:workbench_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [ApiToken.objects.get().pk]},
    )
    assert ApiToken.objects.get().revoked_by == staff
    client.logout()
    assert client.get(api_url(), **bearer(consumer_token)).status_code == 401


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_admin_exports_selected_claims_with_their_status(client, staff, claim_set, fmt):
    client.force_login(staff)
    selected = list(claim_set.claims.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": f"export_selected_{fmt}", "_selected_action": selected},
    )
    assert response.status_code == 200
    text = body(response)
    assert "Verified one" in text and "Still in review" in text and "in_review" in text


def test_admin_claimreview_export_holds_the_verified_selection(client, staff, claim_set):
    client.force_login(staff)
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {
            "action": "export_selected_claimreview",
            "_selected_action": list(claim_set.claims.values_list("pk", flat=True)),
        },
    )
    graph = json.loads(body(response))["@graph"]
    assert [item["claimReviewed"] for item in graph] == ["Verified one"]


def test_password_sign_in_also_reaches_the_download(client, claim_set, reviewer):
    assert client.login(username=reviewer.username, password=PASSWORD)
    assert client.get(session_url()).status_code == 200
