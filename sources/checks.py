"""Refuse a replay origin that would share cookies or an origin with the workbench."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


def _domain_matches(host, domain):
    domain = (domain or "").lstrip(".").lower()
    return bool(domain) and (host == domain or host.endswith("." + domain))


@register()
def replay_origin_check(app_configs, **kwargs):
    origin = settings.REPLAY_ORIGIN
    if not origin:
        return []
    parts = urlsplit(origin)
    errors = []
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        errors.append(
            Error(
                "REPLAY_ORIGIN must be an origin such as https://replay.example.org.",
                id="sources.E001",
            )
        )
        return errors
    host = parts.hostname.lower()
    if host == (urlsplit(settings.SITE_URL).hostname or "").lower():
        errors.append(
            Error(
                "REPLAY_ORIGIN must be a host of its own, not SITE_URL's (cookies ignore ports).",
                id="sources.E002",
            )
        )
    for name in ("SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN"):
        if _domain_matches(host, getattr(settings, name)):
            errors.append(
                Error(
                    f"{name} would send the workbench's cookie to the replay host; leave it "
                    "unset (host-only cookies).",
                    id="sources.E003",
                )
            )
    return errors
