"""workbench.broker: kombu's Redis transport with one client per channel, on a real Redis.

Each test uses its own queue on the Redis of REDIS_URL (skipped locally without one;
with CI=true, failed).
"""

import os
import threading
import uuid

import pytest
import redis
from django.conf import settings
from kombu import Connection

from workbench.broker import Transport
from workbench.celery import app

from .support.services import require_redis_if_configured, unavailable


@pytest.fixture(autouse=True)
def redis_broker():
    # Skipped locally without REDIS_URL; with CI=true a missing Redis fails the test.
    if not os.getenv("REDIS_URL"):
        unavailable("needs REDIS_URL")
    require_redis_if_configured()


@pytest.fixture
def connection():
    require_redis_if_configured()
    with Connection(settings.REDIS_URL, transport="workbench.broker:Transport") as conn:
        yield conn


@pytest.fixture
def queue(connection):
    name = f"test-broker-{uuid.uuid4().hex}"
    simple = connection.SimpleQueue(name)
    yield simple
    simple.clear()
    simple.close()


def counted(client_class):
    """The channel's client class, counting the clients built from it."""

    class Counted(client_class):
        built = 0

        def __init__(self, *args, **kwargs):
            type(self).built += 1
            super().__init__(*args, **kwargs)

    return Counted


def unacked_tags(connection):
    channel = connection.default_channel
    with channel.conn_or_acquire() as client:
        return set(client.hkeys(channel.unacked_key))


def test_the_worker_uses_this_transport_when_the_broker_is_redis():
    if not settings.REDIS_URL:
        pytest.skip("the filesystem broker is kombu's own")
    assert isinstance(app.connection_for_write().transport, Transport)


def test_publishing_fetching_and_acknowledging_builds_no_client_per_message(connection, queue):
    channel = connection.default_channel
    channel.Client = counted(channel.Client)
    for i in range(20):
        queue.put({"n": i})
    got, tags = [], set()
    for _ in range(20):
        message = queue.get(timeout=2)
        tags.add(message.delivery_tag.encode())
        assert message.delivery_tag.encode() in unacked_tags(connection)  # bookkept
        got.append(message.payload["n"])
        message.ack()
    assert got == list(range(20)) and not tags & unacked_tags(connection)
    with pytest.raises(queue.Empty):
        queue.get(timeout=0.2)
    # kombu's own channel builds a client for each put, each delivery and each ack (60).
    assert channel.Client.built <= 1


def test_an_unacknowledged_message_is_restored_when_the_channel_closes(connection, queue):
    queue.put({"n": 1})
    message = queue.get(timeout=2)
    tag = message.delivery_tag.encode()
    assert tag in unacked_tags(connection)
    connection.default_channel.qos.restore_unacked()
    assert tag not in unacked_tags(connection)
    assert queue.get(timeout=2).payload == {"n": 1}


def test_a_channel_whose_pool_was_replaced_builds_a_client_on_the_new_pool(connection, queue):
    channel = connection.default_channel
    first = channel.shared_client()
    assert channel.shared_client() is first
    channel._disconnect_pools()  # what kombu does after a connection error or a fork
    second = channel.shared_client()
    assert second is not first and second.connection_pool is channel.pool
    queue.put({"n": 2})
    message = queue.get(timeout=2)
    message.ack()
    assert message.payload == {"n": 2}


def test_threads_sharing_the_client_each_get_their_own_pipeline(connection, queue):
    channel = connection.default_channel
    for i in range(40):
        queue.put({"n": i})
    errors, got, tags, lock = [], [], set(), threading.Lock()

    def consume():
        try:
            for _ in range(10):
                # As the thread pool does: each worker thread acknowledges its own message.
                with channel.conn_or_acquire() as client:
                    assert isinstance(client, redis.Redis)
                    assert client.pipeline() is not client.pipeline()
                with lock:
                    message = queue.get(timeout=2)
                    tags.add(message.delivery_tag.encode())
                message.ack()
                with lock:
                    got.append(message.payload["n"])
        except Exception as exc:  # reported below, with the thread's own traceback
            errors.append(exc)

    threads = [threading.Thread(target=consume) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sorted(got) == list(range(40))
    assert not tags & unacked_tags(connection)
