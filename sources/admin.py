"""Admin for sources and their captures.

Captured content is never served as a page from our origin: the archive and the
extracted text are downloads (attachments, nosniff), and text on admin pages is escaped.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from workbench.admin_paging import LargeTablePaginator

from .downloads import archive_response
from .models import Capture, Source
from .services import (
    capture_upload,
    failed_sources,
    source_add,
    source_recapture,
    sources_retry_failed,
)


def capture_downloads(capture):
    links = []
    if capture.archive:
        links.append(("sources_capture_archive", "archive (WARC)"))
    if capture.text:
        links.append(("sources_capture_text", "text"))
    return (
        format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            ((reverse(f"admin:{name}", args=[capture.pk]), label) for name, label in links),
        )
        or "-"
    )


class CaptureInline(admin.TabularInline):
    model = Capture
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "requested_at",
        "origin",
        "outcome",
        "http_status",
        "error_code",
        "size",
        "sha256",
        "downloads",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Download")
    def downloads(self, obj):
        return capture_downloads(obj)


class UploadCopyForm(forms.Form):
    file = forms.FileField(help_text="The saved page (HTML), a PDF or a plain text file.")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    # Millions of rows: no COUNT(*) of the whole table, ordering by an index
    # (sources_source_created), no DISTINCT over domains or dates for filters.
    show_full_result_count = False
    paginator = LargeTablePaginator  # no COUNT(*) of millions of rows per page
    list_per_page = 50
    list_display = ["url", "domain", "status", "outcome", "error_code", "last_checked_at"]
    list_filter = ["status", "latest_capture__outcome"]
    # Still filterable from a link (?domain=…, ?latest_capture__error_code=…), but not
    # offered in the sidebar, whose choices would be a DISTINCT over millions of rows.
    LINK_FILTERS = ("domain", "domain__exact", "latest_capture__error_code")

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.LINK_FILTERS or super().lookup_allowed(lookup, value, request)

    list_select_related = ["latest_capture"]
    search_fields = ["url", "domain"]

    def get_queryset(self, request):
        # The list shows the capture's outcome and error code, never its text.
        return super().get_queryset(request).defer("latest_capture__text")

    readonly_fields = [
        "domain",
        "status",
        "latest_capture",
        "last_checked_at",
        "attempts",
        "created_at",
        "added_by",
        "upload",
    ]
    fields = ["url", *readonly_fields]
    inlines = [CaptureInline]
    actions = ["recapture", "retry_failed"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Outcome", ordering="latest_capture__outcome")
    def outcome(self, obj):
        return obj.latest_capture.outcome if obj.latest_capture else "-"

    @admin.display(description="Error code", ordering="latest_capture__error_code")
    def error_code(self, obj):
        return obj.latest_capture.error_code if obj.latest_capture else ""

    @admin.display(description="Uploaded copy")
    def upload(self, obj):
        if not obj.pk:
            return "-"
        url = reverse("admin:sources_source_upload", args=[obj.pk])
        return format_html('<a href="{}">Upload a copy (paywall, login wall)</a>', url)

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def get_readonly_fields(self, request, obj=None):
        # A source is one URL for good: its captures would not match another one.
        return ["url", *self.readonly_fields] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            source_add(url=obj.url, user=request.user)  # queues the new, pending source

    @admin.action(description="Capture the selected sources again")
    def recapture(self, request, queryset):
        for source in queryset:
            source_recapture(source=source, user=request.user)
        self.message_user(request, f"{queryset.count()} sources queued for capture.")

    @admin.action(description="Retry the selected failed captures (any error code)")
    def retry_failed(self, request, queryset):
        failed = failed_sources(codes=()).filter(pk__in=queryset.values("pk"))
        queued = sources_retry_failed(sources=failed, user=request.user)
        self.message_user(request, f"{queued} failed sources queued for capture again.")

    def get_urls(self):
        upload = path(
            "<path:object_id>/upload/",
            self.admin_site.admin_view(self.upload_view),
            name="sources_source_upload",
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request, object_id):
        source = get_object_or_404(Source, pk=object_id)
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        form = UploadCopyForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                capture_upload(
                    source=source, uploaded_file=form.cleaned_data["file"], user=request.user
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                self.message_user(request, "The uploaded copy was captured.", messages.SUCCESS)
                return redirect("admin:sources_source_change", source.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload a copy",
            "opts": self.model._meta,
            "original": source,
            "form": form,
        }
        return TemplateResponse(request, "admin/sources/source/upload_copy.html", context)


@admin.register(Capture)
class CaptureAdmin(admin.ModelAdmin):
    """Captures are an append-only log: viewable and downloadable, never edited."""

    show_full_result_count = False
    paginator = LargeTablePaginator  # no COUNT(*) of millions of rows per page
    list_per_page = 50

    list_display = [
        "source",
        "requested_at",
        "origin",
        "outcome",
        "http_status",
        "error_code",
        "size",
    ]
    list_filter = ["outcome", "origin"]
    LINK_FILTERS = ("error_code", "source__domain")

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.LINK_FILTERS or super().lookup_allowed(lookup, value, request)

    search_fields = ["source__url", "final_url", "title", "sha256"]
    list_select_related = ["source"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["downloads", "text_preview"]

    @admin.display(description="Download")
    def downloads(self, obj):
        return capture_downloads(obj)

    @admin.display(description="Extracted text")
    def text_preview(self, obj):
        # Escaped by format_html: fetched content is never rendered as markup.
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", obj.text[:20000])

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/archive/", view(self.archive_view), name="sources_capture_archive"),
            path("<int:pk>/text/", view(self.text_view), name="sources_capture_text"),
            *super().get_urls(),
        ]

    def _capture(self, request, pk):
        capture = get_object_or_404(Capture, pk=pk)
        if not self.has_view_permission(request, capture):
            raise PermissionDenied
        return capture

    def archive_view(self, request, pk):
        return archive_response(self._capture(request, pk))

    def text_view(self, request, pk):
        capture = self._capture(request, pk)
        response = HttpResponse(capture.text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="capture-{capture.pk}.txt"'
        return response
