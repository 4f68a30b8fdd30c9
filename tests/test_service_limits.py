"""Services refuse text the database would refuse, as a ValidationError naming the field
(PostgreSQL raises DataError for an over-long varchar or a NUL character)."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import ClaimSet, Verdict
from claims.services import claim_update, claimset_create, verdict_propose

from .support.factories import make_claim, rating

pytestmark = pytest.mark.django_db


def test_a_claim_set_name_one_character_too_long_is_a_field_error(editor):
    with pytest.raises(ValidationError) as caught:
        claimset_create(name="n" * 201, user=editor)
    assert caught.value.message_dict == {
        "name": ["Name has 201 characters; at most 200 are allowed."]
    }
    assert not ClaimSet.objects.exists()
    assert claimset_create(name="n" * 200, user=editor).name == "n" * 200


def test_an_attribution_too_long_is_refused_and_nothing_changes(reviewer):
    claim = make_claim()
    with pytest.raises(ValidationError) as caught:
        claim_update(claim=claim, user=reviewer, text=claim.text, attributed_to="x" * 301)
    assert list(caught.value.message_dict) == ["attributed_to"]
    claim.refresh_from_db()
    assert claim.attributed_to == "" and claim.version == 1


def test_a_nul_character_in_a_rationale_is_a_field_error(reviewer):
    claim = make_claim()
    with pytest.raises(ValidationError) as caught:
        verdict_propose(
            claim=claim,
            rating=rating(),
            rationale="False\x00",
            no_evidence_reason="The claim's own source is quoted in the rationale.",
            user=reviewer,
        )
    assert caught.value.message_dict == {"rationale": ["Rationale contains a NUL character."]}
    assert not Verdict.objects.exists()
