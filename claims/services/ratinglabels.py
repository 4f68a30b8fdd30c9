"""How a verdict another fact-checker published maps onto our rating scale.

By its label first: --map, then the desk's RatingLabel rows (edited in the admin), then
our own labels, then the built-in table (claims/text/verdict_labels.py); by its value on
the publisher's own scale only when the label is unknown. The ClaimReview importer
(claims/services/claimreview.py) records each decision on the review it imports.
"""

import re
import shlex

from ..models import Rating, RatingLabel
from ..text.jsonld import first, text_of
from ..text.verdict_labels import builtin_table, normalise

# A verdict, then why: "False. While $438,000 is the maximum...", "ENGANOSO: Manchete
# utilizada é de 2019...", "False - Content that has no basis in fact." Not a comma:
# "Verdadeiro, mas..." is another verdict than "Verdadeiro".
_OPENING = re.compile(r"^(.+?)(?:([.!?])|\s*:|\s+[-–—])\s+\S")


def _number(value):
    value = first(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None


class RatingMapper:
    """Maps a ClaimReview reviewRating onto our scale (see the module docstring)."""

    def __init__(self, label_map=None):
        ratings = list(Rating.objects.all())
        ours = {normalise(r.label): r for r in ratings}
        self.choices = ", ".join(r.label for r in ratings)
        self.by_label = {}
        for key, (label, languages) in builtin_table().items():
            if normalise(label) in ours:
                self.by_label[key] = (
                    ours[normalise(label)],
                    f"built-in table ({'/'.join(languages)})",
                )
        for key, rating in ours.items():
            self.by_label[key] = (rating, "our own label")
        for row in RatingLabel.objects.select_related("rating"):
            self.by_label[row.key] = (row.rating, f"admin rating label {row.label!r}")
        for theirs, our_label in (label_map or {}).items():
            if normalise(our_label) not in ours:
                raise ValueError(
                    f"--map names no rating of ours: {our_label!r} (ours: {self.choices})"
                )
            self.by_label[normalise(theirs)] = (ours[normalise(our_label)], "--map")
        self.by_value = {r.value: r for r in ratings if r.value is not None}
        self.best = max(self.by_value, default=None)
        self.worst = min(self.by_value, default=None)

    def __call__(self, review_rating):
        """(Rating, how, kind) or raise ValueError saying which --map would import it."""
        node = first(review_rating)
        if isinstance(node, str | int | float) and not isinstance(node, bool):
            node = {"alternateName": str(node)}  # a bare label where a Rating was expected
        node = node if isinstance(node, dict) else {}
        label = text_of(node.get("alternateName")) or text_of(node.get("name"))
        if label and normalise(label) in self.by_label:
            rating, source = self.by_label[normalise(label)]
            return rating, f"label {label!r} -> {rating} ({source})", "label"
        opening = _OPENING.match(label)
        head = opening and opening.group(1) + (opening.group(2) or "")
        if head and normalise(head) in self.by_label:
            rating, source = self.by_label[normalise(head)]
            return (
                rating,
                f"label {label!r} read by its opening {head!r} -> {rating} ({source})",
                "label",
            )
        value = _number(node.get("ratingValue"))
        best, worst = _number(node.get("bestRating")), _number(node.get("worstRating"))
        defaults = [
            f"{n} missing: schema.org's default {d}"
            for n, v, d in [("bestRating", best, 5), ("worstRating", worst, 1)]
            if v is None
        ]
        best, worst = (5.0 if best is None else best), (1.0 if worst is None else worst)
        if value is None:
            why = "has no numeric ratingValue"
        elif best == worst:
            why = f"its scale {worst:g}..{best:g} has no range"
        elif not min(best, worst) <= value <= max(best, worst):
            why = f"its ratingValue {value:g} is not on its scale {worst:g}..{best:g}"
        elif self.best is None:
            why = "our scale has no numeric values"
        else:
            ours = round(self.worst + (value - worst) * (self.best - self.worst) / (best - worst))
            rating = self.by_value[min(self.by_value, key=lambda v: abs(v - ours))]
            scale = f"{value:g} of {worst:g}..{best:g}" + (
                f"; {', '.join(defaults)}" if defaults else ""
            )
            shown = f"label {label!r} unknown, " if label else "no label, "
            return rating, f"{shown}value {scale} -> {rating}", "value"
        if not label:
            raise ValueError(
                f"the rating has no label and {why}; "
                "give it an alternateName or leave the review out"
            )
        raise ValueError(
            f"rating label {label!r} is not in the label table and {why}; "
            f"import it with --map {shlex.quote(f'{label}=<one of: {self.choices}>')}"
        )
