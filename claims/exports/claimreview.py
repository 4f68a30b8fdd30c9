"""schema.org ClaimReview JSON-LD: our reviews and the ones we imported, nothing invented.

The file is one JSON-LD document, {"@context": "https://schema.org", "@graph": [...]}.
For each verified claim it holds our own review (unless the claim's approved verdict is
the mapping an import made) and then every review imported on it:

- ours: `author` is the publishing organisation (settings.CLAIMREVIEW_PUBLISHER; the
  reviewer is added only with CLAIMREVIEW_CREDIT_REVIEWER), `datePublished` the
  approval date, `reviewRating` our scale, `itemReviewed` our article as the appearance.
  A claim's attribution is written without a @type: we do not record whether a speaker
  is a person or an organisation (the article's own publisher is the one case we know).
- imported: the review exactly as its publisher wrote it (ImportedReview.published):
  their author, date, rating and scale, claim and appearances; nothing added.
Values we do not have are left out, never filled with a placeholder.
"""

from django.conf import settings
from django.db.models import Max, Min

from ..models import ImportedReview, Rating, Verdict
from . import records
from .records import ExportFilter, claim_records, filtered_claims
from .writers import chunked, encode_json

CONTEXT = "https://schema.org"
PLACEHOLDER_TITLE = "Claims imported from ClaimReview without an appearance"


def rating_scale():
    """(best, worst) numeric values of the rating scale, from the Rating table."""
    found = Rating.objects.filter(value__isnull=False).aggregate(
        best=Max("value"), worst=Min("value")
    )
    return found["best"], found["worst"]


def publisher_node():
    """Our organisation as configured, or None when it is not (then no author is written)."""
    config = getattr(settings, "CLAIMREVIEW_PUBLISHER", None) or {}
    if not config.get("name"):
        return None
    node = {"@type": "Organization", "name": config["name"]}
    for key in ("url", "logo"):
        if config.get(key):
            node[key] = config[key]
    if config.get("sameAs"):
        node["sameAs"] = list(config["sameAs"])
    return node


def _appearance(article):
    if not article["url"] and article["title"] == PLACEHOLDER_TITLE:
        return None  # an internal holder for imported claims, not a real appearance
    node = {"@type": "Article"}
    if article["url"]:
        node["url"] = article["url"]
    if article["title"]:
        node["headline"] = article["title"]
    if article["publisher"]:
        node["publisher"] = {"@type": "Organization", "name": article["publisher"]}
    if article["published"]:
        node["datePublished"] = article["published"]
    if article["byline"]:
        node["author"] = {"name": article["byline"]}  # a byline does not say its type
    return node


def claimreview_item(record, *, best, worst, publisher=None, credit_reviewer=False):
    """Our ClaimReview of one claim record (see records.claim_records)."""
    verdict = record["verdict"]
    article = record["article"]
    rating = {"@type": "Rating", "alternateName": verdict["rating"]}
    if verdict["rating_value"] is not None:
        rating["ratingValue"] = verdict["rating_value"]
        rating["bestRating"] = best
        rating["worstRating"] = worst
    claim = {"@type": "Claim"}
    appearance = _appearance(article)
    if appearance:
        claim["appearance"] = appearance
    if record["attributed_to"]:
        if record["attributed_to"] == article["publisher"]:
            claim["author"] = {"@type": "Organization", "name": record["attributed_to"]}
        else:
            claim["author"] = {"name": record["attributed_to"]}
    item = {
        "@type": "ClaimReview",
        "url": verdict["review_url"] or record["url"],
        "claimReviewed": record["claim"],
        "itemReviewed": claim,
        "reviewRating": rating,
    }
    if verdict["rationale"]:
        item["reviewBody"] = verdict["rationale"]
    if verdict["approved_at"]:
        item["datePublished"] = verdict["approved_at"][:10]  # the approval's date (UTC)
    authors = [publisher] if publisher else []
    if credit_reviewer and verdict["author"]:
        authors.append({"@type": "Person", "name": verdict["author"]["name"]})
    if authors:
        item["author"] = authors[0] if len(authors) == 1 else authors
    sources = [e["source_url"] for e in record["evidence"]]
    if sources:
        item["citation"] = [{"@type": "CreativeWork", "url": url} for url in sources]
    return item


def imported_item(published):
    """An imported review as its publisher wrote it."""
    return {"@type": "ClaimReview", **{k: v for k, v in published.items() if k != "@type"}}


def imported_rows(f: ExportFilter):
    """(claim id, published node, is the claim's approved verdict this import's) by claim."""
    return (
        ImportedReview.objects.filter(claim__in=filtered_claims(f).values("pk"))
        .order_by("claim_id", "pk")
        .values_list("claim_id", "published", "verdict__state")
        .iterator(chunk_size=records.CHUNK_SIZE)
    )


def write_claimreview(f: ExportFilter, *, meta):
    best, worst = rating_scale()
    publisher = publisher_node()
    credit = bool(getattr(settings, "CLAIMREVIEW_CREDIT_REVIEWER", False))

    def pieces():
        yield '{"@context":"' + CONTEXT + '","@graph":['
        count = 0
        imported = imported_rows(f)
        pending = next(imported, None)
        for record in claim_records(f):
            if record["verdict"] is None:
                continue
            theirs = []
            while pending is not None and pending[0] <= record["id"]:
                if pending[0] == record["id"]:
                    theirs.append(pending)
                pending = next(imported, None)
            items = [imported_item(row[1]) for row in theirs]
            if not any(row[2] == Verdict.State.APPROVED for row in theirs):
                item = claimreview_item(
                    record, best=best, worst=worst, publisher=publisher, credit_reviewer=credit
                )
                items.insert(0, item)
            for item in items:
                yield ("\n" if count == 0 else ",\n") + encode_json(item)
                count += 1
        yield "\n]}\n"

    return chunked(pieces())
