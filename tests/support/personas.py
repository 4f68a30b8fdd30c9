"""The people in our tests: a reviewer, an editor, a second editor, an outsider."""

from django.apps import apps
from django.contrib.auth.models import Group, User

from claims.defaults import ensure_defaults

PASSWORD = "correct-horse-battery-staple"


def make_user(username, role=None, **extra):
    """A user in the given group ('reviewer', 'editor') or none (an outsider)."""
    ensure_defaults(apps)
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user
