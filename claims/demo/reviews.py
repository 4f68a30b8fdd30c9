"""Demo sources, evidence, verdicts and a claim set on top of the demo article's claims.

Gives a new user something in every export: two verified claims with evidence, one
awaiting approval, one unreviewed, all in the claim set `demo-russia-belarus`. The
sources are texts bundled in claims/demo/sources/ (see ORIGIN.md), stored as uploaded
captures, because the demo must not reach the internet. Idempotent.
"""

from pathlib import Path

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sources.services import capture_upload, source_add

from ..models import Claim, ClaimSet, Evidence, Rating
from ..services import claimset_add_claims, claimset_create, evidence_record, verdict_record

SOURCES_DIR = Path(__file__).resolve().parent / "sources"
SET_SLUG = "demo-russia-belarus"

# (claim quote starts with, source file, source URL, passage, rating, approve it?)
REVIEWS = [
    (
        "In 2009, Moscow and Minsk signed",
        "union-state-air-defence-2009.txt",
        "https://example.org/demo/union-state-air-defence-2009",
        "In February 2009 Russia and Belarus signed an agreement on the joint protection of the "
        "external border of the Union State in the airspace and on the creation of a unified "
        "regional air defence system.",
        "True",
        True,
    ),
    (
        "A year later, Moscow and Minsk agreed",
        "tactical-nuclear-weapons-2023.txt",
        "https://example.org/demo/tactical-nuclear-weapons-2023",
        "On 25 May 2023 in Minsk the defence ministers of Russia and Belarus signed documents on "
        "the procedure for keeping Russian non-strategic nuclear weapons in a special storage "
        "facility on the territory of Belarus.",
        "True",
        True,
    ),
    (
        "In 2022, a joint Russian-Belarussian military contingent",
        "regional-grouping-2022.txt",
        "https://example.org/demo/regional-grouping-2022",
        "Belarusian officials said that the Russian component would number up to nine thousand "
        "soldiers.",
        "Mostly true",
        False,
    ),
]


def _demo_user(username, group):
    """A demo account named as author or approver; inactive, so it can never sign in."""
    user, made = User.objects.get_or_create(
        username=username,
        defaults={"first_name": username.replace("-", " ").title(), "is_active": False},
    )
    if made:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def _uploaded_source(filename, url, *, user):
    """The demo source with its bundled text as an uploaded capture (made once)."""
    source = source_add(url=url, user=user, enqueue=False)  # example.org: nothing to fetch
    if source.latest_capture_id is None:
        data = (SOURCES_DIR / filename).read_bytes()
        capture_upload(source=source, uploaded_file=SimpleUploadedFile(filename, data), user=user)
        source.refresh_from_db()
    return source, source.latest_capture


def load_demo_reviews(article, *, reason):
    """Add the demo reviews to article's claims; return the demo ClaimSet."""
    reviewer = _demo_user("demo-reviewer", "reviewer")
    editor = _demo_user("demo-editor", "editor")
    for quote_start, filename, url, passage, label, approve in REVIEWS:
        claim = article.claims.get(quote__startswith=quote_start)
        source, capture = _uploaded_source(filename, url, user=reviewer)
        if passage not in capture.text:
            raise ValidationError(f"demo passage not in {filename}: {passage[:60]!r}")
        # Recorded as made by this command (user None), not by the demo accounts.
        evidence_record(
            claim=claim,
            source=source,
            stance=Evidence.Stance.SUPPORTS,
            passage=passage,
            capture=capture,
            added_by=reviewer,
            reason=reason,
        )
        if claim.status == Claim.Status.UNREVIEWED:
            verdict_record(
                claim=claim,
                rating=Rating.objects.get(label=label),
                rationale=f"The source states it: “{passage}”",
                author=reviewer,
                approver=editor if approve else None,
                reason=reason,
            )
    claim_set = ClaimSet.objects.filter(slug=SET_SLUG).first()
    if claim_set is None:
        claim_set = claimset_create(
            slug=SET_SLUG,
            name="Demo: Russia-Belarus military cooperation",
            description="The demo article's claims: two verified, one awaiting approval, "
            "one unreviewed. Try every export on it.",
            user=None,
            reason=reason,
        )
    claimset_add_claims(claim_set=claim_set, claims=article.claims.all(), user=None, reason=reason)
    return claim_set
