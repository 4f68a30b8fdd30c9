"""Time, size, type and status limits of the safe fetcher, against real loopback servers."""

import gzip
import socket
import time
import tracemalloc
import zlib
from email.utils import formatdate

import pytest

from sources.addresses import parse_allow_list
from sources.fetch import FetchError, Limits, fetch

from .support.httpserver import Reply

PAGE = b"<html><head><title>Page</title></head><body><p>Hello.</p></body></html>"
MB = 1024 * 1024


@pytest.fixture
def limits(site):
    return Limits.from_settings(
        allow_private=parse_allow_list((site.authority,)),
        connect_timeout=1,
        read_timeout=1,
        deadline=1.5,
        max_bytes=MB,
    )


def failure(url, limits):
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=limits)
    return caught.value


def headers(handler, *lines, status="200 OK"):
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{line}\r\n" for line in lines) + "\r\n"
    handler.wfile.write(head.encode())
    handler.wfile.flush()


def trickler(*, head, drip):
    """A reply that sends `head`, then `drip` every 50 ms for up to 30 s; it records whether
    the client hung up on it ("cut") or sat through all of it ("finished")."""
    seen = []

    def reply(handler):
        try:
            handler.wfile.write(head)
            for _ in range(600):
                handler.wfile.write(drip)
                handler.wfile.flush()
                time.sleep(0.05)
            seen.append("finished")
        except (BrokenPipeError, ConnectionResetError):
            seen.append("cut")

    return reply, seen


TRICKLES = {
    # Within the body: each read returns a byte, so no read timeout ever fires.
    "body": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n",
        b"x",
    ),
    # Within one header line: the parser waits for its end, whatever the timeouts.
    "headers": (b"HTTP/1.1 200 OK\r\nX-Slow: ", b"y"),
}


def silent(handler):
    time.sleep(3)


@pytest.mark.parametrize("phase", TRICKLES)
def test_a_trickling_server_is_cut_at_the_deadline(phase, site, limits):
    reply, seen = trickler(head=TRICKLES[phase][0], drip=TRICKLES[phase][1])
    error = failure(site.add("trickle", reply), limits)
    # The read timeout (1 s) never fires: bytes keep coming. The deadline (1.5 s) cuts it.
    assert error.code == "deadline" and error.temporary
    for _ in range(40):  # the server notices the hang-up at its next write
        if seen:
            break
        time.sleep(0.05)
    assert seen == ["cut"]


def test_a_silent_server_trips_the_read_timeout(site, limits):
    error = failure(site.add("silent", silent), limits)
    assert error.code == "read_timeout" and error.temporary


def test_a_closed_port_is_a_temporary_connection_error(site, limits):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    limits = Limits.from_settings(allow_private=parse_allow_list((f"127.0.0.1:{port}",)))
    error = failure(f"http://127.0.0.1:{port}/", limits)
    assert error.code == "connection_error" and error.temporary


def test_a_declared_oversized_body_is_refused_unread(site, limits):
    def huge(handler):
        headers(handler, "Content-Type: text/html", f"Content-Length: {50 * MB}")
        handler.wfile.write(b"x" * MB)

    error = failure(site.add("huge", huge), limits)
    assert error.code == "too_large" and error.refused and not error.temporary


def test_a_body_lying_about_its_length_is_cut_at_the_cap(site, limits):
    # Content-Length says 100 bytes, but chunked framing wins and keeps on coming.
    def liar(handler):
        headers(
            handler, "Content-Type: text/html", "Content-Length: 100", "Transfer-Encoding: chunked"
        )
        chunk = b"y" * 65536
        for _ in range(100):
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")

    error = failure(site.add("liar", liar), limits)
    assert error.code == "too_large"


def test_a_body_without_length_is_cut_at_the_cap(site, limits):
    def endless(handler):
        headers(handler, "Content-Type: text/plain", "Connection: close")
        for _ in range(100):
            handler.wfile.write(b"z" * 65536)

    assert failure(site.add("endless", endless), limits).code == "too_large"


@pytest.fixture(scope="module")
def gzip_bomb():
    """200 MB of zeros in about 200 KB of gzip."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MB)
    return b"".join(packer.compress(zeros) for _ in range(200)) + packer.flush()


def test_a_gzip_bomb_is_cut_early_with_little_memory(site, limits, gzip_bomb):
    url = site.add(
        "bomb",
        Reply(gzip_bomb, content_type="text/html", headers={"Content-Encoding": "gzip"}),
    )
    tracemalloc.start()
    try:
        error = failure(url, limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "too_large"
    # The cap is 1 MB of decoded bytes; the bomb would be 200 MB.
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB"


@pytest.mark.parametrize(
    "encoding, packed",
    [("gzip", gzip.compress(PAGE)), ("deflate", zlib.compress(PAGE)), ("identity", PAGE)],
)
def test_compressed_pages_are_decoded(encoding, packed, site, limits):
    url = site.add("packed", Reply(packed, headers={"Content-Encoding": encoding}))
    assert fetch(url, limits=limits).body == PAGE


@pytest.mark.parametrize(
    "content_type",
    ["image/png", "application/octet-stream", "text/css", "text/html-ish", "garbage", None],
)
def test_content_types_outside_the_allow_list_are_refused(content_type, site, limits):
    url = site.add("typed", Reply(b"\x89PNG....", content_type=content_type))
    error = failure(url, limits)
    assert error.code == "unsupported_type" and error.refused


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=utf-8", "application/xhtml+xml", "text/plain", "application/pdf"],
)
def test_allowed_content_types_are_fetched(content_type, site, limits):
    url = site.add("typed", Reply(PAGE, content_type=content_type))
    assert fetch(url, limits=limits).content_type == content_type.split(";")[0]


def test_an_unknown_content_encoding_is_refused(site, limits):
    url = site.add("brotli", Reply(PAGE, headers={"Content-Encoding": "br"}))
    assert failure(url, limits).code == "unsupported_encoding"


@pytest.mark.parametrize(
    "status, temporary", [(404, False), (410, False), (403, False), (503, True), (500, True)]
)
def test_http_errors_carry_their_status_and_whether_to_retry(status, temporary, site, limits):
    error = failure(site.add("status", Reply(status=status)), limits)
    assert (error.code, error.http_status, error.temporary) == (f"http_{status}", status, temporary)
    assert not error.refused


def test_too_many_requests_carries_retry_after_in_seconds_or_as_a_date(site, limits):
    error = failure(site.add("busy", Reply(status=429, headers={"Retry-After": "7"})), limits)
    assert (error.code, error.temporary, error.retry_after) == ("http_429", True, 7.0)
    when = formatdate(time.time() + 120, usegmt=True)
    error = failure(site.add("busy", Reply(status=503, headers={"Retry-After": when})), limits)
    assert 100 < error.retry_after <= 120


def test_a_truncated_body_is_a_temporary_failure(site, limits):
    def truncated(handler):
        headers(handler, "Content-Type: text/html", "Content-Length: 5000", "Connection: close")
        handler.wfile.write(b"only a little")

    error = failure(site.add("truncated", truncated), limits)
    assert error.code == "connection_error" and error.temporary
