"""Full-text search over claims (text, quote, attribution, verdict rationales) and
articles (title, body). See sources 0003 for the captured sources and the shared
search_config() / search_document() functions.

PostgreSQL: articles get a generated tsvector column; a claim's document also holds the
rationales of its verdicts (another table), so it lives in claims_search_claim, kept by
triggers on claims_claim and claims_verdict. No foreign key on it: a test flush
TRUNCATEs the claims table, and a foreign key would block that; rows without a claim are
never joined and the next write of that id replaces them (upsert).

SQLite: FTS5 tables kept by triggers, the same columns, the same tokenizer settings.
"""

from django.db import migrations

INDEXED_CHARS = 200_000

CLAIM_DOCUMENT = """
  SELECT setweight(search_document(a.language, c.text, ''), 'A')
      || search_document(a.language, c.quote || ' ' || c.attributed_to,
           coalesce((SELECT string_agg(v.rationale, ' ' ORDER BY v.id)
                     FROM claims_verdict v WHERE v.claim_id = c.id), ''))
  FROM claims_claim c JOIN claims_article a ON a.id = c.article_id WHERE c.id = $1
"""

POSTGRES = f"""
ALTER TABLE claims_article ADD COLUMN search_document tsvector
  GENERATED ALWAYS AS (search_document(language, title, body)) STORED;
CREATE INDEX claims_article_search ON claims_article USING gin (search_document);

CREATE TABLE claims_search_claim (
  claim_id bigint PRIMARY KEY,
  document tsvector NOT NULL
);
CREATE INDEX claims_search_claim_document ON claims_search_claim USING gin (document);

CREATE FUNCTION claims_search_claim_refresh(claim bigint) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO claims_search_claim (claim_id, document)
  SELECT $1, ({CLAIM_DOCUMENT}) WHERE EXISTS (SELECT 1 FROM claims_claim WHERE id = $1)
  ON CONFLICT (claim_id) DO UPDATE SET document = EXCLUDED.document;
$$;

CREATE FUNCTION claims_claim_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM claims_search_claim WHERE claim_id = OLD.id;
    RETURN OLD;
  END IF;
  PERFORM claims_search_claim_refresh(NEW.id);
  RETURN NEW;
END $$;

CREATE FUNCTION claims_verdict_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM claims_search_claim_refresh(OLD.claim_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.claim_id <> OLD.claim_id) THEN
    PERFORM claims_search_claim_refresh(NEW.claim_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER claims_claim_search_ins AFTER INSERT ON claims_claim
  FOR EACH ROW EXECUTE FUNCTION claims_claim_search_trigger();
-- Only when searched words change: a status change does not rewrite the document.
CREATE TRIGGER claims_claim_search_upd AFTER UPDATE OF text, quote, attributed_to, article_id
  ON claims_claim FOR EACH ROW
  WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.quote IS DISTINCT FROM NEW.quote
        OR OLD.attributed_to IS DISTINCT FROM NEW.attributed_to
        OR OLD.article_id IS DISTINCT FROM NEW.article_id)
  EXECUTE FUNCTION claims_claim_search_trigger();
CREATE TRIGGER claims_claim_search_del AFTER DELETE ON claims_claim
  FOR EACH ROW EXECUTE FUNCTION claims_claim_search_trigger();
CREATE TRIGGER claims_verdict_search_ins AFTER INSERT ON claims_verdict
  FOR EACH ROW EXECUTE FUNCTION claims_verdict_search_trigger();
CREATE TRIGGER claims_verdict_search_upd AFTER UPDATE OF rationale, claim_id ON claims_verdict
  FOR EACH ROW WHEN (OLD.rationale IS DISTINCT FROM NEW.rationale
                     OR OLD.claim_id IS DISTINCT FROM NEW.claim_id)
  EXECUTE FUNCTION claims_verdict_search_trigger();
CREATE TRIGGER claims_verdict_search_del AFTER DELETE ON claims_verdict
  FOR EACH ROW EXECUTE FUNCTION claims_verdict_search_trigger();

INSERT INTO claims_search_claim (claim_id, document)
SELECT c.id, setweight(search_document(a.language, c.text, ''), 'A')
      || search_document(a.language, c.quote || ' ' || c.attributed_to,
           coalesce((SELECT string_agg(v.rationale, ' ' ORDER BY v.id)
                     FROM claims_verdict v WHERE v.claim_id = c.id), ''))
FROM claims_claim c JOIN claims_article a ON a.id = c.article_id;
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS claims_claim_search_ins ON claims_claim;
DROP TRIGGER IF EXISTS claims_claim_search_upd ON claims_claim;
DROP TRIGGER IF EXISTS claims_claim_search_del ON claims_claim;
DROP TRIGGER IF EXISTS claims_verdict_search_ins ON claims_verdict;
DROP TRIGGER IF EXISTS claims_verdict_search_upd ON claims_verdict;
DROP TRIGGER IF EXISTS claims_verdict_search_del ON claims_verdict;
DROP FUNCTION IF EXISTS claims_claim_search_trigger();
DROP FUNCTION IF EXISTS claims_verdict_search_trigger();
DROP FUNCTION IF EXISTS claims_search_claim_refresh(bigint);
DROP TABLE IF EXISTS claims_search_claim;
DROP INDEX IF EXISTS claims_article_search;
ALTER TABLE claims_article DROP COLUMN IF EXISTS search_document;
"""

