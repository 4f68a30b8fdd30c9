"""Marking claims: a suggestion or any span, with the quote checked against the body."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import Article, Claim
from claims.services import claim_create
from claims.text.suggest import suggest_claims

from .support.factories import BODY, make_article

pytestmark = pytest.mark.django_db
QUOTE = "In 2009, Moscow and Minsk signed an air defense agreement."


def test_reviewer_accepts_a_suggestion(reviewer):
    article = make_article()
    best = suggest_claims(article.body)[0]
    claim = claim_create(
        article=article,
        quote=best.text,
        start=best.start,
        end=best.end,
        checkworthiness=best.score,
        user=reviewer,
    )
    assert (claim.quote, claim.text, claim.checkworthiness) == (best.text, best.text, best.score)
    assert claim.created_by == reviewer
    record = claim.history.get()
    assert (record.history_user, record.history_change_reason) == (reviewer, "Claim marked")


def test_any_span_of_the_body_can_be_a_claim(reviewer):
    article = make_article()
    start = BODY.index("several thousand soldiers")
    claim = claim_create(
        article=article,
        quote="several thousand soldiers",
        start=start,
        text="Several thousand soldiers were deployed in Belarus in 2022.",
        attributed_to="Example News",
        user=reviewer,
    )
    assert claim.end == start + len("several thousand soldiers")
    assert claim.text.startswith("Several thousand")


def test_a_quote_that_disagrees_with_the_body_is_refused_with_what_is_there(reviewer):
    article = make_article()
    with pytest.raises(ValidationError) as excinfo:
        claim_create(article=article, quote=QUOTE, start=0, user=reviewer)
    message = " ".join(excinfo.value.messages)
    there = "Minsk, 13 December. In 2009, Moscow and Minsk signed an ai"
    assert f"the body there reads “{there}”" in message
    assert f"appears at offsets {BODY.index(QUOTE)}-" in message
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    "quote, start, end, error",
    [
        (QUOTE, BODY.index(QUOTE), BODY.index(QUOTE) + 5, "offsets .* span 5"),
        (QUOTE, len(BODY), None, "outside the body"),
        ("", 0, None, "quote is empty"),
        ("  ", 0, 2, "quote is empty"),
        ("Helsinki", 0, None, "does not appear anywhere"),
        (QUOTE, -3, None, "cannot be negative"),
        (QUOTE, "abc", None, "whole number"),
    ],
)
def test_bad_offsets_and_quotes_are_refused_clearly(reviewer, quote, start, end, error):
    with pytest.raises(ValidationError, match=error):
        claim_create(article=make_article(), quote=quote, start=start, end=end, user=reviewer)
    assert not Claim.objects.exists()


def test_the_same_span_twice_is_refused(reviewer):
    article = make_article()
    first = claim_create(article=article, quote=QUOTE, start=BODY.index(QUOTE), user=reviewer)
    with pytest.raises(ValidationError, match=f"Claim #{first.pk} already quotes"):
        claim_create(article=article, quote=QUOTE, start=BODY.index(QUOTE), user=reviewer)


def test_an_article_still_importing_takes_no_claims(reviewer):
    article = make_article(status=Article.Status.IMPORTING, body="")
    with pytest.raises(ValidationError, match="importing"):
        claim_create(article=article, quote="x", start=0, user=reviewer)


def test_outsider_cannot_mark_claims(outsider):
    with pytest.raises(PermissionDenied):
        claim_create(article=make_article(), quote=QUOTE, start=BODY.index(QUOTE), user=outsider)
