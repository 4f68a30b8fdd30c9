"""Articles, claims, ratings, evidence, verdicts and claim sets: what reviewers edit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from simple_history.models import HistoricalRecords

from sources.models import Capture, Source

from ..text.similarity import band_keys, similarity_key
from .derived import ClaimBand

USER = settings.AUTH_USER_MODEL


class Article(models.Model):
    class Status(models.TextChoices):
        READY = "ready", "Ready"
        IMPORTING = "importing", "Importing"
        FAILED = "failed", "Failed"

    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.READY)
    import_error = models.TextField(blank=True)
    capture = models.ForeignKey(
        Capture, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="claims_article_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="claims_article_url_unique"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        # Editing the body must not strand existing claims' quotes.
        if self.pk:
            broken = [c.pk for c in self.claims.all() if self.body[c.start : c.end] != c.quote]
            if broken:
                raise ValidationError(
                    {
                        "body": f"This change moves or removes the quoted text of claims {broken}; "
                        "edit those claims first."
                    }
                )


class ClaimQuerySet(models.QuerySet):
    def awaiting_approval(self):
        return self.filter(status=Claim.Status.AWAITING_APPROVAL)

    def verified(self):
        return self.filter(status=Claim.Status.VERIFIED)

    def open(self):
        return self.exclude(status__in=[Claim.Status.VERIFIED, Claim.Status.DISMISSED])

    def assigned_to(self, user):
        return self.filter(assignee=user)

    def with_imported_flag(self):
        """`has_imported_reviews` on each claim: the claim page lists them only when true,
        so a claim without any costs no extra query."""
        imported = self.model._meta.get_field("imported_reviews").related_model  # reviews.py
        reviews = imported.objects.filter(claim=models.OuterRef("pk"))
        return self.annotate(has_imported_reviews=models.Exists(reviews))


class Claim(models.Model):
    class Status(models.TextChoices):
        UNREVIEWED = "unreviewed", "Unreviewed"
        IN_REVIEW = "in_review", "In review"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        VERIFIED = "verified", "Verified"
        DISMISSED = "dismissed", "Dismissed"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    text = models.TextField(help_text="The claim as a self-contained statement.")
    quote = models.TextField(help_text="The exact words in the article body.")
    start = models.PositiveIntegerField(help_text="Character offset of the quote in the body.")
    end = models.PositiveIntegerField()
    attributed_to = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.UNREVIEWED)
    dismissed_reason = models.TextField(blank=True)
    needs_attention = models.BooleanField(
        default=False, help_text="Set when a source behind an approved verdict changed."
    )
    attention_reason = models.TextField(
        blank=True, help_text="Why the claim needs attention (which source changed, and when)."
    )
    assignee = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_claims"
    )
    checkworthiness = models.FloatField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="For optimistic locking.")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The content words of `text` stemmed by its language, kept by save(); "similar claims"
    # compares these (band index, trigram index on PostgreSQL). See claims/text/similarity.py.
    # Derived from the text, like ClaimBand: not part of the history (migration 0014), so
    # rekeying claims when the key's definition changes is nobody's edit.
    similarity_key = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["similarity_key"])

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="claims_claim_span_nonempty"
            ),
            # The quote is exactly the span it claims to be; that it matches the body
            # text (another table) is checked in clean().
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")), name="claims_claim_quote_length"
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismissed_reason=""),
                name="claims_claim_dismissal_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="claims_claim_status_updated"),
            models.Index(fields=["assignee", "status"], name="claims_claim_assignee_status"),
            # The queue's lists, newest change first, a page at a time (keyset pagination).
            models.Index(fields=["-updated_at", "-id"], name="claims_claim_updated"),
            models.Index(fields=["assignee", "-updated_at"], name="claims_claim_assignee_updated"),
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        self.similarity_key = similarity_key(self.text)
        created = self._state.adding
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "similarity_key"}
        super().save(*args, **kwargs)
        if getattr(self, "_stored_key", None) != self.similarity_key:
            # The similar-claims candidates (ClaimBand) follow the text, in the same
            # transaction as the text itself when the caller is atomic.
            if not created:
                ClaimBand.objects.filter(claim=self).delete()
            ClaimBand.objects.bulk_create(
                ClaimBand(claim=self, key=key) for key in band_keys(self.similarity_key)
            )
            self._stored_key = self.similarity_key

    @classmethod
    def from_db(cls, db, field_names, values):
        claim = super().from_db(db, field_names, values)
        claim._stored_key = claim.__dict__.get("similarity_key")
        return claim

    def clean(self):
        super().clean()
        try:
            article = self.article  # may be an unsaved parent in an admin inline
        except Article.DoesNotExist:
            return
        if self.start is None or self.end is None:
            return
        body = article.body
        if self.end > len(body) or self.start >= self.end:
            raise ValidationError(
                {
                    "end": f"Offsets {self.start}-{self.end} fall outside the body "
                    f"({len(body)} characters)."
                }
            )
        if body[self.start : self.end] != self.quote:
            raise ValidationError(
                {
                    "quote": "The quote does not match the article text at these offsets "
                    f"(the body there reads: “{body[self.start : self.end][:120]}”)."
                }
            )

    @property
    def is_closed(self):
        """Verified or dismissed: reopen it before changing what it rests on."""
        return self.status in (self.Status.VERIFIED, self.Status.DISMISSED)


class Rating(models.Model):
    label = models.CharField(max_length=100, unique=True)
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Numeric value for ClaimReview ratingValue; empty if none."
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the scale.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class EvidenceQuerySet(models.QuerySet):
    def unassessed(self):
        return self.filter(stance=Evidence.Stance.UNASSESSED)


class Evidence(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        CONTRADICTS = "contradicts", "Contradicts"
        CONTEXT = "context", "Context"
        UNASSESSED = "unassessed", "Unassessed"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=16, choices=Stance, default=Stance.UNASSESSED)
    passage = models.TextField(blank=True, help_text="The passage of the source text relied on.")
    note = models.TextField(blank=True)
    capture = models.ForeignKey(
        Capture,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The capture the passage was assessed against.",
    )
    suggested_passages = models.JSONField(default=list, blank=True, editable=False)
    added_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["created_at", "id"], name="claims_evidence_created"),
            # A claim's sources in order (the claim page): without it the planner walks
            # every evidence row by date for a claim with many sources.
            models.Index(fields=["claim", "created_at", "id"], name="claims_evidence_claim_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"], name="claims_evidence_unique_source"
            ),
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.source}"


class VerdictQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=Verdict.State.APPROVED)

    def proposed(self):
        return self.filter(state=Verdict.State.PROPOSED)


class Verdict(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"
        SUPERSEDED = "superseded", "Superseded"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="verdicts")
    rationale = models.TextField()
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="verdicts_written")
    state = models.CharField(max_length=16, choices=State, default=State.PROPOSED)
    approver = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verdicts_decided",
        help_text="The editor who approved or returned it.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, help_text="Why it was returned.")
    no_evidence_reason = models.TextField(
        blank=True,
        help_text="Why no assessed source is needed, when the verdict was proposed without one "
        "(shown to the approver).",
    )
    review_url = models.URLField(
        max_length=2000,
        blank=True,
        help_text="Where this review was published, for one imported from ClaimReview; "
        "exports give it as the review's url.",
    )
    version = models.PositiveIntegerField(default=1, help_text="For optimistic locking.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = VerdictQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="claims_verdict_created")]
        permissions = [("approve_verdict", "Can approve or return a verdict")]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(state="approved"), name="claims_verdict_one_approved"
            ),
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | ~Q(approver=F("author")),
                name="claims_verdict_approver_not_author",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "returned"]) | Q(approver__isnull=False),
                name="claims_verdict_decision_has_approver",
            ),
            # A decision has a time, and a proposal has neither approver nor time: what
            # the database can enforce of the workflow (who may approve is the services').
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "returned"]) | Q(decided_at__isnull=False),
                name="claims_verdict_decision_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="proposed") | Q(approver__isnull=True, decided_at__isnull=True),
                name="claims_verdict_proposal_undecided",
            ),
        ]

    def __str__(self):
        return f"{self.rating} ({self.get_state_display()}) on {self.claim}"

    def clean(self):
        super().clean()
        if self.approver_id and self.approver_id == self.author_id:
            raise ValidationError({"approver": "The approver cannot be the verdict's author."})


class ClaimSet(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    claims = models.ManyToManyField(Claim, blank=True, related_name="claim_sets")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Membership is recorded change by change in ClaimSetChange: a snapshot of the whole
    # membership per change (simple-history's m2m_fields) wrote 50,001 rows to add one
    # claim to a set of 50,000.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
