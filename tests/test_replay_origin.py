"""Replay runs on an origin of its own: the replay host serves replay and nothing else,
a WACZ opens only by a signed, expiring token naming it, and the workbench's host never
serves the replay's service-worker scope."""

import hashlib
import re

import pytest
from django.core import signing
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import URLPattern, URLResolver, get_resolver

from sources import replay
from sources.models import Artefact
from sources.staging import stage_artefact

from .support.factories import make_finished_capture, make_source
from .support.personas import PASSWORD

pytestmark = pytest.mark.django_db

REPLAY_HOST = "replay.example.org"
MAIN = "http://127.0.0.1:8000"


@pytest.fixture
def replay_settings(settings):
    settings.REPLAY_ORIGIN = f"https://{REPLAY_HOST}"
    settings.REPLAY_DEV_LOCALHOST = False
    settings.REPLAY_EMBEDDERS = [MAIN]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, REPLAY_HOST]
    return settings


def captured(url="https://example.org/page", payload=b"PK-the-wacz"):
    source = make_source(url=url)
    capture = make_finished_capture(source, text="Some text.", final_url=url)
    rows = []
    for kind, (data, content_type) in {
        "wacz": (payload, "application/wacz"),
        "screenshot": (b"\x89PNG\r\n\x1a\nshot", "image/png"),
        "viewport": (b"\x89PNG\r\n\x1a\nview", "image/png"),
    }.items():
        staged = stage_artefact(source.pk, kind, content_type, data)
        staged.publish()
        rows.append(
            Artefact.objects.create(
                capture=capture,
                kind=kind,
                file=staged.name,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
    return capture, {row.kind: row for row in rows}


def on_replay(client, path, **extra):
    return client.get(path, HTTP_HOST=REPLAY_HOST, secure=True, **extra)


def _sample_paths(patterns, prefix=""):
    """One concrete path per URL pattern of the workbench (converters filled in)."""
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry.pattern.regex, re.Pattern) and route.startswith("^"):
            route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).strip("^$").replace("\\", "")
        route = re.sub(r"<int:\w+>", "1", route)
        route = re.sub(r"<(?:str|slug|path):\w+>", "x", route)
        route = re.sub(r"<\w+>", "x", route)
        if isinstance(entry, URLResolver):
            yield from _sample_paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route


def test_the_replay_host_answers_no_url_of_the_workbench(client, replay_settings, reviewer):
    client.login(username=reviewer.username, password=PASSWORD)
    paths = sorted(set(_sample_paths(get_resolver().url_patterns)))
    assert "/login/" in paths and "/sources/1/" in paths and len(paths) > 40
    for path in paths + ["/", "/static/workbench/workbench.css", "/replay/evil.js"]:
        response = on_replay(client, path)
        assert response.status_code == 404, path
        assert not response.cookies, path
    # Not even a POST, with the reviewer's session cookie sent along.
    response = client.post("/login/", {}, HTTP_HOST=REPLAY_HOST, secure=True)
    assert response.status_code == 404 and not response.cookies