_CLAIM_ROW = """
  DELETE FROM claims_search_claim WHERE rowid = {pk};
  INSERT INTO claims_search_claim(rowid, text, quote, attributed_to, rationales)
  SELECT c.id, c.text, c.quote, c.attributed_to,
         coalesce((SELECT group_concat(v.rationale, ' ') FROM claims_verdict v
                   WHERE v.claim_id = c.id), '')
  FROM claims_claim c WHERE c.id = {pk};
"""
_ARTICLE_ROW = f"""
  INSERT INTO claims_search_article(rowid, title, body)
  VALUES (NEW.id, NEW.title, substr(NEW.body, 1, {INDEXED_CHARS}));
"""

SQLITE = [
    "CREATE VIRTUAL TABLE claims_search_claim USING fts5(text, quote, attributed_to, "
    "rationales, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE claims_search_article USING fts5(title, body, "
    "tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER claims_claim_search_ai AFTER INSERT ON claims_claim BEGIN"
    + _CLAIM_ROW.format(pk="NEW.id")
    + "END",
    "CREATE TRIGGER claims_claim_search_au AFTER UPDATE OF text, quote, attributed_to "
    "ON claims_claim BEGIN" + _CLAIM_ROW.format(pk="NEW.id") + "END",
    "CREATE TRIGGER claims_claim_search_ad AFTER DELETE ON claims_claim BEGIN "
    "DELETE FROM claims_search_claim WHERE rowid = OLD.id; END",
    "CREATE TRIGGER claims_verdict_search_ai AFTER INSERT ON claims_verdict BEGIN"
    + _CLAIM_ROW.format(pk="NEW.claim_id")
    + "END",
    "CREATE TRIGGER claims_verdict_search_au AFTER UPDATE OF rationale, claim_id "
    "ON claims_verdict BEGIN"
    + _CLAIM_ROW.format(pk="OLD.claim_id")
    + _CLAIM_ROW.format(pk="NEW.claim_id")
    + "END",
    "CREATE TRIGGER claims_verdict_search_ad AFTER DELETE ON claims_verdict BEGIN"
    + _CLAIM_ROW.format(pk="OLD.claim_id")
    + "END",
    "CREATE TRIGGER claims_article_search_ai AFTER INSERT ON claims_article BEGIN"
    + _ARTICLE_ROW
    + "END",
    "CREATE TRIGGER claims_article_search_au AFTER UPDATE OF title, body ON claims_article "
    "BEGIN DELETE FROM claims_search_article WHERE rowid = OLD.id;" + _ARTICLE_ROW + "END",
    "CREATE TRIGGER claims_article_search_ad AFTER DELETE ON claims_article BEGIN "
    "DELETE FROM claims_search_article WHERE rowid = OLD.id; END",
    "INSERT INTO claims_search_claim(rowid, text, quote, attributed_to, rationales) "
    "SELECT c.id, c.text, c.quote, c.attributed_to, coalesce((SELECT group_concat("
    "v.rationale, ' ') FROM claims_verdict v WHERE v.claim_id = c.id), '') FROM claims_claim c",
    "INSERT INTO claims_search_article(rowid, title, body) "
    f"SELECT id, title, substr(body, 1, {INDEXED_CHARS}) FROM claims_article",
]
SQLITE_REVERSE = [
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in [
            "claims_claim_search_ai",
            "claims_claim_search_au",
            "claims_claim_search_ad",
            "claims_verdict_search_ai",
            "claims_verdict_search_au",
            "claims_verdict_search_ad",
            "claims_article_search_ai",
            "claims_article_search_au",
            "claims_article_search_ad",
        ]
    ),
    "DROP TABLE IF EXISTS claims_search_claim",
    "DROP TABLE IF EXISTS claims_search_article",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_verdict_decision_constraints"),
        ("sources", "0004_capture_search_document"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
