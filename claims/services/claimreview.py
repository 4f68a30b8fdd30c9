"""Import ClaimReview JSON-LD (any shape: see claims/text/jsonld.py) as imported reviews.

Each ClaimReview is kept as its publisher wrote it (models.ImportedReview: the review
node itself, plus its organisation, URL, date, language, their own rating as given, the
claim's author, date, URL and every appearance) on the claim it reviews. The claim is
found by its text on the article of its first appearance (by URL, else headline and
publisher, else an internal article for claims without an appearance) or created; a
claim created by the import gets an approved verdict with our mapping of their rating
(author: an inactive account standing for the fact-checker; approver: the editor).
Another checker's review of the same claim is one more ImportedReview on it; the same
review again (same URL, or same checker, date and label when there is no URL) is
"already present", so importing twice adds nothing.

Their verdict is mapped onto our scale by claims/services/ratinglabels.py (label first,
value on their own scale only when the label is unknown). Every decision is written on
the review (`mapping`), into the history and into the command's summary. Problems roll
the whole import back unless the caller asks to skip them; each is one line naming the
review's number and what would fix it.
"""

import datetime
import json
from collections import Counter
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

from ..exports.links import claim_url_builder
from ..exports.vocabulary import CLAIMREVIEW_PROPERTIES
from ..history import tracked_save
from ..models import Article, Claim, Evidence, ImportedReview, Verdict
from ..roles import is_editor
from ..text import jsonld
from ..text.jsonld import as_list, first, kinds, text_of
from .evidence import evidence_record
from .ratinglabels import RatingMapper

IMPORTED_ARTICLE_TITLE = "Claims imported from ClaimReview without an appearance"
AUTHOR_PREFIX = "review-author-"
MAX_ITEM_CHARS = 1_000_000  # one review, as JSON; real ones are a few kB
_url = URLValidator(schemes=["http", "https"])


class ClaimReviewImportError(ValidationError):
    """The input cannot be imported at all (no ClaimReview, a bad label map)."""


class ClaimReviewItemsError(ClaimReviewImportError):
    """Some reviews cannot be imported (one message each); nothing was written."""


@dataclass
class ImportResult:
    created: list = field(default_factory=list)  # ImportedReviews
    present: list = field(default_factory=list)  # messages: already imported
    problems: list = field(default_factory=list)  # messages: not imported
    notes: list = field(default_factory=list)  # messages: imported, with a remark
    mappings: Counter = field(default_factory=Counter)  # how ratings were mapped

    @property
    def claims(self):
        return {review.claim_id for review in self.created}


def claimreview_items(data):
    """The ClaimReview objects in parsed JSON-LD (one root or a list of roots)."""
    return jsonld.claimreview_nodes(data if isinstance(data, list) else [data])


def _date(value, label):
    value = text_of(value)
    if not value:
        return None
    try:
        found = parse_date(value[:10])
    except ValueError:
        found = None
    if found is None:
        raise ValueError(f"{label} {value!r} is not a date (want YYYY-MM-DD...)")
    return found


def _plain_url(value):
    value = first(value)
    if isinstance(value, dict):
        value = first(value.get("url") or value.get("@id") or value.get("contentUrl"))
    return value.strip() if isinstance(value, str) else ""


def _checked_url(value, label):
    value = _plain_url(value)
    if not value:
        return ""
    try:
        _url(value)
    except ValidationError:
        raise ValueError(f"{label} {value!r} is not an http(s) URL") from None
    if len(value) > 2000:
        raise ValueError(f"{label} is longer than 2000 characters")
    return value


def _url_or_blank(value):
    try:
        return _checked_url(value, "url")
    except ValueError:
        return ""


def _given(value):
    """A rating number as they wrote it, as text ("" when absent)."""
    return text_of(value)[:32]


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
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def _organisation(author):
    """(name, url, sameAs list, logo url) of the reviewing organisation, as given."""
    nodes = as_list(author)
    node = next((n for n in nodes if isinstance(n, dict) and "Organization" in kinds(n)), None)
    node = node or first(nodes)
    if not isinstance(node, dict):
        return text_of(node), "", [], ""
    same_as = [s for s in (_plain_url(v) for v in as_list(node.get("sameAs"))) if s]
    return (
        text_of(node.get("name")),
        _plain_url(node.get("url")),
        same_as,
        _plain_url(node.get("logo")),
    )


def _published(item):
    """The review node kept for export: their schema.org properties, nothing else."""
    kept = {k: v for k, v in item.items() if k in CLAIMREVIEW_PROPERTIES or k in ("@type", "@id")}
    dropped = sorted(k for k in item if k not in kept and k != "@context")
    return kept, dropped


