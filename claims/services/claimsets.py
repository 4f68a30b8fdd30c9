"""Claim sets: named collections of claims that are exported as a unit (editors assemble them).

Membership changes go through the set (`claim_set.claims.add/remove`): each added or
removed claim becomes one ClaimSetChange row (claims/receivers.py) with who and why, and
the set's own history gets one row naming the change; the cost is that of the change,
not of the set's size.
"""

from django.db import transaction
from django.utils.text import slugify

from ..history import tracked_save
from ..models import ClaimSet
from ..roles import require_editor
from .workflow import WorkflowError


def unique_slug(name):
    base = slugify(name)[:90] or "set"
    slug, n = base, 1
    while ClaimSet.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def claimset_create(*, name, user, description="", slug="", reason="Claim set created"):
    """A new claim set (user None: a command, named in reason)."""
    if user is not None:
        require_editor(user, "change claim sets")
    name = (name or "").strip()
    if not name:
        raise WorkflowError({"name": "A claim set needs a name."})
    slug = slugify(slug or "")
    if slug and ClaimSet.objects.filter(slug=slug).exists():
        raise WorkflowError({"slug": f"The short name “{slug}” is taken."})
    claim_set = ClaimSet(
        name=name, slug=slug or unique_slug(name), description=description.strip(), created_by=user
    )
    return tracked_save(claim_set, user=user, reason=reason)


def _membership_changed(claim_set, *, user, reason):
    # The m2m_changed receiver reads who and why from the instance; the set's history
    # row says what changed in words (one row, whatever the set's size).
    tracked_save(claim_set, user=user, reason=reason)


@transaction.atomic
def claimset_add_claims(*, claim_set, claims, user, reason=""):
    """Add claims to the set; those already in it are skipped. Returns how many were added.

    user None: a command, whose reason replaces the default one."""
    if user is not None:
        require_editor(user, "change claim sets")
    claim_set = ClaimSet.objects.select_for_update().get(pk=claim_set.pk)
    wanted = {claim.pk for claim in claims}
    present = set(claim_set.claims.filter(pk__in=wanted).values_list("pk", flat=True))
    new = sorted(wanted - present)
    if new:
        added = f"Added claim{'s' if len(new) > 1 else ''} {_ids(new)}"
        _membership_changed(claim_set, user=user, reason=reason or added)
        claim_set.claims.add(*new)
    return len(new)


@transaction.atomic
def claimset_remove_claims(*, claim_set, claims, user):
    require_editor(user, "change claim sets")
    claim_set = ClaimSet.objects.select_for_update().get(pk=claim_set.pk)
    wanted = {claim.pk for claim in claims}
    present = sorted(claim_set.claims.filter(pk__in=wanted).values_list("pk", flat=True))
    if present:
        _membership_changed(
            claim_set,
            user=user,
            reason=f"Removed claim{'s' if len(present) > 1 else ''} {_ids(present)}",
        )
        claim_set.claims.remove(*present)
    return len(present)


def _ids(pks):
    shown = ", ".join(str(pk) for pk in pks[:10])
    return shown + (f" and {len(pks) - 10} more" if len(pks) > 10 else "")
