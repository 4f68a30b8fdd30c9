"""The replay host serves replay and nothing else (sources/replay.py says why).

Placed right after SecurityMiddleware: a request for the replay host is answered here,
from sources.replay's URLs only, so no session, CSRF, auth or message middleware ever runs
for it (no cookie is read or set) and no other URL of the app exists there. Every answer
carries its own explicit headers, which a project-wide CSP middleware leaves alone.
"""

from django.http import Http404, HttpResponseNotFound
from django.urls import Resolver404, resolve

from sources import replay

_NOT_FOUND_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ReplayHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replay.is_replay_request(request):
            return self.get_response(request)
        response = self._answer(request)
        response.setdefault("Content-Security-Policy", _NOT_FOUND_POLICY)
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "no-referrer"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        # Framing is governed by each page's frame-ancestors; no cookie ever leaves here.
        response.headers.pop("X-Frame-Options", None)
        response.cookies.clear()
        return response

    def _answer(self, request):
        try:
            match = resolve(request.path_info, urlconf=replay.__name__)
        except Resolver404:
            match = None
        if match is None or request.method not in ("GET", "HEAD"):
            return HttpResponseNotFound(
                "Not found: this host only replays captures.", content_type="text/plain"
            )
        try:
            return match.func(request, *match.args, **match.kwargs)
        except Http404:
            return HttpResponseNotFound("No such replay.", content_type="text/plain")
