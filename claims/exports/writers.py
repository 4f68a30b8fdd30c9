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
from operator import itemgetter

from django.db.models import Count, Max

from .links import archive_url_builder, claim_url_builder
from .records import (
    CLAIM_FIELDS,
    EVIDENCE_FIELDS,
    ExportFilter,
    claim_records,
    claim_rows,
    filtered_claims,
    person_name,
)

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


_C = {name: i for i, name in enumerate(CLAIM_FIELDS)}
_E = {name: i for i, name in enumerate(EVIDENCE_FIELDS)}
# Columns copied as they are, from claim_id to rationale, in CLAIM_COLUMNS order.
_claim_cells = itemgetter(
    *[
        _C[name]
        for name in [
            "text",
            "quote",
            "attributed_to",
            "status",
            "article_id",
            "article__title",
            "article__url",
            "article__publisher",
            "article__published",
            "approved__rating__label",
            "approved__rating__value",
            "approved__rationale",
        ]
    ]
)
_evidence_cells = itemgetter(
    *[_E[name] for name in ["source__url", "stance", "passage", "captured_at", "capture__sha256"]]
)
_AUTHOR = slice(_C["approved__author__username"], _C["approved__author__last_name"] + 1)
_APPROVER = slice(_C["approved__approver__username"], _C["approved__approver__last_name"] + 1)


def csv_rows(f: ExportFilter, width):
    """The CSV rows, straight from the database rows: this is the hot loop of a big export."""
    claim_url = claim_url_builder()
    archive_url = archive_url_builder()
    approved_at, review_url = _C["approved_at"], _C["approved__review_url"]
    capture_id, archive = _E["capture_id"], _E["capture__archive"]
    full = len(CLAIM_COLUMNS) + width * len(EVIDENCE_COLUMNS)
    for claim, evidence in claim_rows(f):
        author, approver = claim[_AUTHOR], claim[_APPROVER]
        row = [claim[0], claim_url(claim[0]), *_claim_cells(claim)]
        row += [
            person_name(*author) if author[0] is not None else None,
            person_name(*approver) if approver[0] is not None else None,
            claim[approved_at],
            claim[review_url],
            len(evidence),
        ]
        for item in evidence:
            row += _evidence_cells(item)
            row.append(archive_url(item[capture_id]) if item[archive] else None)
        row += [None] * (full - len(row))
        # Formula-looking text gets an apostrophe (see safe_cell, inlined for speed);
        # csv writes None as an empty cell.
        yield [
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
        for row in csv_rows(f, width):
            yield writer.writerow(row)

    return chunked(pieces())
