"""Small helpers that make rows with sensible defaults."""

import hashlib

from django.utils import timezone

from claims.models import Article, Claim, Evidence, Rating, Verdict
from sources.models import Capture, Source

BODY = (
    "Minsk, 13 December. In 2009, Moscow and Minsk signed an air defense agreement. "
    "Subscribe. In 2022, several thousand soldiers were deployed in Belarus."
)


def make_article(**fields):
    fields.setdefault("title", "Defense cooperation")
    fields.setdefault("publisher", "Example News")
    fields.setdefault("body", BODY)
    return Article.objects.create(**fields)


def make_claim(
    article=None, quote="In 2009, Moscow and Minsk signed an air defense agreement.", **fields
):
    article = article or make_article()
    start = article.body.index(quote)
    fields.setdefault("text", quote)
    return Claim.objects.create(
        article=article, quote=quote, start=start, end=start + len(quote), **fields
    )


def make_source(url="https://example.org/report", **fields):
    return Source.objects.create(url=url, **fields)


def make_evidence(claim, source=None, **fields):
    return Evidence.objects.create(claim=claim, source=source or make_source(), **fields)


def rating(label="False"):
    return Rating.objects.get(label=label)


def make_verdict(claim, author, **fields):
    fields.setdefault("rating", rating())
    fields.setdefault("rationale", "The records show otherwise.")
    if fields.get("state") in (Verdict.State.APPROVED, Verdict.State.RETURNED):
        fields.setdefault("decided_at", timezone.now())  # as the workflow records it
    return Verdict.objects.create(claim=claim, author=author, **fields)


def make_capture(source, **fields):
    fields.setdefault("requested_at", timezone.now())
    fields.setdefault("finished_at", fields["requested_at"])
    fields.setdefault("outcome", Capture.Outcome.OK)
    fields.setdefault("sha256", "ab" * 32)
    return Capture.objects.create(source=source, **fields)


def make_verified(claim, author, approver, label="False", **fields):
    """Give claim an approved verdict (as verdict_approve would) and mark it verified."""
    fields.setdefault("decided_at", timezone.now())
    verdict = make_verdict(
        claim, author, rating=rating(label), state="approved", approver=approver, **fields
    )
    claim.status = Claim.Status.VERIFIED
    claim.save()
    return verdict


def make_finished_capture(source, text="", outcome="ok", **fields):
    """A finished Capture row as the capture task would leave it (no fetch involved)."""
    now = timezone.now()
    fields.setdefault("requested_at", now)
    fields.setdefault("finished_at", now)
    fields.setdefault("http_status", 200 if outcome == "ok" else 404)
    if outcome != "ok":
        fields.setdefault("error_code", "http_404")
        fields.setdefault("error_message", "The server answered 404 Not Found.")
    fields.setdefault("sha256", hashlib.sha256(text.encode()).hexdigest() if text else "")
    capture = Capture.objects.create(source=source, outcome=outcome, text=text, **fields)
    source.latest_capture = capture
    source.status = outcome if outcome in ("ok", "failed", "refused") else source.status
    source.save()
    return capture
