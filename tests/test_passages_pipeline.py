"""Passages and flags through the real pipeline: a worker captures, claims reacts."""

import pytest

from claims.models import Claim
from claims.services.evidence import evidence_add
from sources.services import source_recapture

from .support.factories import make_article, make_claim, make_verdict
from .support.httpserver import Reply
from .support.pages import ARTICLE, russian_page

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("capture_settings"),
]


def test_a_changed_recapture_recomputes_passages_and_flags_the_verified_claim(
    site, celery_worker, reviewer, editor
):
    claim = make_claim(status=Claim.Status.VERIFIED)
    make_verdict(claim, reviewer, state="approved", approver=editor)
    url = site.add("evidence/changing", Reply(ARTICLE))
    evidence = evidence_add(claim=claim, url=url, user=reviewer)
    celery_worker.wait_for_passages(evidence)
    first_capture = evidence.suggested_passages[0]["capture"]
    claim.refresh_from_db()
    assert not claim.needs_attention

    site.set(url, Reply(ARTICLE.replace("In 2009", "In 2010")))
    source_recapture(source=evidence.source, user=None)

    def flagged():
        claim.refresh_from_db()
        return claim.needs_attention

    celery_worker.wait_until(flagged)
    assert claim.attention_reason.startswith(f"Source {evidence.source.url} changed content")
    evidence.refresh_from_db()
    assert evidence.suggested_passages[0]["capture"] != first_capture
    assert "In 2010" in evidence.suggested_passages[0]["text"]


def test_a_russian_claim_gets_its_passage_from_a_russian_page(site, celery_worker, reviewer):
    # A windows-1251 page; the claim inflects the source's words differently ("Москва и
    # Минск договорились ... воздушных границ" against "в воздушном пространстве").
    quote = "В 2009 году Москва и Минск договорились о совместной охране воздушных границ."
    claim = make_claim(make_article(title="ПВО", body=f"Минск, 14 декабря. {quote}"), quote)
    url = site.add("evidence/ru", Reply(russian_page(), content_type="text/html"))
    evidence = evidence_add(claim=claim, url=url, user=reviewer)
    celery_worker.wait_for_passages(evidence)
    best = evidence.suggested_passages[0]
    assert best["text"].startswith("В 2009 году Москва и Минск подписали соглашение")
    assert {"2009", "Москва", "охране", "воздушных"} <= set(best["terms"])
