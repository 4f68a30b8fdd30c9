"""Saving tracked rows with an acting user and a reason.

Tracked rows change only through save()/delete(): update(), bulk_update() and F()
would skip the history table.
"""


def tracked_save(obj, *, user, reason, **kwargs):
    """Save obj recording who (None for tasks and commands) and why."""
    obj._history_user = user
    obj._change_reason = reason
    obj.save(**kwargs)
    return obj


def tracked_delete(obj, *, user, reason):
    obj._history_user = user
    obj._change_reason = reason
    obj.delete()
