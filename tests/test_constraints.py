"""Each database constraint rejects a violating write; model validation explains it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Article, Claim, Verdict
from sources.models import Source

from .support.factories import make_article, make_claim, make_evidence, make_source, make_verdict

pytestmark = pytest.mark.django_db


def refused(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_one_source_per_normalized_url():
    make_source("https://Example.ORG:443/report#section")
    assert Source.objects.get().url == "https://example.org/report"
    refused(lambda: make_source("HTTPS://example.org/report"))


def test_article_url_is_unique_when_set_but_many_articles_may_have_none():
    make_article(url="https://news.example/a")
    make_article(url="")
    make_article(url="")
    refused(lambda: make_article(url="https://news.example/a"))
    assert Article.objects.count() == 3


def test_one_evidence_row_per_claim_and_source():
    claim = make_claim()
    source = make_source()
    make_evidence(claim, source)
    refused(lambda: make_evidence(claim, source))


def test_at_most_one_approved_verdict_per_claim(reviewer, editor, second_editor):
    claim = make_claim()
    make_verdict(claim, reviewer, state=Verdict.State.APPROVED, approver=editor)
    make_verdict(claim, reviewer, state=Verdict.State.SUPERSEDED)
    refused(
        lambda: make_verdict(claim, reviewer, state=Verdict.State.APPROVED, approver=second_editor)
    )


def test_database_refuses_an_approver_who_is_the_author(editor):
    claim = make_claim()
    refused(lambda: make_verdict(claim, editor, state=Verdict.State.APPROVED, approver=editor))


def test_a_decision_has_a_time_and_a_proposal_has_no_approver(reviewer, editor):
    claim = make_claim()
    refused(
        lambda: make_verdict(
            claim, reviewer, state=Verdict.State.APPROVED, approver=editor, decided_at=None
        )
    )
    refused(lambda: make_verdict(claim, reviewer, approver=editor))  # proposed, yet decided


def test_approved_verdict_must_name_its_approver(reviewer):
    refused(lambda: make_verdict(make_claim(), reviewer, state=Verdict.State.APPROVED))


def test_quote_length_must_match_its_offsets():
    article = make_article()
    refused(
        lambda: Claim.objects.create(article=article, text="x", quote="In 2009", start=0, end=3)
    )


def test_empty_span_is_refused():
    article = make_article()
    refused(lambda: Claim.objects.create(article=article, text="x", quote="", start=5, end=5))


def test_dismissed_claim_needs_a_reason():
    claim = make_claim()
    claim.status = Claim.Status.DISMISSED
    refused(claim.save)


def test_validation_refuses_offsets_outside_the_body():
    article = make_article(body="Short body.")
    claim = Claim(article=article, text="x", quote="body.xx", start=6, end=13)
    with pytest.raises(ValidationError) as exc:
        claim.full_clean()
    assert "outside the body" in str(exc.value)


def test_validation_refuses_a_quote_that_does_not_match_the_body():
    article = make_article(body="The sky is green today.")
    claim = Claim(article=article, text="x", quote="sky is blue", start=4, end=15)
    with pytest.raises(ValidationError) as exc:
        claim.full_clean()
    assert "does not match" in exc.value.message_dict["quote"][0]


def test_cyrillic_quote_offsets_round_trip():
    article = make_article(body="Intro. Заголовок открываемого материала. End.")
    quote = "Заголовок открываемого материала."
    start = article.body.index(quote)
    claim = Claim(article=article, text=quote, quote=quote, start=start, end=start + len(quote))
    claim.full_clean()
    claim.save()  # the database's length agrees with Python's on non-ASCII text
    claim.refresh_from_db()
    assert article.body[claim.start : claim.end] == quote


def test_editing_an_article_body_cannot_strand_its_claims():
    claim = make_claim()
    article = claim.article
    article.body = article.body.replace("2009", "2010")
    with pytest.raises(ValidationError) as exc:
        article.full_clean()
    assert str(claim.pk) in exc.value.message_dict["body"][0]


def test_validation_refuses_approver_who_is_author(editor):
    verdict = make_verdict(make_claim(), editor)
    verdict.approver = editor
    with pytest.raises(ValidationError) as exc:
        verdict.full_clean()
    assert "approver" in exc.value.message_dict
