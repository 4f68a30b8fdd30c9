"""The browser engine: a page rendered by headless Chromium, every request made by us.

Threading: Playwright's sync API is bound to the thread that started it, and a capture
worker runs tasks in a pool of threads. So each process has one *browser thread* that owns
Playwright's async API, its event loop and one Chromium; a capture (from any thread) submits
a coroutine to that loop and waits for it. Captures run concurrently in the loop, each in a
fresh browser context, and their requests are fetched in a thread pool (the fetcher is
blocking code). A fork (prefork pool) or a crashed browser starts a new one.

Safety: Chromium never makes a request of its own. Every request of every context is routed
(`context.route("**/*")`) to `_Page.handle`, which performs it with sources.fetch's
fetch_resource (address policy on the resolved IP, timeouts, size caps) and fulfils it;
redirects come back to the browser as 3xx answers and so each hop is routed again. As a
backstop Chromium's own network stack points at a proxy on a closed port (with loopback
not exempted), so anything that escapes routing fails closed; QUIC, DNS prefetch,
non-proxied WebRTC UDP, service workers and downloads are off; WebSockets are routed to a
handler that closes them. A budget (resources, bytes, wall clock) bounds each capture: a
page still loading at the deadline is captured as it is. The page is taken once `load` has
fired and no routed request has been in flight for CAPTURE_BROWSER_QUIET seconds.

Cost: a fresh context is most of a capture's CPU (renderer start-up, context set-up and
teardown in the browser process). So the next capture's context, its routes and its blank
page are made while the current capture runs; a page's frames share its renderer (no
site-per-process: see _DISABLED_FEATURES); and at most CAPTURE_BROWSER_PAGES pages
render at once per process, which bounds a worker's memory.
"""

import asyncio
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from ..fetch import FetchError, FetchResult, Limits, fetch_resource

logger = logging.getLogger(__name__)

# Chromium keeps only the last --disable-features switch, and Playwright passes its own
# first: so ours repeats Playwright's list (1.5x, chromiumSwitches.ts) before adding ours.
_PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
]
_DISABLED_FEATURES = [
    "NetworkPrediction",
    "DialMediaRouteProvider",
    # No renderer per site (a page's cross-site frames share its renderer; measured: 1.9
    # renderers started per capture instead of 4.3): a capture is one tab in a context of
    # its own, the renderer is not sandboxed anyway (--no-sandbox), and every request
    # still goes through our routing. Renderer start-up is much of a capture's CPU, and
    # each renderer costs memory.
    "IsolateOrigins",
    "site-per-process",
]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--dns-prefetch-disable",
    "--disable-features=" + ",".join(_PLAYWRIGHT_DISABLED_FEATURES + _DISABLED_FEATURES),
    "--disable-site-isolation-trials",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--mute-audio",
]
# Chromium's own network stack goes here and nowhere: a port nothing listens on.
DEAD_PROXY = "http://127.0.0.1:9"
# Headers a fulfilled response must not carry: the body we hand over is already decoded.
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection"}


class BrowserUnavailable(Exception):
    """Chromium could not be started (not installed, or it crashed at launch)."""


@dataclass
class Budget:
    max_resources: int
    max_bytes: int
    deadline: float  # seconds for the whole page, from navigation to screenshot

    @classmethod
    def from_settings(cls):
        return cls(
            max_resources=settings.CAPTURE_BROWSER_MAX_RESOURCES,
            max_bytes=settings.CAPTURE_BROWSER_MAX_BYTES,
            deadline=settings.CAPTURE_BROWSER_DEADLINE,
        )


@dataclass
class Rendered:
    """What the browser saw: every response in load order (the document first)."""

    results: list[FetchResult]
    dom: str
    screenshot: bytes
    viewport: bytes
    refused: list[tuple[str, str]] = field(default_factory=list)  # (url, error code)
    timed_out: bool = False


def chromium_path():
    """CHROMIUM_PATH if set, else Debian's, else "" (Playwright's own build, if installed)."""
    configured = getattr(settings, "CHROMIUM_PATH", "")
    if configured:
        return configured
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else ""


