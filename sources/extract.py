"""Title, byline, date, language and main text from a captured body.

HTML goes through trafilatura (boilerplate removal plus metadata); a page too short
for it to find a main text falls back to all of the page's text. Plain text is kept
as it is. PDF text is read page by page (sources/engines/pdf.py): the capture keeps the page
count and where each page starts in the text, so a quoted passage can cite its page.
"""

import datetime
import logging
import re
from dataclasses import dataclass

import trafilatura

from .decode import decode_body

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_LANG = re.compile(
    r"<html[^>]*?\slang\s*=\s*[\"']?([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})?)", re.IGNORECASE
)
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass
class Extracted:
    title: str = ""
    byline: str = ""
    published: datetime.date | None = None
    language: str = ""
    site_name: str = ""
    text: str = ""
    encoding: str = ""
    problem: str = ""  # why extraction came out empty, for the capture's message
    error_code: str = ""  # set when the content itself is flagged (e.g. no_text_layer)
    page_count: int | None = None  # PDF only
    page_starts: list[int] | None = None  # PDF only: where each page begins in `text`


def _clean(value, limit=None):
    # PostgreSQL text cannot hold NUL; fetched pages sometimes do.
    value = (value or "").replace("\x00", "").strip()
    return value[:limit] if limit else value


def _date(value):
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def extract(*, body, content_type, charset="", url=""):
    if content_type in HTML_TYPES:
        return extract_html(body, charset=charset, url=url)
    if content_type == "text/plain":
        text, encoding = decode_body(body, http_charset=charset)
        return Extracted(text=_clean(text), encoding=encoding)
    if content_type == "application/pdf":
        from .engines.pdf import pdf_text  # here: sources.engines imports this module

        pdf = pdf_text(body)
        return Extracted(
            text=pdf.text,
            problem=pdf.problem,
            error_code=pdf.error_code,
            page_count=pdf.page_count,
            page_starts=pdf.page_starts,
        )
    return Extracted()


def extract_html(body, *, charset="", url=""):
    html, encoding = decode_body(body, http_charset=charset, html=True)
    result = Extracted(encoding=encoding)
    if match := _HTML_LANG.search(html[:4096]):
        result.language = match.group(1).lower()
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=_DATE_PARAMS,
        )
        if doc is None:  # no main text found: keep the metadata and all of the page's text
            doc = trafilatura.extract_metadata(html, default_url=url or None)
            doc.text = trafilatura.html2txt(html)
    except Exception as exc:  # a parser failure must not lose the capture itself
        logger.warning("text extraction failed for %s", url, exc_info=True)
        result.problem = f"Text extraction failed: {exc}"
        return result
    result.title = _clean(doc.title)
    result.byline = _clean(doc.author, 500)
    result.published = _date(doc.date)
    result.site_name = _clean(doc.sitename, 200)
    result.language = _clean(doc.language, 16) or result.language
    result.text = _clean(doc.text)
    return result
