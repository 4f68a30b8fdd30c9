"""The data of benchmarks/growth.py, generated in bulk by SQL on PostgreSQL: articles,
claims (a verdict for those awaiting approval or verified, two history rows each), one
source with one capture and one evidence row per claim, claim sets (one of 50,000 claims),
the similar-claims band rows (keys computed in Python, loaded by COPY), one heavy article
(1,500 claims) and one heavy claim (300 evidence rows, 2,000 history rows).

Runs inside a Django process set up on the benchmark database (growth.py's child).
"""

import re
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "sputnik-russia-belarus-2023-12-13.txt"


def vocabulary():
    """Words of the seed article, most frequent first; the fallback keeps the script
    usable without the shared folder."""
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else __doc__
    counts = {}
    for word in re.findall(r"[^\W\d_]{3,}", text.lower()):
        counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=lambda w: (-counts[w], w))
    # Rare words: a name per thousand claims, like people and places in a desk's claims.
    return words + [f"zhodino{i}" for i in range(500)]


# -- generation (runs in the child, with Django set up) ------------------------------


def _words_sql(count):
    return f"pg_temp.bench_words(w.words, {count})"


# Random words, skewed to the frequent ones (power 3 of a uniform). A function, so the
# vocabulary array is read once per row, not once per word.
BENCH_WORDS = """
CREATE FUNCTION pg_temp.bench_words(words text[], k int) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE n int := array_length(words, 1); picked text[] := '{}';
BEGIN
  FOR i IN 1..k LOOP picked := picked || words[1 + floor(power(random(), 3) * n)::int]; END LOOP;
  RETURN array_to_string(picked, ' ');
END $$
"""


