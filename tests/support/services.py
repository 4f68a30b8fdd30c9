"""Reaching the real services the suite needs (PostgreSQL, Redis, Chromium).

Locally a missing service skips the tests that need it; with CI=true it fails them.
"""

import os
import socket
from urllib.parse import urlsplit

import pytest

IN_CI = os.getenv("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason):
    if IN_CI:
        pytest.fail(f"required service unavailable in CI: {reason}")
    pytest.skip(reason)


def reachable(host, port, timeout=1.0):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require_redis_if_configured():
    url = os.getenv("REDIS_URL")
    if url:
        parts = urlsplit(url)
        if not reachable(parts.hostname or "127.0.0.1", parts.port or 6379):
            unavailable(f"Redis at {url} is not reachable")