class _Page:
    """One capture's routing: every request goes through the safe fetcher, within budget."""

    def __init__(self, document, budget, pool):
        self.document = document
        self.budget = budget
        self.pool = pool
        self.ends_at = time.monotonic() + budget.deadline
        self.results = [document]
        self.refused = []
        self.requests = 1
        self.bytes = len(document.body)
        self.closed = False
        self.served_document = False
        # Requests being fetched now, and when one last started or ended: the page has
        # settled when none is in flight for CAPTURE_BROWSER_QUIET seconds.
        self.inflight = 0
        self.last_activity = time.monotonic()

    def remaining(self):
        return self.ends_at - time.monotonic()

    async def handle(self, route):
        request = route.request
        url = request.url.split("#", 1)[0]
        try:
            if not self.served_document and url == self.document.final_url:
                self.served_document = True
                return await self._fulfil(route, self.document)
            reason = self._refusal(request, url)
            if reason:
                self.refused.append((url, reason))
                if _leaves_the_page(request):
                    # A 204 keeps the page where it is; an abort would show an error page.
                    return await route.fulfill(status=204, body=b"")
                return await route.abort("blockedbyclient")
            self.requests += 1
            limits = Limits.from_settings(
                deadline=max(0.1, min(settings.FETCH_DEADLINE, self.remaining())),
                max_bytes=max(1, min(settings.FETCH_MAX_BYTES, self.budget.max_bytes - self.bytes)),
            )
            loop = asyncio.get_running_loop()
            self.inflight += 1
            self.last_activity = time.monotonic()
            try:
                # The fetcher blocks: it runs in the shared pool, never in the event loop.
                result = await loop.run_in_executor(self.pool, _fetch, url, limits)
            except FetchError as error:
                self.refused.append((url, error.code))
                return await route.abort("addressunreachable" if error.refused else "failed")
            finally:
                self.inflight -= 1
                self.last_activity = time.monotonic()
            if self.closed:
                return None
            if self.bytes + len(result.body) > self.budget.max_bytes:
                # Requests run concurrently, each allowed what was left when it started:
                # the one that would cross the budget is dropped, so the total holds.
                self.refused.append((url, "byte_budget"))
                return await route.abort("failed")
            self.bytes += len(result.body)
            self.results.append(result)
            await self._fulfil(route, result)
        except Exception as exc:  # the context closed under us, or Playwright refused
            logger.debug("route for %s ended: %r", url, exc)

    async def settled(self, quiet):
        """Wait until no request is in flight for `quiet` seconds: True, or False at the
        deadline."""
        while True:
            idle = time.monotonic() - self.last_activity
            if self.inflight == 0 and idle >= quiet:
                return True
            if self.remaining() <= 0:
                return False
            wait = quiet - idle if self.inflight == 0 else 0.05
            await asyncio.sleep(max(0.01, min(wait, self.remaining())))

    def _refusal(self, request, url):
        if self.closed or self.remaining() <= 0:
            return "deadline"
        if not url.startswith(("http://", "https://")):
            return "scheme_not_allowed"
        if request.method not in ("GET", "HEAD"):
            return "method_not_allowed"  # we archive what was shown, we never submit
        if self.requests >= self.budget.max_resources:
            return "resource_budget"
        if self.bytes >= self.budget.max_bytes:
            return "byte_budget"
        return ""

    async def _fulfil(self, route, result):
        headers = {}
        for name, value in result.headers:
            lower = name.lower()
            if lower in _DROPPED_HEADERS:
                continue
            headers[lower] = f"{headers[lower]}, {value}" if lower in headers else value
        await route.fulfill(status=result.status, headers=headers, body=result.body)


def _leaves_the_page(request):
    try:
        return request.is_navigation_request() and request.frame.parent_frame is None
    except Exception:  # a request without a frame (a worker's) is not a navigation
        return False


def _fetch(url, limits):
    return fetch_resource(url, limits=limits)


class _Routing:
    """A context's routes, set up with the context (before its page exists), so that
    installing them is off the capture's path. Until a capture hands over its _Page,
    every request is refused (the blank page asks for nothing anyway)."""

    def __init__(self):
        self.page = None

    async def handle(self, route):
        if self.page is None:
            try:
                await route.abort("blockedbyclient")
            except Exception as exc:  # the context closed under us
                logger.debug("route before the capture ended: %r", exc)
            return None
        return await self.page.handle(route)


async def _new_context(browser):
    """A fresh context, its routes and its blank page: (context, page, routing)."""
    width, height = settings.CAPTURE_VIEWPORT
    context = await browser.new_context(
        service_workers="block",
        accept_downloads=False,
        viewport={"width": width, "height": height},
        user_agent=settings.FETCH_USER_AGENT,
        java_script_enabled=True,
    )
    try:
        routing = _Routing()
        await context.route("**/*", routing.handle)
        await context.route_web_socket("**/*", _close_socket)
        return context, await context.new_page(), routing
    except BaseException:
        await _close(context)
        raise


async def _close(context):
    try:
        await context.close()
    except Exception as exc:  # the browser went away first
        logger.debug("closing a capture context: %r", exc)


