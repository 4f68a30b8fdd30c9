"""Who may see what: every page needs a signed-in reviewer or editor.

One helper per object type: 404 for an unknown id, PermissionDenied for a user
without a role. Actions check their own role (editor, author) in the services.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from sources.models import Capture, Source

from ..models import Article, Claim, ClaimSet, Evidence, Verdict
from ..roles import is_reviewer

NO_ROLE = (
    "Your account has no reviewer or editor role yet. Ask an administrator to add you to "
    "the reviewer or editor group."
)


def require_reviewer(user):
    if not is_reviewer(user):
        raise PermissionDenied(NO_ROLE)


def reviewer_required(view):
    """Signed in (else to the sign-in page) and a reviewer or editor (else 403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_reviewer(request.user)
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def get_claim(request, pk):
    require_reviewer(request.user)
    claims = Claim.objects.select_related("article", "assignee").with_imported_flag()
    return get_object_or_404(claims, pk=pk)


def get_verdict(request, pk):
    require_reviewer(request.user)
    return get_object_or_404(Verdict.objects.select_related("claim", "rating", "author"), pk=pk)


def get_evidence(request, pk):
    require_reviewer(request.user)
    return get_object_or_404(Evidence.objects.select_related("claim", "source"), pk=pk)


def get_article(request, pk):
    require_reviewer(request.user)
    return get_object_or_404(Article, pk=pk)


def get_claim_set(request, slug):
    require_reviewer(request.user)
    return get_object_or_404(ClaimSet, slug=slug)


def get_source(request, pk):
    require_reviewer(request.user)
    return get_object_or_404(Source, pk=pk)


def get_capture(request, pk):
    require_reviewer(request.user)
    return get_object_or_404(Capture, pk=pk)
