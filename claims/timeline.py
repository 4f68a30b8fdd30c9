"""One history timeline for a claim: its own changes, its evidence's and its verdicts'.

Built from simple-history records with a fixed number of queries whatever the
claim's activity: one per tracked model, then one per kind of related row named
in the diffs (users, ratings, sources). Each entry says who, when, why and which
fields changed from what to what.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import F, Q, Window
from django.db.models.functions import Lag
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


TIMELINE_PAGE = 50  # entries the claim page shows; older ones load on demand (htmx)


def claim_timeline(claim, *, limit=None, before=None):
    """Newest first: every recorded change to the claim, its evidence and its verdicts.

    limit: at most this many entries (the newest), and before: only those older than this
    (history_date, history_id) cursor; each is still diffed against its own previous
    record. The work is that of the page, not of the claim's whole history: two queries
    per tracked model (the page's records, then the records they are diffed against).
    """
    return claim_timeline_page(claim, limit=limit, before=before)[0]


def claim_timeline_page(claim, *, limit=TIMELINE_PAGE, before=None):
    """(entries newest first, the cursor of the next page or "")."""
    raw, complete_from = [], None
    for model, filters in (
        (Claim, {"id": claim.pk}),
        (Evidence, {"claim_id": claim.pk}),
        (Verdict, {"claim_id": claim.pk}),
    ):
        if limit is None:
            pairs = list(_diff_pairs(_records(model, **filters)))
        else:
            pairs = _page_pairs(model, filters, limit, before)
            if len(pairs) == limit:
                # This model has older records than its page: entries of other models
                # older than its oldest would jump ahead of them, so they wait.
                oldest = (pairs[0][0].history_date, pairs[0][0].history_id)
                complete_from = max(complete_from or oldest, oldest)
        for record, previous in pairs:
            changes = _raw_changes(model, record, previous)
            if changes or record.history_type != "~" or record.history_change_reason:
                raw.append((model, record, changes))
    cursor = ""
    if limit is not None:
        raw.sort(key=lambda r: (r[1].history_date, r[1].history_id), reverse=True)
        if complete_from is not None:
            raw = [r for r in raw if (r[1].history_date, r[1].history_id) >= complete_from]
        more = complete_from is not None or len(raw) > limit
        raw = raw[:limit]
        if more and raw:
            last = raw[-1][1]
            cursor = f"{last.history_date.isoformat()}|{last.history_id}"
    entries = _entries(raw)
    entries.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return entries, cursor


def _page_pairs(model, filters, limit, before):
    """(record, previous record of the same row) for the newest `limit` records of model
    matching filters (older than `before`), in two queries."""
    records = model.history.filter(**filters)
    if before is not None:
        when, history_id = before
        records = records.filter(
            Q(history_date__lt=when) | Q(history_date=when, history_id__lt=history_id)
        )
    # The previous record of each row is the one before it among the same row's
    # records: a window over the matching records (the cursor keeps every older one).
    # A subquery per record re-read the row's whole history for each (50 x 2,000 rows
    # for a claim edited 2,000 times).
    page = list(
        records.annotate(
            previous_id=Window(
                Lag("history_id"),
                partition_by=[F("id")],
                order_by=[F("history_date").asc(), F("history_id").asc()],
            )
        )
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    previous = model.history.in_bulk([r.previous_id for r in page if r.previous_id])
    return [(record, previous.get(record.previous_id)) for record in reversed(page)]


def parse_timeline_cursor(value):
    try:
        when, history_id = (value or "").split("|")
        moment = datetime.datetime.fromisoformat(when)
        return moment, int(history_id)
    except ValueError:
        return None


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