def _language(value):
    """inLanguage as given: a code, or a Language node's code or name."""
    value = first(value)
    if isinstance(value, dict):
        return text_of(value.get("alternateName")) or text_of(value.get("name"))
    return text_of(value)


def _checked_item(raw):
    """The review, resolved and pruned, or ValueError for nesting, NUL or size."""
    if jsonld.depth(raw) > jsonld.MAX_DEPTH:
        raise ValueError(f"nested deeper than {jsonld.MAX_DEPTH} levels; flatten it")
    if jsonld.has_nul(raw):
        raise ValueError("contains a NUL character (\\u0000); remove it")
    if len(json.dumps(raw, ensure_ascii=False)) > MAX_ITEM_CHARS:
        raise ValueError(f"is larger than {MAX_ITEM_CHARS:,} characters; split or trim it")
    return raw


class _Importer:
    def __init__(self, *, editor, mapper, reason, index):
        self.editor = editor
        self.mapper = mapper
        self.reason = reason
        self.index = index
        self.claim_url = claim_url_builder()
        self.made_here = set()  # article pks created by this import
        self.appendable = {}  # article pk -> may the import append claims to its body?

    def article_for(self, claim_node):
        node = first(claim_node.get("appearance") or claim_node.get("firstAppearance"))
        if isinstance(node, str):
            node = {"url": node}
        node = node if isinstance(node, dict) else {}
        url = _url_or_blank(node.get("url"))
        title = (text_of(node.get("headline")) or text_of(node.get("name")) or url)[:500]
        publisher = text_of(node.get("publisher"))[:200]
        if url:
            article = Article.objects.filter(url=url).first()
        elif title:
            article = Article.objects.filter(url="", title=title, publisher=publisher).first()
        else:
            title = IMPORTED_ARTICLE_TITLE
            article = Article.objects.filter(url="", title=title, publisher="").first()
        if article is None:
            published = None
            try:
                published = _date(node.get("datePublished"), "appearance datePublished")
            except ValueError:
                pass  # the appearance's date is kept as given in the review; none here
            article = Article(
                url=url,
                title=title,
                publisher=publisher,
                byline=text_of(node.get("author"))[:500],
                published=published,
                language=text_of(node.get("inLanguage"))[:16],
                body="",
            )
            tracked_save(article, user=None, reason=self.reason)
            self.made_here.add(article.pk)
        return article

    def may_append(self, article):
        if article.pk not in self.appendable:
            first_row = article.history.order_by("history_date", "history_id").first()
            by_import = bool(
                first_row
                and (first_row.history_change_reason or "").startswith("import_claimreview")
            )
            self.appendable[article.pk] = article.pk in self.made_here or by_import
        return self.appendable[article.pk]

    def add_citations(self, claim, citations, result, label):
        """Cited URLs become the claim's evidence, stance unassessed (we do not know it)."""
        for citation in as_list(citations):
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

    def claim_for(self, article, text):
        existing = article.claims.filter(text=text).first()
        if existing is not None:
            return existing, False
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
            status=Claim.Status.VERIFIED,
        )
        return claim, True

    def published_elsewhere(self, review_url, text):
        """The same review (URL) of the same claim text, already on some claim.

        Publishers re-issue a review with a longer appearance list (AFP's defacto feed
        does), whose first appearance then names another article; it is still one review.
        """
        if not review_url:
            return ""
        found = ImportedReview.objects.filter(review_url=review_url, claim__text=text).first()
        return f"already present as review {found.pk} of claim {found.claim_id}" if found else ""

    def already_present(self, claim, review):
        if review.review_url == self.claim_url(claim.pk):
            return "it is our own review of this claim"
        same = claim.imported_reviews.all()
        if review.review_url:
            same = same.filter(review_url=review.review_url)
        else:
            same = same.filter(
                review_url="",
                organisation=review.organisation,
                date_published=review.date_published,
                rating_label=review.rating_label,
            )
        found = same.first()
        return f"already present as review {found.pk} of claim {claim.pk}" if found else ""

    def add(self, raw, result, label):
        item = _checked_item(raw)
        item = jsonld.pruned(jsonld.resolve(item, self.index))
        text = text_of(item.get("claimReviewed"))[:20000]
        if not text:
            raise ValueError(
                "no claimReviewed: the review does not say which claim it rates; "
                "add it or leave the review out (--skip-invalid)"
            )
        review_url = _checked_url(item.get("url"), "url")
        published_day = _date(item.get("datePublished"), "datePublished")
        rating, how, kind = self.mapper(item.get("reviewRating"))
        claim_node = first(item.get("itemReviewed"))
        claim_node = claim_node if isinstance(claim_node, dict) else {}
        appearances = as_list(claim_node.get("appearance"))
        for extra in as_list(claim_node.get("firstAppearance")):
            if extra not in appearances:
                appearances.insert(0, extra)
        name, org_url, same_as, logo = _organisation(item.get("author"))
        rating_node = first(item.get("reviewRating"))
        rating_node = (
            rating_node
            if isinstance(rating_node, dict)
            else {"alternateName": text_of(rating_node)}
        )
        kept, dropped = _published(item)
        review = ImportedReview(
            review_url=review_url,
            organisation=name[:300],
            organisation_url=org_url[:2000],
            organisation_same_as=same_as,
            organisation_logo=logo[:2000],
            date_published=text_of(item.get("datePublished"))[:64],
            language=_language(item.get("inLanguage"))[:35],
            rating_label=(
                text_of(rating_node.get("alternateName")) or text_of(rating_node.get("name"))
            )[:300],
            rating_value=_given(rating_node.get("ratingValue")),
            rating_best=_given(rating_node.get("bestRating")),
            rating_worst=_given(rating_node.get("worstRating")),
            rating=rating,
            mapping=how[:500],
            claim_author=text_of(claim_node.get("author"))[:300],
            claim_date=text_of(claim_node.get("datePublished"))[:64],
            claim_url=_plain_url(claim_node.get("url"))[:2000],
            appearances=appearances,
            published=kept,
            imported_by=self.editor,
        )
        elsewhere = self.published_elsewhere(review_url, text)
        if elsewhere:
            result.present.append(f"{label}: {elsewhere}")
            return
        article = self.article_for(claim_node)
        claim, new = self.claim_for(article, text)
        if not new:
            present = self.already_present(claim, review)
            if present:
                result.present.append(f"{label}: {present}")
                return
        if new:
            claim.attributed_to = review.claim_author
            tracked_save(claim, user=None, reason=self.reason)
            verdict = Verdict(
                claim=claim,
                rating=rating,
                rationale=text_of(item.get("reviewBody"))
                or f"Imported review by {name or 'an unnamed checker'}; {how}.",
                author=_external_author(name or urlsplit(review_url).hostname or "unknown"),
                state=Verdict.State.APPROVED,
                approver=self.editor,
                decided_at=_start_of(published_day) if published_day else timezone.now(),
                review_url=review_url,
            )
            tracked_save(verdict, user=None, reason=f"{self.reason}; {how}")
            review.verdict = verdict
        review.claim = claim
        tracked_save(review, user=None, reason=f"{self.reason}; {how}")
        self.add_citations(claim, item.get("citation"), result, label)
        result.created.append(review)
        result.mappings[kind] += 1
        result.notes.append(f"{label}: {how}")
        if dropped:
            result.notes.append(
                f"{label}: not schema.org ClaimReview properties, not kept: {', '.join(dropped)}"
            )


