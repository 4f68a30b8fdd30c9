import pytest
from django.conf import settings

from workbench.celery import app
from workbench.models import Heartbeat
from workbench.tasks import heartbeat

pytestmark = pytest.mark.worker


def test_broker_is_redis_when_configured_else_filesystem():
    expected = "redis" if settings.REDIS_URL else "filesystem"
    # driver_type, not transport_cls: Redis is kombu's transport by way of workbench.broker.
    assert app.connection_for_write().transport.driver_type == expected


def test_capture_tasks_route_to_their_own_queue():
    route = app.amqp.router.route({}, "sources.tasks.capture_source")
    assert route["queue"].name == "capture"
    assert app.amqp.router.route({}, "workbench.tasks.heartbeat")["queue"].name == "default"


@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_a_task_enqueued_on_commit(
    celery_worker, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with transaction.atomic():
        heartbeat.delay_on_commit("test-queue")
        assert not Heartbeat.objects.filter(name="test-queue").exists()
    celery_worker.wait_until(lambda: Heartbeat.objects.filter(name="test-queue").exists())
    assert Heartbeat.objects.get(name="test-queue").hostname
