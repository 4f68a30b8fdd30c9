"""The one way this system fetches a user-supplied URL.

    result = fetch("https://example.org/report")   # FetchResult, or raises FetchError

Safety, in the order a request meets it:
- the URL: http/https only, no credentials, no authority that two URL parsers read
  differently (`http://127.0.0.1:6379\\@example.com/`);
- the address: requests-hardened resolves the host once and pins the connection to that
  IP (no second lookup between check and connect: DNS rebinding); we then check the
  pinned IP against sources.addresses, which also knows the IPv6 forms hardened misses.
  This runs again for every redirect hop, which we follow ourselves (at most
  FETCH_MAX_REDIRECTS). A refusal happens before any connection is opened;
- the environment: trust_env=False, so no proxy and no .netrc is ever used;
- time: connect and read timeouts, plus a wall-clock deadline for the whole fetch. A
  read timeout is not a deadline (a server sending a byte a second never trips it), so a
  watchdog (sources/watchdog.py) shuts the sockets down when the deadline passes;
- size: Content-Length over the cap is refused unread, and the body is counted while
  streaming, both as sent and as decoded, so a gzip bomb is cut after FETCH_MAX_BYTES
  with memory bounded by one chunk;
- type: HTML, XHTML, plain text and PDF only.
"""

import socket
import time
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from requests_hardened.ip_filter import InvalidIPAddress
from requests_hardened.ip_filter_adapter import IPFilterAdapter
from urllib3.exceptions import DecodeError, LocationParseError, ReadTimeoutError
from urllib3.exceptions import HTTPError as Urllib3HTTPError
from urllib3.util import parse_url

from . import watchdog
from .addresses import forbidden_reason, parse_address, parse_allow_list

ALLOWED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf")
ALLOWED_ENCODINGS = ("identity", "gzip", "x-gzip", "deflate")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024

# Error codes. Refusals are policy (never retried); the rest are failures, temporary
# ones retried with backoff. HTTP statuses become http_<status> (see FetchError).
REFUSALS = {
    "scheme_not_allowed",
    "credentials_in_url",
    "invalid_url",
    "address_forbidden",
    "unsupported_type",
    "unsupported_encoding",
    "too_large",
}
TEMPORARY = {"deadline", "connect_timeout", "read_timeout", "connection_error", "dns_error"}
TEMPORARY_HTTP = {408, 425, 429}


class FetchError(Exception):
    """A fetch that produced no usable response, with a machine-readable `code`."""

    def __init__(self, code, message, *, http_status=None, final_url="", retry_after=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status
        self.final_url = final_url
        self.retry_after = retry_after  # seconds, from a Retry-After header

    @property
    def refused(self):
        return self.code in REFUSALS

    @property
    def temporary(self):
        if self.code.startswith("http_") and self.http_status:
            return self.http_status >= 500 or self.http_status in TEMPORARY_HTTP
        return self.code in TEMPORARY

    def __repr__(self):
        return f"FetchError({self.code!r}, {self.message!r})"


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    content_type: str  # the media type alone, lower case
    charset: str  # the charset parameter of Content-Type, if any
    body: bytes  # after Content-Encoding is undone
    redirects: list[str] = field(default_factory=list)
    peer_ip: str = ""  # the checked address the final response came from


@dataclass(frozen=True)
class Limits:
    connect_timeout: float
    read_timeout: float
    deadline: float
    max_bytes: int
    max_redirects: int
    user_agent: str
    allow_private: frozenset

    @classmethod
    def from_settings(cls, **overrides):
        values = {
            "connect_timeout": settings.FETCH_CONNECT_TIMEOUT,
            "read_timeout": settings.FETCH_READ_TIMEOUT,
            "deadline": settings.FETCH_DEADLINE,
            "max_bytes": settings.FETCH_MAX_BYTES,
            "max_redirects": settings.FETCH_MAX_REDIRECTS,
            "user_agent": settings.FETCH_USER_AGENT,
            "allow_private": parse_allow_list(tuple(settings.FETCH_ALLOW_PRIVATE)),
        }
        return cls(**{**values, **overrides})


# --- the deadline (sources/watchdog.py shuts the sockets down when it passes) -----------


class _FetchContext(watchdog.Deadline):
    def check(self, url):
        if self.passed():
            raise FetchError("deadline", "The fetch took longer than allowed.", final_url=url)


# --- the pinned, checked connection ------------------------------------------------------


class _CheckedAdapter(IPFilterAdapter):
    """requests-hardened's adapter (resolve once, pin the IP) plus our address policy.

    Hardened's own filter runs first (allow_loopback=True so exempted test servers get
    through it); then the pinned IP is checked here against the stricter policy and the
    FETCH_ALLOW_PRIVATE (address, port) pairs. Nothing has connected yet at this point.
    """

    def __init__(self, *, https, allow_private):
        self._allow_private = allow_private
        super().__init__(is_https_proto=https, allow_loopback=True)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": watchdog.HTTPPool,
            "https": watchdog.HTTPSPool,
        }

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host = urlsplit(request.url).hostname
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        ip = parse_address(host_params["host"])
        port = host_params["port"] or (443 if host_params["scheme"] == "https" else 80)
        reason = forbidden_reason(ip)
        if reason and (ip, port) not in self._allow_private:
            raise FetchError(
                "address_forbidden",
                f"Refused to connect to {host} ({ip}): {reason} address.",
                final_url=request.url,
            )
        deadline = watchdog.current()
        if deadline is not None:
            deadline.peer_ip = str(ip)
        return host_params, pool_kwargs


