"""Similarity keys stemmed by the claim's language (claims/text/similarity.py), and the key
out of the claims' history.

The key is derived from the text, like the band rows derived from the key: history keeps
the text, so the key is no one's edit and a rekeying must not read as one in a claim's
timeline. Existing claims are rekeyed in chunks (bulk_update: no save(), no history row, no
new updated_at), and the band rows of every claim whose key changed are replaced.
"""

from django.db import migrations

from claims.text.similarity import band_keys, similarity_key

CHUNK = 2000


def rekey(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    ClaimBand = apps.get_model("claims", "ClaimBand")
    rows = Claim.objects.only("pk", "text", "similarity_key").order_by("pk")
    chunk = []
    for claim in rows.iterator(chunk_size=CHUNK):
        chunk.append(claim)
        if len(chunk) == CHUNK:
            _rekey_chunk(Claim, ClaimBand, chunk)
            chunk = []
    _rekey_chunk(Claim, ClaimBand, chunk)


def _rekey_chunk(Claim, ClaimBand, claims):
    changed = []
    for claim in claims:
        key = similarity_key(claim.text)
        if key != claim.similarity_key:
            claim.similarity_key = key
            changed.append(claim)
    if not changed:
        return
    Claim.objects.bulk_update(changed, ["similarity_key"])
    ClaimBand.objects.filter(claim_id__in=[c.pk for c in changed]).delete()
    ClaimBand.objects.bulk_create(
        ClaimBand(claim_id=c.pk, key=key) for c in changed for key in band_keys(c.similarity_key)
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_claim_minhash_bands")]

    operations = [
        migrations.RemoveField(model_name="historicalclaim", name="similarity_key"),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
