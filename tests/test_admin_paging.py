"""Changelists of large tables count at most a capped number of rows
(workbench/admin_paging.py), never COUNT(*) over the whole table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sources.models import Source
from workbench import admin_paging
from workbench.admin_paging import LargeTablePaginator

from .support.factories import make_source
from .support.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_short_list_is_counted_exactly():
    for i in range(3):
        make_source(url=f"https://example.org/{i}")
    assert LargeTablePaginator(Source.objects.order_by("pk"), 2).count == 3


def test_beyond_the_cap_a_list_counts_as_more_than_the_cap(monkeypatch):
    monkeypatch.setattr(admin_paging, "CAP", 2)
    for i in range(5):
        make_source(url=f"https://example.org/{i}", status="failed" if i else "ok")
    assert LargeTablePaginator(Source.objects.order_by("pk"), 2).count >= 3
    assert LargeTablePaginator(Source.objects.filter(status="failed"), 2).count == 3


def test_the_sources_changelist_never_counts_the_whole_table(client, staff, monkeypatch):
    monkeypatch.setattr(admin_paging, "CAP", 2)
    for i in range(5):
        make_source(url=f"https://example.org/{i}")
    client.login(username=staff.username, password=PASSWORD)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:sources_source_changelist"))
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 3" in sql for sql in counts), counts
