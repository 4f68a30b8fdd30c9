"""Who may export what. Checked on the server for every download, whatever the surface."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from sources.models import Capture

from ..models import ClaimSet, Evidence, Verdict
from ..roles import is_reviewer

# Reviewers, editors and the "consumer" group (downloads only) hold it.
EXPORT_PERM = "claims.view_claimset"


def can_export(user):
    return user.is_active and user.has_perm(EXPORT_PERM)


def can_export_unverified(user):
    """Claims not yet verified are work in progress: only the review team sees them."""
    return is_reviewer(user)


def claimset_for_export(user, slug, *, include_unverified=False):
    claim_set = get_object_or_404(ClaimSet, slug=slug)
    if not can_export(user):
        raise PermissionDenied("You may not export claim sets.")
    if include_unverified and not can_export_unverified(user):
        raise PermissionDenied(
            "Only reviewers and editors may export claims that are not verified."
        )
    return claim_set


def capture_for_download(user, pk):
    """A capture whose archived copy this user may download.

    The review team may download any; an exporter only those behind evidence of a
    verified claim, which are the ones its exports link to.
    """
    capture = get_object_or_404(Capture.objects.exclude(archive=""), pk=pk)
    if user.is_active and user.has_perm("sources.view_capture"):
        return capture
    if (
        can_export(user)
        and Evidence.objects.filter(
            capture=capture, claim__verdicts__state=Verdict.State.APPROVED
        ).exists()
    ):
        return capture
    raise PermissionDenied("You may not download this capture.")
