"""The http engine: one safe GET, the response archived as one WARC record.

A PDF (whichever engine fetched it) also gets its first page drawn as the capture's
screenshot (sources/engines/pdf.py); a page that cannot be drawn leaves it without one.
"""

from ..archive import warc_response
from ..extract import extract
from ..fetch import fetch
from .pdf import first_page_png

PDF = "application/pdf"


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
        artefacts=pdf_artefacts(document.body, document.content_type, extracted),
    )


def pdf_artefacts(body, content_type, extracted):
    """{"screenshot": (png, "image/png")} for a PDF whose first page PDFium can draw, else {}.
    Also for a reviewer's uploaded copy (sources.capture.record_upload)."""
    if content_type != PDF or extracted.error_code == "pdf_unreadable":
        return {}
    picture = first_page_png(body)
    return {} if picture is None else {"screenshot": (picture, "image/png")}
