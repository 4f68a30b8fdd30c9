"""Replay in the workbench: ReplayWeb.page plays a capture back from its WACZ alone, with
the original site gone; and a real worker captures with the browser engine."""

import pytest

from sources.capture import capture_attempt
from sources.engines import browser as engine
from sources.models import Artefact, Source
from sources.services import source_add
from sources.tasks import capture_source

from .support.browser import launch_profile, sign_in
from .support.httpserver import Reply, Site
from .support.personas import make_user
from .support.worker import Worker, capture_env

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = """<!doctype html><html><head><title>Replay me</title>
<link rel="stylesheet" href="style.css"></head>
<body><article><h1>Replay me</h1><p>The archived sentence about the air defence pact.</p>
</article><img src="logo.svg" alt="logo"></body></html>"""


@pytest.fixture
def chromium(monkeypatch, tmp_path):
    yield from launch_profile(monkeypatch, tmp_path / "profile")


@pytest.fixture(autouse=True)
def _engine_shutdown():
    yield
    engine.shutdown()


def test_a_capture_replays_from_its_archive_with_the_origin_server_stopped(
    chromium, live_server, capture_settings, defaults
):
    origin = Site().start()
    capture_settings.FETCH_ALLOW_PRIVATE = [origin.authority]
    capture_settings.CAPTURE_ENGINE = "browser"
    base = f"http://{origin.authority}"
    origin.routes["/a/style.css"] = [Reply("h1 { color: #a00 }", content_type="text/css")]
    origin.routes["/a/logo.svg"] = [
        Reply(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>',
            content_type="image/svg+xml",
        )
    ]
    origin.routes["/a/page"] = [Reply(PAGE)]
    source = source_add(url=f"{base}/a/page", enqueue=False)
    captured = capture_attempt(source_pk=source.pk).capture
    assert captured.engine == "browser" and captured.resources == 3
    assert Artefact.objects.filter(capture=captured, kind="wacz").exists()
    origin.stop()  # the original site is gone from here on
    before = origin.connections

    # Two origins, as in development: the workbench at 127.0.0.1, replay at localhost.
    assert live_server.url.startswith("http://127.0.0.1:")
    port = live_server.url.rsplit(":", 1)[1]
    capture_settings.REPLAY_ORIGIN = f"http://localhost:{port}"
    capture_settings.REPLAY_EMBEDDERS = [live_server.url]
    make_user("rita", "reviewer")
    page = chromium.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page, live_server.url, "rita")
    page.goto(f"{live_server.url}/sources/{source.pk}/?capture={captured.pk}&tab=replay")
    frame_src = page.locator("iframe#capture-replay").get_attribute("src")
    assert frame_src.startswith(f"http://localhost:{port}/embed/")
    found = None
    for _ in range(60):
        for frame in page.frames:
            try:
                if "archived sentence about the air defence" in frame.content():
                    found = frame
            except Exception:
                continue
        if found:
            break
        page.wait_for_timeout(500)
    assert found is not None, ([f.url for f in page.frames], console[-10:])
    # The captured page runs on the replay origin, under its service worker's scope.
    assert found.url.startswith(f"http://localhost:{port}/replay/"), found.url
    assert origin.connections == before
    # The replay pages carry their own policy, and ReplayWeb.page works under it.
    assert not [m for m in console if "Content Security Policy" in m], console
    # The replay origin holds no cookie of the workbench's.
    cookies = page.context.cookies()
    assert cookies and all(c["domain"] == "127.0.0.1" for c in cookies), cookies


@pytest.mark.worker
def test_a_real_worker_captures_with_the_browser_engine(site, media_root, live_server):
    # A queue of its own: the suite's session worker (http engine) may be consuming `capture`.
    worker = Worker(
        queues=("capture-browser",),
        extra_env=capture_env(site, media_root, CAPTURE_ENGINE="browser"),
        concurrency=2,
    ).start()
    try:
        url = site.add("worker-page", Reply(PAGE.replace("style.css", "none.css")))
        source = source_add(url=url, enqueue=False)
        capture_source.apply_async(args=[source.pk], queue="capture-browser")

        def captured():
            source.refresh_from_db()
            return source.status == Source.Status.OK

        worker.wait_until(captured, timeout=60)
        capture = source.latest_capture
        assert capture is not None and capture.engine == "browser", worker.output()[-2000:]
        assert "archived sentence" in capture.text
        assert capture.artefacts.filter(kind="screenshot").exists()
    finally:
        worker.stop()