def _label(number, item):
    claim = text_of(item.get("claimReviewed")) if isinstance(item, dict) else ""
    return f"review {number} ({claim[:50]!r})"


@transaction.atomic
def claimreview_import(*, data, user, reason, label_map=None, skip_invalid=False):
    """Import every ClaimReview in data (parsed JSON-LD: a root or a list of roots).

    Returns an ImportResult. Raises ClaimReviewItemsError, having written nothing, when
    a review cannot be imported and skip_invalid is false; ClaimReviewImportError when
    nothing in data can be; PermissionDenied unless user is an editor.
    """
    if not is_editor(user):
        raise PermissionDenied(f"{user} is not an editor; only editors may import verdicts.")
    try:
        mapper = RatingMapper(label_map)
    except ValueError as exc:
        raise ClaimReviewImportError(str(exc)) from None
    roots = data if isinstance(data, list) else [data]
    importer = _Importer(editor=user, mapper=mapper, reason=reason, index=jsonld.id_index(roots))
    result = ImportResult()
    items = jsonld.claimreview_nodes(roots)
    if not items:
        raise ClaimReviewImportError(
            "No ClaimReview found (read: a list, an object, @graph, a DataFeed, HTML "
            'JSON-LD blocks, Fact Check Tools API claims; none has "@type": "ClaimReview").'
        )
    for number, item in enumerate(items, 1):
        label = _label(number, item)
        try:
            with transaction.atomic():  # a failed review leaves nothing behind
                importer.add(item, result, label)
        except ValueError as exc:
            result.problems.append(f"{label}: {exc}")
    if result.problems and not skip_invalid:
        raise ClaimReviewItemsError(result.problems)
    return result
