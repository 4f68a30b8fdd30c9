"""Evidence on the claim page: add a source URL, watch its capture, pick a passage and stance."""

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Evidence
from claims.views import common
from sources.models import Capture, Source

from .support.factories import make_claim, make_evidence, make_source
from .support.httpserver import Reply
from .support.pages import ARTICLE
from .support.web import client_for, enqueued, page_text

pytestmark = pytest.mark.django_db


def finish(source, text="", outcome="ok", **fields):
    """A finished capture of source, as the capture task leaves it (no fetch)."""
    if outcome != "ok":
        fields.setdefault("error_code", "http_404")
        fields.setdefault("error_message", "The server answered 404 Not Found.")
    now = timezone.now()
    capture = Capture.objects.create(
        source=source, requested_at=now, finished_at=now, outcome=outcome, text=text, **fields
    )
    source.latest_capture, source.status = capture, outcome
    source.save()
    return capture


def url(name, pk):
    return reverse(f"claims:{name}", args=[pk])


def add(client, claim, address):
    return client.post(url("evidence_add", claim.pk), {"evidence-add-url": address})


def test_reviewer_adds_a_source_url_and_its_capture_is_queued(
    reviewer, django_capture_on_commit_callbacks
):
    claim = make_claim()
    with django_capture_on_commit_callbacks() as callbacks:
        response = add(client_for(reviewer), claim, "HTTPS://Example.org/Report#top")
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("claim_detail", claim.pk) + f"#evidence-{evidence.pk}"
    assert (evidence.source.url, evidence.added_by) == ("https://example.org/Report", reviewer)
    assert evidence.history.get().history_change_reason == "Source added"
    [(task, args, _)] = enqueued(callbacks)
    assert (task.name, args) == ("sources.tasks.capture_source", (evidence.source_id,))


@pytest.mark.parametrize(
    "address",
    ["file:///etc/passwd", "gopher://example.org/", "https://user:pw@example.org/", "not a url"],
)
def test_a_url_sources_refuses_is_a_form_error_and_nothing_is_saved(reviewer, address):
    claim = make_claim()
    response = add(client_for(reviewer), claim, address)
    assert response.status_code == 400
    assert 'id="id_evidence-add-url_error"' in page_text(response)
    assert not Evidence.objects.exists() and not Source.objects.exists()


def test_the_same_source_twice_is_a_form_error(reviewer):
    claim = make_claim()
    client = client_for(reviewer)
    add(client, claim, "https://example.org/report")
    response = add(client, claim, "https://EXAMPLE.org/report#again")
    assert response.status_code == 400
    assert "is already evidence on this claim" in page_text(response)
    assert Evidence.objects.count() == 1


def test_sources_cannot_be_added_to_a_verified_claim(reviewer):
    claim = make_claim(status=Claim.Status.VERIFIED)
    response = add(client_for(reviewer), claim, "https://example.org/report")
    assert response.status_code == 400
    assert "reopen it to change its evidence" in page_text(response)
    assert not Evidence.objects.exists()


def item_html(client, evidence, poll=0):
    response = client.get(url("evidence_item", evidence.pk), {"poll": poll})
    assert response.status_code == 200
    return page_text(response)


def test_the_evidence_item_polls_while_the_source_is_captured(reviewer):
    evidence = make_evidence(make_claim())
    client = client_for(reviewer)
    html = item_html(client, evidence)
    assert 'hx-trigger="load delay:1s"' in html and "?poll=1" in html
    assert "capturing the page" in html and "Assess this source" not in html


def test_a_failed_capture_shows_why_and_stops_polling(reviewer):
    source = make_source()
    finish(source, outcome="failed")
    evidence = make_evidence(make_claim(), source)
    html = item_html(client_for(reviewer), evidence, poll=3)
    assert "hx-get" not in html
    assert "Failed: The server answered 404 Not Found." in html


def test_after_a_good_capture_only_a_note_waits_for_the_passages(reviewer):
    source = make_source()
    finish(source, text="In 2009 they signed it.")
    evidence = make_evidence(make_claim(), source)
    client = client_for(reviewer)
    # The form is there at once (a passage can be written); only the note polls.
    html = item_html(client, evidence)
    assert "Assess this source" in html
    assert f'id="evidence-{evidence.pk}" hx-get' not in html
    assert "?part=passages&amp;poll=1" in html
    note = page_text(client.get(url("evidence_item", evidence.pk), {"part": "passages", "poll": 3}))
    assert note.strip().startswith(f'<p class="muted" id="passages-note-{evidence.pk}"')
    assert "poll=4" in note
    polls = common.PASSAGE_POLLS
    assert "hx-get" not in item_html(client, evidence, poll=polls)
    evidence.suggested_passages = [{"capture": source.latest_capture_id, "text": "They signed."}]
    evidence.save()
    note = page_text(client.get(url("evidence_item", evidence.pk), {"part": "passages", "poll": 4}))
    assert "1 passage suggested." in note and "Show them" in note
    html = item_html(client, evidence)
    assert "hx-get" not in html and "They signed." in html


