"""Roles are Django groups; code checks permissions, which the groups carry."""

from django.core.exceptions import PermissionDenied

REVIEWER = "reviewer"
EDITOR = "editor"
APPROVE_PERM = "claims.approve_verdict"


def is_reviewer(user) -> bool:
    return user.is_active and user.has_perm("claims.add_claim")


def is_editor(user) -> bool:
    return user.is_active and user.has_perm(APPROVE_PERM)


def require_reviewer(user, action="do this"):
    if not is_reviewer(user):
        raise PermissionDenied(f"Only reviewers and editors can {action}.")


def require_editor(user, action="do this"):
    if not is_editor(user):
        raise PermissionDenied(f"Only an editor can {action}.")
