"""The review loop in a real browser, from importing an article to a verified claim in a set.

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

from claims.management.commands.load_demo import SEED_FILE
from claims.models import Claim, ClaimSet
from sources.models import Capture, Source

from .support.browser import Shots, sign_in
from .support.httpserver import Reply
from .support.pages import ARTICLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}


# Where the seed article's claims are corroborated: the worker captures this page.
SOURCE_PAGE = ARTICLE


def select_in_body(page, words):
    """Select words in the article body as a mouse would, and let the page see it."""
    page.evaluate(
        """(words) => {
            const body = document.getElementById("article-body");
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    body.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                    return true;
                }
            }
            throw new Error("words not found in one text node: " + words);
        }""",
        words,
    )


def test_the_review_loop_from_import_to_a_verified_claim_in_a_set(
    chromium, live_server, celery_worker, site, people, tmp_path
):
    shots = Shots("review-loop")
    base = live_server.url
    seed = SEED_FILE.read_text(encoding="utf-8")

    # The reviewer imports the seed article by pasting its text.
    reviewer = chromium.new_context(viewport=WIDE)
    page = reviewer.new_page()
    sign_in(page, base, "rita")
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    shots(page, "reviewer-queue")
    page.get_by_role("link", name="Articles").click()
    page.get_by_role("link", name="Import an article").click()
    pasted = page.locator("section").filter(has_text="Paste its text")
    pasted.get_by_label("Title").fill("How Deep Does Russia-Belarus Military Cooperation Go?")
    pasted.get_by_label("Publisher").fill("Sputnik International")
    pasted.get_by_label("Article text").fill(seed)
    shots(page, "import-form")
    pasted.get_by_role("button", name="Import text").click()
    expect(page.get_by_role("heading", name="Suggested claims")).to_be_visible()
    shots(page, "article-with-suggestions")

    # Two suggested claims, one click each (the best first).
    suggestions = page.locator(".suggested-claims > li")
    first_text = suggestions.nth(0).locator("blockquote").inner_text()
    suggestions.nth(0).get_by_role("button", name=re.compile("^Add as claim")).click()
    expect(page.locator("#claims-heading + ol > li")).to_have_count(1)
    page.locator(".suggested-claims > li").nth(1).get_by_role(
        "button", name=re.compile("^Add as claim")
    ).click()
    expect(page.locator("#claims-heading + ol > li")).to_have_count(2)
    expect(page.locator("#article-body mark")).to_have_count(2)
    # And one from a selection of the text.
    select_in_body(page, "Iskander tactical ballistic missile systems")
    expect(page.get_by_label("Quote")).to_have_value("Iskander tactical ballistic missile systems")
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("#claims-heading + ol > li")).to_have_count(3)
    shots(page, "claims-added")
    assert first_text.startswith("In 2022, a joint Russian-Belarussian military contingent")

    # The first claim: take it, attach a source the worker captures, quote it.
    page.locator("#claims-heading + ol").get_by_role(
        "link", name=re.compile("^In 2022, a joint")
    ).click()
    expect(page.locator("#claim-status")).to_have_text("Unreviewed")
    claim_url = page.url
    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator("#assignee")).to_contain_text("rita (you)")
    page.get_by_role("button", name="Start review").click()
    expect(page.locator("#claim-status")).to_have_text("In review")
    page.get_by_label("Source URL").fill(site.add("air-defence", Reply(SOURCE_PAGE)))
    page.get_by_role("button", name="Add source").click()
    evidence = page.locator(".evidence-item").first
    expect(evidence.locator(".status")).to_have_text(re.compile("Pending|Capturing|Captured"))
    shots(page, "source-added")
    expect(evidence.locator(".status")).to_have_text("Captured", timeout=30_000)
    expect(evidence).to_contain_text("Air defence pact extended")
    # The suggested passages follow the capture; the page shows them without a reload
    # (or offers to, when they came after the form was shown).
    show = evidence.get_by_role("button", name="Show them")
    passages = evidence.locator("fieldset.suggestions")
    expect(show.or_(passages)).to_be_visible(timeout=30_000)
    if show.is_visible():
        show.click()
    evidence = page.locator(".evidence-item").first
    expect(evidence.locator("fieldset.suggestions")).to_be_visible()
    shots(page, "source-captured-with-passages")
    evidence.get_by_role("link", name="captured text").click()
    expect(page.locator("#captured-text")).to_contain_text("several thousand soldiers")
    shots(page, "source-page")
    page.goto(claim_url)
    evidence = page.locator(".evidence-item").first
    best = evidence.locator("fieldset.suggestions .suggestion").first
    passage = best.locator(".context").inner_text()
    assert "several thousand soldiers" in passage
    best.get_by_role("radio").check()
    evidence.get_by_label("Stance").select_option(label="Supports")
    evidence.get_by_role("button", name="Save assessment").click()
    evidence = page.locator(".evidence-item").first
    expect(evidence).to_contain_text("Assessment saved.")
    expect(evidence).to_contain_text("stance: Supports")
    expect(evidence.locator("blockquote.context").first).to_have_text(passage)
    shots(page, "passage-and-stance")

    # The verdict.
    page.get_by_label("Rating").select_option(label="Mostly true")
    page.get_by_label("Rationale").fill(
        "The defence ministry's own page reports several thousand soldiers deployed in 2022."
    )
    page.get_by_role("button", name="Propose verdict").click()
    expect(page.locator("#claim-status")).to_have_text("Awaiting approval")
    shots(page, "verdict-proposed")

    # The editor finds it awaiting approval and approves it.
    editor = chromium.new_context(viewport=WIDE, accept_downloads=True)
    page = editor.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Approve …?" asks first
    sign_in(page, base, "ed")
    page.locator(".tabs").get_by_role("link", name="Awaiting my approval").click()
    shots(page, "editor-queue")
    page.get_by_role("link", name=re.compile("^In 2022, a joint")).click()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#claim-status")).to_have_text("Verified")
    expect(page.locator(".history-card")).to_contain_text("Verdict approved")
    shots(page, "verified")

    # The editor puts it in a new claim set, which counts it as verified and exports it.
    page.get_by_role("link", name="Claim sets").click()
    page.get_by_label("Name", exact=True).fill("Belarus, December 2023")
    page.get_by_role("button", name="Create set").click()
    expect(page.get_by_role("heading", name="Belarus, December 2023")).to_be_visible()
    page.goto(claim_url)
    page.get_by_label("Add to").select_option(label="Belarus, December 2023")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#claim-sets-panel")).to_contain_text("(1/1 verified)")
    page.locator("#claim-sets-panel").get_by_role("link", name="Belarus, December 2023").click()
    expect(page.locator("#set-counts")).to_have_text("1 of 1")
    shots(page, "claim-set")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    exported = download.value.path().read_text(encoding="utf-8-sig")
    assert "In 2022, a joint Russian-Belarussian" in exported and "Mostly true" in exported

    claim = Claim.objects.get(quote__startswith="In 2022, a joint")
    assert claim.status == Claim.Status.VERIFIED
    assert list(ClaimSet.objects.get().claims.all()) == [claim]
    assert "several thousand soldiers" in claim.evidence.get().passage
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
