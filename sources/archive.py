"""Archiving a capture as a gzipped WARC record (warcio), stored through Django's storage.

The payload is the body after Content-Encoding was undone, so the record's headers say
so: Content-Encoding and Transfer-Encoding are kept as X-Archive-Orig-* and
Content-Length is the stored length (what pywb does when it rewrites a response).
"""

import io

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_REWRITTEN = {"content-encoding", "transfer-encoding", "content-length"}


def _write(make_record):
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(make_record(writer))
    return buffer.getvalue()


def warc_response(result):
    """A WARC `response` record for a FetchResult."""
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
    return _write(
        lambda writer: writer.create_warc_record(
            result.final_url,
            "response",
            payload=io.BytesIO(result.body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
    )


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
