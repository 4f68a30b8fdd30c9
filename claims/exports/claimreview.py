"""schema.org ClaimReview JSON-LD: one ClaimReview per verified claim.

The file is one JSON-LD document, {"@context": "https://schema.org", "@graph": [...]},
the form fact-checkers publish and search engines read. Claims without an approved
verdict are never written: a ClaimReview without a rating says nothing.
"""

from django.db.models import Max, Min

from ..models import Rating
from .records import ExportFilter, claim_records
from .writers import chunked, encode_json

CONTEXT = "https://schema.org"


def rating_scale():
    """(best, worst) numeric values of the rating scale, from the Rating table."""
    found = Rating.objects.filter(value__isnull=False).aggregate(
        best=Max("value"), worst=Min("value")
    )
    return found["best"], found["worst"]


def _named(kind, name):
    return {"@type": kind, "name": name}


def claimreview_item(record, *, best, worst):
    """The ClaimReview of one claim record (see records.claim_records)."""
    verdict = record["verdict"]
    article = record["article"]
    rating = {"@type": "Rating", "alternateName": verdict["rating"]}
    if verdict["rating_value"] is not None:
        rating["ratingValue"] = verdict["rating_value"]
        rating["bestRating"] = best
        rating["worstRating"] = worst
    appearance = {"@type": "Article"}
    if article["url"]:
        appearance["url"] = article["url"]
    appearance["headline"] = article["title"]
    if article["publisher"]:
        appearance["publisher"] = _named("Organization", article["publisher"])
    if article["published"]:
        appearance["datePublished"] = article["published"]
    if article["byline"]:
        appearance["author"] = _named("Person", article["byline"])
    claim = {"@type": "Claim", "appearance": appearance}
    if record["attributed_to"]:
        # We do not record whether the speaker is a person or an organisation; the
        # article's own publisher is the one case we can tell.
        kind = "Organization" if record["attributed_to"] == article["publisher"] else "Person"
        claim["author"] = _named(kind, record["attributed_to"])
    item = {
        "@type": "ClaimReview",
        "url": verdict["review_url"] or record["url"],
        "claimReviewed": record["claim"],
        "itemReviewed": claim,
        "reviewRating": rating,
        "reviewBody": verdict["rationale"],
    }
    if verdict["approved_at"]:
        item["datePublished"] = verdict["approved_at"][:10]  # the approval's date (UTC)
    if verdict["author"]:
        item["author"] = _named("Person", verdict["author"]["name"])
    if verdict["approver"]:
        item["editor"] = _named("Person", verdict["approver"]["name"])
    sources = [e["source_url"] for e in record["evidence"]]
    if sources:
        item["citation"] = [{"@type": "CreativeWork", "url": url} for url in sources]
    return item


def write_claimreview(f: ExportFilter, *, meta):
    best, worst = rating_scale()

    def pieces():
        yield '{"@context":"' + CONTEXT + '","@graph":['
        count = 0
        for record in claim_records(f):
            if record["verdict"] is None:
                continue
            item = claimreview_item(record, best=best, worst=worst)
            yield ("\n" if count == 0 else ",\n") + encode_json(item)
            count += 1
        yield "\n]}\n"

    return chunked(pieces())
