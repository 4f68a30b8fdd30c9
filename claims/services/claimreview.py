"""Import ClaimReview JSON-LD (a list, one object or an @graph) as verified claims.

Each ClaimReview becomes a claim on the article it appeared in (found by URL, else by
title and publisher, else created) with an approved verdict:
- the claim's text is `claimReviewed`; the article has no text of ours, so the claim
  text is also the quote, appended to the body of an article made by an import (an
  existing article must already contain it);
- the rating is the scale's label equal to `alternateName` (case-insensitive), or the
  one an explicit label map names, or else the one whose value `ratingValue` maps to
  linearly between `worstRating` and `bestRating` (default 1..5); anything else is a
  problem reported by item;
- the verdict's author is an inactive account named after the review's author (the
  fact-checker, who cannot sign in), its approver the editor running the import, its
  date `datePublished`, its review_url the review's `url` (so exports give it back);
- each `citation` URL becomes a source (queued for capture) and evidence of stance
  "unassessed".
A claim already present (same article, same text) is skipped, so importing twice adds
nothing. Problems roll the whole import back unless the caller asks to skip them.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import slugify

from sources.services import source_add

from ..history import tracked_save
from ..models import Article, Claim, Evidence, Rating, Verdict
from ..roles import is_editor
from .evidence import evidence_record

IMPORTED_ARTICLE_TITLE = "Claims imported from ClaimReview without an appearance"
AUTHOR_PREFIX = "review-author-"
_url = URLValidator(schemes=["http", "https"])


class ClaimReviewImportError(ValidationError):
    """The input cannot be imported at all (no ClaimReview, a bad label map)."""


class ClaimReviewItemsError(ClaimReviewImportError):
    """Some reviews cannot be imported (one message each); nothing was written."""


@dataclass
class ImportResult:
    created: list = field(default_factory=list)  # Claims
    present: list = field(default_factory=list)  # messages: already imported
    problems: list = field(default_factory=list)  # messages: not imported
    notes: list = field(default_factory=list)  # messages: imported, with a remark


def _kinds(obj):
    kinds = obj.get("@type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {str(k).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for k in kinds}


def claimreview_items(data):
    """The ClaimReview objects in parsed JSON-LD, in document order."""
    if isinstance(data, list):
        for element in data:
            yield from claimreview_items(element)
    elif isinstance(data, dict):
        if "ClaimReview" in _kinds(data):
            yield data
        elif "@graph" in data:
            yield from claimreview_items(data["@graph"])


def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value):
    """A plain string from a string or a {"name": ...} node."""
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("headline") or ""
    return value.strip() if isinstance(value, str) else ""


def _date(value, label):
    value = _text(value)
    if not value:
        return None
    try:
        found = parse_date(value[:10])
    except ValueError:
        found = None
    if found is None:
        raise ValueError(f"{label} {value!r} is not a date")
    return found


def _checked_url(value, label):
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("url", "")
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        return ""
    try:
        _url(value)
    except ValidationError:
        raise ValueError(f"{label} {value!r} is not an http(s) URL") from None
    if len(value) > 2000:
        raise ValueError(f"{label} is longer than 2000 characters")
    return value


class RatingMapper:
    """Maps a ClaimReview reviewRating onto our scale (see the module docstring)."""

    def __init__(self, label_map=None):
        ratings = list(Rating.objects.all())
        self.by_label = {r.label.casefold(): r for r in ratings}
        for their_label, our_label in (label_map or {}).items():
            if our_label.casefold() not in self.by_label:
                raise ValueError(f"--map names no rating of ours: {our_label!r}")
            self.by_label[their_label.casefold()] = self.by_label[our_label.casefold()]
        self.by_value = {r.value: r for r in ratings if r.value is not None}
        self.best = max(self.by_value, default=None)
        self.worst = min(self.by_value, default=None)

    def __call__(self, review_rating):
        """(Rating, note or '') or raise ValueError saying why it cannot be mapped."""
        node = _first(review_rating) or {}
        if not isinstance(node, dict):
            raise ValueError("reviewRating is not an object")
        label = _text(node.get("alternateName")) or _text(node.get("name"))
        if label and label.casefold() in self.by_label:
            return self.by_label[label.casefold()], ""
        try:
            value = float(node["ratingValue"])
            best = float(node.get("bestRating", 5))
            worst = float(node.get("worstRating", 1))
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f"unknown rating {label!r} and no numeric ratingValue; "
                f"map it with --map '{label}=<one of our labels>'"
            ) from None
        if best == worst or self.best is None or not min(best, worst) <= value <= max(best, worst):
            raise ValueError(f"rating value {value:g} is not on a scale {worst:g}..{best:g}")
        ours = round(self.worst + (value - worst) * (self.best - self.worst) / (best - worst))
        rating = self.by_value.get(ours)
        if rating is None:
            raise ValueError(f"rating value {value:g} maps to {ours}, which no rating has")
        return rating, f"rating {label or value!r} ({value:g} of {worst:g}..{best:g}) -> {rating}"


def _external_author(name):
    """The inactive account standing for a review author from outside (no password)."""
    name = name[:150]
    username = (AUTHOR_PREFIX + (slugify(name, allow_unicode=True) or "unknown"))[:150]
    user, made = User.objects.get_or_create(
        username=username, defaults={"first_name": name, "is_active": False}
    )
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _start_of(day):
    # Exports give review dates as UTC dates, so a date read back is midnight UTC.
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


class _Importer:
    def __init__(self, *, editor, mapper, reason):
        self.editor = editor
        self.mapper = mapper
        self.reason = reason
        self.made_here = set()  # article pks created by this import
        self.appendable = {}  # article pk -> may the import append claims to its body?

    def article_for(self, item):
        claim_node = _first(item.get("itemReviewed")) or {}
        claim_node = claim_node if isinstance(claim_node, dict) else {}
        node = _first(claim_node.get("appearance") or claim_node.get("firstAppearance"))
        if isinstance(node, str):
            node = {"url": node}
        node = node if isinstance(node, dict) else {}
        url = _checked_url(node.get("url"), "appearance url")
        title = (_text(node.get("headline")) or _text(node.get("name")) or url)[:500]
        publisher = _text(node.get("publisher"))[:200]
        if url:
            article = Article.objects.filter(url=url).first()
        elif title:
            article = Article.objects.filter(url="", title=title, publisher=publisher).first()
        else:
            title = IMPORTED_ARTICLE_TITLE
            article = Article.objects.filter(url="", title=title, publisher="").first()
        if article is None:
            article = Article(
                url=url,
                title=title,
                publisher=publisher,
                byline=_text(node.get("author"))[:500],
                published=_date(node.get("datePublished"), "appearance datePublished"),
                language=_text(node.get("inLanguage"))[:16],
                body="",
            )
            tracked_save(article, user=None, reason=self.reason)
            self.made_here.add(article.pk)
        author = _text(claim_node.get("author"))[:300]
        return article, author

    def may_append(self, article):
        if article.pk not in self.appendable:
            first = article.history.order_by("history_date", "history_id").first()
            by_import = bool(
                first and (first.history_change_reason or "").startswith("import_claimreview")
            )
            self.appendable[article.pk] = article.pk in self.made_here or by_import
        return self.appendable[article.pk]

    def add_citations(self, claim, citations, result, label):
        """Cited URLs become the claim's evidence, stance unassessed (we do not know it)."""
        citations = citations if isinstance(citations, list) else [citations]
        for citation in citations:
            if citation is None:
                continue
            try:
                # A new source is queued for capture, as if a reviewer had added it.
                source = source_add(url=_checked_url(citation, "citation"))
            except (ValueError, ValidationError) as exc:
                text = "; ".join(getattr(exc, "messages", [str(exc)]))
                result.notes.append(f"{label}: citation skipped: {text}")
                continue
            evidence_record(
                claim=claim,
                source=source,
                stance=Evidence.Stance.UNASSESSED,
                note="Cited by the imported ClaimReview.",
                reason=self.reason,
            )

    def add(self, item, result, label):
        text = _text(item.get("claimReviewed"))
        if not text:
            raise ValueError("no claimReviewed")
        review_url = _checked_url(item.get("url"), "url")
        published = _date(item.get("datePublished"), "datePublished")
        rating, note = self.mapper(item.get("reviewRating"))
        article, attributed_to = self.article_for(item)
        existing = article.claims.filter(text=text).first()
        if existing is not None:
            result.present.append(f"{label}: already present as claim {existing.pk}")
            return
        start = article.body.find(text)
        if start < 0:
            if not self.may_append(article):
                raise ValueError(
                    f"article {article.pk} ({article.title[:60]!r}) exists and its text does "
                    "not contain the claim; add the claim there by hand"
                )
            article.body += ("\n\n" if article.body else "") + text
            start = len(article.body) - len(text)
            tracked_save(article, user=None, reason=self.reason)
        claim = Claim(
            article=article,
            text=text,
            quote=text,
            start=start,
            end=start + len(text),
            attributed_to=attributed_to,
            status=Claim.Status.VERIFIED,
        )
        tracked_save(claim, user=None, reason=self.reason)
        author_name = _text(item.get("author")) or urlsplit(review_url).hostname or "unknown"
        verdict = Verdict(
            claim=claim,
            rating=rating,
            rationale=_text(item.get("reviewBody"))
            or f"Imported from ClaimReview {review_url}".strip(),
            author=_external_author(author_name),
            state=Verdict.State.APPROVED,
            approver=self.editor,
            decided_at=_start_of(published) if published else timezone.now(),
            review_url=review_url,
        )
        tracked_save(verdict, user=None, reason=self.reason)
        self.add_citations(claim, item.get("citation"), result, label)
        result.created.append(claim)
        if note:
            result.notes.append(f"{label}: {note}")


