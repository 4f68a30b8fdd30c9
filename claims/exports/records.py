"""The rows every export format is written from: two streamed queries, merged per claim.

One query reads the claims, each joined to its article and its approved verdict (with
rating, author and approver); the other reads their evidence (with source and capture)
in the same order. Both are read in chunks (server-side cursors on PostgreSQL) and
merged into one record per claim. Memory holds a chunk of each, whatever the number of
claims, and the number of queries does not depend on it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import CharField, F, FilteredRelation, Func, Q, QuerySet
from django.db.models.functions import Coalesce

from ..models import Article, Claim, ClaimSet, Evidence, Rating, Verdict
from .links import archive_url_builder, claim_url_builder

CHUNK_SIZE = 2000


@dataclass(frozen=True, kw_only=True)
class ExportFilter:
    """What to export. By default only verified claims (those with an approved verdict)."""

    claim_set: ClaimSet | None = None
    article: Article | None = None
    ratings: tuple[Rating, ...] = ()
    date_from: datetime.date | None = None  # inclusive, on the claim's date (see below)
    date_to: datetime.date | None = None  # inclusive
    include_unverified: bool = False
    claims: QuerySet | None = None  # a selection, e.g. from the admin

    def describe(self):
        """The filters as plain data, written into exports as provenance."""
        return {
            "claim_set": self.claim_set.slug if self.claim_set else None,
            "article": self.article.pk if self.article else None,
            "ratings": [r.label for r in self.ratings],
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "include_unverified": self.include_unverified,
            "selection": self.claims is not None,
        }


def _day_start(day):
    # Exports write dates in UTC, so the filter reads them in UTC too.
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def filtered_claims(f: ExportFilter):
    """Claims matching f, annotated with `approved` (their approved verdict, at most one).

    The date range applies to the claim's date: when its verdict was approved, or for a
    claim without one (only with include_unverified) when the claim was created.
    """
    qs = Claim.objects.annotate(
        approved=FilteredRelation("verdicts", condition=Q(verdicts__state=Verdict.State.APPROVED))
    )
    if not f.include_unverified:
        qs = qs.filter(approved__id__isnull=False)
    if f.claims is not None:
        qs = qs.filter(pk__in=f.claims.order_by().values("pk"))
    if f.claim_set is not None:
        qs = qs.filter(claim_sets=f.claim_set)
    if f.article is not None:
        qs = qs.filter(article=f.article)
    if f.ratings:
        qs = qs.filter(approved__rating__in=f.ratings)
    if f.date_from or f.date_to:
        qs = qs.alias(claim_date=Coalesce("approved__decided_at", "created_at"))
        if f.date_from:
            qs = qs.filter(claim_date__gte=_day_start(f.date_from))
        if f.date_to:
            qs = qs.filter(claim_date__lt=_day_start(f.date_to + datetime.timedelta(days=1)))
    return qs


class IsoUtc(Func):
    """A timestamp as ISO 8601 text in UTC, written by the database.

    Exports want text anyway, and Django's per-value Python loader for PostgreSQL
    timestamps would otherwise be the largest single cost of a big export.
    """

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', "
            '\'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"\')',
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite holds Django's datetimes as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]".
        return self.as_sql(
            compiler, connection, template="replace(%(expressions)s, ' ', 'T') || '+00:00'", **extra
        )


CLAIM_FIELDS = [
    "pk",
    "text",
    "quote",
    "start",
    "end",
    "attributed_to",
    "status",
    "article_id",
    "article__title",
    "article__url",
    "article__publisher",
    "article__byline",
    "article__published",
    "article__language",
    "approved__id",
    "approved__rating__label",
    "approved__rating__value",
    "approved__rationale",
    "approved_at",
    "approved__review_url",
    "approved__author__username",
    "approved__author__first_name",
    "approved__author__last_name",
    "approved__approver__username",
    "approved__approver__first_name",
    "approved__approver__last_name",
]
EVIDENCE_FIELDS = [
    "claim_id",
    "stance",
    "passage",
    "note",
    "source__url",
    "capture_id",
    "capture__origin",
    "captured_at",
    "capture__http_status",
    "capture__sha256",
    "capture__archive",
]


def claims_query(f: ExportFilter):
    """One row per claim (CLAIM_FIELDS), in export order."""
    return (
        filtered_claims(f)
        .annotate(approved_at=IsoUtc(F("approved__decided_at")))
        .order_by("pk")
        .values_list(*CLAIM_FIELDS)
    )


def evidence_query(f: ExportFilter):
    """One row per evidence of those claims (EVIDENCE_FIELDS), in the same claim order."""
    return (
        Evidence.objects.filter(claim__in=filtered_claims(f).values("pk"))
        .annotate(captured_at=IsoUtc(Coalesce("capture__finished_at", "capture__requested_at")))
        .order_by("claim_id", "created_at", "pk")
        .values_list(*EVIDENCE_FIELDS)
    )


def claim_rows(f: ExportFilter, *, chunk_size=None):
    """Yield (claim row, [its evidence rows]) in claim order: two streamed queries, merged.

    Claims and evidence are read side by side, each in chunks, and matched like a merge
    join on the claim id, so no claim column is repeated per evidence row and nothing is
    held but one chunk of each. Evidence of a claim that is not in the claims stream
    (created between the two queries) is passed over.
    """
    size = chunk_size or CHUNK_SIZE
    evidence = evidence_query(f).iterator(chunk_size=size)
    pending = next(evidence, None)
    for claim in claims_query(f).iterator(chunk_size=size):
        items = []
        while pending is not None and pending[0] <= claim[0]:
            if pending[0] == claim[0]:
                items.append(pending)
            pending = next(evidence, None)
        yield claim, items


def person_name(username, first, last):
    return f"{first} {last}".strip() or username


def _person(username, first, last):
    if username is None:
        return None
    return {"username": username, "name": person_name(username, first, last)}


def claim_records(f: ExportFilter, *, chunk_size=None):
    """Yield one nested dict per claim (the JSON shape); see the README for the fields."""
    claim_url = claim_url_builder()
    archive_url = archive_url_builder()

    def evidence(row):
        (stance, passage, note, source_url, capture_id, origin, captured_at) = row[1:8]
        (http_status, sha256, archive) = row[8:]
        capture = None
        if capture_id is not None:
            capture = {
                "id": capture_id,
                "origin": origin,
                "captured_at": captured_at,
                "http_status": http_status,
                "sha256": sha256,
                "archive_url": archive_url(capture_id) if archive else None,
            }
        return {
            "source_url": source_url,
            "stance": stance,
            "passage": passage,
            "note": note,
            "capture": capture,
        }

    for first, evidence_rows in claim_rows(f, chunk_size=chunk_size):
        (cid, text, quote, start, end, attributed_to, status) = first[:7]
        (aid, title, url, publisher, byline, published, language) = first[7:14]
        (vid, label, value, rationale, approved_at, review_url) = first[14:20]
        verdict = None
        if vid is not None:
            verdict = {
                "rating": label,
                "rating_value": value,
                "rationale": rationale,
                "author": _person(*first[20:23]),
                "approver": _person(*first[23:26]),
                "approved_at": approved_at,
                "review_url": review_url,
            }
        yield {
            "id": cid,
            "url": claim_url(cid),
            "claim": text,
            "quote": quote,
            "quote_start": start,
            "quote_end": end,
            "attributed_to": attributed_to,
            "status": status,
            "article": {
                "id": aid,
                "title": title,
                "url": url,
                "publisher": publisher,
                "byline": byline,
                "published": published.isoformat() if published else None,
                "language": language,
            },
            "verdict": verdict,
            "evidence": [evidence(row) for row in evidence_rows],
        }
