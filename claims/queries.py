"""The list-building reads: the reviewer's queue, claim sets with counts, similar
earlier claims, and the claims and captures behind evidence. Writes are in claims/services/;
full-text search is claims/search/.

The queue: which claims to show in each tab, with what, filtered how. Every list here
is built to stay cheap at 100,000 claims: one query for the rows of a page (the
current rating comes from a correlated subquery, the article body is never loaded),
one aggregate for the counts per status, and no COUNT(*) over the tab's rows.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from sources.models import Capture

from .models import Article, Claim, ClaimBand, ClaimSet, ImportedReview, Verdict
from .roles import EDITOR, REVIEWER
from .text.similarity import band_keys, float4, similarity_key, trigrams

TABS = {
    "mine": "Assigned to me",
    "approval": "Awaiting my approval",
    "unassigned": "Unassigned",
    "recent": "Recently changed",
}
EDITOR_TABS = {"approval"}
LIVE_VERDICT = [Verdict.State.PROPOSED, Verdict.State.APPROVED]


def live_verdicts():
    """Verdicts that count for a claim now: the proposed or the approved one."""
    return Verdict.objects.filter(claim=OuterRef("pk"), state__in=LIVE_VERDICT)


def with_current_rating(queryset):
    """Each claim's live rating, and who proposed it when (the queue's "waiting" column)."""
    live = live_verdicts().order_by("-created_at", "-pk")
    return queryset.annotate(
        current_rating=Subquery(live.values("rating__label")[:1]),
        proposer=Subquery(live.filter(state=Verdict.State.PROPOSED).values("author__username")[:1]),
        proposed_at=Subquery(live.filter(state=Verdict.State.PROPOSED).values("created_at")[:1]),
    )


def next_claim(user, *, editor, after=None):
    """The claim to work on next (one query): for an editor, the verdict that has waited
    longest for their approval; else, and for a reviewer, the open claim assigned to them
    that changed longest ago."""
    mine = Q(assignee=user) & ~Q(status__in=[Claim.Status.VERIFIED, Claim.Status.DISMISSED])
    if editor:
        waiting = Q(pk__in=tab_queryset("approval", user).values("pk"))
        candidates = Claim.objects.filter(waiting | mine).annotate(
            first=Case(When(waiting, then=Value(0)), default=Value(1))
        )
        order = ["first", "updated_at", "pk"]
    else:
        candidates, order = Claim.objects.filter(mine), ["updated_at", "pk"]
    if after is not None:
        candidates = candidates.exclude(pk=getattr(after, "pk", after))
    return candidates.order_by(*order).only("pk").first()


def approvals_waiting(user):
    return tab_queryset("approval", user).exists()


def list_rows(queryset):
    """What a claim row in a list shows, without the article body."""
    return with_current_rating(
        queryset.select_related("article", "assignee").only(
            "id",
            "text",
            "status",
            "needs_attention",
            "updated_at",
            "article__id",
            "article__title",
            "assignee__id",
            "assignee__username",
        )
    )


def tab_queryset(tab, user):
    claims = Claim.objects.all()
    if tab == "mine":
        return claims.filter(assignee=user)
    if tab == "approval":
        # An editor never approves their own verdict, so those are not "awaiting me".
        return claims.awaiting_approval().filter(
            ~Exists(
                Verdict.objects.filter(
                    claim=OuterRef("pk"), state=Verdict.State.PROPOSED, author=user
                )
            )
        )
    if tab == "unassigned":
        return claims.filter(assignee__isnull=True)
    return claims


def apply_filters(queryset, *, tab, user, status=None, assignee=None, article=None, rating=None):
    """assignee: a user, "me", "none" or None; the others are objects or None."""
    if status:
        queryset = queryset.filter(status=status)
    elif tab in ("mine", "unassigned"):
        queryset = queryset.open()  # work to do; a status filter shows the closed ones
    if assignee == "me":
        queryset = queryset.filter(assignee=user)
    elif assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif assignee is not None:
        queryset = queryset.filter(assignee=assignee)
    if article is not None:
        queryset = queryset.filter(article=article)
    if rating is not None:
        queryset = queryset.filter(Exists(live_verdicts().filter(rating=rating)))
    return queryset


# Counts above this show as "1,000+": the exact figure would cost a scan of every claim in
# that status, on every queue page; up to it, each count walks the status index and stops.
COUNT_CAP = 1000


class CappedCount(int):
    """A count that stopped at COUNT_CAP + 1 rows: prints as "1,000+"."""

    def __str__(self):
        return f"{COUNT_CAP:,}+" if self > COUNT_CAP else f"{int(self):,}"


def status_counts(cap=COUNT_CAP):
    """[(status, label, count)] for every status, from one query whose cost does not grow
    with the table: each count reads at most cap + 1 entries of the (status, ...) index."""
    part = (
        "SELECT %s, (SELECT count(*) FROM "
        "(SELECT 1 FROM claims_claim WHERE status = %s LIMIT %s) t)"
    )
    sql = " UNION ALL ".join([part] * len(Claim.Status.values))
    params = [p for value in Claim.Status.values for p in (value, value, cap + 1)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = {value: CappedCount(n) for value, n in cursor.fetchall()}
    return [(value, label, counts[value]) for value, label in Claim.Status.choices]


def assignable_users():
    """People who can be given claims: members of the reviewer or editor group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[REVIEWER, EDITOR])
        .distinct()
        .order_by("username")
    )


