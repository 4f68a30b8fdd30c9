from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html_join

from workbench.history_admin import ReasonedHistoryAdmin

from . import admin_displays
from .exports.admin_actions import EXPORT_ACTIONS
from .models import Article, Claim, ClaimSet, Evidence, Rating, Verdict
from .services import verdict_approve

# Changelists at a million rows: no COUNT(*) of the unfiltered table ("Show all" still
# counts the filtered one), orderings served by an index (see the models' Meta.indexes),
# no date_hierarchy (its year links need DISTINCT over every row) and no list_filter
# whose choices are a DISTINCT over a large column (publishers, domains).
LARGE = {"list_per_page": 50}


class ClaimInline(admin.StackedInline):
    model = Claim
    extra = 0
    fields = ["text", "quote", "start", "end", "attributed_to", "status", "assignee"]
    readonly_fields = ["status"]
    raw_id_fields = ["assignee"]
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(ReasonedHistoryAdmin):
    show_full_result_count = False
    list_per_page = LARGE["list_per_page"]
    list_display = ["title", "publisher", "published", "status", "language", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["title", "url", "publisher", "byline", "body"]
    raw_id_fields = ["capture", "submitted_by"]
    inlines = [ClaimInline]
    readonly_fields = ["suggested_claims"]

    @admin.display(description="Suggested claims (best first)")
    def suggested_claims(self, obj):
        return admin_displays.suggestions_panel(obj)


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["source", "stance", "passage", "note", "capture", "added_by"]
    raw_id_fields = ["source", "capture", "added_by"]


class VerdictInline(admin.TabularInline):
    """Verdicts are visible on the claim; they change through the workflow or their own page."""

    model = Verdict
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["rating", "state", "author", "approver", "decided_at", "rationale"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(ReasonedHistoryAdmin):
    show_full_result_count = False
    list_per_page = LARGE["list_per_page"]
    list_display = ["__str__", "article", "status", "assignee", "needs_attention", "updated_at"]
    list_filter = ["status", "needs_attention", "assignee"]
    search_fields = ["text", "quote", "attributed_to", "article__title"]
    list_select_related = ["article", "assignee"]
    raw_id_fields = ["article", "assignee", "created_by"]
    readonly_fields = ["version", "created_at", "updated_at", "similar_earlier_claims"]
    inlines = [EvidenceInline, VerdictInline]
    actions = EXPORT_ACTIONS

    @admin.display(description="Similar earlier claims")
    def similar_earlier_claims(self, obj):
        return admin_displays.similar_panel(obj)

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Evidence)
class EvidenceAdmin(ReasonedHistoryAdmin):
    show_full_result_count = False
    list_per_page = LARGE["list_per_page"]
    list_display = ["claim", "source", "stance", "added_by", "created_at"]
    list_filter = ["stance"]
    search_fields = ["claim__text", "source__url", "passage", "note"]
    list_select_related = ["claim", "source", "added_by"]
    raw_id_fields = ["claim", "source", "capture", "added_by"]
    readonly_fields = ["passages"]

    @admin.display(description="Suggested passages")
    def passages(self, obj):
        return admin_displays.passages_panel(obj)


@admin.register(Rating)
class RatingAdmin(ReasonedHistoryAdmin):
    list_display = ["label", "value", "position"]
    list_editable = ["position"]
    search_fields = ["label"]


def _run_decision(modeladmin, request, queryset, decide, verb):
    done = 0
    for verdict in queryset:
        try:
            decide(verdict=verdict, user=request.user)
            done += 1
        except (PermissionDenied, ValidationError) as exc:
            text = "; ".join(getattr(exc, "messages", [str(exc)]))
            modeladmin.message_user(request, f"{verdict}: {text}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} verdict(s) {verb}.", messages.SUCCESS)


@admin.register(Verdict)
class VerdictAdmin(ReasonedHistoryAdmin):
    show_full_result_count = False
    list_per_page = LARGE["list_per_page"]
    list_display = ["claim", "rating", "state", "author", "approver", "decided_at", "created_at"]
    list_filter = ["state", "rating", "author", "approver"]
    search_fields = ["claim__text", "rationale"]
    list_select_related = ["claim", "rating", "author", "approver"]
    raw_id_fields = ["claim", "author", "approver"]
    readonly_fields = ["version", "created_at"]
    actions = ["approve_selected"]

    @admin.action(description="Approve selected verdicts (editors; not your own)")
    def approve_selected(self, request, queryset):
        _run_decision(self, request, queryset, verdict_approve, "approved")


@admin.register(ClaimSet)
class ClaimSetAdmin(ReasonedHistoryAdmin):
    show_full_result_count = False
    list_per_page = LARGE["list_per_page"]
    list_display = ["name", "slug", "created_by", "created_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["claims"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["membership_changes"]

    @admin.display(description="Membership changes (latest 20)")
    def membership_changes(self, obj):
        changes = obj.changes.select_related("user")[:20] if obj.pk else []
        return (
            format_html_join(
                "",
                "<div>{} · {} claim {} · {} · {}</div>",
                (
                    (
                        c.at.strftime("%Y-%m-%d %H:%M"),
                        c.get_action_display(),
                        c.claim_id,
                        c.user or "system",
                        c.reason,
                    )
                    for c in changes
                ),
            )
            or "-"
        )
