"""JSON, JSON Lines and CSV writers: generators of text chunks from claim records.

Each writer yields pieces of the file as it goes (about RECORDS_PER_CHUNK claims per
piece), so a caller can stream them to a response or a file in constant memory.

CSV layout (one row per claim; the file starts with a UTF-8 byte order mark so that
spreadsheets detect the encoding):
    claim_id, claim_url, claim, quote, attributed_to, status,
    article_id, article_title, article_url, publisher, article_published,
    rating, rating_value, rationale, verdict_author, approver, approved_at, review_url,
    evidence_count, then for each evidence i = 1..N (N = the most evidence any exported
    claim has): evidence_i_source_url, evidence_i_stance, evidence_i_passage,
    evidence_i_captured_at, evidence_i_sha256, evidence_i_archive_url.
Text cells that a spreadsheet would run as a formula (starting with = + - @ tab or
carriage return) are prefixed with an apostrophe.
"""

import csv
import json

from django.db.models import Count, Max

from .records import ExportFilter, claim_records, filtered_claims

RECORDS_PER_CHUNK = 200
BOM = "\ufeff"

encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def chunked(pieces):
    """Join small pieces into chunks of about RECORDS_PER_CHUNK pieces."""
    buffer = []
    for piece in pieces:
        buffer.append(piece)
        if len(buffer) >= RECORDS_PER_CHUNK:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def write_jsonl(f: ExportFilter, *, meta):
    return chunked(encode_json(record) + "\n" for record in claim_records(f))


def write_json(f: ExportFilter, *, meta):
    """{"export": {provenance}, "claims": [...], "count": N} (count last: it is known last)."""

    def pieces():
        yield '{"export":' + encode_json(meta) + ',"claims":['
        count = 0
        for record in claim_records(f):
            yield ("\n" if count == 0 else ",\n") + encode_json(record)
            count += 1
        yield f'\n],"count":{count}}}\n'

    return chunked(pieces())


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def safe_cell(value):
    """A cell a spreadsheet shows as text: formula-looking strings get a leading apostrophe."""
    if value.__class__ is str and value[:1] in _FORMULA_FIRST:
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can stream."""

    def write(self, value):
        return value


CLAIM_COLUMNS = [
    "claim_id",
    "claim_url",
    "claim",
    "quote",
    "attributed_to",
    "status",
    "article_id",
    "article_title",
    "article_url",
    "publisher",
    "article_published",
    "rating",
    "rating_value",
    "rationale",
    "verdict_author",
    "approver",
    "approved_at",
    "review_url",
    "evidence_count",
]
EVIDENCE_COLUMNS = ["source_url", "stance", "passage", "captured_at", "sha256", "archive_url"]


def max_evidence(f: ExportFilter):
    """The most evidence rows any exported claim has (one query; sets the CSV's width)."""
    found = (
        filtered_claims(f)
        .order_by()
        .annotate(n_evidence=Count("evidence"))
        .aggregate(most=Max("n_evidence"))
    )
    return found["most"] or 0


def csv_row(record, width):
    article = record["article"]
    verdict = record["verdict"] or {}
    author = verdict.get("author") or {}
    approver = verdict.get("approver") or {}
    row = [
        record["id"],
        record["url"],
        record["claim"],
        record["quote"],
        record["attributed_to"],
        record["status"],
        article["id"],
        article["title"],
        article["url"],
        article["publisher"],
        article["published"],
        verdict.get("rating"),
        verdict.get("rating_value"),
        verdict.get("rationale"),
        author.get("name"),
        approver.get("name"),
        verdict.get("approved_at"),
        verdict.get("review_url"),
        len(record["evidence"]),
    ]
    for item in record["evidence"]:
        capture = item["capture"] or {}
        row += [
            item["source_url"],
            item["stance"],
            item["passage"],
            capture.get("captured_at"),
            capture.get("sha256"),
            capture.get("archive_url"),
        ]
    row += [None] * (len(CLAIM_COLUMNS) + width * len(EVIDENCE_COLUMNS) - len(row))
    # safe_cell, inlined: this runs for every cell of a large export. (csv writes None as "".)
    return [
        "'" + value if value.__class__ is str and value[:1] in _FORMULA_FIRST else value
        for value in row
    ]


def write_csv(f: ExportFilter, *, meta):
    width = max_evidence(f)
    writer = csv.writer(_Echo())
    header = CLAIM_COLUMNS + [
        f"evidence_{i}_{name}" for i in range(1, width + 1) for name in EVIDENCE_COLUMNS
    ]

    def pieces():
        yield BOM + writer.writerow(header)
        for record in claim_records(f):
            yield writer.writerow(csv_row(record, width))

    return chunked(pieces())
