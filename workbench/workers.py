"""Is anything working the queues? Reviewers should hear it plainly when not.

Each worker writes a Heartbeat row per queue it consumes when it starts, and beat
asks every queue for one each minute (CELERY_BEAT_SCHEDULE).
"""

import datetime

from django.utils import timezone

from .models import Heartbeat

QUEUES = ("default", "capture")
# Three missed beats: a worker busy with long captures still answers within this.
STALE_AFTER = datetime.timedelta(minutes=3)


def silent_queues(now=None):
    """The queues with no worker heard from recently, with when each was last seen."""
    now = now or timezone.now()
    seen = dict(Heartbeat.objects.filter(name__in=QUEUES).values_list("name", "last_seen"))
    return [
        (queue, seen.get(queue))
        for queue in QUEUES
        if seen.get(queue) is None or now - seen[queue] > STALE_AFTER
    ]


def capture_fallback(now=None):
    """The capture worker heard from recently, when it captures with the http engine because
    it found no Chromium; else None."""
    now = now or timezone.now()
    beat = Heartbeat.objects.filter(name="capture", last_seen__gte=now - STALE_AFTER).first()
    if beat and beat.capture_engine == "http" and not beat.chromium:
        return beat
    return None
