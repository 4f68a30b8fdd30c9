"""The reviewer's queue: which claims to show in each tab, with what, filtered how.

Every list here is built to stay cheap at 100,000 claims: one query for the rows
of a page (the current rating comes from a correlated subquery, the article body
is never loaded), one aggregate for the counts per status, and no COUNT(*) over
the tab's rows.
"""

from django.db.models import Count, Exists, OuterRef, Subquery

from .models import Claim, Verdict

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
    return queryset.annotate(
        current_rating=Subquery(
            live_verdicts().order_by("-created_at", "-pk").values("rating__label")[:1]
        )
    )


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


def status_counts():
    """{status: count} for every status, from one GROUP BY."""
    counts = dict.fromkeys(Claim.Status.values, 0)
    for row in Claim.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return [(value, label, counts[value]) for value, label in Claim.Status.choices]