async def _render(owner, document, budget):
    page_state = _Page(document, budget, owner.pool)
    width, height = settings.CAPTURE_VIEWPORT
    context, page, routing = await owner.take_context()
    try:
        routing.page = page_state
        timed_out = False
        try:
            await page.goto(
                document.final_url, wait_until="load", timeout=_ms(page_state.remaining())
            )
            # Scripts that fetch the article after `load` are waited for: until nothing
            # routed is in flight for a quiet moment, within the deadline. The moment
            # starts at `load` as we saw it at the earliest: on a busy machine a request
            # made before `load` can reach our route handler after it.
            page_state.last_activity = max(page_state.last_activity, time.monotonic())
            timed_out = not await page_state.settled(settings.CAPTURE_BROWSER_QUIET)
        except Exception as exc:  # a page that never loads is captured as it is
            timed_out = page_state.remaining() <= 0 or "Timeout" in type(exc).__name__
            logger.info("capture of %s did not load: %s", document.final_url, exc)
        if timed_out:
            logger.info("capture of %s was still loading at the deadline", document.final_url)
        # From here the page is frozen as it was: nothing more is fetched.
        page_state.closed = True
        dom = await page.content()
        full_png, viewport_png = await _screenshots(page, width, height)
        return Rendered(
            results=page_state.results,
            dom=dom,
            screenshot=full_png,
            viewport=viewport_png,
            refused=page_state.refused,
            timed_out=timed_out,
        )
    finally:
        page_state.closed = True
        # Closed behind us: the capture's result does not wait for Chromium's teardown.
        owner.loop.create_task(_close(context))


async def _screenshots(page, width, viewport_height):
    """(full page capped at CAPTURE_SCREENSHOT_MAX_HEIGHT, first screen). A page no taller
    than the viewport is shot once: both are the same picture."""
    page_height = await page.evaluate(
        "Math.max(document.documentElement.scrollHeight, document.body ? "
        "document.body.scrollHeight : 0)"
    )
    height = max(1, min(int(page_height or 1), settings.CAPTURE_SCREENSHOT_MAX_HEIGHT))
    if height <= viewport_height:
        shot = await page.screenshot(timeout=10_000, animations="disabled")
        return shot, shot
    full = await page.screenshot(
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
        timeout=15_000,
        animations="disabled",
    )
    return full, await page.screenshot(timeout=10_000, animations="disabled")


async def _close_socket(ws):
    await ws.close(code=1008, reason="not captured")


def _ms(seconds):
    return max(1, int(seconds * 1000))


class _BrowserThread:
    """One per process: the thread that owns Playwright, its loop and the Chromium."""

    def __init__(self):
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.pool = ThreadPoolExecutor(
            max_workers=settings.CAPTURE_BROWSER_FETCH_THREADS, thread_name_prefix="capture-fetch"
        )
        self.thread = threading.Thread(target=self.loop.run_forever, name="browser", daemon=True)
        self.thread.start()
        self.playwright = None
        self.browser = None
        # A context made ahead for the next capture (never used twice: each capture takes
        # it and leaves the making of another): its ~0.2 s of setup is off the capture's path.
        self.spare = None
        self.pages = threading.BoundedSemaphore(settings.CAPTURE_BROWSER_PAGES)
        try:
            self._call(self._launch(), timeout=60)
        except Exception as exc:
            self.stop()
            raise BrowserUnavailable(f"Chromium could not be started: {exc}") from exc

    async def _launch(self):
        from playwright.async_api import async_playwright

        self.playwright = await async_playwright().start()
        path = chromium_path()
        self.browser = await self.playwright.chromium.launch(
            executable_path=path or None,
            args=CHROMIUM_ARGS,
            proxy={"server": DEAD_PROXY},
            chromium_sandbox=False,
        )

    async def take_context(self):
        spare = self.spare
        self.spare = asyncio.ensure_future(_new_context(self.browser))
        if spare is not None:
            try:
                return await spare
            except Exception:
                logger.info("the spare browser context failed; making another", exc_info=True)
        return await _new_context(self.browser)

    def _call(self, coro, timeout):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def alive(self):
        return self.pid == os.getpid() and self.browser is not None and self.browser.is_connected()

    def render(self, document, budget):
        # At most CAPTURE_BROWSER_PAGES pages at once: the others wait here, in their own
        # thread, before their deadline starts. The page's own deadline bounds the work;
        # the margin covers the screenshots.
        with self.pages:
            return self._call(_render(self, document, budget), budget.deadline + 60)

    def stop(self):
        async def close():
            if self.spare is not None:
                self.spare.cancel()
            if self.browser is not None:
                await self.browser.close()
            if self.playwright is not None:
                await self.playwright.stop()

        if self.pid == os.getpid() and self.thread.is_alive():
            try:
                self._call(close(), timeout=20)
            except Exception:
                logger.warning("closing the browser failed", exc_info=True)
            self.loop.call_soon_threadsafe(self.loop.stop)
        self.pool.shutdown(wait=False, cancel_futures=True)


_current = None
_lock = threading.Lock()


def _browser():
    global _current
    with _lock:
        if _current is None or not _current.alive():
            if _current is not None and _current.pid == os.getpid():
                _current.stop()
            _current = _BrowserThread()
        return _current


def render(document, budget=None):
    """Render a fetched HTML document in Chromium; raises BrowserUnavailable."""
    return _browser().render(document, budget or Budget.from_settings())


def shutdown():
    """Close this process's browser (tests, worker shutdown)."""
    global _current
    with _lock:
        if _current is not None and _current.pid == os.getpid():
            _current.stop()
        _current = None
