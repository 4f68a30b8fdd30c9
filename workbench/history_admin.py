"""Admin base that records who changed a tracked row and why.

SimpleHistoryAdmin records the user and shows field-by-field changes between
versions; this adds a "reason for change" field to every form and inline.
"""

from django import forms
from django.core.exceptions import PermissionDenied
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POSTed old version even with SIMPLE_HISTORY_REVERT_DISABLED
        # (only the button is hidden). The form is built on the old instance, so every field
        # the form leaves out, workflow state among them, would be restored from the past.
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied("Old versions are shown, never restored.")
        return super().history_form_view(request, object_id, version_id, extra_context)

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