# The queue filter offers the newest articles only: a select of 100,000 titles is useless.
ARTICLE_CHOICES_LIMIT = 100


def recent_articles(selected=None, limit=ARTICLE_CHOICES_LIMIT):
    """Articles offered in the queue's filter: the newest few, plus the one selected."""
    articles = list(Article.objects.only("pk", "title")[:limit])
    if selected and all(a.pk != selected for a in articles):
        articles += list(Article.objects.filter(pk=selected).only("pk", "title"))
    return articles


def with_counts(queryset=None):
    """Claim sets annotated with `total` and `verified` claim counts, read from their
    tallies (kept by the database as members and statuses change): no member is counted."""
    queryset = ClaimSet.objects.all() if queryset is None else queryset
    return queryset.annotate(
        total=Coalesce(F("tally__total"), 0), verified=Coalesce(F("tally__verified"), 0)
    )


# Evidence


def claims_citing(source):
    """Claims whose approved verdict rests on evidence from source."""
    return Claim.objects.filter(
        evidence__source=source, verdicts__state=Verdict.State.APPROVED
    ).distinct()


def last_good_capture(source):
    return (
        source.captures.filter(outcome=Capture.Outcome.OK).order_by("-requested_at", "-pk").first()
    )


# Similar earlier claims
"""Earlier claims like this one, so a reviewer reuses work instead of checking twice.

Claims are compared on their content words stemmed by language (Claim.similarity_key,
see claims/text/similarity.py) with pg_trgm's measure: trigrams of lower-cased alphanumeric
words padded with two spaces in front and one behind, similarity = shared
trigrams / all distinct trigrams. A claim is similar at SIMILARITY_THRESHOLD or
above; the best LIMIT are listed, most similar first, then oldest first.

PostgreSQL takes candidates from the MinHash band index (ClaimBand, kept by
Claim.save(); claims/text/similarity.py) and scores them exactly with pg_trgm's
similarity(), so ranking and threshold are pg_trgm's. A claim at 0.5 shares a band
key with probability 0.995; at a million claims the band index answers in a few
milliseconds where the GIN trigram index (migration 0004, still there for `%`
queries) took over a second (benchmarks/similar_claims.py, with the recall
measured against it). Other databases (SQLite in development) compute the same measure
in Python, in single precision as PostgreSQL returns it, so both give the same
ranking. The Python path reads every claim's key: fine for a development
database, not for production, which runs on PostgreSQL.
"""

# "The same claim, reworded": on content words, paraphrases of one claim score
# 0.58-1.0 and different claims about the same actors about 0.2-0.3
# (tests/test_similar_claims.py). Above pg_trgm's default of 0.3 the GIN scan can
# skip more of the frequent trigrams' postings (benchmarks/similar_claims.py). It is
# set for each query, so a server configured otherwise still ranks like SQLite.
SIMILARITY_THRESHOLD = 0.5
LIMIT = 5
# Claims scored exactly per lookup on PostgreSQL (see banded_queryset).
CANDIDATES = 400
# Band rows read per band key on PostgreSQL (see banded_queryset).
KEY_ROWS = 200


@dataclass(frozen=True, slots=True)
class SimilarClaim:
    claim: Claim
    similarity: float
    verdict: Verdict | None  # the approved verdict, if the claim was verified


def _with_verdicts(queryset):
    approved = Verdict.objects.approved().select_related("rating")
    return queryset.select_related("article").prefetch_related(
        Prefetch("verdicts", queryset=approved, to_attr="approved_verdicts")
    )


def trigram_queryset(key):
    """PostgreSQL: claims whose key is `%` key (from the GIN index), most similar first.

    Run it where pg_trgm.similarity_threshold is set (benchmarks/similar_claims.py
    compares it with banded_queryset, which similar_claims uses).
    """
    return (
        Claim.objects.filter(TrigramSimilar(F("similarity_key"), Value(key)))
        .annotate(similarity=Cast(TrigramSimilarity("similarity_key", key), FloatField()))
        .order_by("-similarity", "pk")
    )


