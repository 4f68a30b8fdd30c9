"""Saving tracked rows with an acting user and a reason.

Tracked rows change only through save()/delete(): update(), bulk_update() and F()
would skip the history table.
"""

REASON_MAX = 100  # simple-history's history_change_reason is a CharField(max_length=100)


def short_reason(reason):
    """A reason that fits the history column (PostgreSQL refuses longer ones)."""
    reason = " ".join((reason or "").split())
    return reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 1] + "…"


def tracked_save(obj, *, user, reason, **kwargs):
    """Save obj recording who (None for tasks and commands) and why."""
    obj._history_user = user
    obj._change_reason = short_reason(reason)
    obj.save(**kwargs)
    return obj


def tracked_delete(obj, *, user, reason):
    obj._history_user = user
    obj._change_reason = short_reason(reason)
    obj.delete()
