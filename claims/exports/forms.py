"""Export filters from a query string or command options, validated in one place."""

from django import forms

from ..models import Article, Rating
from .records import ExportFilter


class ExportFilterForm(forms.Form):
    rating = forms.ModelMultipleChoiceField(
        queryset=Rating.objects.all(),
        to_field_name="label",
        required=False,
        help_text="Rating labels; repeat for several.",
    )
    article = forms.ModelChoiceField(queryset=Article.objects.all(), required=False)
    since = forms.DateField(required=False, help_text="From this date (inclusive).")
    until = forms.DateField(required=False, help_text="Up to this date (inclusive).")
    all = forms.BooleanField(
        required=False, help_text="Include claims that are not verified, with their status."
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The start date is after the end date.")
        return data

    def to_filter(self, **extra):
        data = self.cleaned_data
        return ExportFilter(
            ratings=tuple(data.get("rating") or ()),
            article=data.get("article"),
            date_from=data.get("since"),
            date_to=data.get("until"),
            include_unverified=bool(data.get("all")),
            **extra,
        )

    def error_text(self):
        """All errors on one line, for a command's or an API's error message."""
        parts = []
        for field, errors in self.errors.items():
            label = "" if field == "__all__" else f"{field}: "
            parts.append(label + " ".join(errors))
        return "; ".join(parts)