def banded_queryset(key):
    """PostgreSQL: claims sharing a MinHash band key with key, scored exactly by
    similarity() and kept at SIMILARITY_THRESHOLD, most similar first. Reads the
    candidates' ids when called (one query).

    The band index (ClaimBand) names a few hundred candidates at a million claims
    where the trigram index reads the postings of every frequent trigram
    (benchmarks/similar_claims.py measures both, and the recall against it).
    """
    # Read first, so the planner works from the ids rather than its estimate of them
    # (it otherwise scores every claim with a sequential scan). The claims sharing most
    # bands first: a claim at 0.5 shares 5 of the 40 on average, an unrelated claim
    # with frequent words in common 0 or 1, and those can be thousands at 1M.
    #
    # Each key's rows are read up to KEY_ROWS (newest claims first): a key that
    # thousands of claims share (claims made of a desk's most frequent words) says as
    # little as a stop word, and reading all of its rows made the lookup linear in
    # the table (0.1 s at 100,000 claims of a narrow vocabulary). A similar claim
    # shares several keys, the rarer of which still name it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT b.claim_id FROM unnest(%s::bigint[]) AS k(key) CROSS JOIN LATERAL "
            f"(SELECT claim_id FROM {ClaimBand._meta.db_table} WHERE key = k.key "
            "ORDER BY claim_id DESC LIMIT %s) b "
            "GROUP BY b.claim_id ORDER BY count(*) DESC, b.claim_id LIMIT %s",
            [band_keys(key), KEY_ROWS, CANDIDATES],
        )
        candidates = [row[0] for row in cursor.fetchall()]
    return (
        Claim.objects.filter(pk__in=candidates)
        .annotate(similarity=Cast(TrigramSimilarity("similarity_key", key), FloatField()))
        .filter(similarity__gte=SIMILARITY_THRESHOLD)
        .order_by("-similarity", "pk")
    )


def _postgres(key, exclude_pk, limit):
    queryset = banded_queryset(key)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    found = list(_with_verdicts(queryset)[:limit])
    return [(claim, float4(claim.similarity)) for claim in found]


def _python(key, exclude_pk, limit):
    wanted = trigrams(key)
    if not wanted:
        return []
    scored = []
    rows = Claim.objects.values_list("pk", "similarity_key").iterator(chunk_size=2000)
    for pk, other in rows:
        if pk == exclude_pk:
            continue
        theirs = trigrams(other)
        shared = len(wanted & theirs)
        if not shared:
            continue
        similarity = float4(shared / (len(wanted) + len(theirs) - shared))
        if similarity >= SIMILARITY_THRESHOLD:
            scored.append((-similarity, pk))
    scored.sort()
    top = scored[:limit]
    claims = _with_verdicts(Claim.objects.filter(pk__in=[pk for _, pk in top])).in_bulk()
    return [(claims[pk], -negative) for negative, pk in top]


def similar_claims(*, text, exclude=None, limit=LIMIT) -> list[SimilarClaim]:
    """The claims most similar to text (best first), each with its approved verdict."""
    return _similar_to_key(similarity_key(text), exclude, limit)


def _similar_to_key(key, exclude, limit):
    if not key:
        return []
    exclude_pk = getattr(exclude, "pk", exclude)
    find = _postgres if connection.vendor == "postgresql" else _python
    return [
        SimilarClaim(claim, similarity, (claim.approved_verdicts or [None])[0])
        for claim, similarity in find(key, exclude_pk, limit)
    ]


def claim_similar(claim, *, limit=LIMIT) -> list[SimilarClaim]:
    """Earlier claims like this one (the claim itself left out)."""
    # The key Claim.save() stored for this text: no need to identify its language again.
    return _similar_to_key(claim.similarity_key, claim, limit)


def reviews_side_by_side(claim, verdicts):
    """(our current verdict or None, the imported reviews) for the claim page's comparison.

    Ours is the newest verdict the desk wrote (approved first, else the one in progress);
    a verdict an import created holds their rating mapped, so it is not ours. No query
    unless the claim has imported reviews (`has_imported_reviews`, see get_claim).
    """
    if not getattr(claim, "has_imported_reviews", True):
        return None, []
    imported = list(
        ImportedReview.objects.filter(claim=claim).select_related("rating").order_by("pk")
    )
    theirs = {review.verdict_id for review in imported}
    own = [v for v in verdicts if v.pk not in theirs]
    current = next((v for v in own if v.state == Verdict.State.APPROVED), None)
    if current is None:
        current = next((v for v in own if v.state == Verdict.State.PROPOSED), None)
    return current, imported


# The claim page is the most visited; the similarity search costs what the trigram index
# scan costs (most of the page at a million claims). The page asks for it through this
# cache: keyed by the claim and its key (an edit of the text is a new key, so a new
# search), it keeps which claims matched and how well; their verdicts are read fresh.
SIMILAR_CACHE_SECONDS = 15 * 60


def similar_cache_key(claim):
    # Claim.save() keeps similarity_key in step with the text: no need to derive it again.
    digest = hashlib.sha1(claim.similarity_key.encode()).hexdigest()
    return f"claims:similar:{claim.pk}:{digest}"


def claim_similar_cached(claim, *, limit=LIMIT) -> list[SimilarClaim]:
    """claim_similar, from the cache when this claim's text was searched recently."""
    key = similar_cache_key(claim)
    found = cache.get(key)
    if found is None:
        result = claim_similar(claim, limit=limit)
        cache.set(key, [(s.claim.pk, s.similarity) for s in result], SIMILAR_CACHE_SECONDS)
        return result
    claims = _with_verdicts(Claim.objects.filter(pk__in=[pk for pk, _ in found])).in_bulk()
    return [
        SimilarClaim(claims[pk], similarity, (claims[pk].approved_verdicts or [None])[0])
        for pk, similarity in found
        if pk in claims  # deleted since
    ]
