"""The review loop in a real browser: reviewer proposes, editor approves, claim set shows it.

Chromium (Debian's) through Playwright, against pytest-django's live server, with
the real worker running the background work. Screenshots of every step are
written under test-artifacts/browser/ (ignored by git).
"""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from claims.models import Claim, ClaimSet
from sources.models import Capture, Source

from .browser import Shots, launch, sign_in
from .httpserver import Reply
from .pages import ARTICLE
from .personas import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}


@pytest.fixture
def chromium(monkeypatch):
    yield from launch(monkeypatch)


@pytest.fixture
def people(defaults):
    return {
        "reviewer": make_user("rita", "reviewer", email="rita@example.org"),
        "editor": make_user("ed", "editor", email="ed@example.org"),
    }


def test_reviewer_proposes_editor_approves_and_the_set_counts_it(
    chromium,
    live_server,
    celery_worker,
    site,
    people,
):
    call_command("load_demo", stdout=io.StringIO())
    shots = Shots("review-loop")
    base = live_server.url

    # The reviewer takes an unassigned claim and proposes a verdict.
    reviewer = chromium.new_context(viewport=WIDE)
    page = reviewer.new_page()
    sign_in(page, base, "rita")
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    shots(page, "reviewer-queue")
    page.locator(".tabs").get_by_role("link", name="Unassigned").click()
    shots(page, "unassigned")
    page.get_by_role("link", name=re.compile("^In 2009 Russia and Belarus signed")).click()
    expect(page.locator("#claim-status")).to_have_text("Unreviewed")
    shots(page, "claim-page")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator("#assignee")).to_contain_text("rita (you)")
    page.get_by_role("button", name="Start review").click()
    expect(page.locator("#claim-status")).to_have_text("In review")

    # A source served by the local test site: the worker captures it while the page
    # polls the evidence item, then the reviewer quotes it and sets the stance.
    source_url = site.add("air-defence", Reply(ARTICLE))
    page.get_by_label("Source URL").fill(source_url)
    page.get_by_role("button", name="Add source").click()
    evidence = page.locator(".evidence-item").first
    expect(evidence.locator(".status")).to_have_text(re.compile("Pending|Capturing|Captured"))
    shots(page, "source-added")
    expect(evidence.locator(".status")).to_have_text("Captured", timeout=30_000)
    expect(evidence).to_contain_text("Air defence pact extended")
    shots(page, "source-captured")
    evidence.get_by_role("link", name="captured text").click()
    expect(page.locator("#captured-text")).to_contain_text("several thousand soldiers")
    shots(page, "source-page")
    page.go_back()
    evidence = page.locator(".evidence-item").first
    if not evidence.get_by_role("button", name="Save assessment").is_visible():
        evidence.get_by_text("Assess this source").click()
    evidence.get_by_label("Stance").select_option(label="Supports")
    evidence.get_by_label(re.compile("passage", re.I)).fill(
        "In 2009, Moscow and Minsk signed an air defense agreement that created a joint "
        "regional system."
    )
    evidence.get_by_role("button", name="Save assessment").click()
    expect(page.locator(".evidence-item").first).to_contain_text("Assessment saved.")
    expect(page.locator(".evidence-item").first).to_contain_text("stance: Supports")
    shots(page, "passage-and-stance")
    page.get_by_label("Rating").select_option(label="Mostly true")
    page.get_by_label("Rationale").fill(
        "The 2009 agreement on joint protection of the Union State's airspace is on record."
    )
    page.get_by_role("button", name="Propose verdict").click()
    expect(page.locator("#claim-status")).to_have_text("Awaiting approval")
    shots(page, "verdict-proposed")
    claim_url = page.url

    # The editor finds it awaiting approval and approves it.
    editor = chromium.new_context(viewport=WIDE)
    page = editor.new_page()
    sign_in(page, base, "ed")
    page.locator(".tabs").get_by_role("link", name="Awaiting my approval").click()
    shots(page, "editor-queue")
    page.get_by_role("link", name=re.compile("^In 2009 Russia and Belarus signed")).click()
    expect(page.get_by_role("button", name="Approve")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#claim-status")).to_have_text("Verified")
    expect(page.locator("#history-heading")).to_be_visible()
    shots(page, "verified")

    # The editor puts it in a new claim set; the set counts it as verified.
    page.get_by_role("link", name="Claim sets").click()
    page.get_by_label("Name", exact=True).fill("Belarus, December 2023")
    page.get_by_role("button", name="Create set").click()
    expect(page.get_by_role("heading", name="Belarus, December 2023")).to_be_visible()
    page.goto(claim_url)
    page.get_by_label("Add to").select_option(label="Belarus, December 2023")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("link", name="Belarus, December 2023").click()
    expect(page.locator("#set-counts")).to_have_text("1 of 1")
    shots(page, "claim-set")

    claim = Claim.objects.get(text__startswith="In 2009 Russia and Belarus signed")
    assert claim.status == Claim.Status.VERIFIED
    assert list(ClaimSet.objects.get().claims.all()) == [claim]
    reviewer.close()
    editor.close()


def test_pages_fit_a_narrow_screen_and_show_keyboard_focus(
    chromium,
    live_server,
    people,
):
    call_command("load_demo", stdout=io.StringIO())
    shots = Shots("narrow")
    context = chromium.new_context(viewport=NARROW)
    page = context.new_page()
    sign_in(page, live_server.url, "rita")
    claim = Claim.objects.order_by("pk").first()
    source = Source.objects.create(url="https://example.org/a/rather/long/path/to/a/report")
    Capture.objects.create(
        source=source,
        requested_at=timezone.now(),
        outcome="ok",
        http_status=200,
        size=123456,
        sha256="ab" * 32,
        text="A captured text. " * 40,
    )
    for name, path in [
        ("queue", "/?view=recent"),
        ("article", f"/articles/{claim.article_id}/"),
        ("claim", f"/claims/{claim.pk}/"),
        ("sets", "/sets/"),
        ("source", f"/sources/{source.pk}/"),
    ]:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a narrow screen"
        shots(page, name)
    # The first Tab lands on the skip link, which becomes visible with an outline.
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.textContent, s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focused[0] == "Skip to content"
    assert focused[1] != "none" and focused[2] != "0px"
    shots(page, "focus")
    context.close()
