from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .apitokens import apitoken_revoke, set_new_secret
from .models import ApiToken, Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "hostname", "last_seen"]
    readonly_fields = ["name", "hostname", "last_seen"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins issue tokens here; the clear token is shown once, on the page after adding."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    actions = ["revoke_selected"]

    def get_readonly_fields(self, request, obj=None):
        info = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by"]
        return ["user", *info] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            request._issued_token = set_new_secret(obj)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        response = TemplateResponse(
            request,
            "admin/workbench/apitoken/issued.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "token": obj,
                "secret": request._issued_token,
                "title": "API token issued",
                "site_url_example": settings.SITE_URL.rstrip("/")
                + reverse("exports:api_claimset_export", kwargs={"slug": "SLUG", "fmt": "csv"}),
            },
        )
        # The clear token must not linger in any cache.
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke_selected(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            apitoken_revoke(token=token, user=request.user)
        self.message_user(request, "Selected tokens are revoked.", messages.SUCCESS)
