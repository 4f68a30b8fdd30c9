"""Claim set membership history records each change (claim, action, who, why), so adding
one claim costs the same in a set of 3 or of 300."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, ClaimSet, ClaimSetChange
from claims.services import claimset_add_claims, claimset_create, claimset_remove_claims

from .support.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def many_claims(n):
    article = make_article(body="Word. " * n)
    return [make_claim(article, quote="Word.", text=f"Claim {i}") for i in range(n)]


def add_one_and_count(editor, size):
    claims = many_claims(size + 1)
    claim_set = claimset_create(name=f"Set of {size}", user=editor)
    claimset_add_claims(claim_set=claim_set, claims=claims[:size], user=editor)
    history_before = claim_set.history.count()
    with CaptureQueriesContext(connection) as queries:
        claimset_add_claims(claim_set=claim_set, claims=[claims[-1]], user=editor, reason="Late")
    assert claim_set.history.count() == history_before + 1
    return len(queries), claim_set, claims[-1]


def test_adding_one_claim_writes_one_change_whatever_the_sets_size(editor):
    small, _, _ = add_one_and_count(editor, 3)
    large, claim_set, claim = add_one_and_count(editor, 300)
    assert small == large
    latest = claim_set.changes.first()
    assert (latest.claim_id, latest.action, latest.user, latest.reason) == (
        claim.pk,
        "added",
        editor,
        "Late",
    )
    assert claim_set.changes.count() == 301


def test_removals_and_reverse_changes_are_recorded_too(editor):
    a, b = many_claims(2)
    claim_set = claimset_create(name="Pair", user=editor)
    claimset_add_claims(claim_set=claim_set, claims=[a, b], user=editor)
    claimset_remove_claims(claim_set=claim_set, claims=[a], user=editor)
    removed = claim_set.changes.get(action="removed")
    assert removed.claim_id == a.pk and removed.reason == f"Removed claim {a.pk}"
    # A change through the claim's side (a script, the shell) is recorded as well.
    b.claim_sets.remove(claim_set)
    assert set(claim_set.changes.filter(action="removed").values_list("claim", flat=True)) == {
        a.pk,
        b.pk,
    }
    other = ClaimSet.objects.create(name="Other", slug="other")
    other.claims.add(a)
    other.claims.clear()
    assert list(other.changes.order_by("pk").values_list("action", flat=True)) == [
        "added",
        "removed",
    ]
    assert ClaimSetChange.objects.filter(claim_id=a.pk).count() == 4
    assert Claim.objects.count() == 2


def exact(claim_set):
    members = claim_set.claims.all()
    return members.count(), members.filter(status=Claim.Status.VERIFIED).count()


def tallied(claim_set):
    from claims.queries import with_counts

    counted = with_counts(ClaimSet.objects.filter(pk=claim_set.pk)).get()
    return counted.total, counted.verified


def test_set_counts_are_kept_by_every_change_that_moves_them(editor):
    a, b, c = many_claims(3)
    first = claimset_create(name="First", user=editor)
    second = claimset_create(name="Second", user=editor)
    assert tallied(first) == (0, 0)
    claimset_add_claims(claim_set=first, claims=[a, b, c], user=editor)
    claimset_add_claims(claim_set=second, claims=[a], user=editor)
    a.status = Claim.Status.VERIFIED
    a.save()
    assert tallied(first) == exact(first) == (3, 1)
    assert tallied(second) == exact(second) == (1, 1)
    a.status = Claim.Status.IN_REVIEW  # reopened
    a.save()
    b.status = Claim.Status.VERIFIED
    b.save()
    claimset_remove_claims(claim_set=first, claims=[c], user=editor)
    assert tallied(first) == exact(first) == (2, 1)
    assert tallied(second) == exact(second) == (1, 0)
    b.evidence.all().delete()
    b.delete()  # its membership goes with it
    assert tallied(first) == exact(first) == (1, 0)
    second.claims.clear()
    assert tallied(second) == exact(second) == (0, 0)
