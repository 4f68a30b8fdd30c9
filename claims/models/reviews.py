"""Other fact-checkers' published reviews, and the desk's own mapping of their labels."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..text.verdict_labels import normalise as normalise_label
from .editorial import USER, Claim, Rating, Verdict


class RatingLabel(models.Model):
    """A desk's own mapping of a published verdict label onto our scale.

    The importer reads these before the built-in table (claims/text/verdict_labels.py),
    so an admin adds a label the table lacks, or overrides one, without a deploy.
    """

    label = models.CharField(max_length=200, help_text="As publishers write it; case is ignored.")
    key = models.CharField(max_length=200, editable=False, unique=True)
    language = models.CharField(max_length=16, blank=True, help_text="e.g. es, pt-BR (a note).")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="published_labels")
    note = models.TextField(blank=True, help_text="Why this mapping (who publishes the label).")
    history = HistoricalRecords()

    class Meta:
        ordering = ["language", "label"]

    def __str__(self):
        return f"{self.label} -> {self.rating}"

    def save(self, *args, **kwargs):
        self.key = normalise_label(self.label)
        super().save(*args, **kwargs)


class ImportedReview(models.Model):
    """A ClaimReview another fact-checker published, kept as they published it.

    `published` is the review node as read (empty values dropped, @id references
    resolved); exports write it back unchanged, so nothing of ours is put in their
    mouth. The other columns are what the workbench reads from it (to list, compare and
    search), and `rating` is our mapping of their verdict with `mapping` saying how.
    A claim carries any number of these next to our own verdict; `verdict` is the
    approved verdict the import gave a claim it created (None for later reviews).
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="imported_reviews")
    verdict = models.OneToOneField(
        Verdict, null=True, blank=True, on_delete=models.SET_NULL, related_name="imported_review"
    )
    review_url = models.URLField(max_length=2000, blank=True)
    organisation = models.CharField(max_length=300, blank=True)
    organisation_url = models.CharField(max_length=2000, blank=True)
    organisation_same_as = models.JSONField(default=list, blank=True)
    organisation_logo = models.CharField(max_length=2000, blank=True)
    date_published = models.CharField(max_length=64, blank=True, help_text="As published.")
    language = models.CharField(max_length=35, blank=True)
    rating_label = models.CharField(max_length=300, blank=True, help_text="Their label.")
    rating_value = models.CharField(max_length=32, blank=True)
    rating_best = models.CharField(max_length=32, blank=True)
    rating_worst = models.CharField(max_length=32, blank=True)
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="imported_reviews")
    mapping = models.CharField(max_length=500, help_text="How their verdict became our rating.")
    claim_author = models.CharField(max_length=300, blank=True)
    claim_date = models.CharField(max_length=64, blank=True)
    claim_url = models.CharField(max_length=2000, blank=True)
    appearances = models.JSONField(default=list, blank=True)
    published = models.JSONField(help_text="The review as published (exports write it back).")
    imported_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "review_url"],
                condition=~Q(review_url=""),
                name="claims_importedreview_url_unique",
            ),
        ]

    def __str__(self):
        return f"{self.organisation or 'unknown checker'}: {self.rating_label or self.rating}"
