"""Sources and their captures. This app knows nothing of claims."""

from django.conf import settings
from django.db import models

from .urlnorm import normalize_url, url_domain


class SourceQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Source.Status.PENDING)

    def claimable(self, now):
        """Waiting for a worker, or held by one whose lease ran out (it died)."""
        return self.filter(
            models.Q(status=Source.Status.PENDING)
            | models.Q(status=Source.Status.CAPTURING, lease_expires_at__lt=now)
        )

    def lost(self, now):
        """Work no worker is doing: the message was never sent, lost, or its worker died."""
        unfinished = models.Q(status__in=[Source.Status.PENDING, Source.Status.CAPTURING])
        unleased = models.Q(lease_expires_at__isnull=True) | models.Q(lease_expires_at__lte=now)
        return self.filter(unfinished, unleased)

    def due_for_recheck(self, cutoff):
        return self.filter(
            status__in=[Source.Status.OK, Source.Status.FAILED], last_checked_at__lt=cutoff
        )


class Source(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CAPTURING = "capturing", "Capturing"
        OK = "ok", "Captured"
        FAILED = "failed", "Failed"
        REFUSED = "refused", "Refused"

    url = models.URLField(max_length=2000, unique=True, help_text="Normalised URL.")
    domain = models.CharField(max_length=255, db_index=True, editable=False)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    latest_capture = models.ForeignKey(
        "Capture", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # Capturing: the worker owns the capture until this time (its value is the claim token).
    # Pending: the message is presumed on its way until then; after it the sweep re-sends.
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "lease_expires_at"], name="sources_source_status_lease"),
            # The admin's changelist order (it adds -pk), a page at a time at millions of rows.
            models.Index(fields=["-created_at", "-id"], name="sources_source_created"),
            # The recheck's due query walks this in order and stops at its batch size.
            models.Index(
                fields=["last_checked_at"],
                condition=models.Q(status__in=["ok", "failed"]),
                name="sources_source_recheck_due",
            ),
        ]

    def __str__(self):
        return self.url

    def save(self, *args, **kwargs):
        # Normalising is part of what a Source *is* (one row per normalised URL),
        # not a side effect.
        self.url = normalize_url(self.url)
        self.domain = url_domain(self.url)
        super().save(*args, **kwargs)

    def clean(self):
        if self.url:
            self.url = normalize_url(self.url)
            self.domain = url_domain(self.url)


class CaptureQuerySet(models.QuerySet):
    def ok(self):
        return self.filter(outcome=Capture.Outcome.OK)


class Capture(models.Model):
    """One fetch attempt (or uploaded copy). Append-only: rows are never edited."""

    class Engine(models.TextChoices):
        HTTP = "http", "HTTP request"
        BROWSER = "browser", "Browser (Chromium)"

    class Outcome(models.TextChoices):
        OK = "ok", "OK"
        FAILED = "failed", "Failed"
        REFUSED = "refused", "Refused"

    class Origin(models.TextChoices):
        FETCHED = "fetched", "Fetched"
        UPLOADED = "uploaded", "Uploaded by a reviewer"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="captures")
    origin = models.CharField(max_length=16, choices=Origin, default=Origin.FETCHED)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    archive = models.FileField(upload_to="archives/%Y/%m/", blank=True)
    title = models.TextField(blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=16, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    encoding = models.CharField(max_length=40, blank=True, help_text="How the text was decoded.")
    error_code = models.CharField(max_length=64, blank=True, db_index=True)
    error_message = models.TextField(blank=True)
    engine = models.CharField(
        max_length=16, choices=Engine, blank=True, help_text="What captured it (blank: uploaded)."
    )
    resources = models.PositiveIntegerField(
        null=True, blank=True, help_text="Response records in the archive."
    )
    page_count = models.PositiveIntegerField(null=True, blank=True, help_text="PDF pages.")
    # PDF: where each page begins in `text`, so a passage's offset maps to its page.
    page_starts = models.JSONField(default=list, blank=True, editable=False)

    objects = CaptureQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["-requested_at", "-id"], name="sources_capture_requested")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="ok") | ~models.Q(error_code=""),
                name="sources_capture_failure_has_code",
            ),
        ]

    def __str__(self):
        return f"{self.source} @ {self.requested_at:%Y-%m-%d %H:%M} ({self.outcome})"

    def page_of(self, offset):
        """The 1-based PDF page holding character `offset` of the text, else None."""
        from .engines.pdf import page_of

        return page_of(self.page_starts, offset)


class Artefact(models.Model):
    """A file kept beside a Capture (screenshot, rendered DOM, WACZ). Append-only."""

    class Kind(models.TextChoices):
        SCREENSHOT = "screenshot", "Full-page screenshot"
        VIEWPORT = "viewport", "Viewport screenshot"
        DOM = "dom", "Rendered DOM (HTML)"
        WACZ = "wacz", "Web archive (WACZ)"

    capture = models.ForeignKey(Capture, on_delete=models.CASCADE, related_name="artefacts")
    kind = models.CharField(max_length=16, choices=Kind)
    file = models.FileField(upload_to="artefacts/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["capture", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["capture", "kind"], name="sources_artefact_one_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of capture {self.capture_id}"


class DomainSlot(models.Model):
    """Per-domain politeness shared by every worker: the next time a request may start."""

    domain = models.CharField(max_length=255, unique=True)
    next_at = models.DateTimeField()

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return f"{self.domain} (next {self.next_at:%H:%M:%S})"
