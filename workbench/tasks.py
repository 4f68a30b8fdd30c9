import socket

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.utils import timezone

from .models import Heartbeat


def heartbeat_record(name):
    Heartbeat.objects.update_or_create(
        name=name,
        defaults={
            "hostname": socket.gethostname(),
            "last_seen": timezone.now(),
            "capture_engine": settings.CAPTURE_ENGINE,
            "chromium": settings.CHROMIUM_PATH,
        },
    )


@shared_task(ignore_result=True)
def heartbeat(name="default"):
    """Record that a worker consuming this queue is alive."""
    heartbeat_record(name)


@worker_ready.connect
def _report_at_start(sender, **kwargs):
    # Beat's first round comes a minute after start; say we are here at once.
    for name in sender.app.amqp.queues.consume_from:
        heartbeat_record(name)