def test_the_replay_host_serves_the_player_with_its_own_headers(client, replay_settings):
    capture, artefacts = captured()
    token = replay.replay_token(artefacts["wacz"])
    embed = on_replay(client, f"/embed/{token}/")
    assert embed.status_code == 200
    html = embed.content.decode()
    assert f'source="/wacz/{token}.wacz"' in html and 'replayBase="/replay/"' in html
    assert 'url="https://example.org/page"' in html
    policy = embed["Content-Security-Policy"]
    assert "script-src 'self'" in policy and f"frame-ancestors {MAIN}" in policy
    assert "X-Frame-Options" not in embed and not embed.cookies
    for name in ("ui.js", "sw.js"):
        asset = on_replay(client, f"/replay/{name}")
        assert asset.status_code == 200 and asset["Content-Type"] == "text/javascript"
        assert asset["Service-Worker-Allowed"] == "/replay/"
        assert asset["Content-Security-Policy"].startswith("default-src 'self'")
    index = on_replay(client, "/replay/")
    assert b"<replay-app-main>" in index.content
    assert "frame-ancestors 'self'" in index["Content-Security-Policy"]
    wacz = on_replay(client, f"/wacz/{token}.wacz", HTTP_RANGE="bytes=0-1")
    assert wacz.status_code == 206 and wacz.content == b"PK"
    assert wacz["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_token_for_one_artefact_does_not_open_another(client, replay_settings):
    _, first = captured("https://example.org/one", b"PK-one")
    _, second = captured("https://example.org/two", b"PK-two")
    token = replay.replay_token(first["wacz"])
    assert b"".join(on_replay(client, f"/wacz/{token}.wacz").streaming_content) == b"PK-one"
    # The payload swapped for the other artefact's, the signature kept: refused.
    other = replay.replay_token(second["wacz"])
    forged = other.split(":", 1)[0] + ":" + token.split(":", 1)[1]
    assert on_replay(client, f"/wacz/{forged}.wacz").status_code == 404
    # A token names an artefact, not a capture: the screenshot is not a WACZ to open.
    shot = replay.replay_token(first["screenshot"])
    assert on_replay(client, f"/wacz/{shot}.wacz").status_code == 404
    assert on_replay(client, f"/embed/{shot}/").status_code == 404


def test_an_expired_or_forged_token_is_refused(client, replay_settings):
    _, artefacts = captured()
    wacz = artefacts["wacz"]
    old = replay.replay_token(wacz, now=1_000_000)
    with pytest.raises(replay.BadToken, match="expired"):
        replay.artefact_pk_from_token(old)
    assert on_replay(client, f"/wacz/{old}.wacz").status_code == 404
    assert on_replay(client, f"/embed/{old}/").status_code == 404
    foreign = signing.Signer(key="not-our-key", salt=replay.SALT).sign_object(
        {"a": wacz.pk, "e": 2**40}
    )
    other_salt = signing.Signer(salt="elsewhere").sign_object({"a": wacz.pk, "e": 2**40})
    for token in (foreign, other_salt, "nonsense", f"{wacz.pk}"):
        assert on_replay(client, f"/wacz/{token}.wacz").status_code == 404, token
    # A fresh one opens it.
    fresh = replay.replay_token(wacz)
    assert replay.artefact_pk_from_token(fresh) == wacz.pk
    assert on_replay(client, f"/wacz/{fresh}.wacz").status_code == 200


def test_the_workbench_host_does_not_serve_the_replay_scope(client, replay_settings, reviewer):
    _, artefacts = captured()
    token = replay.replay_token(artefacts["wacz"])
    client.login(username=reviewer.username, password=PASSWORD)
    for path in ("/replay/", "/replay/sw.js", "/replay/ui.js", f"/embed/{token}/"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/wacz/{token}.wacz").status_code == 404


def test_the_source_page_frames_replay_from_the_replay_origin(client, replay_settings, reviewer):
    capture, artefacts = captured()
    client.login(username=reviewer.username, password=PASSWORD)
    page = client.get(f"/sources/{capture.source_id}/?capture={capture.pk}&tab=replay")
    html = page.content.decode()
    src = re.search(r'<iframe id="capture-replay"[^>]* src="([^"]+)"', html).group(1)
    assert src.startswith(f"https://{REPLAY_HOST}/embed/")
    token = src.rsplit("/embed/", 1)[1].rstrip("/")
    assert replay.artefact_pk_from_token(token) == artefacts["wacz"].pk
    assert 'sandbox="allow-scripts allow-same-origin"' in html
    assert "<script" not in html.split('id="shown-capture"', 1)[1].split("</section>", 1)[0]
    assert page._csp_update == {"frame-src": [f"https://{REPLAY_HOST}"]}


def test_development_frames_replay_from_localhost_on_the_same_port(client, settings, reviewer):
    settings.REPLAY_ORIGIN = ""
    settings.REPLAY_DEV_LOCALHOST = True
    capture, _ = captured()
    client.login(username=reviewer.username, password=PASSWORD)
    html = client.get(
        f"/sources/{capture.source_id}/?capture={capture.pk}&tab=replay",
        HTTP_HOST="127.0.0.1:8123",
    ).content.decode()
    assert 'src="http://localhost:8123/embed/' in html


def test_without_a_replay_origin_production_shows_the_screenshot_and_the_wacz(
    client, settings, reviewer
):
    settings.REPLAY_ORIGIN = ""
    settings.REPLAY_DEV_LOCALHOST = False
    capture, artefacts = captured()
    client.login(username=reviewer.username, password=PASSWORD)
    page = client.get(f"/sources/{capture.source_id}/?capture={capture.pk}&tab=replay")
    html = page.content.decode()
    assert 'id="replay-unavailable"' in html and "REPLAY_ORIGIN" in html
    assert "<iframe" not in html
    assert f'/captures/{capture.pk}/screenshot/"' in html
    assert f'href="/captures/{capture.pk}/wacz/" download' in html
    # Nothing answers as a replay host, localhost included.
    assert client.get("/replay/sw.js", HTTP_HOST="localhost").status_code == 404


def test_a_replay_origin_sharing_the_workbench_cookies_is_refused(settings):
    settings.SITE_URL = "https://workbench.example.org"
    settings.REPLAY_ORIGIN = "https://replay.example.org"
    settings.SESSION_COOKIE_DOMAIN = ".example.org"
    with pytest.raises(SystemCheckError, match="sources.E003"):
        call_command("check")
    settings.SESSION_COOKIE_DOMAIN = None
    settings.REPLAY_ORIGIN = "https://workbench.example.org:8443"
    with pytest.raises(SystemCheckError, match="sources.E002"):
        call_command("check")
    settings.REPLAY_ORIGIN = "https://replay.example.org"
    call_command("check")