@pytest.fixture
def suggested(reviewer):
    source = make_source()
    capture = finish(
        source, text="Minsk, 13 December. In 2009 they signed it. <script>x()</script>"
    )
    evidence = make_evidence(make_claim(), source)
    evidence.suggested_passages = [
        {"capture": capture.pk, "text": "In 2009 they signed it.", "terms": ["2009", "signed"]},
        {"capture": capture.pk, "text": "<script>x()</script>", "terms": []},
    ]
    evidence.save()
    return evidence


def test_suggested_passages_are_offered_escaped_with_their_matched_terms(reviewer, suggested):
    html = page_text(client_for(reviewer).get(url("claim_detail", suggested.claim_id)))
    assert "In 2009 they signed it." in html and "Matches: 2009, signed" in html
    assert "<script>x()</script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
    prefix = f"evidence-{suggested.pk}"
    assert f'name="{prefix}-pick" value="0"' in html and f'name="{prefix}-pick" value="own"' in html


def test_picking_a_suggestion_stores_the_sources_words_not_the_browsers(reviewer, suggested):
    prefix = f"evidence-{suggested.pk}"
    response = client_for(reviewer).post(
        url("evidence_assess", suggested.pk),
        {
            f"{prefix}-stance": "supports",
            f"{prefix}-pick": "0",
            f"{prefix}-passage": "forged words",
        },
    )
    assert response.status_code == 302
    suggested.refresh_from_db()
    assert suggested.passage == "In 2009 they signed it."
    assert suggested.capture_id == suggested.suggested_passages[0]["capture"]
    assert suggested.stance == "supports"


def test_writing_ones_own_passage(reviewer, suggested):
    prefix = f"evidence-{suggested.pk}"
    client_for(reviewer).post(
        url("evidence_assess", suggested.pk),
        {f"{prefix}-stance": "context", f"{prefix}-pick": "own", f"{prefix}-passage": "Mine."},
    )
    suggested.refresh_from_db()
    assert (suggested.passage, suggested.stance) == ("Mine.", "context")
    assert suggested.capture == suggested.source.latest_capture


def test_a_pick_that_is_not_offered_is_a_form_error(reviewer, suggested):
    prefix = f"evidence-{suggested.pk}"
    response = client_for(reviewer).post(
        url("evidence_assess", suggested.pk),
        {f"{prefix}-stance": "supports", f"{prefix}-pick": "7", f"{prefix}-passage": ""},
    )
    assert response.status_code == 400
    suggested.refresh_from_db()
    assert suggested.stance == "unassessed"


def test_captured_title_on_the_claim_page_is_escaped(reviewer):
    source = make_source(status="ok")
    finish(source, text="x", title="<img src=x onerror=alert(1)>Title")
    evidence = make_evidence(make_claim(), source)
    html = page_text(client_for(reviewer).get(url("claim_detail", evidence.claim_id)))
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;Title" in html


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_added_source_is_captured_by_the_worker_and_the_item_says_so(
    site, celery_worker, reviewer
):
    page = site.add("evidence-article", Reply(ARTICLE))
    claim = make_claim()
    client = client_for(reviewer)
    assert add(client, claim, page).status_code == 302
    evidence = Evidence.objects.get()

    def captured():
        evidence.source.refresh_from_db()
        return evidence.source.status == "ok"

    celery_worker.wait_until(captured)
    html = item_html(client, evidence)
    assert "Air defence pact extended" in html and "captured text" in html


def test_a_source_captured_before_gets_its_passages_at_once(reviewer):
    source = make_source()
    finish(source, text="Nothing here. In 2009, Moscow and Minsk signed an air defense agreement.")
    claim = make_claim()
    add(client_for(reviewer), claim, source.url)
    evidence = Evidence.objects.get()
    assert evidence.suggested_passages
    assert "signed an air defense agreement" in evidence.suggested_passages[0]["text"]