def generate(n):
    from django.apps import apps
    from django.contrib.auth.models import Group, User
    from django.db import connection, transaction

    from claims.defaults import ensure_defaults
    from claims.models import Claim

    ensure_defaults(apps)
    editor, _ = User.objects.get_or_create(username="bench-editor")
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
    editor.groups.add(Group.objects.get(name="editor"))
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    if Claim.objects.exists():
        return
    with transaction.atomic():  # all or nothing: a half-filled database is never reused
        _fill(n, editor, reviewer)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def _fill(n, editor, reviewer):
    from django.db import connection

    from claims.models import Claim
    from claims.text.words import FUNCTION_WORDS

    words = vocabulary()
    articles = max(1, n // 20)
    started = time.perf_counter()
    # The history's columns: the claim's, less those it does not track (similarity_key).
    tracked = {f.column for f in Claim.history.model._meta.concrete_fields}
    claim_cols = [
        f.column for f in Claim._meta.concrete_fields if f.column != "id" and f.column in tracked
    ]
    with connection.cursor() as raw:
        cur = _Timed(raw)
        cur.execute(BENCH_WORDS)
        cur.execute(
            "CREATE TEMP TABLE w AS SELECT %s::text[] AS words, %s AS n", [words, len(words)]
        )
        # No triggers while filling (foreign key checks, search documents: the data is
        # consistent by construction, the documents are written below in one pass), and
        # no secondary index kept row by row: each is built once at the end.
        cur.execute("SET LOCAL session_replication_role = replica")
        dropped = _drop_indexes(cur, FILLED)
        cur.execute(
            "INSERT INTO claims_article (url, title, publisher, byline, language, body, status, "
            "import_error, created_at) SELECT '', 'Article ' || g || ' ' || "
            f"{_words_sql(6)}, 'Publisher ' || (mod(g, 50)), '', 'en', {_words_sql(250)}, 'ready', "
            "'', now() - g * interval '1 minute' FROM generate_series(1, %s) g, w",
            [articles],
        )
        cur.execute("SELECT min(id) FROM claims_article")
        first_article = cur.fetchone()[0]
        statuses = (
            "(ARRAY['unreviewed', 'unreviewed', 'in_review', 'awaiting_approval', "
            "'verified', 'verified', 'dismissed'])"
        )
        cur.execute(
            'INSERT INTO claims_claim (article_id, text, quote, start, "end", attributed_to, '
            "status, dismissed_reason, needs_attention, attention_reason, assignee_id, "
            "checkworthiness, version, created_by_id, created_at, updated_at, similarity_key) "
            "SELECT %s + mod(g, %s), t, t, 0, length(t), 'Speaker ' || (mod(g, 300)), s, "
            "CASE WHEN s = 'dismissed' THEN 'bench' ELSE '' END, false, '', "
            "CASE WHEN mod(g, 4) = 0 THEN %s WHEN mod(g, 4) = 1 THEN %s END, random(), 1, NULL, "
            "now() - g * interval '1 second', now() - g * interval '1 second', "
            # similarity_key(t) without its stemming: the words of t less the function
            # words (the texts are lower-case words joined by spaces). The band rows are
            # made from this key, so lookups see keys and bands that agree, as in use.
            "array_to_string(ARRAY(SELECT x FROM unnest(string_to_array(t, ' ')) x "
            "WHERE x <> ALL(%s::text[])), ' ') "
            f"FROM (SELECT g, {_words_sql(14)} AS t, {statuses}[1 + mod(g, 7)] AS s "
            "FROM generate_series(1, %s) g, w) x",
            [first_article, articles, editor.pk, reviewer.pk, sorted(FUNCTION_WORDS), n],
        )
        cur.execute("SELECT id FROM claims_rating ORDER BY position LIMIT 1")
        rating = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO claims_verdict (claim_id, rating_id, rationale, author_id, state, "
            "approver_id, decided_at, review_comment, review_url, no_evidence_reason, version, "
            "created_at) "
            f"SELECT c.id, %s, {_words_sql(20)}, %s, "
            "CASE WHEN c.status = 'verified' THEN 'approved' ELSE 'proposed' END, "
            "CASE WHEN c.status = 'verified' THEN %s END, "
            "CASE WHEN c.status = 'verified' THEN now() END, '', '', '', 1, c.created_at "
            "FROM claims_claim c CROSS JOIN LATERAL (SELECT c.id AS g) gg, w "
            "WHERE c.status IN ('awaiting_approval', 'verified')",
            [rating, reviewer.pk, editor.pk],
        )
        # Two history rows per claim: created, then a change.
        cols = ", ".join(f'"{c}"' for c in claim_cols)
        for kind, offset in (("+", "0"), ("~", "1 hour")):
            cur.execute(
                f"INSERT INTO claims_historicalclaim (id, {cols}, history_date, "
                "history_change_reason, history_type, history_user_id) "
                f"SELECT id, {cols}, created_at + interval '{offset}', 'bench', %s, %s "
                "FROM claims_claim",
                [kind, reviewer.pk],
            )
        cur.execute(
            "INSERT INTO sources_source (url, domain, status, last_checked_at, attempts, "
            "created_at) SELECT 'https://site' || (mod(g, 5000)) || '.example/page/' || g, "
            "'site' || (mod(g, 5000)) || '.example', "
            "CASE WHEN mod(g, 10) = 0 THEN 'failed' ELSE 'ok' "
            "END, now() - mod(g, 60) * interval '1 day', 1, now() - g * interval '1 second' "
            "FROM generate_series(1, %s) g",
            [n],
        )
        cur.execute(
            "INSERT INTO sources_capture (source_id, origin, requested_at, finished_at, "
            "outcome, http_status, final_url, content_type, size, sha256, archive, title, "
            "byline, text, language, site_name, encoding, error_code, error_message, engine, "
            "page_starts) "
            f"SELECT s.id, 'fetched', s.created_at, s.created_at, 'ok', 200, s.url, "
            f"'text/html', 5000, md5(s.url) || md5(s.url), '', {_words_sql(6)}, '', "
            f"{_words_sql(80)}, 'en', '', 'utf-8', '', '', 'http', '[]' "
            "FROM sources_source s CROSS JOIN LATERAL (SELECT s.id AS g) gg, w"
        )
        cur.execute(
            "UPDATE sources_source s SET latest_capture_id = c.id FROM sources_capture c "
            "WHERE c.source_id = s.id"
        )
        cur.execute(
            "INSERT INTO claims_evidence (claim_id, source_id, stance, passage, note, "
            "capture_id, suggested_passages, added_by_id, created_at) "
            "SELECT c.id, s.id, (ARRAY['supports','contradicts','context','unassessed'])"
            "[1 + mod(c.id, 4)], '', '', s.latest_capture_id, '[]', %s, c.created_at "
            "FROM (SELECT id, created_at, row_number() OVER (ORDER BY id) r FROM claims_claim) c "
            "JOIN (SELECT id, latest_capture_id, row_number() OVER (ORDER BY id) r "
            "FROM sources_source) s ON s.r = c.r",
            [reviewer.pk],
        )
        # The search documents the triggers would have written, in one pass.
        cur.execute(
            "INSERT INTO claims_search_claim (claim_id, document, status) SELECT c.id, "
            "setweight(search_document(a.language, c.text, ''), 'A') || "
            "search_document(a.language, c.quote || ' ' || c.attributed_to, "
            "coalesce(v.rationales, '')), c.status "
            "FROM claims_claim c JOIN claims_article a ON a.id = c.article_id "
            "LEFT JOIN (SELECT claim_id, string_agg(rationale, ' ') AS rationales "
            "FROM claims_verdict GROUP BY claim_id) v ON v.claim_id = c.id"
        )
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for definition in dropped:
            cur.execute(definition)
        cur.execute("SET LOCAL session_replication_role = origin")
    _claim_sets(n, editor)
    _heavy(reviewer, editor)
    _bands()
    print(f"  generated {n:,} claims in {time.perf_counter() - started:.0f} s", file=sys.stderr)


FILLED = [
    "claims_article",
    "claims_claim",
    "claims_verdict",
    "claims_historicalclaim",
    "sources_source",
    "sources_capture",
    "claims_evidence",
    "claims_search_claim",
]


def _drop_indexes(cur, tables):
    """Drop the secondary indexes of tables (not primary keys, unique indexes or any
    index behind a constraint); their definitions, to build them again."""
    cur.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relname = ANY(%s) AND NOT x.indisprimary AND NOT x.indisunique "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [tables],
    )
    found = cur.fetchall()
    for name, _ in found:
        cur.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