class _Session(requests.Session):
    def resolve_redirects(self, *args, **kwargs):
        # We follow redirects ourselves (_redirect_url, a check on every hop). requests would
        # still parse the Location to offer `response.next`, and raise ValueError out of
        # get() on a malformed one such as "http://[::1".
        return iter(())


def _session(limits):
    session = _Session()
    session.trust_env = False  # no proxies, no .netrc, no CA bundle from the environment
    session.proxies = {}
    session.mount("http://", _CheckedAdapter(https=False, allow_private=limits.allow_private))
    session.mount("https://", _CheckedAdapter(https=True, allow_private=limits.allow_private))
    session.headers = {
        "User-Agent": limits.user_agent,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.8",
        "Accept-Encoding": "gzip, deflate",
        # One connection per hop: each redirect is resolved, checked and connected afresh.
        "Connection": "close",
    }
    return session


def check_url(url):
    """Refuse a URL the fetcher must never request; return its scheme."""
    if any(ord(char) <= 0x20 for char in url):
        raise FetchError("invalid_url", "The URL contains spaces or control characters.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
        parsed = parse_url(url)
    except (ValueError, LocationParseError) as exc:
        raise FetchError("invalid_url", f"The URL is not valid: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            "scheme_not_allowed", f"Only http and https URLs are fetched, not {scheme or 'this'}."
        )
    if "@" in parts.netloc or parsed.auth:
        raise FetchError("credentials_in_url", "URLs with credentials are not fetched.")
    if "\\" in parts.netloc or not parts.hostname:
        raise FetchError("invalid_url", "The URL's host is missing or ambiguous.")
    return scheme


def _parse_content_type(value):
    # Not Message.get_content_type(): it turns a malformed type into text/plain.
    media_type = value.split(";", 1)[0].strip().lower()
    message = Message()
    message["content-type"] = value
    charset = message.get_param("charset") or ""
    return media_type, str(charset).strip().lower()


def _retry_after(response):
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _http_error(response):
    status = response.status_code
    return FetchError(
        f"http_{status}",
        f"The server answered {status} {response.reason or ''}".strip() + ".",
        http_status=status,
        final_url=response.url,
        retry_after=_retry_after(response),
    )


def _check_headers(response, limits, *, any_type=False):
    """Refuse a response by its headers, before any of its body is read.

    any_type: a browser's subresource (image, script, style...) rather than a document."""
    raw_type = response.headers.get("Content-Type", "")
    content_type, charset = _parse_content_type(raw_type) if raw_type else ("", "")
    if not any_type and content_type not in ALLOWED_TYPES:
        raise FetchError(
            "unsupported_type",
            f"Content type {content_type or '(none)'} is not captured "
            "(only HTML, XHTML, plain text and PDF).",
            http_status=response.status_code,
            final_url=response.url,
        )
    encodings = [e.strip().lower() for e in response.headers.get("Content-Encoding", "").split(",")]
    if any(e and e not in ALLOWED_ENCODINGS for e in encodings):
        raise FetchError(
            "unsupported_encoding",
            f"Content-Encoding {response.headers['Content-Encoding']} is not supported.",
            http_status=response.status_code,
            final_url=response.url,
        )
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limits.max_bytes:
        raise _too_large(response, limits)
    return content_type, charset


def _too_large(response, limits):
    return FetchError(
        "too_large",
        f"The response is larger than the {limits.max_bytes:,} bytes allowed.",
        http_status=response.status_code,
        final_url=response.url,
    )


def _read_body(response, limits, ctx):
    """Stream the body, decoding Content-Encoding one bounded chunk at a time."""
    raw = response.raw
    chunks, total = [], 0
    while True:
        ctx.check(response.url)
        chunk = raw.read1(_CHUNK, decode_content=True)
        if not chunk:
            ctx.check(response.url)  # an EOF forced by the watchdog is not a whole body
            return b"".join(chunks)
        total += len(chunk)
        if total > limits.max_bytes or raw.tell() > limits.max_bytes:
            raise _too_large(response, limits)
        chunks.append(chunk)


def _as_fetch_error(exc, url, ctx):
    if ctx.expired:
        return FetchError("deadline", "The fetch took longer than allowed.", final_url=url)
    if isinstance(exc, InvalidIPAddress):
        ip = parse_address(str(exc))
        reason = forbidden_reason(ip) or "forbidden"
        host = urlsplit(url).hostname
        return FetchError(
            "address_forbidden",
            f"Refused to connect to {host} ({ip}): {reason} address.",
            final_url=url,
        )
    if isinstance(exc, requests.ConnectTimeout):
        return FetchError("connect_timeout", "Connecting to the server timed out.", final_url=url)
    if isinstance(exc, requests.ReadTimeout | ReadTimeoutError | TimeoutError):
        return FetchError("read_timeout", "The server stopped sending data.", final_url=url)
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError("tls_error", f"TLS failed: {exc}", final_url=url)
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema):
        return FetchError("invalid_url", f"The URL is not valid: {exc}", final_url=url)
    if isinstance(exc, requests.exceptions.ContentDecodingError | DecodeError):
        return FetchError("decode_error", "The compressed body is corrupt.", final_url=url)
    cause = exc.__cause__
    if isinstance(cause, socket.gaierror):
        if cause.errno == socket.EAI_NONAME:
            return FetchError("dns_not_found", "The host name does not exist.", final_url=url)
        return FetchError("dns_error", f"Looking up the host failed: {cause}", final_url=url)
    return FetchError("connection_error", f"The connection failed: {exc}", final_url=url)