@transaction.atomic
def claimreview_import(*, data, user, reason, label_map=None, skip_invalid=False):
    """Import every ClaimReview in data (parsed JSON-LD). Returns an ImportResult.

    Raises ClaimReviewItemsError, having written nothing, when an item cannot be
    imported and skip_invalid is false; ClaimReviewImportError when nothing in data
    can be; PermissionDenied unless user is an editor.
    """
    if not is_editor(user):
        raise PermissionDenied(f"{user} is not an editor; only editors may import verdicts.")
    try:
        mapper = RatingMapper(label_map)
    except ValueError as exc:
        raise ClaimReviewImportError(str(exc)) from None
    importer = _Importer(editor=user, mapper=mapper, reason=reason)
    result = ImportResult()
    items = list(claimreview_items(data))
    if not items:
        raise ClaimReviewImportError("No ClaimReview found (expected a list, an object or @graph).")
    for number, item in enumerate(items, 1):
        label = f"item {number} ({_text(item.get('claimReviewed'))[:50]!r})"
        try:
            with transaction.atomic():  # a failed item leaves nothing behind
                importer.add(item, result, label)
        except ValueError as exc:
            result.problems.append(f"{label}: {exc}")
    if result.problems and not skip_invalid:
        raise ClaimReviewItemsError(result.problems)
    return result
