"""Keyset ("cursor") pagination: constant cost on any page of a large table.

Offset pagination counts and skips rows, which grows with the table and the page
number; a cursor remembers the (timestamp, pk) of the last row shown and the
next page starts after it, served by an index on those two columns. There is no
total count: pages say only whether there are newer or older rows.
"""

import base64
import datetime
from dataclasses import dataclass, field

from django.db.models import Q


@dataclass
class Page:
    items: list = field(default_factory=list)
    next_cursor: str | None = None  # older rows
    prev_cursor: str | None = None  # newer rows
    is_first: bool = True
    oldest_first: bool = False  # the pager then says "Later"/"Earlier" and "First"


def encode_cursor(stamp, pk):
    raw = f"{stamp.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    """(datetime, pk) or None for anything malformed (which then shows the first page)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        return datetime.datetime.fromisoformat(stamp), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def keyset_page(queryset, *, stamp_field, after=None, before=None, size=50, oldest_first=False):
    """One page of queryset ordered newest first by (stamp_field, pk), or oldest first.

    after: cursor of the last row of the previous page (go further down the list);
    before: cursor of the first row of the next page (go back up).
    """
    after, before = decode_cursor(after), decode_cursor(before)
    # "Down the list" is towards older rows, or towards newer ones when oldest_first.
    down, up = ("gt", "lt") if oldest_first else ("lt", "gt")
    desc, asc = ("", "-") if oldest_first else ("-", "")
    if before:
        stamp, pk = before
        rows = list(
            queryset.filter(
                Q(**{f"{stamp_field}__{up}": stamp}) | Q(**{stamp_field: stamp, f"pk__{up}": pk})
            ).order_by(f"{asc}{stamp_field}", f"{asc}pk")[: size + 1]
        )
        more_newer = len(rows) > size
        items = list(reversed(rows[:size]))
        page = Page(items=items, is_first=not more_newer, oldest_first=oldest_first)
        has_older = True
    else:
        if after:
            stamp, pk = after
            queryset = queryset.filter(
                Q(**{f"{stamp_field}__{down}": stamp})
                | Q(**{stamp_field: stamp, f"pk__{down}": pk})
            )
        rows = list(queryset.order_by(f"{desc}{stamp_field}", f"{desc}pk")[: size + 1])
        items = rows[:size]
        page = Page(items=items, is_first=after is None, oldest_first=oldest_first)
        has_older = len(rows) > size
    if items:
        last, first = items[-1], items[0]
        if has_older:
            page.next_cursor = encode_cursor(getattr(last, stamp_field), last.pk)
        if not page.is_first:
            page.prev_cursor = encode_cursor(getattr(first, stamp_field), first.pk)
    return page
