"""The two conditional updates of a capture on its Source: the claim that starts it and
the settling that ends it, if this worker still holds the claim (its lease is the token).

Written out in SQL rather than through the ORM: both run on every capture, and the
ORM's UPDATE plus the SELECT of the claimed row cost several times their round trips in
Python (issue 15: CPU per capture). Names come from the model's _meta, values are
prepared as the ORM would send them; tests/test_capture.py checks the claim against
Source.objects.claimable().
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Source

S = Source.Status


def claim_source(source_pk):
    """Take the work with a conditional update; return the Source as claimed, or None.

    The lease (the claim token) is the returned row's lease_expires_at. The same
    condition as Source.objects.claimable(), written out so that the claim and the read
    of the row are one statement (UPDATE ... RETURNING, PostgreSQL and SQLite >= 3.35):
    the ORM would take an UPDATE and a SELECT, each several times its round trip in
    Python, on every capture.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.CAPTURE_LEASE_SECONDS)
    rows = list(Source.objects.raw(_claim_sql(), _claim_params(source_pk, now, lease)))
    return rows[0] if rows else None


def _claim_sql():
    meta, name = Source._meta, connection.ops.quote_name
    status, lease, attempts = (
        name(meta.get_field(field).column) for field in ("status", "lease_expires_at", "attempts")
    )
    columns = ", ".join(name(field.column) for field in meta.concrete_fields)
    return (
        f"UPDATE {name(meta.db_table)}"
        f" SET {status} = %s, {lease} = %s, {attempts} = {attempts} + 1"
        f" WHERE {name(meta.pk.column)} = %s"
        f" AND ({status} = %s OR ({status} = %s AND {lease} < %s))"
        f" RETURNING {columns}"
    )


def _claim_params(source_pk, now, lease):
    when = _db_time  # raw SQL: as the ORM would send them
    return [S.CAPTURING, when(lease), source_pk, S.PENDING, S.CAPTURING, when(now)]


def _db_time(value):
    return Source._meta.get_field("lease_expires_at").get_db_prep_save(value, connection)


def settle_source(source_pk, token, changes):
    """Write `changes` (field name -> value) to the source if this worker still holds it
    (capturing, its lease the claim token); return the rows written (0 or 1).

    The conditional update that ends every capture, written out as claim_source is."""
    meta, name = Source._meta, connection.ops.quote_name
    fields = [meta.get_field(field) for field in changes]
    status, lease = (name(meta.get_field(field).column) for field in ("status", "lease_expires_at"))
    sql = (
        f"UPDATE {name(meta.db_table)}"
        f" SET {', '.join(f'{name(field.column)} = %s' for field in fields)}"
        f" WHERE {name(meta.pk.column)} = %s AND {status} = %s AND {lease} = %s"
    )
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, changes.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, source_pk, S.CAPTURING, _db_time(token)])
        return cursor.rowcount
