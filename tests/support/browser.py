"""Chromium through Playwright for the browser tests (Debian's chromium; no download)."""

import json
import os
import shutil
from pathlib import Path

from django.db import connections

from .personas import PASSWORD
from .services import unavailable

CHROMIUM = os.getenv("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser"


def launch(monkeypatch):
    """A headless Chromium for one test (a browser test module's `chromium` fixture yields
    from this).

    Per test, not per session: Playwright's sync API runs an event loop in this
    thread, and the ORM calls the test makes around it are plain synchronous
    code, which Django allows only with DJANGO_ALLOW_ASYNC_UNSAFE. That must not
    leak into other tests (the deploy check rightly refuses it).
    """
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e .[dev])")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps the test's database connection in a
        # context of its own, which pytest-django would not close before dropping the
        # test database.
        connections.close_all()


def launch_profile(monkeypatch, profile_dir):
    """Like launch(), but a context on a real (not incognito) profile, as a reviewer's own
    browser has: incognito blocks third-party cookies, and with them service workers in a
    cross-origin frame (the replay frame)."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e .[dev])")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    # Chromium's "allow third-party cookies" (cookie_controls_mode 0), the setting of a
    # browser that has not been told to block them.
    (Path(profile_dir) / "Default").mkdir(parents=True, exist_ok=True)
    (Path(profile_dir) / "Default" / "Preferences").write_text(
        json.dumps({"profile": {"cookie_controls_mode": 0, "block_third_party_cookies": False}})
    )
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile_dir), executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield context
        context.close()
        connections.close_all()


class Shots:
    """Numbered screenshots of each step, under test-artifacts/browser/<test>/."""

    def __init__(self, name):
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.n = 0

    def __call__(self, page, step):
        self.n += 1
        page.screenshot(path=str(self.folder / f"{self.n:02d}-{step}.png"), full_page=True)


def sign_in(page, base_url, username):
    page.goto(base_url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
