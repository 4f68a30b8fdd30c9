"""The claim's status beside its search document, so that a search filtered by status
reads one row per candidate instead of looking each candidate up in claims_claim (at 1M
claims a common word with a status filter looked up ~5,000 claims at random to find
2,000 in that status, and grew with the table). Kept by the same triggers as the
document, plus one for a status change (which leaves the document alone). SQLite's
FTS5 tables keep joining claims_claim: the embedded default is not the million-claim desk.
"""

from importlib import import_module

from django.db import migrations

# The document as 0009 defined it (that migration's text, not a copy of it).
CLAIM_DOCUMENT = import_module("claims.migrations.0009_search_index").CLAIM_DOCUMENT

POSTGRES = f"""
ALTER TABLE claims_search_claim ADD COLUMN status varchar(20) NOT NULL DEFAULT '';
UPDATE claims_search_claim s SET status = c.status FROM claims_claim c
  WHERE c.id = s.claim_id;

CREATE OR REPLACE FUNCTION claims_search_claim_refresh(claim bigint) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO claims_search_claim (claim_id, document, status)
  SELECT $1, ({CLAIM_DOCUMENT}), c.status FROM claims_claim c WHERE c.id = $1
  ON CONFLICT (claim_id) DO UPDATE
    SET document = EXCLUDED.document, status = EXCLUDED.status;
$$;

CREATE FUNCTION claims_claim_search_status_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE claims_search_claim SET status = NEW.status WHERE claim_id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER claims_claim_search_status AFTER UPDATE OF status ON claims_claim
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION claims_claim_search_status_trigger();
"""

POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS claims_claim_search_status ON claims_claim;
DROP FUNCTION IF EXISTS claims_claim_search_status_trigger();
CREATE OR REPLACE FUNCTION claims_search_claim_refresh(claim bigint) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO claims_search_claim (claim_id, document)
  SELECT $1, ({CLAIM_DOCUMENT}) WHERE EXISTS (SELECT 1 FROM claims_claim WHERE id = $1)
  ON CONFLICT (claim_id) DO UPDATE SET document = EXCLUDED.document;
$$;
ALTER TABLE claims_search_claim DROP COLUMN IF EXISTS status;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("claims", "0016_claim_search_pairs")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
