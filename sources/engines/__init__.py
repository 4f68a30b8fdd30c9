"""Capture engines: how a URL becomes a document, an archive and artefacts.

    result = capture_url(url, engine="browser")   # EngineResult, or raises FetchError

- `http` (sources/engines/http.py): one safe GET; always available; used for every
  non-HTML type (PDF text comes from sources/engines/pdf.py through sources/extract.py,
  and a PDF's first page, drawn by the same module, is its screenshot).
- `browser` (sources/engines/browser.py): the document is fetched the same way, then,
  if it is HTML, rendered by headless Chromium with every request routed through the safe
  fetcher; the archive holds every resource, and the screenshots and rendered DOM are kept.

The capture's sha256 is always the primary document's digest, whichever the engine, so
recheck and change detection compare like with like; screenshots never count as change.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from ..extract import HTML_TYPES, Extracted, extract_html
from ..fetch import FetchResult, fetch

logger = logging.getLogger(__name__)

ENGINES = ("browser", "http")
SOFTWARE = "ClaimWorkbench/0.1 (warcio; Playwright + Chromium)"


@dataclass
class EngineResult:
    engine: str
    document: FetchResult  # the primary document (sha256, size, status come from it)
    extracted: Extracted
    warc: bytes
    resources: int  # response records in the WARC
    # kind (sources.models.Artefact.Kind) -> (bytes, content type)
    artefacts: dict[str, tuple[bytes, str]] = field(default_factory=dict)


def default_engine():
    return settings.CAPTURE_ENGINE if settings.CAPTURE_ENGINE in ENGINES else "http"


def capture_url(url, *, engine=None, limits=None):
    """Capture `url` with `engine` (default: settings.CAPTURE_ENGINE); `limits` bound the
    primary document's fetch (sources.fetch.Limits, e.g. a command's --timeout)."""
    from . import http

    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ValueError(f"unknown capture engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "http":
        result = http.capture(url, limits=limits)
    else:
        result = _browser_capture(url, limits=limits)
    _add_wacz(result)
    return result


def _browser_capture(url, *, limits=None):
    from . import browser, http

    document = fetch(url, limits=limits)
    if document.content_type not in HTML_TYPES:
        return http.from_document(document, EngineResult)
    try:
        rendered = browser.render(document)
    except Exception as exc:  # no Chromium, or it died: the http capture still stands
        logger.warning("browser capture of %s failed; kept the http capture", url, exc_info=True)
        return http.from_document(
            document, EngineResult, note=f"The browser could not render the page ({exc})."
        )
    from ..archive import warc_exchanges

    extracted = extract_html(rendered.dom.encode("utf-8"), charset="utf-8", url=document.final_url)
    if rendered.timed_out:
        extracted.problem = " ".join(
            filter(None, [extracted.problem, "The page was still loading at the deadline."])
        )
    info = {
        "software": SOFTWARE,
        "format": "WARC File Format 1.1",
        "isPartOf": "claim-workbench capture",
        "description": (
            f"engine=browser viewport={settings.CAPTURE_VIEWPORT[0]}x{settings.CAPTURE_VIEWPORT[1]}"
            f" max_resources={settings.CAPTURE_BROWSER_MAX_RESOURCES}"
            f" max_bytes={settings.CAPTURE_BROWSER_MAX_BYTES}"
            f" deadline={settings.CAPTURE_BROWSER_DEADLINE}s"
            f" refused={len(rendered.refused)}"
        ),
        "http-header-user-agent": settings.FETCH_USER_AGENT,
    }
    warc = warc_exchanges(rendered.results, info=info, user_agent=settings.FETCH_USER_AGENT)
    return EngineResult(
        engine="browser",
        document=document,
        extracted=extracted,
        warc=warc,
        resources=len(rendered.results),
        artefacts={
            "screenshot": (rendered.screenshot, "image/png"),
            "viewport": (rendered.viewport, "image/png"),
            "dom": (rendered.dom.encode("utf-8"), "text/html; charset=utf-8"),
        },
    )


def _add_wacz(result):
    from ..wacz import wacz_from_warc

    result.artefacts["wacz"] = (
        wacz_from_warc(
            result.warc,
            url=result.document.final_url,
            title=result.extracted.title,
            captured_at=timezone.now(),
            software=SOFTWARE,
        ),
        "application/wacz",
    )


__all__ = ["ENGINES", "EngineResult", "capture_url", "default_engine"]
