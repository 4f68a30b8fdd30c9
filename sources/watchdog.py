"""The wall-clock deadline of one fetch, enforced on its sockets (sources/fetch.py).

A read timeout is not a deadline: a server sending a byte a second never trips it. So
every socket a fetch opens is registered with its Deadline, and a timer shuts them all
down when the deadline passes, waking whatever read is blocked, in any phase.
"""

import contextvars
import socket
import threading
import time

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = contextvars.ContextVar("fetch_deadline")


def current():
    """The Deadline of the fetch running in this context, or None."""
    return _current.get(None)


class Deadline:
    """One fetch: its deadline, the sockets it opened, the address it was allowed to use."""

    def __init__(self, seconds):
        self.ends_at = time.monotonic() + seconds
        self.expired = False
        self.peer_ip = ""
        self._sockets = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._token = _current.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
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

    def _expire(self):
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


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
