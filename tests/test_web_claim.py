"""The claim page: quote in context, assignment, editing, optimistic locking, the timeline."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Evidence
from claims.services.evidence import evidence_assess
from claims.services.workflow import claim_start_review, verdict_approve, verdict_propose

from .support.factories import BODY, make_article, make_claim, make_evidence, make_source, rating
from .support.web import client_for, enqueued, page_text

# Proposals here are about the workflow, not evidence: each says why it needs none.
NO_SOURCE = "The claim is checked against the article itself."

pytestmark = pytest.mark.django_db


def url(name, pk):
    return reverse(f"claims:{name}", args=[pk])


def test_claim_page_shows_the_quote_in_its_article_context(reviewer):
    claim = make_claim(attributed_to="Sputnik")
    response = client_for(reviewer).get(url("claim_detail", claim.pk))
    assert response.status_code == 200
    html = page_text(response)
    assert "<mark>In 2009, Moscow and Minsk signed an air defense agreement.</mark>" in html
    assert "Minsk, 13 December." in html and "Subscribe." in html
    assert "attributed to <strong>Sputnik</strong>" in html
    assert "Unreviewed" in html


def test_article_text_and_claim_text_are_escaped_on_the_claim_page(reviewer):
    article = make_article(
        title="<i>Breaking</i>", body="Intro <script>alert(1)</script>. The <b>quote</b> here."
    )
    claim = make_claim(article, quote="The <b>quote</b> here.", text="<img src=x onerror=alert(1)>")
    html = page_text(client_for(reviewer).get(url("claim_detail", claim.pk)))
    assert "<script>alert(1)</script>" not in html
    assert "<b>quote</b>" not in html and "<img src=x" not in html and "<i>Breaking" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>The &lt;b&gt;quote&lt;/b&gt; here.</mark>" in html


def test_reviewer_assigns_a_claim_to_themselves_without_an_email(
    reviewer, django_capture_on_commit_callbacks
):
    claim = make_claim()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(reviewer).post(
            url("claim_assign", claim.pk), {"take": "1", "assign-version": 1}
        )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.assignee == reviewer and claim.version == 2
    assert enqueued(callbacks) == []
    record = claim.history.first()
    assert record.history_user == reviewer and record.history_change_reason == "Assigned to rita"


def test_reviewer_cannot_assign_someone_else(reviewer, editor):
    claim = make_claim()
    response = client_for(reviewer).post(
        url("claim_assign", claim.pk), {"assign-assignee": editor.pk, "assign-version": 1}
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.assignee is None and claim.version == 1


def test_editor_assigns_a_reviewer_who_gets_an_email(
    reviewer, editor, django_capture_on_commit_callbacks
):
    claim = make_claim()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(editor).post(
            url("claim_assign", claim.pk), {"assign-assignee": reviewer.pk, "assign-version": 1}
        )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.assignee == reviewer
    [(task, args, _)] = enqueued(callbacks)
    assert task.name == "claims.tasks.send_claim_assigned"
    assert args == (claim.pk, reviewer.pk, editor.pk)


def test_a_claim_cannot_be_assigned_to_someone_without_a_role(editor, outsider):
    claim = make_claim()
    response = client_for(editor).post(
        url("claim_assign", claim.pk), {"assign-assignee": outsider.pk, "assign-version": 1}
    )
    assert response.status_code == 400  # not among the choices
    claim.refresh_from_db()
    assert claim.assignee is None


def test_editing_the_claim_records_who_and_what(reviewer):
    claim = make_claim()
    response = client_for(reviewer).post(
        url("claim_edit", claim.pk),
        {
            "edit-text": "Russia and Belarus signed it in 2009.",
            "edit-attributed_to": "TASS",
            "edit-version": 1,
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.attributed_to, claim.version) == (
        "Russia and Belarus signed it in 2009.",
        "TASS",
        2,
    )
    assert claim.history.first().history_change_reason == "Edited: text, attributed_to"


def test_an_empty_claim_text_is_a_form_error_and_changes_nothing(reviewer):
    claim = make_claim()
    response = client_for(reviewer).post(
        url("claim_edit", claim.pk),
        {"edit-text": "   ", "edit-attributed_to": "x", "edit-version": 1},
    )
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    claim.refresh_from_db()
    assert claim.attributed_to == "" and claim.version == 1


def test_second_of_two_concurrent_edits_is_refused_showing_what_changed(reviewer, editor):
    claim = make_claim()
    first, second = client_for(reviewer), client_for(editor)
    # Both opened the page at version 1.
    assert 'name="edit-version" value="1"' in page_text(first.get(url("claim_detail", claim.pk)))
    assert 'name="edit-version" value="1"' in page_text(second.get(url("claim_detail", claim.pk)))
    first.post(
        url("claim_edit", claim.pk),
        {"edit-text": "First wording", "edit-attributed_to": "", "edit-version": 1},
    )
    response = second.post(
        url("claim_edit", claim.pk),
        {"edit-text": "Second wording", "edit-attributed_to": "Someone", "edit-version": 1},
    )
    assert response.status_code == 409
    html = page_text(response)
    assert "Not saved: someone else changed this claim" in html
    assert "version 1, now 2" in html
    assert "<del>In 2009, Moscow and Minsk signed an air defense agreement.</del>" in html
    assert "<ins>First wording</ins>" in html
    assert "rita" in html  # who made the change
    assert "Second wording" in html  # the refused input is shown, not lost
    claim.refresh_from_db()
    assert (claim.text, claim.attributed_to, claim.version) == ("First wording", "", 2)


def test_editing_a_verified_claim_is_refused_with_the_reason(reviewer, editor):
    claim = make_claim()
    verdict = verdict_propose(
        no_evidence_reason=NO_SOURCE, claim=claim, rating=rating(), rationale="No.", user=reviewer
    )
    verdict_approve(verdict=verdict, user=editor)
    claim.refresh_from_db()
    response = client_for(editor).post(
        url("claim_edit", claim.pk),
        {"edit-text": "New", "edit-attributed_to": "", "edit-version": claim.version},
    )
    assert response.status_code == 400
    assert "reopen it before editing" in page_text(response)
    claim.refresh_from_db()
    assert claim.text != "New"


def test_timeline_rolls_up_claim_evidence_and_verdict_changes(reviewer, editor):
    claim = make_claim()
    claim_start_review(claim=claim, user=reviewer)
    evidence = make_evidence(claim, make_source("https://example.org/treaty"))
    evidence_assess(
        evidence=evidence, user=reviewer, stance="contradicts", passage="Signed in 2010."
    )
    verdict = verdict_propose(
        no_evidence_reason=NO_SOURCE,
        claim=claim,
        rating=rating("False"),
        rationale="It was 2010.",
        user=reviewer,
    )
    verdict_approve(verdict=verdict, user=editor)
    response = client_for(reviewer).get(url("claim_detail", claim.pk))
    entries = response.context["timeline"]
    subjects = [(e.subject, e.action, e.why) for e in entries]
    assert subjects[0] == ("Claim", "changed", "Verified: False")
    assert ("Verdict", "changed", "Verdict approved") in subjects
    assert ("Evidence: https://example.org/treaty", "changed", "Assessed: contradicts") in subjects
    assert ("Claim", "changed", "Review started") in subjects
    assessed = next(e for e in entries if e.why == "Assessed: contradicts")
    assert assessed.who == reviewer
    diff = {c.field: (c.old, c.new) for c in assessed.changes}
    assert diff["stance"] == ("Unassessed", "Contradicts")
    assert diff["passage"] == ("—", "Signed in 2010.")
    approved = next(e for e in entries if e.why == "Verdict approved")
    assert {c.field: c.new for c in approved.changes}["approver"] == "ed"
    html = page_text(response)
    assert "<del>Unassessed</del> → <ins>Contradicts</ins>" in html


def test_claim_page_query_count_is_bounded(reviewer, editor, django_assert_max_num_queries):
    article = make_article(body=BODY * 50)
    claim = make_claim(article)
    for i in range(8):
        evidence = make_evidence(claim, make_source(f"https://example.org/{i}"))
        evidence_assess(evidence=evidence, user=reviewer, stance="supports", passage=f"P{i}")
    verdict_propose(
        no_evidence_reason=NO_SOURCE,
        claim=claim,
        rating=rating(),
        rationale="Because.",
        user=reviewer,
    )
    client = client_for(editor)
    with CaptureQueriesContext(connection) as small:
        client.get(url("claim_detail", claim.pk))
    for i in range(8, 30):
        make_evidence(claim, make_source(f"https://example.org/{i}"))
    cache.clear()  # both views cold: the similar-claims answer is cached after the first
    with CaptureQueriesContext(connection) as large:
        client.get(url("claim_detail", claim.pk))
    assert len(large) == len(small)
    with django_assert_max_num_queries(20):
        client.get(url("claim_detail", claim.pk))


def test_assessing_evidence_from_the_claim_page(reviewer):
    claim = make_claim()
    evidence = make_evidence(claim)
    prefix = f"evidence-{evidence.pk}"
    response = client_for(reviewer).post(
        url("evidence_assess", evidence.pk),
        {f"{prefix}-stance": "supports", f"{prefix}-passage": "They signed.", f"{prefix}-note": ""},
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.stance, evidence.passage) == ("supports", "They signed.")


def test_a_stance_without_a_passage_is_a_form_error(reviewer):
    evidence = make_evidence(make_claim(), make_source(status="ok"))
    prefix = f"evidence-{evidence.pk}"
    response = client_for(reviewer).post(
        url("evidence_assess", evidence.pk),
        {f"{prefix}-stance": "supports", f"{prefix}-passage": "", f"{prefix}-note": ""},
    )
    assert response.status_code == 400
    assert "Quote the passage" in page_text(response)
    evidence.refresh_from_db()
    assert evidence.stance == Evidence.Stance.UNASSESSED


def test_removing_a_source_from_a_claim_keeps_it_in_the_history(reviewer):
    claim = make_claim()
    evidence = make_evidence(claim)
    response = client_for(reviewer).post(url("evidence_remove", evidence.pk))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    entries = client_for(reviewer).get(url("claim_detail", claim.pk)).context["timeline"]
    assert entries[0].action == "deleted" and entries[0].who == reviewer
    assert entries[0].subject == "Evidence: https://example.org/report"
    assert Claim.objects.get().status == Claim.Status.UNREVIEWED


def test_from_htmx_an_assessment_answers_with_the_evidence_item(reviewer):
    evidence = make_evidence(make_claim(), make_source(status="ok"))
    prefix = f"evidence-{evidence.pk}"
    client = client_for(reviewer)
    response = client.post(
        url("evidence_assess", evidence.pk),
        {f"{prefix}-stance": "context", f"{prefix}-passage": "<b>Background</b>"},
        HTTP_HX_REQUEST="true",
    )
    html = page_text(response)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div class="evidence-item" id="evidence-{evidence.pk}">')
    assert "Assessment saved." in html and "&lt;b&gt;Background&lt;/b&gt;" in html
    response = client.post(
        url("evidence_assess", evidence.pk),
        {f"{prefix}-stance": "supports", f"{prefix}-passage": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Quote the passage" in page_text(response)
    evidence.refresh_from_db()
    assert evidence.stance == "context"


def test_claim_page_lists_similar_earlier_claims_with_their_verdicts(reviewer, editor):
    article = make_article(
        body="Moscow and Minsk signed an air defense agreement in 2009. Other words here. "
        "In 2009 Moscow and Minsk signed the air defense agreement, officials said."
    )
    earlier = make_claim(article, quote="Moscow and Minsk signed an air defense agreement in 2009.")
    verdict = verdict_propose(
        no_evidence_reason=NO_SOURCE,
        claim=earlier,
        rating=rating("True"),
        rationale="Yes.",
        user=reviewer,
    )
    verdict_approve(verdict=verdict, user=editor)
    claim = make_claim(
        article, quote="In 2009 Moscow and Minsk signed the air defense agreement, officials said."
    )
    response = client_for(reviewer).get(url("claim_detail", claim.pk))
    assert [s.claim for s in response.context["similar"]] == [earlier]
    html = page_text(response)
    assert url("claim_detail", earlier.pk) in html and "Verified: True" in html


def test_a_flagged_claim_says_why(reviewer):
    claim = make_claim(needs_attention=True, attention_reason="Source https://x.example/ changed.")
    html = page_text(client_for(reviewer).get(url("claim_detail", claim.pk)))
    assert "Needs attention: Source https://x.example/ changed." in html
