"""Saving tracked rows with an acting user and a reason.

Tracked rows change only through save()/delete() or tracked_bulk_update(): update(),
bulk_update() and F() alone would skip the history table.
"""

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_update_with_history

REASON_MAX = 100  # simple-history's history_change_reason is a CharField(max_length=100)


def short_reason(reason):
    """A reason that fits the history column (PostgreSQL refuses longer ones)."""
    reason = " ".join((reason or "").split())
    return reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 1] + "…"


def check_values(obj):
    """Refuse text the database would refuse, with the field's name, before it does.

    A CharField longer than its max_length (PostgreSQL: DataError) or any text with a NUL
    character (PostgreSQL cannot store one) becomes a ValidationError a form or a command
    can show in one line.
    """
    errors = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname, None)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            errors[field.name] = f"{field.verbose_name.capitalize()} contains a NUL character."
        elif field.max_length and len(value) > field.max_length:
            errors[field.name] = (
                f"{field.verbose_name.capitalize()} has {len(value):,} characters; "
                f"at most {field.max_length:,} are allowed."
            )
    if errors:
        raise ValidationError(errors)


def tracked_save(obj, *, user, reason, **kwargs):
    """Save obj recording who (None for tasks and commands) and why; its text checked first."""
    check_values(obj)
    obj._history_user = user
    obj._change_reason = short_reason(reason)
    obj.save(**kwargs)
    return obj


def tracked_bulk_update(objs, fields, *, user, reason, batch_size=None):
    """Write `fields` of many tracked rows and one history row each, who and why as
    tracked_save records them, in a statement per batch instead of two per row
    (simple-history's bulk_update_with_history). The history rows copy the objects as they
    are in memory: only for rows read under select_for_update in the caller's transaction,
    so that no other change to them can come in between. Returns the objects."""
    objs = list(objs)
    if not objs:
        return objs
    reason = short_reason(reason)
    for obj in objs:
        check_values(obj)
        obj._history_user = user
        obj._change_reason = reason
    # Each object carries its user and reason, as tracked_save sets them (no defaults:
    # simple-history reads the object's first).
    bulk_update_with_history(objs, type(objs[0]), fields, batch_size=batch_size)
    return objs


def tracked_delete(obj, *, user, reason):
    obj._history_user = user
    obj._change_reason = short_reason(reason)
    obj.delete()
