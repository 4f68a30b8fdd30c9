"""The lease a worker holds on a source while capturing it, renewed by a heartbeat.

A claimed source is `capturing` until `lease_expires_at`; that value is also the claim
token (sources/services.py). A short lease makes a dead worker's capture available again
soon (the sweep re-sends it), so a live worker renews its lease from a background thread
every CAPTURE_HEARTBEAT_SECONDS while the capture runs, however long the fetch, the
extraction or a database hiccup takes. Renewing changes the token: the holder keeps the
current one under a lock, and the final write of the capture takes that lock too.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import Source

logger = logging.getLogger(__name__)


def lease_seconds():
    return settings.CAPTURE_LEASE_SECONDS


def heartbeat_seconds():
    return settings.CAPTURE_HEARTBEAT_SECONDS or settings.CAPTURE_LEASE_SECONDS / 4


class Lease:
    """The claim token of one capture, renewed in the background until stopped."""

    def __init__(self, source_pk, token):
        self.source_pk = source_pk
        self.token = token
        self.lost = False
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        self._thread = threading.Thread(
            target=self._run, name=f"lease-{self.source_pk}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        try:
            while not self._stop.wait(heartbeat_seconds()):
                if not self.renew():
                    break
        finally:
            connection.close()  # this thread's own connection

    def renew(self):
        """Push the lease forward; False when it is no longer ours (or for good)."""
        with self.lock:
            if self._stop.is_set() or self.lost:
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
