"""Archiving a capture as gzipped WARC records (warcio), stored through Django's storage.

The http engine writes one response record; the browser engine writes a `warcinfo` record
naming the software and settings, then a request and a response record for every resource
the page loaded (warc_exchanges).

The payload is the body after Content-Encoding was undone, so the record's headers say
so: Content-Encoding and Transfer-Encoding are kept as X-Archive-Orig-* and
Content-Length is the stored length (what pywb does when it rewrites a response).
"""

import io
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_REWRITTEN = {"content-encoding", "transfer-encoding", "content-length"}


def _write(make_record):
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(make_record(writer))
    return buffer.getvalue()


def _response_record(writer, result):
    headers = []
    for name, value in result.headers:
        if name.lower() in _REWRITTEN:
            if name.lower() != "content-length":
                headers.append((f"X-Archive-Orig-{name}", value))
        else:
            headers.append((name, value))
    headers.append(("Content-Length", str(len(result.body))))
    http_headers = StatusAndHeaders(
        f"{result.status} {result.reason}".strip(), headers, protocol=result.http_version
    )
    warc_headers = {"WARC-IP-Address": result.peer_ip} if result.peer_ip else {}
    return writer.create_warc_record(
        result.final_url,
        "response",
        payload=io.BytesIO(result.body),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )


def warc_response(result):
    """A WARC `response` record for a FetchResult."""
    return _write(lambda writer: _response_record(writer, result))


def _request_record(writer, result, user_agent):
    parts = urlsplit(result.final_url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    headers = [("Host", parts.netloc), ("User-Agent", user_agent), ("Accept", "*/*")]
    http_headers = StatusAndHeaders(
        f"GET {target} {result.http_version}", headers, is_http_request=True
    )
    return writer.create_warc_record(result.final_url, "request", http_headers=http_headers)


def warc_exchanges(results, *, info, user_agent):
    """One gzipped WARC file: a warcinfo record (`info`: a dict of fields), then a request
    and a response record for every FetchResult, in the order the page loaded them."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record("capture.warc.gz", info))
    for result in results:
        writer.write_request_response_pair(
            _request_record(writer, result, user_agent), _response_record(writer, result)
        )
    return buffer.getvalue()


def warc_resource(*, url, content_type, body, note=""):
    """A WARC `resource` record: a copy we did not fetch (a reviewer's upload)."""
    warc_headers = {"WARC-Description": note} if note else {}
    return _write(
        lambda writer: writer.create_warc_record(
            url,
            "resource",
            payload=io.BytesIO(body),
            warc_content_type=content_type,
            warc_headers_dict=warc_headers,
        )
    )


def read_payload(fileobj):
    """(record type, content type, payload bytes) of the first record in a WARC file."""
    for record in ArchiveIterator(fileobj):
        if record.rec_type in ("response", "resource"):
            if record.http_headers is not None:
                content_type = record.http_headers.get_header("Content-Type", "")
            else:
                content_type = record.rec_headers.get_header("Content-Type", "")
            return record.rec_type, content_type, record.content_stream().read()
    raise ValueError("no response or resource record in the archive")
