"""The queue (home page): tabs, filters, counts, keyset pages, and a bounded query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import paging
from claims.models import Claim, Verdict
from claims.views import queue as queue_view

from .support.factories import make_article, make_claim, make_verdict, rating
from .support.web import client_for, page_text

pytestmark = pytest.mark.django_db

URL = reverse("claims:queue")


def claim_ids(response):
    return [claim.pk for claim in response.context["page"].items]


def make_claims(n, article=None, **fields):
    article = article or make_article()
    return [make_claim(article, text=f"Claim number {i}", **fields) for i in range(n)]


def test_default_tab_lists_open_claims_assigned_to_me(reviewer, editor):
    mine = make_claim(assignee=reviewer)
    make_claim(assignee=editor)
    make_claim()
    closed = make_claim(assignee=reviewer, status=Claim.Status.DISMISSED, dismissed_reason="x")
    response = client_for(reviewer).get(URL)
    assert response.status_code == 200
    assert claim_ids(response) == [mine.pk]
    assert closed.pk not in claim_ids(client_for(reviewer).get(URL))
    # A status filter shows the closed ones too.
    response = client_for(reviewer).get(URL, {"view": "mine", "status": "dismissed"})
    assert claim_ids(response) == [closed.pk]


def test_unassigned_tab_and_recently_changed_tab(reviewer):
    assigned = make_claim(assignee=reviewer)
    free = make_claim()
    client = client_for(reviewer)
    assert claim_ids(client.get(URL, {"view": "unassigned"})) == [free.pk]
    # Newest change first.
    assert claim_ids(client.get(URL, {"view": "recent"})) == [free.pk, assigned.pk]
    assigned.text = "touched"
    assigned.save()
    assert claim_ids(client.get(URL, {"view": "recent"})) == [assigned.pk, free.pk]


def test_awaiting_my_approval_is_for_editors_and_leaves_out_their_own_verdicts(
    reviewer, editor, second_editor
):
    by_reviewer = make_claim(status=Claim.Status.AWAITING_APPROVAL)
    make_verdict(by_reviewer, reviewer)
    by_editor = make_claim(status=Claim.Status.AWAITING_APPROVAL)
    make_verdict(by_editor, editor)
    response = client_for(editor).get(URL, {"view": "approval"})
    assert claim_ids(response) == [by_reviewer.pk]
    response = client_for(second_editor).get(URL, {"view": "approval"})
    assert set(claim_ids(response)) == {by_reviewer.pk, by_editor.pk}
    # A reviewer has no such tab: the request falls back to their own claims.
    response = client_for(reviewer).get(URL, {"view": "approval"})
    assert response.context["tab"] == "mine"
    assert "Awaiting my approval" not in page_text(response)


def test_filters_by_status_assignee_article_and_rating(reviewer, editor):
    other_article = make_article(title="Other", body="Another text. " * 3)
    a = make_claim(assignee=reviewer, status=Claim.Status.IN_REVIEW)
    b = make_claim(assignee=editor)
    c = make_claim(other_article, quote="Another text.")
    make_verdict(a, reviewer, rating=rating("False"))
    make_verdict(b, reviewer, rating=rating("True"), state=Verdict.State.SUPERSEDED)
    client = client_for(reviewer)

    def listed(**filters):
        return set(claim_ids(client.get(URL, {"view": "recent", **filters})))

    assert listed() == {a.pk, b.pk, c.pk}
    assert listed(status="in_review") == {a.pk}
    assert listed(assignee="me") == {a.pk}
    assert listed(assignee=str(editor.pk)) == {b.pk}
    assert listed(assignee="none") == {c.pk}
    assert listed(article=str(other_article.pk)) == {c.pk}
    assert listed(rating=str(rating("False").pk)) == {a.pk}
    # A superseded verdict's rating no longer counts.
    assert listed(rating=str(rating("True").pk)) == set()


def test_a_filter_it_does_not_understand_is_reported_not_a_crash(reviewer):
    make_claim(assignee=reviewer)
    response = client_for(reviewer).get(URL, {"status": "bogus", "article": "x"})
    assert response.status_code == 200
    assert "were not understood" in page_text(response)


def test_counts_per_status_come_from_one_query(reviewer):
    make_claims(3)
    make_claim(status=Claim.Status.VERIFIED)
    response = client_for(reviewer).get(URL)
    counts = {value: n for value, _, n in response.context["status_counts"]}
    assert counts == {
        "unreviewed": 3,
        "in_review": 0,
        "awaiting_approval": 0,
        "verified": 1,
        "dismissed": 0,
    }
    assert "Unreviewed: <strong>3</strong>" in page_text(response)


def test_pages_walk_older_and_back_newer_without_gaps_or_repeats(reviewer, monkeypatch):
    monkeypatch.setattr(queue_view, "PAGE_SIZE", 4)
    claims = make_claims(10)
    expected = [c.pk for c in sorted(claims, key=lambda c: (c.updated_at, c.pk), reverse=True)]
    client = client_for(reviewer)
    seen, pages, params = [], [], {"view": "recent"}
    while True:
        response = client.get(URL, params)
        page = response.context["page"]
        pages.append((params, claim_ids(response)))
        seen += claim_ids(response)
        if not page.next_cursor:
            break
        params = {"view": "recent", "after": page.next_cursor}
    assert seen == expected
    assert [len(ids) for _, ids in pages] == [4, 4, 2]
    # Back from the last page to the one before it.
    last = client.get(URL, pages[-1][0]).context["page"]
    back = client.get(URL, {"view": "recent", "before": last.prev_cursor})
    assert claim_ids(back) == pages[1][1]
    html = page_text(back)
    assert f'href="?view=recent&amp;after={back.context["page"].next_cursor}" rel="next"' in html
    assert f'href="?view=recent&amp;before={back.context["page"].prev_cursor}" rel="prev"' in html


def test_a_malformed_cursor_shows_the_first_page(reviewer):
    claim = make_claim()
    response = client_for(reviewer).get(URL, {"view": "recent", "after": "%%%garbage"})
    assert claim_ids(response) == [claim.pk]
    assert paging.decode_cursor("bm90IGEgY3Vyc29y") is None


def test_claim_text_is_escaped_in_the_list(reviewer):
    make_claim(text="<script>alert('x')</script> <b>bold</b>")
    html = page_text(client_for(reviewer).get(URL, {"view": "recent"}))
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def queries_for(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {"view": "recent"},
        {"view": "mine"},
        {"view": "approval"},
        {"view": "recent", "status": "awaiting_approval", "assignee": "me"},
    ],
)
def test_queue_query_count_does_not_grow_with_the_number_of_claims(
    editor, reviewer, params, django_assert_max_num_queries
):
    client = client_for(editor)
    article = make_article()
    waiting = {"assignee": editor, "status": Claim.Status.AWAITING_APPROVAL}
    for claim in make_claims(10, article, **waiting):
        make_verdict(claim, reviewer)
    small = queries_for(client, params)
    for claim in make_claims(190, article, **waiting):
        make_verdict(claim, reviewer)
    assert Claim.objects.count() == 200
    assert queries_for(client, params) == small
    with django_assert_max_num_queries(12):
        response = client.get(URL, params)
    assert len(response.context["page"].items) == queue_view.PAGE_SIZE
