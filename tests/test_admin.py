"""The admin: every page answers, bad values get form errors and change nothing."""

import pytest
from django.contrib import admin
from django.urls import reverse

from claims.models import Article, Claim, Verdict
from sources.models import Capture, Source
from workbench.models import Heartbeat

from .support.admin_forms import claim_form
from .support.factories import make_claim, make_evidence, make_source, make_verdict, rating
from .support.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(reviewer, editor):
    """One row of every registered model."""
    claim = make_claim()
    source = make_source()
    make_evidence(claim, source)
    make_verdict(claim, reviewer)
    Capture.objects.create(
        source=source,
        requested_at="2026-01-01T00:00Z",
        outcome="failed",
        error_code="http_404",
        error_message="<script>alert(1)</script> not found",
    )
    from claims.models import ClaimSet

    ClaimSet.objects.create(name="Set", slug="set").claims.add(claim)
    Heartbeat.objects.create(name="default", last_seen="2026-01-01T00:00Z")
    from workbench.apitokens import apitoken_issue

    apitoken_issue(user=reviewer, name="feed", created_by=editor)
    from claims.models import RatingLabel
    from claims.services import claimreview_import

    RatingLabel.objects.create(label="Bulo", language="es", rating=rating("False"))
    claimreview_import(
        data={"@type": "ClaimReview", "claimReviewed": "<b>x</b>", "reviewRating": "Falso"},
        user=editor,
        reason="import_claimreview admin fixture",
    )
    # django-axes' records of sign-ins (failed ones are what an admin deletes to unlock).
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    who = {"username": "rita", "ip_address": "198.51.100.7", "user_agent": "test"}
    AccessAttempt.objects.create(**who, failures_since_start=5, get_data="", post_data="")
    AccessLog.objects.create(**who)
    AccessFailureLog.objects.create(**who, locked_out=True)


def admin_urls():
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        yield model, f"admin:{opts.app_label}_{opts.model_name}", model_admin


@pytest.fixture
def staff_client(client, staff):
    client.login(username=staff.username, password=PASSWORD)
    return client


def test_every_admin_page_of_every_model_answers(staff_client, populated):
    checked = 0
    for model, prefix, model_admin in admin_urls():
        assert staff_client.get(reverse(f"{prefix}_changelist")).status_code == 200, prefix
        obj = model.objects.first()
        assert obj is not None, f"fixture has no {model.__name__}"
        for view in ("change", "history"):
            response = staff_client.get(reverse(f"{prefix}_{view}", args=[obj.pk]))
            assert response.status_code == 200, f"{prefix}_{view}"
        add = staff_client.get(reverse(f"{prefix}_add"))
        assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)
        checked += 1
    assert checked >= 9


