"""One history timeline for a claim: its own changes, its evidence's and its verdicts'.

Built from simple-history records with a fixed number of queries whatever the
claim's activity: one per tracked model, then one per kind of related row named
in the diffs (users, ratings, sources). Each entry says who, when, why and which
fields changed from what to what.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.timezone import localtime

from sources.models import Source

from .models import Claim, Evidence, Rating, Verdict

# Bookkeeping, not content: shown nowhere in a diff.
EXCLUDED = {"version", "start", "end", "article", "claim", "created_by"}
# What a "created" entry shows of a new row.
CREATED_FIELDS = {
    Claim: ["text", "quote", "attributed_to", "status"],
    Evidence: ["source", "stance", "passage", "note"],
    Verdict: ["rating", "rationale", "state"],
}
USER_FIELDS = {"assignee", "added_by", "author", "approver"}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    who: object
    why: str
    kind: str  # "claim", "evidence" or "verdict"
    subject: str
    action: str
    object_id: int
    changes: list = field(default_factory=list)
    history_id: int = 0


def _diff_pairs(records):
    """(record, previous record of the same row or None), in order."""
    previous = {}
    for record in records:
        yield record, previous.get(record.id)
        previous[record.id] = record


def _raw_changes(model, record, before):
    if before is None:
        names = CREATED_FIELDS[model] if record.history_type == "+" else []
        return [
            (name, None, getattr(record, model._meta.get_field(name).attname))
            for name in names
            if getattr(record, model._meta.get_field(name).attname) not in (None, "")
        ]
    if record.history_type == "-":
        return []
    delta = record.diff_against(before, excluded_fields=EXCLUDED)
    return [(c.field, c.old, c.new) for c in delta.changes]


def _lookup(model, pks, attribute):
    if not pks:
        return {}
    return dict(model.objects.filter(pk__in=pks).values_list("pk", attribute))


class _Names:
    """Display values for foreign keys named in diffs, fetched in one query per model."""

    def __init__(self, raw):
        wanted = {"user": set(), "rating": set(), "source": set()}
        for model, record, changes in raw:
            if model is Evidence:  # titled by its source even when that did not change
                wanted["source"].add(record.source_id)
            for name, old, new in changes:
                kind = self.kind(name)
                if kind:
                    wanted[kind].update(v for v in (old, new) if v is not None)
        self.values = {
            "user": _lookup(get_user_model(), wanted["user"], "username"),
            "rating": _lookup(Rating, wanted["rating"], "label"),
            "source": _lookup(Source, wanted["source"], "url"),
        }

    @staticmethod
    def kind(name):
        if name in USER_FIELDS:
            return "user"
        if name in ("rating", "source"):
            return name
        return None

    def show(self, model, name, value):
        if value is None or value == "":
            return "—"
        kind = self.kind(name)
        if kind:
            return self.values[kind].get(value, f"#{value} (deleted)")
        model_field = model._meta.get_field(name)
        if model_field.choices:
            return dict(model_field.flatchoices).get(value, value)
        if name == "capture":
            return f"capture #{value}"
        if isinstance(value, datetime.datetime):
            return date_format(localtime(value), "j M Y H:i:s")
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


def _entries(raw):
    names = _Names(raw)
    entries = []
    for model, record, changes in raw:
        kind = model._meta.model_name
        if model is Evidence:
            subject = "Evidence: " + names.values["source"].get(
                record.source_id, f"source #{record.source_id}"
            )
        elif model is Verdict:
            subject = "Verdict"
        else:
            subject = "Claim"
        entries.append(
            Entry(
                when=record.history_date,
                who=record.history_user,
                why=record.history_change_reason or "",
                kind=kind,
                subject=subject,
                action=ACTIONS.get(record.history_type, record.history_type),
                object_id=record.id,
                history_id=record.history_id,
                changes=[
                    Change(
                        field=name,
                        label=str(model._meta.get_field(name).verbose_name).capitalize(),
                        old="" if record.history_type == "+" else names.show(model, name, old),
                        new=names.show(model, name, new),
                    )
                    for name, old, new in changes
                ],
            )
        )
    return entries


def _records(model, **filters):
    return (
        model.history.filter(**filters)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def claim_timeline(claim):
    """Newest first: every recorded change to the claim, its evidence and its verdicts."""
    raw = []
    for model, filters in (
        (Claim, {"id": claim.pk}),
        (Evidence, {"claim_id": claim.pk}),
        (Verdict, {"claim_id": claim.pk}),
    ):
        for record, before in _diff_pairs(_records(model, **filters)):
            changes = _raw_changes(model, record, before)
            if changes or record.history_type != "~" or record.history_change_reason:
                raw.append((model, record, changes))
    entries = _entries(raw)
    entries.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return entries


def changes_since(obj, version):
    """What happened to a Claim or Verdict after the given version: (summary, entries).

    summary lists each field that differs between that version and now, as
    Change(old=value at that version, new=current value).
    """
    model = type(obj)
    records = list(_records(model, id=obj.pk))
    base = None
    for record in records:
        if record.version <= int(version):
            base = record
    later = [r for r in records if r.version > int(version)]
    raw = [
        (model, record, _raw_changes(model, record, before))
        for record, before in _diff_pairs(records)
        if record.version > int(version)
    ]
    summary_raw = []
    if base is not None and later:
        delta = later[-1].diff_against(base, excluded_fields=EXCLUDED)
        summary_raw = [(model, later[-1], [(c.field, c.old, c.new) for c in delta.changes])]
    entries = _entries(raw + summary_raw)
    summary = entries[len(raw) :][0].changes if summary_raw else []
    return summary, list(reversed(entries[: len(raw)]))
