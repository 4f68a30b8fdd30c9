"""Absolute links written into exports: a claim's page and a capture's archived response.

Each is resolved once per export (reverse() per row would cost more than the row).
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

_MARKER = 987654321987


def _site():
    return settings.SITE_URL.rstrip("/")


def _pk_url(name, fallback_head, fallback_tail):
    """f(pk) -> absolute URL of the named pattern with that pk, or of the fallback path."""
    try:
        head, tail = reverse(name, args=[_MARKER]).split(str(_MARKER))
    except NoReverseMatch:
        head, tail = fallback_head, fallback_tail
    base = _site() + head
    return lambda pk: f"{base}{pk}{tail}"


def claim_url_builder():
    # The claim page is the reviewer UI's (claims:claim_detail); until that URL
    # exists the documented path /claims/<pk>/ is used.
    return _pk_url("claims:claim_detail", "/claims/", "/")


def archive_url_builder():
    return _pk_url("exports:api_capture_archive", "/api/captures/", "/archive")
