"""A trigram index on claim text for "similar earlier claims" (claims/similar.py).

PostgreSQL only: pg_trgm is a trusted extension (PostgreSQL 13+), so the
database owner can create it. Other databases skip this migration's work and
use the Python fallback. The index is not declared on the model because
SQLite cannot build it; makemigrations therefore never sees it.
"""

from django.db import migrations

INDEX = "claims_claim_text_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claim USING gin (text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects may use it.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_claim_attention_reason")]

    operations = [migrations.RunPython(create_index, drop_index)]
