"""History rows carry who changed what and why, in and outside requests."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import Article, Claim, ClaimSet
from claims.services import workflow

from .support.admin_forms import claim_form
from .support.factories import make_claim, rating
from .support.personas import PASSWORD

# Proposals here are about the workflow, not evidence: each says why it needs none.
NO_SOURCE = "The claim is checked against the article itself."

pytestmark = pytest.mark.django_db


def test_admin_change_records_user_and_given_reason(client, staff):
    claim = make_claim()
    client.login(username=staff.username, password=PASSWORD)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = claim_form(
        claim,
        text="Moscow and Minsk signed an air defense deal in 2009.",
        change_reason="Clearer wording",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = Claim.history.filter(id=claim.pk).latest("history_date")
    assert record.history_user == staff
    assert record.history_change_reason == "Clearer wording"
    assert record.version == 2


def test_admin_change_without_reason_records_changed_fields(client, staff):
    claim = make_claim()
    client.login(username=staff.username, password=PASSWORD)
    data = claim_form(claim, attributed_to="Ministry of Defence")
    client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    record = Claim.history.filter(id=claim.pk).latest("history_date")
    assert record.history_change_reason == "Changed in admin: attributed_to"


def test_service_change_records_acting_user_and_reason(reviewer):
    verdict = workflow.verdict_propose(
        no_evidence_reason=NO_SOURCE,
        claim=make_claim(),
        rating=rating(),
        rationale="Wrong year",
        user=reviewer,
    )
    claim_record = Claim.history.latest("history_date")
    assert claim_record.history_user == reviewer
    assert claim_record.history_change_reason == "Verdict proposed: False"
    assert verdict.history.latest("history_date").history_user == reviewer


def test_command_change_has_no_user_and_names_the_command():
    call_command("load_demo", stdout=None)
    record = Article.history.get()
    assert record.history_user is None
    assert record.history_change_reason == "load_demo command"
    assert {r.history_change_reason for r in Claim.history.all()} == {"load_demo command"}


def test_task_reason_outside_a_request_has_no_user():
    from claims.history import tracked_save

    claim = make_claim()
    claim.checkworthiness = 0.8
    tracked_save(claim, user=None, reason="task: claims.score_claims")
    record = Claim.history.filter(id=claim.pk).latest("history_date")
    assert record.history_user is None
    assert record.history_change_reason == "task: claims.score_claims"


def test_diff_against_previous_version_lists_changed_fields(reviewer):
    claim = workflow.claim_start_review(claim=make_claim(), user=reviewer)
    new, old = Claim.history.filter(id=claim.pk).order_by("-history_date")[:2]
    changed = {c.field for c in new.diff_against(old).changes}
    assert {"status", "assignee", "version"} <= changed


def test_claim_set_membership_changes_are_tracked(client, staff):
    claim = make_claim()
    client.login(username=staff.username, password=PASSWORD)
    response = client.post(
        reverse("admin:claims_claimset_add"),
        {
            "name": "Belarus",
            "slug": "belarus",
            "description": "",
            "claims": [claim.pk],
            "created_by": "",
            "change_reason": "First set",
        },
    )
    assert response.status_code == 302
    claim_set = ClaimSet.objects.get()
    latest = claim_set.history.latest("history_date")
    # Membership is recorded as changes (claim added, by whom, why), not as a snapshot.
    (change,) = claim_set.changes.all()
    assert (change.claim_id, change.action, change.user) == (claim.pk, "added", staff)
    assert change.reason == "First set"
    assert latest.history_user == staff