_NETWORK_ERRORS = (requests.RequestException, Urllib3HTTPError, OSError)


def _redirect_url(base, location):
    """The absolute URL a Location header points to, or FetchError("invalid_redirect").

    urljoin raises ValueError on e.g. `http://[::1` (an unclosed IPv6 bracket), which
    would otherwise escape the fetcher. Other refusals (scheme, credentials, address) are
    left to the check every hop gets.
    """
    why = None
    try:
        url = requests.utils.requote_uri(urljoin(base, location)).split("#")[0]
        check_url(url)
    except (ValueError, LocationParseError) as exc:
        why = str(exc)
    except FetchError as exc:
        if exc.code != "invalid_url":
            return url
        why = exc.message
    if why is not None:
        raise FetchError(
            "invalid_redirect",
            f"The server redirected to an invalid location {location[:200]!r}: {why}",
            final_url=base,
        )
    return url


def fetch(url, *, limits=None):
    """GET `url` safely and return a FetchResult, or raise FetchError."""
    limits = limits or Limits.from_settings()
    requested, redirects, seen = url, [], {url}
    with _FetchContext(limits.deadline) as ctx, _session(limits) as session:
        for _hop in range(limits.max_redirects + 1):
            check_url(url)
            response = _get(session, url, limits, ctx)
            with response:
                ctx.check(url)  # headers cut short by the watchdog are not a response
                target = session.get_redirect_target(response)
                if response.status_code in REDIRECT_STATUSES and target:
                    url = _redirect_url(response.url, target)
                    if url in seen:
                        raise FetchError(
                            "redirect_loop", f"Redirect loop back to {url}.", final_url=url
                        )
                    seen.add(url)
                    redirects.append(url)
                    continue
                if not 200 <= response.status_code < 300:
                    raise _http_error(response)
                content_type, charset = _check_headers(response, limits)
                body = _read(response, limits, ctx, url)
                return _result(requested, response, body, content_type, charset, ctx, redirects)
    raise FetchError(
        "too_many_redirects",
        f"More than {limits.max_redirects} redirects.",
        final_url=url,
    )


# --- one request on behalf of the browser engine (sources/engines/browser.py) -------------


def fetch_resource(url, *, limits=None):
    """GET one subresource for a page the browser renders: one hop, any content type.

    The same address policy, timeouts, deadline and size cap as fetch(), but a redirect is
    returned (not followed) so the browser asks for the next hop through us again, and a
    non-2xx answer is returned as it is (a page's missing image is part of what it showed).
    """
    limits = limits or Limits.from_settings()
    check_url(url)
    with _FetchContext(limits.deadline) as ctx, _session(limits) as session:
        session.headers["Accept"] = "*/*"
        response = _get(session, url, limits, ctx)
        with response:
            ctx.check(url)
            content_type, charset = _check_headers(response, limits, any_type=True)
            body = _read(response, limits, ctx, url)
            return _result(url, response, body, content_type, charset, ctx)


def _get(session, url, limits, ctx):
    """One hop, redirects not followed, within what is left of the deadline."""
    timeout = (
        min(limits.connect_timeout, ctx.remaining()),
        min(limits.read_timeout, ctx.remaining()),
    )
    try:
        return session.get(url, stream=True, allow_redirects=False, timeout=timeout)
    except _NETWORK_ERRORS as exc:
        raise _as_fetch_error(exc, url, ctx) from exc


def _read(response, limits, ctx, url):
    try:
        return _read_body(response, limits, ctx)
    except _NETWORK_ERRORS as exc:
        raise _as_fetch_error(exc, url, ctx) from exc


def _result(url, response, body, content_type, charset, ctx, redirects=()):
    raw = response.raw
    return FetchResult(
        url=url,
        final_url=response.url,
        status=response.status_code,
        reason=response.reason or "",
        http_version="HTTP/1.0" if raw.version == 10 else "HTTP/1.1",
        headers=list(raw.headers.iteritems()),
        content_type=content_type,
        charset=charset,
        body=body,
        redirects=list(redirects),
        peer_ip=ctx.peer_ip,
    )