class _Timed:
    """A cursor that reports how long each generation step took (on stderr)."""

    def __init__(self, cursor):
        self.cursor = cursor

    def execute(self, sql, params=None):
        started = time.perf_counter()
        self.cursor.execute(sql, params)
        took = time.perf_counter() - started
        if took > 1:
            print(f"    {took:6.1f} s  {' '.join(sql.split())[:70]}", file=sys.stderr)

    def fetchone(self):
        return self.cursor.fetchone()

    def fetchall(self):
        return self.cursor.fetchall()


class _BandKeys:
    """band_keys() of claims/text/similarity.py for many keys at once (numpy).

    A key's MinHash minima are the minima over its trigrams, and its trigram set is the
    union of its words' sets, so a word's minima are computed once and a key's are
    the minima over its words. Checked against band_keys() on the first keys."""

    def __init__(self):
        import numpy as np

        from claims.text import similarity as sim

        self.np, self.sim = np, sim
        self.salts = np.array(sim._BAND_SALTS, dtype=np.uint64)
        self.multipliers = np.array(sim._MULTIPLIERS, dtype=np.uint64)
        self.index = {}
        self.rows = [np.full(sim.ROWS * sim.BANDS, 0xFFFFFFFF, dtype=np.uint64)]  # padding
        self.checked = 0

    def _word(self, word):
        if word not in self.index:
            values = [self.sim._trigram_values(t) for t in self.sim.trigrams(word)]
            self.index[word] = len(self.rows)
            self.rows.append(
                self.np.array(list(map(min, zip(*values, strict=True))), dtype=self.np.uint64)
            )
        return self.index[word]

    def many(self, keys):
        """[(position in keys, band key)] for every key with words."""
        np, sim = self.np, self.sim
        ids = [[self._word(w) for w in sim._WORD.findall(key)] for key in keys]
        width = max(map(len, ids), default=0)
        if not width:
            return np.empty(0, dtype=np.int64), np.empty((0, sim.BANDS), dtype=np.int64)
        table = np.stack(self.rows)
        padded = np.zeros((len(ids), width), dtype=np.int64)
        for i, row in enumerate(ids):
            padded[i, : len(row)] = row
        minima = table[padded].min(axis=1).reshape(len(ids), sim.BANDS, sim.ROWS)
        mixed = np.broadcast_to(self.salts, (len(ids), sim.BANDS)).copy()
        for row in range(sim.ROWS):
            mixed = (mixed ^ minima[:, :, row]) * self.multipliers[row]  # wraps mod 2^64
        keep = np.array([bool(row) for row in ids])
        positions, bands = np.nonzero(keep)[0], mixed[keep].view(np.int64)
        for position, band in zip(positions[: max(0, 200 - self.checked)], bands, strict=False):
            assert band.tolist() == sim.band_keys(keys[position]), keys[position]
            self.checked += 1
        return positions, bands


