"""The http engine: one safe GET, the response archived as one WARC record."""

from ..archive import warc_response
from ..extract import extract
from ..fetch import fetch


def capture(url, *, limits=None):
    from . import EngineResult

    return from_document(fetch(url, limits=limits), EngineResult)


def from_document(document, result_class, *, note=""):
    """The http engine's result for a document already fetched (PDF, text, a fallback)."""
    extracted = extract(
        body=document.body,
        content_type=document.content_type,
        charset=document.charset,
        url=document.final_url,
    )
    if note:
        extracted.problem = " ".join(filter(None, [extracted.problem, note]))
    return result_class(
        engine="http",
        document=document,
        extracted=extracted,
        warc=warc_response(document),
        resources=1,
    )
