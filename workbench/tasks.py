import socket

from celery import shared_task
from django.utils import timezone

from .models import Heartbeat


@shared_task(ignore_result=True)
def heartbeat(name="default"):
    """Record that a worker consuming this queue is alive."""
    Heartbeat.objects.update_or_create(
        name=name, defaults={"hostname": socket.gethostname(), "last_seen": timezone.now()}
    )