def test_changelists_search_and_filter(staff_client, populated):
    response = staff_client.get(
        reverse("admin:claims_claim_changelist"), {"q": "Minsk", "status": "unreviewed"}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_anonymous_user_is_sent_to_login(client, populated):
    for _model, prefix, _ in admin_urls():
        response = client.get(reverse(f"{prefix}_changelist"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_fetched_text_in_capture_admin_is_escaped(staff_client, populated):
    capture = Capture.objects.get()
    response = staff_client.get(reverse("admin:sources_capture_change", args=[capture.pk]))
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_history_page_shows_who_why_and_what_changed(staff_client, reviewer):
    from claims.services import workflow

    claim = workflow.claim_start_review(claim=make_claim(), user=reviewer)
    response = staff_client.get(reverse("admin:claims_claim_history", args=[claim.pk]))
    content = response.content.decode()
    assert "Review started" in content
    assert reviewer.username in content
    assert "in_review" in content  # the field-by-field change: status unreviewed -> in_review


def test_invalid_source_url_gets_a_form_error(staff_client):
    response = staff_client.post(
        reverse("admin:sources_source_add"), {"url": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"]
    assert not Source.objects.exists()


def test_offsets_outside_body_get_a_form_error_and_change_nothing(staff_client):
    claim = make_claim()
    before = Claim.objects.values().get()
    data = claim_form(claim, start=len(claim.article.body) - 2, end=len(claim.article.body) + 5)
    response = staff_client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    assert response.status_code == 200
    assert "outside the body" in str(response.context["adminform"].form.errors)
    assert Claim.objects.values().get() == before


def test_quote_not_matching_offsets_gets_a_form_error(staff_client):
    claim = make_claim()
    data = claim_form(claim, quote="X" * (claim.end - claim.start))
    response = staff_client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    assert response.status_code == 200
    assert "does not match" in str(response.context["adminform"].form.errors["quote"])
    assert Claim.objects.get().quote == claim.quote


def test_claim_added_inline_on_article_is_checked_against_the_new_body(staff_client):
    data = {
        "title": "T",
        "url": "",
        "publisher": "",
        "byline": "",
        "published": "",
        "language": "",
        "body": "Alpha beta gamma.",
        "status": "ready",
        "import_error": "",
        "capture": "",
        "submitted_by": "",
        "change_reason": "",
        "claims-TOTAL_FORMS": 1,
        "claims-INITIAL_FORMS": 0,
        "claims-MAX_NUM_FORMS": 1000,
        "claims-0-text": "beta",
        "claims-0-quote": "beta",
        "claims-0-start": 0,
        "claims-0-end": 4,
        "claims-0-attributed_to": "",
        "claims-0-assignee": "",
    }
    response = staff_client.post(reverse("admin:claims_article_add"), data)
    assert response.status_code == 200
    assert not Article.objects.exists()
    data["claims-0-start"], data["claims-0-end"] = 6, 10
    response = staff_client.post(reverse("admin:claims_article_add"), data)
    assert response.status_code == 302
    assert Claim.objects.get().quote == "beta"


def test_posting_an_approval_to_the_verdict_form_changes_nothing(staff_client, editor):
    verdict = make_verdict(make_claim(), editor)
    data = {
        "claim": verdict.claim_id,
        "rating": rating().pk,
        "rationale": verdict.rationale,
        "author": editor.pk,
        "state": "approved",
        "approver": editor.pk,
        "decided_at_0": "",
        "decided_at_1": "",
        "review_comment": "",
        "change_reason": "",
    }
    staff_client.post(reverse("admin:claims_verdict_change", args=[verdict.pk]), data)
    verdict.refresh_from_db()
    assert verdict.state == Verdict.State.PROPOSED and verdict.approver is None


def test_editor_cannot_approve_own_verdict_through_admin_action(client, editor, reviewer):
    editor.is_staff = True
    editor.save()
    own = make_verdict(make_claim(status="awaiting_approval"), editor)
    other_claim = make_claim(
        article=own.claim.article,
        status="awaiting_approval",
        quote="In 2022, several thousand soldiers were deployed in Belarus.",
    )
    others = make_verdict(other_claim, reviewer)
    client.login(username=editor.username, password=PASSWORD)
    client.post(
        reverse("admin:claims_verdict_changelist"),
        {"action": "approve_selected", "_selected_action": [own.pk, others.pk]},
    )
    own.refresh_from_db()
    others.refresh_from_db()
    assert own.state == Verdict.State.PROPOSED
    assert others.state == Verdict.State.APPROVED and others.approver == editor


def test_reviewer_cannot_approve_through_admin_action(client, reviewer, defaults):
    from .support.personas import make_user

    author = make_user("ann", "reviewer")
    reviewer.is_staff = True
    reviewer.save()
    verdict = make_verdict(make_claim(status="awaiting_approval"), author)
    client.login(username=reviewer.username, password=PASSWORD)
    client.post(
        reverse("admin:claims_verdict_changelist"),
        {"action": "approve_selected", "_selected_action": [verdict.pk]},
    )
    verdict.refresh_from_db()
    assert verdict.state == Verdict.State.PROPOSED
