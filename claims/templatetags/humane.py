"""Times as people say them: "just now", "5 minutes ago", "waited 2 days"."""

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value):
    """ "just now" under a minute (never "0 minutes ago"), else the largest unit or two."""
    if not value:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value, depth=1)} ago"


@register.filter
def waited(value):
    """How long something has waited since value, e.g. "3 hours"; "under a minute"."""
    if not value:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return "under a minute"
    return timesince(value, depth=1)
