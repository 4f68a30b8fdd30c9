"""A worker keeps its database connection from task to task (CONN_MAX_AGE applies):
Celery's Django fixup would otherwise close it around every task, and each capture
would pay for a new PostgreSQL session."""

import time

import pytest
from django.db import connection

from workbench.models import Heartbeat
from workbench.tasks import heartbeat

from .support.services import unavailable

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def clock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def sessions_active_since(moment):
    """Other sessions on this database still open that ran something after moment: the
    one that ran the task (the worker's main process connected at start, before it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state_change >= %s",
            [moment],
        )
        return set(cursor.fetchall())


def test_a_worker_reuses_its_database_connection_across_tasks(celery_worker):
    if connection.vendor != "postgresql":
        unavailable("connection reuse is measured on PostgreSQL sessions (set DATABASE_URL)")
    seen, snapshots = set(), []
    for i in range(8):
        before = clock()
        heartbeat.delay(f"reuse-{i}")
        celery_worker.wait_until(lambda i=i: Heartbeat.objects.filter(name=f"reuse-{i}").exists())
        time.sleep(0.3)  # past the task's postrun, where the fixup used to close it
        snapshot = sessions_active_since(before)
        snapshots.append(snapshot)
        seen |= snapshot
    # Closed after every task, no session would outlive its task and each task a new one.
    assert all(snapshots), "the worker closed its connection after a task"
    assert len(seen) <= celery_worker.concurrency
