from django.contrib import admin
from django.utils.html import format_html

from .models import Capture, Source


class CaptureInline(admin.TabularInline):
    model = Capture
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["requested_at", "origin", "outcome", "http_status", "error_code", "size", "sha256"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["url", "domain", "status", "last_checked_at", "created_at"]
    list_filter = ["status", "latest_capture__outcome", "latest_capture__error_code", "domain"]
    search_fields = ["url", "domain"]
    date_hierarchy = "created_at"
    readonly_fields = ["domain", "status", "latest_capture", "last_checked_at", "created_at"]
    fields = ["url", *readonly_fields, "added_by"]
    raw_id_fields = ["added_by"]
    inlines = [CaptureInline]


@admin.register(Capture)
class CaptureAdmin(admin.ModelAdmin):
    """Captures are an append-only log: viewable, never edited."""

    list_display = [
        "source",
        "requested_at",
        "origin",
        "outcome",
        "http_status",
        "error_code",
        "size",
    ]
    list_filter = ["outcome", "origin", "error_code"]
    search_fields = ["source__url", "final_url", "title", "sha256"]
    date_hierarchy = "requested_at"
    list_select_related = ["source"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["text_preview"]

    @admin.display(description="Extracted text")
    def text_preview(self, obj):
        # Escaped by format_html: fetched content is never rendered as markup.
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", obj.text[:20000])

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
