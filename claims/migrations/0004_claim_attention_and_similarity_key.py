"""Why a claim needs attention; claims' content-word key and its trigram index.

The key is what "similar claims" compares (claims/queries.py). On PostgreSQL a GIN
trigram index serves it; pg_trgm is a trusted extension (PostgreSQL 13+), so the
database owner can create it. Other databases skip the index and use the Python
ranking. The index is not declared on the model because SQLite cannot build it,
so makemigrations never sees it.
"""

from django.db import migrations, models

from claims.text.similarity import similarity_key

INDEX = "claims_claim_similarity_key_trgm"


def fill_keys(apps, schema_editor):
    # Migration models send no history signals: this derives a column, it is not an edit.
    Claim = apps.get_model("claims", "Claim")
    for claim in Claim.objects.only("pk", "text").iterator(chunk_size=2000):
        claim.similarity_key = similarity_key(claim.text)
        claim.save(update_fields=["similarity_key"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claim "
        "USING gin (similarity_key gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")  # the extension may serve others


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_exports")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="attention_reason",
            field=models.TextField(
                blank=True,
                help_text="Why the claim needs attention (which source changed, and when).",
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="attention_reason",
            field=models.TextField(
                blank=True,
                help_text="Why the claim needs attention (which source changed, and when).",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="similarity_key",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="similarity_key",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
