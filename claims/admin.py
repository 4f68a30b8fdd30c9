"""Admin for the editorial models, under the same workflow as the reviewer UI.

Workflow state (a claim's status, dismissal and attention flag; a verdict's state,
approver and decision time; everything about a verified or dismissed claim's evidence)
is never a form field here: it is shown read-only and changes only through the
services, as actions that run the same role and author checks as the UI
(claims/services/workflow.py). tests/test_admin_workflow.py walks every change form.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html_join

from workbench.admin_paging import LargeTablePaginator
from workbench.history_admin import ReasonedHistoryAdmin, ReasonForm

from . import admin_displays
from .exports.admin_actions import EXPORT_ACTIONS
from .models import Article, Claim, ClaimSet, Evidence, ImportedReview, Rating, RatingLabel, Verdict
from .services import claim_reopen, claim_start_review, verdict_approve

CLAIM_WORKFLOW_FIELDS = ["status", "dismissed_reason", "needs_attention", "attention_reason"]
VERDICT_FIELDS = [f.name for f in Verdict._meta.fields if f.name != "id"]


class ClosedClaimForm(forms.ModelForm):
    """Rows that belong to a verified or dismissed claim are shown but cannot change."""

    def closed_claim(self):
        instance = self.instance
        claim = instance if isinstance(instance, Claim) else getattr(instance, "claim", None)
        return claim is not None and claim.pk is not None and claim.is_closed

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.closed_claim():
            for field in self.fields.values():
                field.disabled = True  # posted values are ignored for a disabled field


class EvidenceForm(ClosedClaimForm):
    def clean_claim(self):
        claim = self.cleaned_data.get("claim")
        if claim is not None and claim.is_closed:
            raise ValidationError(
                f"This claim is {claim.get_status_display().lower()}: reopen it before "
                "changing its evidence."
            )
        return claim


class ClaimAdminForm(ClosedClaimForm, ReasonForm):
    pass


class EvidenceAdminForm(EvidenceForm, ReasonForm):
    pass


# Changelists at a million rows: no COUNT(*) of the unfiltered table ("Show all" still
# counts the filtered one), orderings served by an index (see the models' Meta.indexes),
# no date_hierarchy (its year links need DISTINCT over every row) and no list_filter
# whose choices are a DISTINCT over a large column (publishers, domains).
LARGE = {"list_per_page": 50}


class ClaimInline(admin.StackedInline):
    model = Claim
    form = ClosedClaimForm
    extra = 0
    fields = ["text", "quote", "start", "end", "attributed_to", "status", "assignee"]
    readonly_fields = ["status"]
    raw_id_fields = ["assignee"]
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(ReasonedHistoryAdmin):
    show_full_result_count = False
    paginator = LargeTablePaginator  # no COUNT(*) of millions of rows per page
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
    form = ClosedClaimForm
    extra = 0
    fields = ["source", "stance", "passage", "note", "capture", "added_by"]
    raw_id_fields = ["source", "capture", "added_by"]

    def _open(self, obj):
        return obj is None or not obj.is_closed

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


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
    paginator = LargeTablePaginator  # no COUNT(*) of millions of rows per page
    list_per_page = LARGE["list_per_page"]
    list_display = ["__str__", "article", "status", "assignee", "needs_attention", "updated_at"]
    list_filter = ["status", "needs_attention", "assignee"]
    search_fields = ["text", "quote", "attributed_to", "article__title"]
    list_select_related = ["article", "assignee"]
    raw_id_fields = ["article", "assignee", "created_by"]
    form = ClaimAdminForm
    readonly_fields = [
        *CLAIM_WORKFLOW_FIELDS,
        "version",
        "created_at",
        "updated_at",
        "similar_earlier_claims",
    ]
    inlines = [EvidenceInline, VerdictInline]
    actions = [*EXPORT_ACTIONS, "start_review", "reopen"]

    @admin.action(description="Start reviewing the selected claims")
    def start_review(self, request, queryset):
        def start(claim, user):
            return claim_start_review(claim=claim, user=user)

        _run(self, request, queryset, start, "moved to review")

    @admin.action(description="Reopen the selected verified or dismissed claims (editors)")
    def reopen(self, request, queryset):
        def reopen(claim, user):
            return claim_reopen(claim=claim, user=user, reason="Reopened in admin")

        _run(self, request, queryset, reopen, "reopened")

    def has_delete_permission(self, request, obj=None):
        # Deleting a verified claim would erase a published result: dismiss it instead.
        if obj is not None and obj.is_closed:
            return False
        return super().has_delete_permission(request, obj)

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
    paginator = LargeTablePaginator  # no COUNT(*) of millions of rows per page
    list_per_page = LARGE["list_per_page"]
    list_display = ["claim", "source", "stance", "added_by", "created_at"]
    list_filter = ["stance"]
    search_fields = ["claim__text", "source__url", "passage", "note"]
    list_select_related = ["claim", "source", "added_by"]
    raw_id_fields = ["claim", "source", "capture", "added_by"]
    form = EvidenceAdminForm
    readonly_fields = ["passages"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.claim.is_closed:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="Suggested passages")
    def passages(self, obj):
        return admin_displays.passages_panel(obj)


@admin.register(Rating)
class RatingAdmin(ReasonedHistoryAdmin):
    list_display = ["label", "value", "position"]
    list_editable = ["position"]
    search_fields = ["label"]


def _run(modeladmin, request, queryset, act, verb):
    """Run a service on each selected row as the signed-in user; report refusals."""
    done = 0
    for obj in queryset:
        try:
            act(obj, request.user)
            done += 1
        except (PermissionDenied, ValidationError) as exc:
            text = "; ".join(getattr(exc, "messages", [str(exc)]))
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
    if done:
        name = queryset.model._meta.verbose_name_plural
        modeladmin.message_user(request, f"{done} {name} {verb}.", messages.SUCCESS)


@admin.register(Verdict)
class VerdictAdmin(ReasonedHistoryAdmin):
    show_full_result_count = False
    paginator = LargeTablePaginator  # no COUNT(*) of millions of rows per page
    list_per_page = LARGE["list_per_page"]
    list_display = ["claim", "rating", "state", "author", "approver", "decided_at", "created_at"]
    list_filter = ["state", "rating", "author", "approver"]
    search_fields = ["claim__text", "rationale"]
    list_select_related = ["claim", "rating", "author", "approver"]
    # A verdict is proposed, approved, returned and superseded only through the workflow
    # (the UI, or the action below): nothing about it is a form field here.
    fields = VERDICT_FIELDS
    readonly_fields = VERDICT_FIELDS
    actions = ["approve_selected"]

    @admin.action(description="Approve selected verdicts (editors; not your own)")
    def approve_selected(self, request, queryset):
        def approve(verdict, user):
            return verdict_approve(verdict=verdict, user=user)

        _run(self, request, queryset, approve, "approved")

    def has_add_permission(self, request):
        return False  # proposed on the claim's page, by a reviewer, with the workflow

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who decided what stays


@admin.register(ClaimSet)
class ClaimSetAdmin(ReasonedHistoryAdmin):
    show_full_result_count = False
    paginator = LargeTablePaginator  # no COUNT(*) of millions of rows per page
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


@admin.register(RatingLabel)
class RatingLabelAdmin(ReasonedHistoryAdmin):
    """The desk's verdict labels: read before the built-in table
    (claims/text/verdict_labels.py) when ClaimReviews are imported."""

    list_display = ["label", "language", "rating", "note"]
    list_filter = ["language", "rating"]
    search_fields = ["label", "note"]


@admin.register(ImportedReview)
class ImportedReviewAdmin(ReasonedHistoryAdmin):
    """Other checkers' reviews, as published: corrected by importing again, not by hand
    (only our mapping, `rating`, is editable, with a reason)."""

    list_display = ["organisation", "rating_label", "rating", "claim", "date_published", "language"]
    list_filter = ["organisation", "language", "rating"]
    search_fields = ["organisation", "rating_label", "review_url", "claim__text"]
    raw_id_fields = ["claim", "verdict", "imported_by"]
    readonly_fields = [
        f.name
        for f in ImportedReview._meta.get_fields()
        if getattr(f, "concrete", False) and f.name not in ("id", "rating")
    ]
