"""Roles are Django groups; code checks permissions, which the groups carry."""

REVIEWER = "reviewer"
EDITOR = "editor"
APPROVE_PERM = "claims.approve_verdict"


def is_reviewer(user) -> bool:
    return user.is_active and user.has_perm("claims.add_claim")


def is_editor(user) -> bool:
    return user.is_active and user.has_perm(APPROVE_PERM)
