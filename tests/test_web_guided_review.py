"""The guided review (issue 14): no preset rating, a verdict grounded in an assessed source
or a recorded reason, one decision screen for the editor, and a queue that shows who
proposed what and how long it has waited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Verdict
from claims.services import evidence_assess
from claims.services.workflow import verdict_propose
from claims.text.display import word_diff
from claims.views.common import human_reason

from .support.factories import make_claim, make_evidence, rating
from .support.web import client_for, page_text

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"claims:{name}", args=args)


def propose_form(client, claim, **fields):
    data = {"propose-version": claim.version, "propose-rationale": "The records say 2010."}
    data.update({f"propose-{k}": v for k, v in fields.items()})
    return client.post(url("claim_propose", claim.pk), data)


def test_the_propose_form_has_no_preset_rating(reviewer):
    html = page_text(client_for(reviewer).get(url("claim_detail", make_claim().pk)))
    assert '<option value="" selected>Choose a rating…</option>' in html


def test_proposing_without_a_rating_is_refused_with_a_field_error(reviewer):
    claim = make_claim()
    response = propose_form(client_for(reviewer), claim, no_evidence_reason="Self-evident.")
    assert response.status_code == 400
    assert "Choose a rating." in page_text(response)
    assert not Verdict.objects.exists()


def test_proposing_with_no_assessed_source_asks_for_a_reason(reviewer):
    claim = make_claim()
    make_evidence(claim)  # attached, never assessed
    client = client_for(reviewer)
    assert "No source is assessed yet." in page_text(client.get(url("claim_detail", claim.pk)))
    response = propose_form(client, claim, rating=rating().pk)
    assert response.status_code == 400
    assert "Assess at least one source" in page_text(response)
    assert Claim.objects.get().status == Claim.Status.UNREVIEWED


def test_a_reason_instead_of_a_source_is_recorded_and_shown_to_the_approver(reviewer, editor):
    claim = make_claim()
    response = propose_form(
        client_for(reviewer),
        claim,
        rating=rating().pk,
        no_evidence_reason="The article's own table gives 2010.",
    )
    assert response.status_code == 302
    verdict = Verdict.objects.get()
    assert verdict.no_evidence_reason == "The article's own table gives 2010."
    assert Claim.objects.get().assignee == reviewer  # proposing assigned the proposer
    html = page_text(client_for(editor).get(url("claim_detail", claim.pk)))
    assert 'id="decision"' in html
    assert "No source, because:</strong> The article&#x27;s own table gives 2010." in html


def test_the_editor_decides_with_the_evidence_and_rationale_on_one_screen(reviewer, editor):
    claim = make_claim()
    item = make_evidence(claim)
    evidence_assess(
        evidence=item, user=reviewer, stance="contradicts", passage="Signed in <b>2010</b>."
    )
    verdict_propose(claim=claim, rating=rating(), rationale="It was 2010.", user=reviewer)
    html = page_text(client_for(editor).get(url("claim_detail", claim.pk)))
    decision = html[
        html.index('id="decision"') : html.index("</section>", html.index('id="decision"'))
    ]
    assert "It was 2010." in decision
    assert "Contradicts" in decision and "Signed in &lt;b&gt;2010&lt;/b&gt;." in decision
    assert 'data-confirm="Approve “False”?' in decision
    assert "Return with comment" in decision
    # The author sees no decision, only that it waits.
    mine = page_text(client_for(reviewer).get(url("claim_detail", claim.pk)))
    assert 'id="decision"' not in mine and "Waiting for an editor" in mine


def test_an_editor_lands_on_approvals_when_some_wait(reviewer, editor):
    client = client_for(editor)
    assert client.get(url("queue")).context["tab"] == "mine"
    claim = make_claim()
    verdict_propose(
        claim=claim, rating=rating(), rationale="No.", no_evidence_reason="x", user=reviewer
    )
    response = client.get(url("queue"))
    assert response.context["tab"] == "approval"
    html = page_text(response)
    assert '<td data-label="Proposed by">rita</td>' in html
    assert "under a minute" in html and "just now" in html and "0 minutes" not in html
    # Asking for a tab still gives that tab; a reviewer keeps "Assigned to me".
    assert client.get(url("queue") + "?view=mine").context["tab"] == "mine"
    assert client_for(reviewer).get(url("queue")).context["tab"] == "mine"


def test_the_queue_says_how_long_a_verdict_has_waited(reviewer, editor):
    claim = make_claim()
    verdict = verdict_propose(
        claim=claim, rating=rating(), rationale="No.", no_evidence_reason="x", user=reviewer
    )
    Verdict.objects.filter(pk=verdict.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2, hours=3)
    )
    html = page_text(client_for(editor).get(url("queue")))
    assert ">2\xa0days</time>" in html


def test_history_shows_human_reasons_and_word_level_changes():
    assert human_reason("capture_finished: capture 4") == (
        "Done automatically when the source's page was captured"
    )
    assert human_reason("Assessed: supports") == "Assessed: supports"
    pieces = word_diff("Signed in 2009 by both states.", "Signed in 2010 by both states.")
    assert [(p.kind, p.text) for p in pieces] == [
        ("same", "Signed in "),
        ("removed", "2009"),
        ("added", "2010"),
        ("same", " by both states."),
    ]
    assert pieces[2].replaces


def test_captured_text_keeps_its_headings_and_paragraphs():
    from claims.text.display import text_blocks

    text = (
        "Air defence pact extended\n"
        "The ministry said on Monday that the pact holds.\n\n"
        "It was signed in 2009."
    )
    assert [(b.kind, b.text) for b in text_blocks(text)] == [
        ("heading", "Air defence pact extended"),
        ("paragraph", "The ministry said on Monday that the pact holds."),
        ("paragraph", "It was signed in 2009."),
    ]


def test_the_article_body_keeps_its_paragraphs_and_exact_text():
    from claims.text.display import paragraphs

    body = "Menu\nShare this\n\nMoscow said in 2009 that the pact holds.\nIt was signed."
    found = paragraphs(body, [], sentences=[(17, 57)], furniture=[(0, 4, "too short")])
    assert "".join(s.text for p in found for s in p.spans) == body
    assert [p.start for p in found] == [0, 5, 17, 58]
    assert found[0].spans[0].furniture == "too short"
    assert found[2].spans[0].first and found[2].spans[0].sentence == 17


def test_a_pasted_article_keeps_its_original_url(reviewer):
    body = "In 2009, Moscow and Minsk signed an air defense agreement."
    data = {"mode": "text", "paste-body": body, "paste-url": "HTTPS://Example.org/a#top"}
    client = client_for(reviewer)
    response = client.post(reverse("claims:article_import"), data)
    assert response.status_code == 302
    from claims.models import Article

    assert Article.objects.get().url == "https://example.org/a"
    again = client.post(reverse("claims:article_import"), data)
    assert again.status_code == 400
    assert "An article with this URL is already in the workbench." in page_text(again)


def test_approvals_come_longest_waiting_first_and_pages_go_on_in_that_order(reviewer, editor):
    article = make_claim().article
    claims = [make_claim(article)]
    for n in range(4):
        claims.append(make_claim(article, quote="Moscow and Minsk", text=f"Claim {n}"))
    for age, claim in enumerate(reversed(claims)):  # the first made waits longest
        verdict_propose(
            claim=claim, rating=rating(), rationale="r", no_evidence_reason="x", user=reviewer
        )
        Claim.objects.filter(pk=claim.pk).update(
            updated_at=timezone.now() - datetime.timedelta(hours=10 - age)
        )
    client = client_for(editor)
    from claims.views import queue

    queue.PAGE_SIZE, saved = 2, queue.PAGE_SIZE
    try:
        seen = []
        response = client.get(url("queue"))
        while True:
            seen += [c.pk for c in response.context["page"].items]
            cursor = response.context["page"].next_cursor
            if not cursor:
                break
            response = client.get(url("queue"), {"view": "approval", "after": cursor})
        assert "Newer ›" in page_text(client.get(url("queue")))
        recent = client.get(url("queue"), {"view": "approval", "sort": "recent"})
    finally:
        queue.PAGE_SIZE = saved
    expected = [c.pk for c in sorted(claims, key=lambda c: Claim.objects.get(pk=c.pk).updated_at)]
    assert seen == expected
    assert [c.pk for c in recent.context["page"].items] == expected[::-1][:2]


def test_next_claim_takes_an_editor_to_the_longest_waiting_approval_then_their_own(
    reviewer, editor
):
    article = make_claim().article
    Claim.objects.all().delete()
    mine = make_claim(article, assignee=editor)
    waiting = make_claim(article, quote="Moscow and Minsk")
    verdict_propose(
        claim=waiting, rating=rating(), rationale="r", no_evidence_reason="x", user=reviewer
    )
    client = client_for(editor)
    assert client.get(url("claim_next")).url == url("claim_detail", waiting.pk)
    after = client.get(url("claim_next"), {"after": waiting.pk})
    assert after.url == url("claim_detail", mine.pk)
    # A reviewer has no approvals: their own open claims only (proposing assigned them
    # this one); none left, back to the queue.
    theirs = client_for(reviewer)
    assert theirs.get(url("claim_next")).url == url("claim_detail", waiting.pk)
    response = theirs.get(url("claim_next"), {"after": waiting.pk})
    assert response.url == url("queue")
    assert "Nothing else is waiting for you" in page_text(theirs.get(url("queue")))
