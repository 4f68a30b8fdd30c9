"""Admin base that records who changed a tracked row and why.

SimpleHistoryAdmin records the user and shows field-by-field changes between
versions; this adds a "reason for change" field to every form and inline.
"""

from django import forms
from simple_history.admin import SimpleHistoryAdmin


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        required=False,
        max_length=100,
        label="Reason for change",
        help_text="Kept in the history. Left empty, the changed fields are recorded.",
    )


def default_reason(form, change):
    if not change:
        return "Created in admin"
    fields = [name for name in form.changed_data if name != "change_reason"]
    return ("Changed in admin: " + ", ".join(fields))[:100] if fields else "Saved in admin"


class ReasonedHistoryAdmin(SimpleHistoryAdmin):
    form = ReasonForm

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj._change_reason = form.cleaned_data.get("change_reason") or default_reason(form, change)
        # Kept for save_related: inlines and m2m changes share the parent's reason.
        request._change_reason = obj._change_reason
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        obj._history_user = request.user
        obj._change_reason = "Deleted in admin"
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        reason = getattr(request, "_change_reason", "Changed in admin")
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._history_user = request.user
            obj._change_reason = f"Deleted in admin ({reason})"[:100]
            obj.delete()
        for obj in instances:
            obj._history_user = request.user
            obj._change_reason = reason
            obj.save()
        formset.save_m2m()
