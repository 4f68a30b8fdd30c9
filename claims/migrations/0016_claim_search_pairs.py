"""Word pairs of the claims' search documents, so that a quoted phrase is found from
the rows that hold it rather than from every row that holds its words.

A GIN index on a tsvector knows words, not their order: for "a phrase of two frequent
words" PostgreSQL reads both words' posting lists (a tenth of a million claims each at
1M) and checks each row's positions. `pairs` holds a 32-bit hash of every two lexemes
at neighbouring positions of the document (generated from it, so it can never fall
behind); a phrase's own pairs (search_pairs of to_tsvector of the phrase, the same
parser and configuration) are then a containment test on this column's index, and the
phrase itself is still checked on the document. Hash collisions only add candidates.

Claims only: their documents are a sentence or two, so the pairs index stays near the
size of the document index. An article body or a captured page would give a pair index
several times its word index; those keep the bounded check of claims/search/backends.py.

SQLite needs nothing: FTS5 keeps positions in its index and answers phrases from it.
"""

from django.db import migrations

POSTGRES = """
CREATE FUNCTION search_pair_hash(first text, second text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ('x' || left(md5(first || ' ' || second), 8))::bit(32)::int
$$;

-- Every two lexemes at positions p and p + 1 of the document, hashed, each once.
CREATE FUNCTION search_pairs(document tsvector) RETURNS int[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT search_pair_hash(a.lexeme, b.lexeme)), '{}')
  FROM (SELECT lexeme, unnest(positions) AS pos FROM unnest(document)) a
  JOIN (SELECT lexeme, unnest(positions) AS pos FROM unnest(document)) b
    ON b.pos = a.pos + 1
$$;

ALTER TABLE claims_search_claim
  ADD COLUMN pairs int[] GENERATED ALWAYS AS (search_pairs(document)) STORED;
CREATE INDEX claims_search_claim_pairs ON claims_search_claim USING gin (pairs);
"""

POSTGRES_REVERSE = """
DROP INDEX IF EXISTS claims_search_claim_pairs;
ALTER TABLE claims_search_claim DROP COLUMN IF EXISTS pairs;
DROP FUNCTION IF EXISTS search_pairs(tsvector);
DROP FUNCTION IF EXISTS search_pair_hash(text, text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("claims", "0015_evidence_claim_order")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
