"""Admin actions on Claim: download the selected claims in each export format.

The selection is exported whatever the claims' status (CSV and JSON show it), except
as ClaimReview, which only ever holds verified claims.
"""

from django.contrib import admin

from . import FORMATS
from .records import ExportFilter
from .views import export_response

LABELS = {"claimreview": "ClaimReview JSON-LD", "csv": "CSV", "json": "JSON", "jsonl": "JSON Lines"}


def _export_action(fmt):
    def action(modeladmin, request, queryset):
        export_filter = ExportFilter(
            claims=queryset, include_unverified=not FORMATS[fmt].verified_only
        )
        return export_response(fmt, export_filter, request.user)

    action.__name__ = f"export_selected_{fmt}"
    suffix = " (verified ones)" if FORMATS[fmt].verified_only else ""
    return admin.action(
        description=f"Export selected claims as {LABELS[fmt]}{suffix}", permissions=["view"]
    )(action)


EXPORT_ACTIONS = [_export_action(fmt) for fmt in FORMATS]
