"""kombu's Redis transport, with one client for a channel's synchronous commands.

Registered through Celery's own setting (CELERY_BROKER_TRANSPORT, see settings.py) when
the broker is a redis:// or rediss:// URL; nothing of kombu's is patched.

Why: kombu 5.7's Redis channel builds a new `redis.Redis` for every `conn_or_acquire()`
(Channel._create_client): the unacked bookkeeping of each delivered message, each ack,
each publish, each visibility sweep; about four per task. A redis-py client builds its
table of ~80 response callbacks when created, about 0.13 ms of CPU each time on our host.
No kombu or Celery setting avoids it in kombu 5.7.0, the version installed; the one
offered (celery/celery#1776: turning the transport's ack emulation off) would lose the
redelivery of late-acknowledged tasks that a dying worker held.

Why sharing one client is safe: a client built on a connection pool holds no connection
of its own; each command, and each pipeline when it executes, checks a connection out of
the channel's pool and returns it. redis-py documents clients as safe to share between
threads (the thread pool acknowledges from its worker threads); pipelines are not, and
every `client.pipeline()` call still makes its own. The client follows the channel's
pool: kombu replaces the pool after a connection error or a fork (`_disconnect_pools`),
and a client of the old pool is then built afresh. The asynchronous client kombu uses for
BRPOP (`Channel.client`, which does hold a connection) is left as kombu makes it.
"""

import threading
from contextlib import contextmanager

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _shared = None
    _shared_lock = threading.Lock()  # two threads may find it missing at once

    @contextmanager
    def conn_or_acquire(self, client=None):
        yield client or self.shared_client()

    def shared_client(self):
        """The channel's client for synchronous commands, built once per pool."""
        pool = self.pool
        client = self._shared
        if client is None or client.connection_pool is not pool:
            with self._shared_lock:
                client = self._shared
                if client is None or client.connection_pool is not pool:
                    client = self._shared = self._create_client()
        return client


class Transport(kombu_redis.Transport):
    Channel = Channel
