"""The SQL of search, one class per database. Both take the same parsed query (query.py)
and filters, return the same rows: (pk, score) best first, and snippets for a page.

The documents are kept by the database itself (migrations claims 0006, sources 0003):
PostgreSQL tsvector columns with GIN indexes, SQLite FTS5 tables, both behind triggers
or generated columns, so no write path in Python can forget them.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from .query import Query, to_fts5, to_websearch, to_websearch_without_phrases
from .snippets import START, STOP

SNIPPET_CHARS = 240  # around the first match, in a body or captured text
# Ranking reads every match's document: a word in half of a million claims would cost
# seconds. Ranked are the first CANDIDATES matches (after the filters) in the order the
# index yields them, with no ORDER BY: asking for the newest let PostgreSQL walk the
# primary key backwards testing every row, 0.4 s for a rare word at 1M claims, where the
# GIN index answers it at once.
CANDIDATES = 2000
# Articles and captured sources: a document is a page, not a sentence (about ten times
# the bytes to read and rank), so fewer are ranked for the same cost. At 1M claims a
# word in a quarter of the 50,000 articles took 56 ms to rank 2,000, 18 ms for 500.
LONG_CANDIDATES = 500
# A phrase is checked by reading each document holding all its words (the index knows
# words, not their order): two frequent words share a tenth of a million claims. The
# phrase is checked in the first PHRASE_ROWS of those (index order), so a phrase whose
# words are frequent but rarely adjacent may find fewer rows than hold it.
PHRASE_ROWS = 5000


@dataclass(frozen=True, slots=True)
class Filters:
    status: str = ""
    rating: int | None = None
    language: str = ""
    date_from: date | None = None
    date_to: date | None = None


# Per kind: the table joined for filters, its date column and language column.
KINDS = {
    "claims": ("c.created_at", "a.language"),
    "articles": ("a.created_at", "a.language"),
    "sources": ("c.requested_at", "c.language"),
}


def _moment(day, *, end=False):
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return connection.ops.adapt_datetimefield_value(timezone.make_aware(moment))


def _where(kind, filters, status="c.status"):
    """SQL conditions and params for the filters (the same SQL on both databases)."""
    when, language = KINDS[kind]
    sql, params = [], []
    if kind == "claims" and filters.status:
        sql.append(f"{status} = %s")
        params.append(filters.status)
    if kind == "claims" and filters.rating:
        sql.append(
            "EXISTS (SELECT 1 FROM claims_verdict v WHERE v.claim_id = c.id "
            "AND v.state IN ('proposed', 'approved') AND v.rating_id = %s)"
        )
        params.append(filters.rating)
    if filters.language:
        code = filters.language.lower()
        sql.append(f"(lower({language}) = %s OR lower({language}) LIKE %s)")
        params += [code, f"{code}-%"]
    if filters.date_from:
        sql.append(f"{when} >= %s")
        params.append(_moment(filters.date_from))
    if filters.date_to:
        sql.append(f"{when} < %s")
        params.append(_moment(filters.date_to, end=True))
    return "".join(f" AND {s}" for s in sql), params


def _page(inner, params, after, limit, *, index_only=False):
    """Best first, then newest id; `after` is the (score, pk) of the previous page's last row.
    index_only: PostgreSQL takes the matches from the word index, never by reading the
    table in order (see _without_seqscan)."""
    keyset = ""
    if after is not None:
        keyset = "WHERE (r.score < %s OR (r.score = %s AND r.id < %s))"
        params = [*params, after[0], after[0], after[1]]
    order = "ORDER BY r.score DESC, r.id DESC"
    sql = f"WITH r AS ({inner}) SELECT r.id, r.score FROM r {keyset} {order} LIMIT %s"
    with _without_seqscan(index_only), connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [(pk, float(score)) for pk, score in cursor.fetchall()]


@contextmanager
def _without_seqscan(active):
    """For page-long documents (articles, captured sources): when a word is in a quarter
    of them, the planner reads the table in order and tests each row's document, not
    counting that a page's tsvector is stored out of line and decompressed for the test
    (at 1M claims: 2,200 articles read for 500 matches, 37-68 ms, against 3-11 ms from
    the index, which needs no document to say a row holds a word). Set for this query
    only, and put back as it was (an enclosing transaction keeps its own setting)."""
    if not active:
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
        )
        (before, _) = cursor.fetchone()
        yield  # on an error, leaving the atomic block rolls the setting back with it
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])


class PostgresBackend:
    # (document, base table and joins, id) per kind
    FROM = {
        "claims": (
            "s.document",
            "claims_search_claim s JOIN claims_claim c ON c.id = s.claim_id "
            "JOIN claims_article a ON a.id = c.article_id",
            "c.id",
        ),
        "articles": ("a.search_document", "claims_article a", "a.id"),
        "sources": (
            "c.search_document",
            "sources_capture c JOIN sources_source src ON src.latest_capture_id = c.id",
            "src.id",
        ),
    }

    @staticmethod
    def _config(filters):
        """The text search configuration of the query (SQL, params): the filtered language's."""
        if filters.language:
            return "search_config(%s)", [filters.language]
        return "'simple'::regconfig", []

    def _tsquery(self, query, filters):
        config, params = self._config(filters)
        return f"websearch_to_tsquery({config}, %s)", [*params, to_websearch(query)]

    def _pairs(self, query, filters):
        """Per OR group, the hashed word pairs a row must hold to match it (claims 0016):
        the pairs of each phrase, or of a word the parser splits ("covid-19"), parsed
        with the configuration the query uses. None unless every group needs some: a
        group without any could match a row that holds no pair."""
        terms = [
            (i, t.raw.replace('"', " ").strip())
            for i, group in enumerate(query.groups)
            for t in group.positive
            if t.phrase
        ]
        if len({i for i, _ in terms}) < len(query.groups):
            return None
        config, params = self._config(filters)
        sql = (
            f"SELECT t.i, search_pairs(to_tsvector({config}, t.raw)) "
            "FROM unnest(%s::int[], %s::text[]) AS t(i, raw)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, [i for i, _ in terms], [raw for _, raw in terms]])
            found = cursor.fetchall()
        needed = [set() for _ in query.groups]
        for i, hashes in found:
            needed[i].update(hashes)
        if not all(needed):
            return None
        return [sorted(hashes) for hashes in needed]

    def rows(self, kind, query: Query, filters: Filters, after, limit, candidates=None):
        cap = candidates or (CANDIDATES if kind == "claims" else LONG_CANDIDATES)
        document, tables, pk = self.FROM[kind]
        status = "c.status"
        if kind == "claims" and filters == Filters(status=filters.status):
            # Nothing to filter on but the status, which the document's row carries
            # (claims 0017): the documents alone, no claim or article rows read.
            tables, pk, status = "claims_search_claim s", "s.claim_id", "s.status"
        tsquery, qparams = self._tsquery(query, filters)
        where, wparams = _where(kind, filters, status)
        ok = " AND c.outcome = 'ok'" if kind == "sources" else ""
        pairs = self._pairs(query, filters) if kind == "claims" else None
        wider = to_websearch_without_phrases(query)
        if pairs:
            # Rows holding the phrases' word pairs (index), then the query checked in those.
            # OFFSET 0 keeps the words' own index out: ANDed in, it read their posting lists.
            held = " OR ".join(["s.pairs @> %s::int[]"] * len(pairs))
            candidates = (
                f"SELECT p.id, p.document FROM (SELECT {pk} AS id, {document} AS document "
                f"FROM {tables} WHERE ({held}){where} OFFSET 0) p, {tsquery} AS tsq(q) "
                f"WHERE p.document @@ tsq.q LIMIT {cap}"
            )
            params = [*pairs, *wparams, *qparams, *qparams]
        elif wider:
            # Rows holding the words (bounded), then the phrase checked in those only.
            wparams = [*qparams[:-1], wider, *wparams, *qparams]
            candidates = (
                f"SELECT p.id, p.document FROM (SELECT {pk} AS id, {document} AS document "
                f"FROM {tables}, {tsquery} AS pre(q) WHERE {document} @@ pre.q{ok}{where} "
                f"LIMIT {PHRASE_ROWS}) p, {tsquery} AS tsq(q) WHERE p.document @@ tsq.q "
                f"LIMIT {cap}"
            )
            params = [*wparams, *qparams]
        else:
            candidates = (
                f"SELECT {pk} AS id, {document} AS document FROM {tables}, {tsquery} AS tsq(q) "
                f"WHERE {document} @@ tsq.q{ok}{where} LIMIT {cap}"
            )
            params = [*qparams, *wparams, *qparams]
        inner = (
            "SELECT m.id, ts_rank_cd(m.document, tsq.q)::float8 AS score "
            f"FROM ({candidates}) m, {tsquery} AS tsq(q)"
        )
        return _page(inner, params, after, limit, index_only=kind != "claims")

    def snippets(self, kind, query: Query, pks):
        if not pks:
            return {}
        tsquery, qparams = self._tsquery(query, Filters())
        # ts_headline reads the whole text it is given: give it the neighbourhood of
        # the first matched word only, so a 2M-character body costs what a claim does.
        first = query.words[0] if query.words else ""
        text = {
            "claims": "c.text || CASE WHEN c.quote = c.text THEN '' ELSE ' … ' || c.quote END "
            "|| CASE WHEN c.attributed_to = '' THEN '' ELSE ' … ' || c.attributed_to END",
            "articles": "a.title || ' … ' || a.body",
            "sources": "c.title || ' … ' || c.text",
        }[kind]
        tables = {
            "claims": "claims_claim c",
            "articles": "claims_article a",
            "sources": "sources_source src JOIN sources_capture c ON c.id = src.latest_capture_id",
        }[kind]
        pk = {"claims": "c.id", "articles": "a.id", "sources": "src.id"}[kind]
        around = (
            f"substr(t.body, greatest(1, strpos(lower(t.body), %s) - {SNIPPET_CHARS // 2}), "
            f"{SNIPPET_CHARS * 4})"
        )
        options = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2"
        sql = (
            # ts_headline drops what its parser reads as markup tags: hide "<" from it
            # (snippets.render puts it back, escaped), so claim text shows as written.
            f"SELECT t.id, ts_headline('simple', replace({around}, '<', chr(1)), tsq.q, %s) FROM "
            f"(SELECT {pk} AS id, {text} AS body FROM {tables} WHERE {pk} = ANY(%s)) t, "
            f"{tsquery} AS tsq(q)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [first, options, list(pks), *qparams])
            return dict(cursor.fetchall())


class SqliteBackend:
    FROM = {
        # fts table, joins, id, bm25 column weights
        "claims": (
            "claims_search_claim",
            "JOIN claims_claim c ON c.id = f.rowid JOIN claims_article a ON a.id = c.article_id",
            "c.id",
            "4.0, 1.0, 1.0, 1.0",
        ),
        "articles": (
            "claims_search_article",
            "JOIN claims_article a ON a.id = f.rowid",
            "a.id",
            "4.0, 1.0",
        ),
        "sources": (
            "sources_search_capture",
            "JOIN sources_capture c ON c.id = f.rowid "
            "JOIN sources_source src ON src.latest_capture_id = c.id",
            "src.id",
            "4.0, 1.0",
        ),
    }

    def rows(self, kind, query: Query, filters: Filters, after, limit, candidates=None):
        cap = candidates or (CANDIDATES if kind == "claims" else LONG_CANDIDATES)
        table, joins, pk, weights = self.FROM[kind]
        where, wparams = _where(kind, filters)
        ok = " AND c.outcome = 'ok'" if kind == "sources" else ""
        inner = (
            f"SELECT {pk} AS id, -bm25({table}, {weights}) AS score FROM {table} f {joins} "
            f"WHERE {table} MATCH %s{ok}{where} LIMIT {cap}"
        )
        return _page(inner, [to_fts5(query), *wparams], after, limit)

    def snippets(self, kind, query: Query, pks):
        if not pks:
            return {}
        table, joins, pk, _ = self.FROM[kind]
        marks = ", ".join(["%s"] * len(pks))
        sql = (
            f"SELECT {pk}, snippet({table}, -1, %s, %s, '…', 24) FROM {table} f {joins} "
            f"WHERE {table} MATCH %s AND {pk} IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [START, STOP, to_fts5(query), *pks])
            return dict(cursor.fetchall())


def backend():
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"search needs PostgreSQL or SQLite, not {connection.vendor}")
