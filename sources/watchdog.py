"""The wall-clock deadline of one fetch, enforced on its sockets (sources/fetch.py).

A read timeout is not a deadline: a server sending a byte a second never trips it. So
every socket a fetch opens is registered with its Deadline, and when the deadline passes
they are all shut down, waking whatever read is blocked, in any phase.

One watchdog thread per process serves every deadline (sources/timers.py), instead of
a timer thread started per fetch.
"""

import contextvars
import socket
import threading
import time

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .timers import Timers

_current = contextvars.ContextVar("fetch_deadline")


def current():
    """The Deadline of the fetch running in this context, or None."""
    return _current.get(None)


# One thread per process for every fetch's deadline (sources/timers.py).
WATCHDOG = Timers("fetch-watchdog")


class Deadline:
    """One fetch: its deadline, the sockets it opened, the address it was allowed to use."""

    def __init__(self, seconds):
        self.ends_at = time.monotonic() + seconds
        self.expired = False
        self.peer_ip = ""
        self._sockets = []
        self._lock = threading.Lock()

    def __enter__(self):
        self._token = _current.set(self)
        self._entry = WATCHDOG.add(self.ends_at, self.expire)
        return self

    def __exit__(self, *exc):
        WATCHDOG.cancel(self._entry)
        _current.reset(self._token)

    def remaining(self):
        return max(0.01, self.ends_at - time.monotonic())

    def passed(self):
        return self.expired or time.monotonic() >= self.ends_at

    def register(self, sock):
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def expire(self):
        """The deadline passed: shut down every socket of this fetch, now and later."""
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)
        return None  # once


def _shutdown(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed
        pass


class _WatchedConnectionMixin:
    def _new_conn(self):
        sock = super()._new_conn()
        deadline = current()
        if deadline is not None:
            deadline.register(sock)
        return sock


class _HTTPConnection(_WatchedConnectionMixin, HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnectionMixin, HTTPSConnection):
    pass


class HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection
