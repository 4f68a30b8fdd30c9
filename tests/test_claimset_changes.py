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
