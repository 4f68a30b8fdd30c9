"""Replay of a capture on an origin of its own.

ReplayWeb.page runs a captured page's own scripts. On the workbench's origin a hostile
page could read its pages and CSRF tokens as the signed-in reviewer, so replay is served
from `REPLAY_ORIGIN` (a host that serves nothing else, as Browsertrix and ReplayWeb.page
deployments do) and the source page only frames it:

    /embed/<token>/   the page framed by the workbench: <replay-web-page> for one WACZ
    /replay/          ReplayWeb.page's inner app (its service worker's scope), ui.js, sw.js
    /wacz/<token>.wacz  the WACZ, by byte range

The replay host has no cookies, no session and no other URL of the app
(workbench.replayhost.ReplayHostMiddleware answers its requests before anything else).
What opens a WACZ there is a signed, expiring token naming the artefact, minted by the
source page for a reviewer. Tokens are stable within a window, so a reviewer coming back
to a capture reuses the collection ReplayWeb.page already loaded.
"""

import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse

from .downloads import artefact_response
from .models import Artefact

SALT = "sources.replay.wacz"
ASSETS = Path(__file__).resolve().parent / "replaywebpage"  # vendored, see its ORIGIN.md
SCOPE = "/replay/"
# What a replay page may load: itself (ui.js, the WACZ, the service worker's frames).
# ReplayWeb.page injects style elements (lit), hence styles 'unsafe-inline'; scripts stay
# 'self'. The replayed pages themselves get the policy wabac.js puts on them.
_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob: data:; "
    "connect-src 'self' data: blob:; frame-src 'self'; child-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)


class BadToken(Exception):
    pass


# Tokens --------------------------------------------------------------------------------


def replay_token(artefact, *, now=None):
    """A token naming `artefact`, valid for at least REPLAY_TOKEN_SECONDS."""
    lifetime = int(settings.REPLAY_TOKEN_SECONDS)
    window = max(60, lifetime // 4)
    now = int(now if now is not None else time.time())
    # Rounded up to the window: the same token (and URL) for every view within it.
    expires = (now // window + 1) * window + lifetime
    return signing.Signer(salt=SALT).sign_object({"a": artefact.pk, "e": expires})


def artefact_pk_from_token(token, *, now=None):
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature as exc:
        raise BadToken("forged or damaged token") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), int):
        raise BadToken("not a replay token")
    if not isinstance(payload.get("e"), int) or payload["e"] <= (now or time.time()):
        raise BadToken("expired token")
    return payload["a"]


# Where the replay host is ----------------------------------------------------------------


def replay_hostname():
    """The host name that serves replay and nothing else, or None."""
    if settings.REPLAY_ORIGIN:
        return urlsplit(settings.REPLAY_ORIGIN).hostname
    return "localhost" if settings.REPLAY_DEV_LOCALHOST else None


def replay_origin(request):
    """The origin the workbench frames replay from, or None when replay is off."""
    if settings.REPLAY_ORIGIN:
        return settings.REPLAY_ORIGIN.rstrip("/")
    if settings.REPLAY_DEV_LOCALHOST:
        # Development: the workbench at 127.0.0.1:PORT, replay at localhost:PORT.
        port = urlsplit("//" + request.get_host()).port
        return f"{request.scheme}://localhost" + (f":{port}" if port else "")
    return None


def is_replay_request(request):
    hostname = replay_hostname()
    if not hostname:
        return False
    return (urlsplit("//" + request.get_host()).hostname or "") == hostname.lower()


def replay_url(request, artefact):
    """The URL of the framed replay page for a WACZ artefact, or None when replay is off."""
    origin = replay_origin(request)
    if origin is None:
        return None
    token = replay_token(artefact)
    return origin + reverse("replay_embed", args=[token], urlconf=__name__)


def frame_ancestors():
    return " ".join(settings.REPLAY_EMBEDDERS) or "'none'"


# Views (only ever reached on the replay host) ---------------------------------------------


def _artefact(token):
    try:
        pk = artefact_pk_from_token(token)
    except BadToken:
        raise Http404("No such replay.") from None
    return get_object_or_404(
        Artefact.objects.select_related("capture"), pk=pk, kind=Artefact.Kind.WACZ
    )


def embed(request, token):
    artefact = _artefact(token)
    html = render_to_string(
        "sources/replay/embed.html",
        {
            "url": artefact.capture.final_url or artefact.capture.source.url,
            "source": reverse("replay_wacz", args=[token], urlconf=__name__),
            "scope": SCOPE,
            "ui": reverse("replay_asset", args=["ui.js"], urlconf=__name__),
        },
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = f"{_PAGE_POLICY}; frame-ancestors {frame_ancestors()}"
    return response


def index(request):
    """ReplayWeb.page's inner app, for a frame loaded before its service worker took over
    (the worker serves this same page once it runs)."""
    html = render_to_string(
        "sources/replay/index.html",
        {"ui": reverse("replay_asset", args=["ui.js"], urlconf=__name__)},
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        f"{_PAGE_POLICY}; frame-ancestors 'self' {frame_ancestors()}"
    )
    return response


def asset(request, name):
    if name not in ("ui.js", "sw.js"):
        raise Http404("No such replay file.")
    response = FileResponse(open(ASSETS / name, "rb"), content_type="text/javascript")
    # The policy of a service worker's script is the worker's own: it fetches only from here.
    response["Content-Security-Policy"] = "default-src 'self'; object-src 'none'"
    response["Service-Worker-Allowed"] = SCOPE
    response["Cache-Control"] = "public, max-age=3600"
    return response


def wacz(request, token):
    return artefact_response(request, _artefact(token))


urlpatterns = [
    path("embed/<str:token>/", embed, name="replay_embed"),
    path("replay/", index, name="replay_index"),
    path("replay/index.html", index),
    path("replay/<str:name>", asset, name="replay_asset"),
    path("wacz/<str:token>.wacz", wacz, name="replay_wacz"),
]
