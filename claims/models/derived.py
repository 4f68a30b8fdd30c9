"""Rows derived from the editorial data, kept alongside it: claim-set tallies and
membership changes, and the band keys behind similar claims. Not edited by people.
(String references to claims.Claim/ClaimSet: editorial.py imports this module.)"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ClaimSetTally(models.Model):
    """How many claims a set holds and how many of them are verified, kept by the database
    in the transaction that changes them (triggers on the membership table and on a
    claim's status, migration 0009), so lists of sets never count their members.
    Derived, not edited: no history, never written by Python."""

    claim_set = models.OneToOneField(
        "claims.ClaimSet", on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    total = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.verified}/{self.total}"


class ClaimSetChange(models.Model):
    """One claim added to or removed from a set: who, when and why. Append-only; written
    for every membership change (services, admin) by claims/receivers.py."""

    class Action(models.TextChoices):
        ADDED = "added", "Added"
        REMOVED = "removed", "Removed"

    claim_set = models.ForeignKey(
        "claims.ClaimSet", on_delete=models.CASCADE, related_name="changes"
    )
    # No constraint, like simple-history's own references: the record outlives the claim.
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    action = models.CharField(max_length=8, choices=Action)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["claim_set", "-at", "-id"], name="claims_claimsetchange_set")
        ]

    def __str__(self):
        return f"{self.get_action_display()} claim {self.claim_id} ({self.claim_set_id})"


class ClaimBand(models.Model):
    """One MinHash band key of a claim's similarity key: the candidates of similar claims.

    Claims that share a band key are likely similar (claims/text/similarity.py); the
    lookup reads the rows of a query's keys from the index, then scores the claims
    found exactly. Kept by Claim.save() whenever the key changes.
    """

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key", "claim"], name="claims_claimband_key")]

    def __str__(self):
        return f"{self.claim_id}:{self.key}"
