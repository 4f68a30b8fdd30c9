"""Full-text search over captured sources (title and extracted text).

PostgreSQL: a generated tsvector column kept current by the database, with a GIN index
on the good captures. The document holds the words as written ('simple': lower-cased,
no stemming) and, for a known language, its stems too, so that a search limited to a
language matches inflected forms. Only the first INDEXED_CHARS characters count: a
tsvector is capped at 1 MB.

SQLite: an FTS5 table kept current by triggers (captures are append-only, but an
admin may delete one). Neither is declared on the model: the ORM never reads them;
claims/search/ queries them with SQL.
"""

from django.db import migrations

INDEXED_CHARS = 200_000

# ISO 639-1 code -> PostgreSQL text search configuration (those shipped with 15+).
CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip


def _config_function(connection):
    available = set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {row[0] for row in cursor.fetchall()}
    cases = " ".join(
        f"WHEN '{code}' THEN '{name}'::regconfig"
        for code, name in sorted(CONFIGS.items())
        if name in available
    )
    return f"""
CREATE OR REPLACE FUNCTION search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE lower(split_part(split_part(coalesce(language, ''), '-', 1), '_', 1))
  {cases} ELSE 'simple'::regconfig END
$$;
CREATE OR REPLACE FUNCTION search_document(language text, heading text, body text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('simple', coalesce(heading, '')), 'A')
      || setweight(to_tsvector(search_config(language), coalesce(heading, '')), 'A')
      || to_tsvector('simple', left(coalesce(body, ''), {INDEXED_CHARS}))
      || CASE WHEN search_config(language) = 'simple'::regconfig THEN ''::tsvector
         ELSE to_tsvector(search_config(language), left(coalesce(body, ''), {INDEXED_CHARS}))
         END
$$;
"""


POSTGRES = """
ALTER TABLE sources_capture ADD COLUMN search_document tsvector
  GENERATED ALWAYS AS (search_document(language, title, text)) STORED;
CREATE INDEX sources_capture_search ON sources_capture USING gin (search_document)
  WHERE outcome = 'ok';
"""
POSTGRES_REVERSE = """
DROP INDEX IF EXISTS sources_capture_search;
ALTER TABLE sources_capture DROP COLUMN IF EXISTS search_document;
"""

# remove_diacritics 0: PostgreSQL's 'simple' keeps accents, so both match the same words.
SQLITE = [
    "CREATE VIRTUAL TABLE sources_search_capture USING fts5("
    "title, text, tokenize = 'unicode61 remove_diacritics 0')",
    f"""CREATE TRIGGER sources_capture_search_ai AFTER INSERT ON sources_capture BEGIN
  INSERT INTO sources_search_capture(rowid, title, text)
  VALUES (NEW.id, NEW.title, substr(NEW.text, 1, {INDEXED_CHARS}));
END""",
    f"""CREATE TRIGGER sources_capture_search_au AFTER UPDATE OF title, text ON sources_capture
BEGIN
  DELETE FROM sources_search_capture WHERE rowid = OLD.id;
  INSERT INTO sources_search_capture(rowid, title, text)
  VALUES (NEW.id, NEW.title, substr(NEW.text, 1, {INDEXED_CHARS}));
END""",
    """CREATE TRIGGER sources_capture_search_ad AFTER DELETE ON sources_capture BEGIN
  DELETE FROM sources_search_capture WHERE rowid = OLD.id;
END""",
    f"""INSERT INTO sources_search_capture(rowid, title, text)
  SELECT id, title, substr(text, 1, {INDEXED_CHARS}) FROM sources_capture""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS sources_capture_search_ai",
    "DROP TRIGGER IF EXISTS sources_capture_search_au",
    "DROP TRIGGER IF EXISTS sources_capture_search_ad",
    "DROP TABLE IF EXISTS sources_search_capture",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(_config_function(connection))
        schema_editor.execute(POSTGRES)
    elif connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("sources", "0003_capture_engine_artefacts")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
