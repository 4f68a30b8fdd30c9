from django.db import models


class Heartbeat(models.Model):
    """Last sign of life from each background worker queue, written by a periodic task.

    The UI and the admin use it to say plainly when no worker is running.
    """

    name = models.CharField(max_length=100, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    last_seen = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} @ {self.hostname}"
