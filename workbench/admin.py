from django.contrib import admin

from .models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "hostname", "last_seen"]
    readonly_fields = ["name", "hostname", "last_seen"]

    def has_add_permission(self, request):
        return False
