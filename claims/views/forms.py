"""Forms of the workbench. They validate input; the services decide what is allowed."""

from django import forms

from ..models import Claim, ClaimSet, Evidence, Rating
from ..queries import TABS, assignable_users
from ..search import KINDS as SEARCH_KINDS
from ..search import Filters as SearchFilters


class DateInput(forms.DateInput):
    input_type = "date"


STATUS_CHOICES = [("", "Any status"), *Claim.Status.choices]


class Form(forms.Form):
    """Labels without Django's trailing colon: they sit above their fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionedForm(Form):
    """Carries the version of the row the user was looking at (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class QueueFilterForm(Form):
    view = forms.ChoiceField(choices=list(TABS.items()), required=False)
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    assignee = forms.ChoiceField(required=False)
    article = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    rating = forms.ModelChoiceField(
        Rating.objects.all(), required=False, empty_label="Any rating", to_field_name="pk"
    )

    def __init__(self, *args, users, articles, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {str(user.pk): user for user in users}
        self.fields["assignee"].choices = [
            ("", "Anyone"),
            ("me", "Me"),
            ("none", "Nobody"),
            *[(pk, user.get_username()) for pk, user in self.users.items()],
        ]
        self.articles = {article.pk: article for article in articles}
        self.fields["article"].choices = [
            ("", "Any article"),
            *[(pk, article.title[:80]) for pk, article in self.articles.items()],
        ]

    def assignee_value(self):
        value = self.cleaned_data.get("assignee")
        if value in ("me", "none"):
            return value
        return self.users.get(value)


class ClaimEditForm(VersionedForm):
    text = forms.CharField(label="Claim", widget=forms.Textarea(attrs={"rows": 3}))
    attributed_to = forms.CharField(label="Attributed to", required=False, max_length=300)


class AssignForm(VersionedForm):
    assignee = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Nobody", label="Assign to"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()


class ProposeForm(VersionedForm):
    # No preset: a rating the reviewer did not choose must not slip through.
    rating = forms.ModelChoiceField(
        Rating.objects.all(),
        empty_label="Choose a rating…",
        label="Rating",
        error_messages={"required": "Choose a rating."},
        widget=forms.Select(attrs={"data-key": "p"}),  # the "p" shortcut lands here
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the evidence shows, for the editor and for readers.",
    )
    no_evidence_reason = forms.CharField(
        label="Why no source is needed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when no source is assessed: the editor sees this reason.",
    )


class VerdictEditForm(ProposeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["no_evidence_reason"]
        self.fields["rating"].widget.attrs.pop("data-key", None)


class ApproveForm(VersionedForm):
    pass


class ReturnForm(VersionedForm):
    comment = forms.CharField(
        label="Why return it",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The reviewer sees this with the returned verdict.",
    )


class ReasonForm(VersionedForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


class StartReviewForm(VersionedForm):
    pass


class ClaimSetForm(Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=100,
        required=False,
        label="Short name",
        help_text="Used in export links; made from the name when left empty.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AddToSetForm(Form):
    claim_set = forms.ModelChoiceField(
        ClaimSet.objects.all(), to_field_name="slug", label="Claim set", empty_label=None
    )
    claims = forms.ModelMultipleChoiceField(
        Claim.objects.all(), error_messages={"required": "Select at least one claim."}
    )


class RemoveFromSetForm(Form):
    claims = forms.ModelMultipleChoiceField(Claim.objects.all())


class SearchForm(Form):
    q = forms.CharField(label="Search", max_length=200, required=False, strip=True)
    kind = forms.ChoiceField(
        label="In", choices=[("", "Everything"), *SEARCH_KINDS.items()], required=False
    )
    status = forms.ChoiceField(label="Claim status", choices=STATUS_CHOICES, required=False)
    rating = forms.ModelChoiceField(
        Rating.objects.all(), label="Rating", required=False, empty_label="Any rating"
    )
    language = forms.RegexField(
        label="Language",
        regex=r"^[A-Za-z]{2,3}$",
        required=False,
        help_text="A two-letter code: en, ru, be…",
        error_messages={"invalid": "Give a two- or three-letter language code, such as en."},
    )
    date_from = forms.DateField(label="From", required=False, widget=DateInput)
    date_to = forms.DateField(label="To", required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filters(self):
        data = self.cleaned_data
        return SearchFilters(
            status=data.get("status") or "",
            rating=data["rating"].pk if data.get("rating") else None,
            language=(data.get("language") or "").lower(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class EvidenceAddForm(Form):
    url = forms.CharField(
        label="Source URL",
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        help_text="It is captured and archived in the background.",
    )


class ImportUrlForm(Form):
    url = forms.CharField(
        label="Article URL",
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        help_text="Fetched and archived in the background; its title, date and text are taken "
        "from the page.",
    )
    title = forms.CharField(required=False, max_length=500, help_text="Optional.")
    publisher = forms.CharField(required=False, max_length=200, help_text="Optional.")
    published = forms.DateField(
        required=False,
        label="Published on",
        help_text="Optional.",  # the browser's date picker shows its own format
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PasteForm(Form):
    title = forms.CharField(
        required=False, max_length=500, help_text="Left empty: the first line of the text."
    )
    url = forms.CharField(
        label="Original URL",
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        help_text="Optional: where the article was published, kept as its provenance "
        "(not fetched).",
    )
    publisher = forms.CharField(required=False, max_length=200)
    published = forms.DateField(
        required=False,
        label="Published on",
        help_text="Optional.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    body = forms.CharField(
        label="Article text",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Paste the article as it reached you; claims quote it by character position.",
    )


class SuggestionClaimForm(Form):
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class SelectionClaimForm(Form):
    quote = forms.CharField(
        label="Quote",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select words in the article text, or type or paste them exactly.",
    )
    start = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label="The claim as a statement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: the claim in words that stand alone; the quote when left empty.",
    )
    attributed_to = forms.CharField(label="Attributed to", required=False, max_length=300)


OWN = "own"


class EvidenceAssessForm(Form):
    """Stance and passage; the passage is one of the suggested ones or the reviewer's own.

    A picked suggestion is taken from the server's copy (suggestions), never from
    what the browser sends, so the stored passage is exactly the source's words.
    """

    stance = forms.ChoiceField(choices=Evidence.Stance.choices)
    pick = forms.ChoiceField(label="Passage", widget=forms.RadioSelect, required=False)
    passage = forms.CharField(
        label="Your own passage",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The words of the source that bear on the claim.",
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = [s for s in suggestions if (s.get("text") or "").strip()]
        if self.suggestions:
            self.fields["pick"].choices = [
                *[(str(i), s["text"]) for i, s in enumerate(self.suggestions)],
                (OWN, "My own words (below)"),
            ]
        else:
            del self.fields["pick"]
            self.fields["passage"].label = "Passage"

    def clean(self):
        data = super().clean()
        pick = data.get("pick") or OWN
        data["capture_id"] = None
        if pick != OWN:
            chosen = self.suggestions[int(pick)]
            data["passage"] = chosen["text"]
            data["capture_id"] = chosen.get("capture")
        return data


class UploadForm(Form):
    file = forms.FileField(
        label="Upload a copy",
        help_text="For a page the server cannot fetch (paywall, login): the saved HTML, a PDF "
        "or plain text.",
    )


def initial_pick(passage, suggestions):
    for i, suggestion in enumerate(suggestions):
        if passage and suggestion.get("text") == passage:
            return str(i)
    # Nothing is preselected: the reviewer reads the passages and picks one.
    return OWN if passage or not suggestions else None
