"""The reviewer's day (issue 14) in Chromium at 1366 px and 390 px, with axe-core on every page.

A reviewer imports an article by pasting it (with its original URL), adds three claims
without leaving the article page (a suggestion by mouse, one by the "a" key, one from a
selection made with Shift+arrows and the "c" key), then on the claim page attaches and
assesses a source and proposes a verdict; the editor lands on the approvals, opens the
claim with "n" and approves it on the decision screen. Screenshots of every page land in
test-artifacts/browser/workday-<size>/ (ignored by git).
"""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from claims.management.commands.load_demo import SEED_FILE
from claims.models import Article, Claim, ClaimSet

from .support.a11y import assert_accessible
from .support.browser import Shots, sign_in
from .support.httpserver import Reply
from .support.pages import ARTICLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"wide": {"width": 1366, "height": 900}, "narrow": {"width": 390, "height": 844}}


def look(page, shots, name):
    """Every page: no serious or critical axe violation, nothing wider than the screen, and a
    screenshot."""
    assert_accessible(page, name)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than the screen"
    shots(page, name)


def in_place(page):
    """A marker that a full page load would wipe: adding in place keeps it."""
    page.evaluate("window.__stayed = true")


def stayed(page):
    return page.evaluate("window.__stayed === true")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_reviewer_works_an_article_and_a_claim_and_the_editor_approves_on_one_screen(
    chromium, live_server, celery_worker, site, people, size
):
    shots = Shots(f"workday-{size}")
    base = live_server.url
    seed = SEED_FILE.read_text(encoding="utf-8")

    reviewer = chromium.new_context(viewport=SIZES[size])
    page = reviewer.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, base, "rita")
    look(page, shots, "queue-reviewer")

    # Import by pasting, with the original URL as provenance; one date format (the picker).
    page.get_by_role("link", name="Articles").click()
    page.get_by_role("link", name="Import an article").click()
    pasted = page.locator("section").filter(has_text="Paste its text")
    expect(pasted.get_by_text("YYYY-MM-DD")).to_have_count(0)
    pasted.get_by_label("Title").fill("How Deep Does Russia-Belarus Military Cooperation Go?")
    pasted.get_by_label("Original URL").fill("https://sputniknews.example/20231213/belarus.html")
    pasted.get_by_label("Article text").fill(seed)
    look(page, shots, "import")
    pasted.get_by_role("button", name="Import text").click()
    expect(page.get_by_role("heading", name="Suggested claims")).to_be_visible()
    article = Article.objects.get()
    assert article.url == "https://sputniknews.example/20231213/belarus.html"

    # Paragraphs, furniture greyed with its reason, the text exactly the body.
    body = page.locator("#article-body")
    assert body.locator(".para").count() >= 10
    furniture = body.locator(".furniture").first
    expect(furniture).to_have_attribute("title", re.compile("^Page furniture: "))
    assert page.evaluate("document.getElementById('article-body').textContent") == article.body
    look(page, shots, "article")

    # A suggestion by mouse, in place: no reload, and (wide) the reader's scroll is kept.
    in_place(page)
    page.evaluate("window.scrollTo(0, 700)")
    where = "document.getElementById('article-body').getBoundingClientRect().top"
    text_at = page.evaluate(where)
    first = page.locator(".suggested-claims > li").first
    first.get_by_role("button", name=re.compile("^Add as claim")).click()
    expect(page.locator("#claim-list > li")).to_have_count(1)
    expect(page.locator("#messages")).to_contain_text("added")
    assert stayed(page)
    if size == "wide":  # the text has not moved on the screen (a message above or not)
        assert abs(page.evaluate(where) - text_at) <= 2
    # "Show in text" lights the sentence; "a" adds that one.
    second = page.locator(".suggested-claims > li").nth(1)
    second_text = second.locator("blockquote").inner_text()
    second.get_by_role("link", name=re.compile("^Show in text")).click()
    lit = page.locator("#article-body .sent.lit").first
    expect(lit).to_be_visible()
    expect(lit).to_be_in_viewport()
    shots(page, "article-sentence-shown")
    page.keyboard.press("a")
    expect(page.locator("#claim-list > li")).to_have_count(2)
    assert stayed(page)
    # A selection by keyboard: Tab into the text, Shift+arrows, then "c".
    page.locator("#article-body").focus()
    for _ in range(len("SU-30SM, SU-35S, and SU-34")):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.get_by_role("button", name="Claim the selection")).to_be_visible()
    expect(page.locator("[data-selection-note]")).to_have_text(
        "Selected 4 words: “SU-30SM, SU-35S, and SU-34”"
    )
    shots(page, "article-selection")
    page.keyboard.press("c")
    expect(page.locator("#claim-list > li")).to_have_count(3)
    assert stayed(page)
    quotes = sorted(Claim.objects.values_list("quote", flat=True))
    assert "SU-30SM, SU-35S, and SU-34" in quotes
    assert any(q.startswith(second_text.rstrip("…")[:40]) for q in quotes)
    look(page, shots, "article-three-claims")

    # The best suggestion's claim: no preset rating, and no verdict without an assessed source.
    page.locator("#claim-list").get_by_role("link", name=re.compile("^In 2022, a joint")).click()
    expect(page.locator("#claim-status")).to_have_text("Unreviewed")
    claim_url = page.url
    rating = page.get_by_label("Rating")
    expect(rating).to_have_value("")
    expect(page.locator("#propose-hint")).to_contain_text("No source is assessed yet")
    look(page, shots, "claim-new")
    page.keyboard.press("p")
    expect(rating).to_be_focused()
    rating.select_option(label="Mostly true")
    page.get_by_label("Rationale").fill("The defence ministry reports the deployment.")
    page.get_by_role("button", name="Propose verdict").click()
    expect(page.locator("#propose-form")).to_contain_text("Assess at least one source")
    expect(page.locator("#claim-status")).to_have_text("Unreviewed")

    # A source, captured by the worker, assessed in place; the history follows.
    page.get_by_label("Source URL").fill(site.add("air-defence", Reply(ARTICLE)))
    page.get_by_role("button", name="Add source").click()
    evidence = page.locator(".evidence-item").first
    expect(evidence.locator(".status")).to_have_text("Captured", timeout=30_000)
    show = evidence.get_by_role("button", name="Show them")
    expect(show.or_(evidence.locator("fieldset.suggestions"))).to_be_visible(timeout=30_000)
    if show.is_visible():
        show.click()
    evidence = page.locator(".evidence-item").first
    expect(evidence.locator("fieldset.suggestions")).to_be_visible()
    expect(evidence.locator("fieldset.suggestions input:checked")).to_have_count(0)
    in_place(page)
    evidence.locator("fieldset.suggestions .suggestion").first.get_by_role("radio").check()
    evidence.get_by_label("Stance").select_option(label="Supports")
    evidence.get_by_role("button", name="Save assessment").click()
    expect(page.locator(".evidence-item").first).to_contain_text("Assessment saved.")
    expect(page.locator("#history")).to_contain_text("Assessed: supports")
    assert stayed(page)
    look(page, shots, "claim-assessed")
    page.reload()
    page.get_by_label("Rating").select_option(label="Mostly true")
    page.get_by_label("Rationale").fill("The defence ministry reports the deployment.")
    page.get_by_role("button", name="Propose verdict").click()
    expect(page.locator("#claim-status")).to_have_text("Awaiting approval")
    expect(page.locator("#assignee")).to_have_text("rita (you)")  # proposing assigned her
    expect(page.locator("#history time").first).to_have_text(re.compile(r"\d{2}:\d{2}:\d{2}"))
    look(page, shots, "claim-proposed")
    reviewer.close()

    # The editor lands on the approvals, goes to the claim with "n", decides on one screen.
    editor = chromium.new_context(viewport=SIZES[size])
    page = editor.new_page()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    sign_in(page, base, "ed")
    expect(page.locator(".tabs [aria-current='page']")).to_have_text("Awaiting my approval")
    expect(page.locator("table.list tbody tr").first).to_contain_text("rita")
    look(page, shots, "queue-editor")
    page.keyboard.press("n")
    page.wait_for_url(claim_url)
    decision = page.locator("#decision")
    expect(decision).to_contain_text("The defence ministry reports the deployment.")
    expect(decision).to_contain_text("Supports")
    expect(decision.locator("blockquote")).to_contain_text("several thousand soldiers")
    look(page, shots, "claim-decision")
    decision.get_by_role("button", name="Approve").click()
    expect(page.locator("#claim-status")).to_have_text("Verified")
    assert asked and asked[0].startswith("Approve “Mostly true”?")

    # The source page: its title, the full sha256 to copy, the text in paragraphs.
    page.locator(".evidence-item a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Air defence pact extended")
    expect(page.locator("code.sha").first).to_have_text(re.compile("^[0-9a-f]{64}$"))
    assert page.locator("#captured-text p").count() >= 2
    look(page, shots, "source")
    editor.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_other_page_is_axe_clean_and_fits_the_screen(chromium, live_server, people, size):
    call_command("load_demo", stdout=io.StringIO())
    shots = Shots(f"tour-{size}")
    context = chromium.new_context(viewport=SIZES[size])
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    look(page, shots, "sign-in")
    sign_in(page, live_server.url, "ed")
    claim = Claim.objects.order_by("pk").first()
    slug = ClaimSet.objects.first().slug
    for name, path in [
        ("articles", "/articles/"),
        ("sets", "/sets/"),
        ("set", f"/sets/{slug}/"),
        ("search", "/search/?q=Minsk"),
        ("queue-recent", "/?view=recent"),
        ("demo-claim", f"/claims/{claim.pk}/"),
    ]:
        page.goto(live_server.url + path)
        look(page, shots, name)
    # The shortcut list opens with "?" and names the keys.
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_have_attribute("open", "")
    expect(page.locator("#shortcuts")).to_contain_text("Next claim")
    context.close()
