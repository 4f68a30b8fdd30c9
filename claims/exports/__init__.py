"""Exports of claims: ClaimReview JSON-LD, CSV, JSON and JSON Lines, streamed.

    chunks = export_chunks("csv", ExportFilter(claim_set=some_set), user=request.user)

yields the file as text pieces, reading the database in chunks, so a response or a
file receives it in constant memory. See records.py for the one query behind every
format and README.md ("Exports") for the fields.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .claimreview import write_claimreview
from .records import ExportFilter
from .writers import write_csv, write_json, write_jsonl


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    content_type: str
    writer: object
    verified_only: bool = False


FORMATS = {
    fmt.name: fmt
    for fmt in [
        Format("claimreview", "jsonld", "application/ld+json", write_claimreview, True),
        Format("csv", "csv", "text/csv; charset=utf-8", write_csv),
        Format("json", "json", "application/json", write_json),
        Format("jsonl", "jsonl", "application/jsonl; charset=utf-8", write_jsonl),
    ]
}


def export_meta(fmt, f: ExportFilter, *, user=None):
    """Provenance written into the JSON export: where, when, by whom, with which filters."""
    return {
        "format": fmt,
        "site": settings.SITE_URL,
        "exported_at": timezone.localtime().isoformat(),
        "exported_by": getattr(user, "username", None),
        "filters": f.describe(),
    }


def export_chunks(fmt, f: ExportFilter, *, user=None):
    """The export of the claims selected by f in format fmt, as an iterator of str."""
    return FORMATS[fmt].writer(f, meta=export_meta(fmt, f, user=user))


def export_filename(fmt, f: ExportFilter):
    stem = f.claim_set.slug if f.claim_set else "claims"
    return f"{stem}-{timezone.localdate():%Y%m%d}.{FORMATS[fmt].extension}"


__all__ = ["FORMATS", "ExportFilter", "export_chunks", "export_filename", "export_meta"]
