from django.conf import settings
from django.db import models


class Heartbeat(models.Model):
    """Last sign of life from each background worker queue, written by a periodic task.

    The UI and the admin use it to say plainly when no worker is running.
    """

    name = models.CharField(max_length=100, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    last_seen = models.DateTimeField()
    # How that worker captures sources (settings.CAPTURE_ENGINE) and the Chromium it found
    # (blank: none), so the UI can say when captures fall back to the http engine.
    capture_engine = models.CharField(max_length=16, blank=True)
    chromium = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} @ {self.hostname}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A per-user secret for the read-only API. Only its SHA-256 digest is stored.

    Tokens are long random strings, so a plain digest is enough: there is nothing
    to guess, and lookups stay a single indexed query. Issued and revoked by admins.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What or who the token is for.")
    prefix = models.CharField(
        max_length=16, editable=False, help_text="The first characters, to tell tokens apart."
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…) for {self.user}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None
