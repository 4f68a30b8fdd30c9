"""The lease a worker holds on a source while capturing it, renewed by a heartbeat.

A claimed source is `capturing` until `lease_expires_at`; that value is also the claim
token (sources/services.py). A short lease makes a dead worker's capture available again
soon (the sweep re-sends it), so a live worker renews its lease in the background every
CAPTURE_HEARTBEAT_SECONDS while the capture runs, however long the fetch, the extraction
or a database hiccup takes. Renewing changes the token: the holder keeps the current one
under a lock, and the final write of the capture takes that lock too.

One heartbeat thread per process renews every live lease (a heap ordered by when each
is due): starting and joining a thread per capture cost about 0.2 ms of CPU, and most
captures end before their first renewal.
"""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import Source
from .timers import Timers

logger = logging.getLogger(__name__)


def lease_seconds():
    return settings.CAPTURE_LEASE_SECONDS


def heartbeat_seconds():
    return settings.CAPTURE_HEARTBEAT_SECONDS or settings.CAPTURE_LEASE_SECONDS / 4


def _close_connection():
    # Looked up when called: `connection` stands for the calling thread's connection, and
    # this runs on the heartbeat thread (connection.close taken at import would be the
    # importing thread's).
    connection.close()


# One thread per process renews every live lease; when none is left it closes its
# database connection, as the thread per capture did when it ended.
HEARTBEAT = Timers("lease-heartbeat", on_idle=_close_connection)


class Lease:
    """The claim token of one capture, renewed in the background until stopped."""

    def __init__(self, source_pk, token):
        self.source_pk = source_pk
        self.token = token
        self.lost = False
        self.lock = threading.RLock()
        self._stopped = False
        self._entry = None

    def __enter__(self):
        self._entry = HEARTBEAT.add(time.monotonic() + heartbeat_seconds(), self._beat)
        return self

    def __exit__(self, *exc):
        # Under the lock: a renewal under way finishes first, and none starts after.
        with self.lock:
            self._stopped = True
        HEARTBEAT.cancel(self._entry)

    def _beat(self):
        """On the heartbeat thread: renew, and say when to do it again (None: never)."""
        if not self.lock.acquire(blocking=False):
            # The capture is writing its result or handing the lease back under the lock
            # (and then gives up the lease): look again shortly, without blocking the
            # other leases' renewals behind this one.
            return time.monotonic() + min(0.05, heartbeat_seconds())
        try:
            if not self.renew():
                return None
        finally:
            self.lock.release()
        return time.monotonic() + heartbeat_seconds()

    def renew(self):
        """Push the lease forward; False when it is no longer ours (or for good)."""
        with self.lock:
            if self._stopped or self.lost:
                return False
            new = timezone.now() + timedelta(seconds=lease_seconds())
            try:
                renewed = Source.objects.filter(
                    pk=self.source_pk, status=Source.Status.CAPTURING, lease_expires_at=self.token
                ).update(lease_expires_at=new)
            except DatabaseError:
                # The database is away: keep trying; if it stays away past the lease,
                # another worker may take over and our result is dropped, never doubled.
                logger.warning("lease of source %s not renewed", self.source_pk, exc_info=True)
                connection.close()
                return True
            if not renewed:
                self.lost = True
                return False
            self.token = new
            return True
