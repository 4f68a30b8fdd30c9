"""The claim page shows the newest page of its history; older pages load on demand, each
entry exactly once, each still diffed against its own previous version, and the cost of
a page does not grow with the claim's history."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import timeline
from claims.history import tracked_save

from .support.factories import make_claim, make_evidence, make_source
from .support.web import client_for, page_text

pytestmark = pytest.mark.django_db


def busy_claim(user, edits, sources=3):
    claim = make_claim()
    for i in range(sources):
        evidence = make_evidence(claim, make_source(f"https://example.org/{claim.pk}/{i}"))
        evidence.note = "first look"
        tracked_save(evidence, user=user, reason=f"note {i}")
    for i in range(edits):
        claim.attributed_to = f"Speaker {i}"
        tracked_save(claim, user=user, reason=f"edit {i}")
    return claim


def all_pages(claim, limit):
    seen, before, pages = [], None, 0
    while True:
        entries, cursor = timeline.claim_timeline_page(claim, limit=limit, before=before)
        seen += entries
        pages += 1
        if not cursor:
            return seen, pages
        before = timeline.parse_timeline_cursor(cursor)


def test_pages_of_the_history_add_up_to_the_whole_history(reviewer):
    claim = busy_claim(reviewer, edits=23)
    whole = timeline.claim_timeline(claim)
    paged, pages = all_pages(claim, limit=7)
    key = [(e.kind, e.history_id) for e in whole]
    assert [(e.kind, e.history_id) for e in paged] == key and pages > 3
    # Diffs are the same as in the whole history (each against its own previous record).
    assert [[(c.old, c.new) for c in e.changes] for e in paged] == [
        [(c.old, c.new) for c in e.changes] for e in whole
    ]


def test_a_history_page_costs_the_same_for_a_short_or_a_long_history(reviewer):
    def queries_for(claim):
        with CaptureQueriesContext(connection) as queries:
            timeline.claim_timeline_page(claim, limit=10)
        return len(queries)

    assert queries_for(busy_claim(reviewer, edits=12)) == queries_for(busy_claim(reviewer, 120))


def test_the_claim_page_loads_older_entries_on_demand(reviewer):
    claim = busy_claim(reviewer, edits=timeline.TIMELINE_PAGE + 5)
    html = page_text(client_for(reviewer).get(reverse("claims:claim_detail", args=[claim.pk])))
    assert "edit 54" in html and "edit 2<" not in html
    more = re.search(r'hx-get="([^"]+/history/\?before=[^"]+)"', html)[1].replace("&amp;", "&")
    older = page_text(client_for(reviewer).get(more))
    assert "edit 2<" in older and "edit 54" not in older
    assert "Older entries" not in older  # the last page


def test_sources_beyond_the_first_page_load_on_demand(reviewer):
    from claims.views.common import EVIDENCE_PAGE

    claim = make_claim()
    ids = [
        f'id="evidence-{make_evidence(claim, make_source(f"https://example.org/{i}")).pk}"'
        for i in range(EVIDENCE_PAGE + 3)
    ]
    client = client_for(reviewer)
    html = page_text(client.get(reverse("claims:claim_detail", args=[claim.pk])))
    assert ids[EVIDENCE_PAGE - 1] in html and ids[EVIDENCE_PAGE] not in html
    more = re.search(r'hx-get="([^"]+/sources/\?after=\d+)"', html)[1]
    rest = page_text(client.get(more))
    assert all(item in rest for item in ids[EVIDENCE_PAGE:])
    assert ids[0] not in rest and "More sources" not in rest
    assert client.get(more.split("?")[0] + "?after=x").status_code == 200