def _bands(chunk=20_000):
    """The similar-claims band rows (ClaimBand) that Claim.save() would have written,
    for every claim: keys as claims/text/similarity.py defines them (vectorised, checked
    against it), streamed by COPY with the table's indexes and foreign key checks off,
    indexes rebuilt once at the end."""
    from django.db import connection

    started = time.perf_counter()
    keys = _BandKeys()
    raw = connection.connection  # psycopg 3: COPY needs the driver's connection
    with raw.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending events: indexes change
        cur.execute("DELETE FROM claims_claimband")
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'claims_claimband' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute("SET LOCAL session_replication_role = replica")  # no FK trigger per row
        last, rows = 0, 0
        while True:
            cur.execute(
                "SELECT id, similarity_key FROM claims_claim WHERE id > %s ORDER BY id LIMIT %s",
                [last, chunk],
            )
            batch = cur.fetchall()
            if not batch:
                break
            positions, bands = keys.many([key for _, key in batch])
            lines = []
            for position, row in zip(positions.tolist(), bands.tolist(), strict=True):
                pk = batch[position][0]
                lines.extend(f"{pk}\t{band}\n" for band in row)
            rows += len(lines)
            with cur.copy("COPY claims_claimband (claim_id, key) FROM STDIN") as copy:
                copy.write("".join(lines))
            last = batch[-1][0]
        cur.execute("SET LOCAL session_replication_role = origin")
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cur.execute(definition)
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
    took = time.perf_counter() - started
    print(f"    {took:6.1f} s  {rows:,} band rows", file=sys.stderr)


def _claim_sets(n, editor):
    from django.db import connection

    big = min(50_000, n // 2)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO claims_claimset (name, slug, description, created_by_id, created_at) "
            "SELECT 'Set ' || g, 'set-' || g, '', %s, now() FROM generate_series(1, 30) g",
            [editor.pk],
        )
        cur.execute(
            "INSERT INTO claims_claimset_claims (claimset_id, claim_id) "
            "SELECT s.id, c.id FROM claims_claimset s JOIN LATERAL ("
            "SELECT id FROM claims_claim ORDER BY id LIMIT CASE WHEN s.slug = 'set-1' "
            "THEN %s ELSE 100 END OFFSET (mod(s.id, 7)) * 10) c ON true",
            [big],
        )


def _heavy(reviewer, editor):
    """One article with 1,500 claims; one claim with 300 evidence rows and 2,000 history
    rows (written through the ORM: a few thousand rows)."""
    from claims.models import Article, Claim, Evidence
    from sources.models import Capture, Source

    sentences = [
        f"Sentence {i} says the tractor plant in Zhodino made {i} units." for i in range(1500)
    ]
    body = " ".join(sentences)
    article = Article.objects.create(title="Heavy article", body=body, language="en")
    claims, at = [], 0
    for sentence in sentences:
        start = body.index(sentence, at)
        at = start + len(sentence)
        claims.append(Claim(article=article, text=sentence, quote=sentence, start=start, end=at))
    claims = Claim.objects.bulk_create(claims)
    heavy = claims[0]
    sources = Source.objects.bulk_create(
        Source(url=f"https://heavy.example/{i}", domain="heavy.example", status="ok")
        for i in range(300)
    )
    Capture.objects.bulk_create(
        Capture(source=s, requested_at=s.created_at, outcome="ok", text="Zhodino " * 50)
        for s in sources
    )
    Evidence.objects.bulk_create(Evidence(claim=heavy, source=s) for s in sources)
    history = Claim.history.model
    # The history keeps the claim's fields less the derived ones (similarity_key).
    tracked = {f.attname for f in history._meta.concrete_fields}
    fields = {
        f.attname: getattr(heavy, f.attname)
        for f in Claim._meta.concrete_fields
        if f.attname in tracked
    }
    history.objects.bulk_create(
        history(
            **fields,
            history_type="~",
            history_date=heavy.created_at + timedelta(minutes=i),
            history_user=reviewer,
            history_change_reason="bench",
        )
        for i in range(2000)
    )
    heavy.text = "Heavy claim " + heavy.text
    heavy.save()
