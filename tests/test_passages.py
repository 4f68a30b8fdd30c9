"""Evidence passages: BM25 matching, and what claims does when a capture finishes."""

import math
import random
from collections import Counter

import pytest

from claims.models import Claim
from claims.services.evidence import evidence_refresh_passages
from claims.text import passages
from claims.text.passages import PassageIndex, match_passages
from claims.text.segmenter import split_sentences
from claims.text.stemming import stem
from sources.signals import capture_finished

from .support.factories import (
    make_article,
    make_claim,
    make_evidence,
    make_finished_capture,
    make_source,
    make_verdict,
)
from .support.pages import SOURCE_PAGE

BODY = (
    "Minsk, 13 December. In 2009, Moscow and Minsk signed an air defense agreement on the joint "
    "protection of the airspace borders of the Union State. Subscribe. In 2022, several thousand "
    "soldiers were deployed in Belarus."
)
AIR_DEFENCE = (
    "In 2009, Moscow and Minsk signed an air defense agreement on the joint protection of the "
    "airspace borders of the Union State."
)
TROOPS = "In 2022, several thousand soldiers were deployed in Belarus."


def send(capture, content_changed=False, vanished=False):
    capture_finished.send(
        sender=type(capture),
        capture=capture,
        source=capture.source,
        content_changed=content_changed,
        vanished=vanished,
    )


def test_matching_picks_the_passage_a_human_would_pick():
    best = match_passages(AIR_DEFENCE, SOURCE_PAGE)[0]
    assert best.text.startswith("On 3 February 2009 in Moscow, the presidents")
    assert best.text == SOURCE_PAGE[best.start : best.end]
    assert {"2009", "Moscow", "signed", "agreement", "joint", "protection"} <= set(best.terms)
    troops = match_passages(TROOPS, SOURCE_PAGE)[0]
    assert troops.text.startswith("In 2022 several thousand soldiers")


def test_passages_are_ranked_distinct_and_bounded():
    passages = match_passages(AIR_DEFENCE, SOURCE_PAGE, top=3)
    assert len(passages) == 3
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    spans = sorted((p.start, p.end) for p in passages)
    for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False):
        assert a_end <= b_start


def test_no_shared_words_means_no_passages():
    assert match_passages("Completely unrelated pancakes.", SOURCE_PAGE) == []
    assert match_passages(AIR_DEFENCE, "") == []


def test_stemming_is_light_and_idempotent():
    assert stem("soldiers") == stem("soldier") == "soldier"
    assert stem("deployed") == "deploy"
    assert stem("agencies") == "agency"
    assert stem("Union") == "union"
    for word in ("soldiers", "deployed", "agencies", "signing", "status"):
        assert stem(stem(word)) == stem(word)


def every_window_best(query, text, top=passages.TOP, width=passages.MAX_WINDOW):
    """BM25 scored on every window of 1..width sentences: what the index must find by
    scoring only the windows that hold a query term."""
    language = "en"
    asked = {}
    for term, word in passages.terms(query, language):
        asked.setdefault(term, word)
    sentences = split_sentences(text)
    counts = [Counter(t for t, _ in passages.terms(s.text, language)) for s in sentences]
    n = len(sentences)
    spans = [(i, j) for i in range(n) for j in range(i, min(n, i + width))]
    length = {(i, j): sum(sum(counts[k].values()) for k in range(i, j + 1)) for i, j in spans}
    avgdl = sum(length.values()) / len(spans) or 1.0
    df = {term: sum(1 for c in counts if term in c) for term in asked}
    scored = []
    for i, j in spans:
        score, matched = 0.0, []
        for term, word in asked.items():
            tf = sum(counts[k][term] for k in range(i, j + 1))
            if tf:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                matched.append(word)
                score += idf * tf * (2.2) / (tf + 1.2 * (0.25 + 0.75 * length[i, j] / avgdl))
        if score > 0:
            scored.append((round(score, 4), i, j, matched))
    chosen, used = [], set()
    for score, i, j, matched in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if not used.intersection(range(i, j + 1)):
            used.update(range(i, j + 1))
            chosen.append((sentences[i].start, sentences[j].end, score, matched))
    return chosen[:top]


def test_one_index_matches_many_claims_as_scoring_every_window_would():
    rng = random.Random(15)
    words = (SOURCE_PAGE + BODY).split()
    paragraphs = [" ".join(rng.choices(words, k=rng.randint(3, 30))) + "." for _ in range(120)]
    text = SOURCE_PAGE + "\n\n".join(paragraphs)
    index = PassageIndex(text, language="en")
    queries = [AIR_DEFENCE, TROOPS, BODY, "pancakes", "2009 2022 Belarus"]
    queries += [" ".join(rng.choices(words, k=rng.randint(1, 20))) for _ in range(30)]
    for query in queries:
        found = [(p.start, p.end, p.score, p.terms) for p in index.match(query, top=5)]
        assert found == every_window_best(query, text, top=5), query


@pytest.mark.django_db
def test_a_good_capture_suggests_passages_on_the_evidence():
    claim = make_claim(make_article(body=BODY), quote=AIR_DEFENCE)
    evidence = make_evidence(claim)
    capture = make_finished_capture(evidence.source, text=SOURCE_PAGE)
    send(capture)
    evidence.refresh_from_db()
    first = evidence.suggested_passages[0]
    assert first["capture"] == capture.pk
    assert first["text"].startswith("On 3 February 2009")
    assert SOURCE_PAGE[first["start"] : first["end"]] == first["text"]
    assert "2009" in first["terms"]
    record = evidence.history.first()
    assert record.history_user is None
    assert record.history_change_reason == f"capture_finished: capture {capture.pk}"


@pytest.mark.django_db
def test_a_failed_capture_leaves_evidence_and_claims_alone():
    claim = make_claim(make_article(body=BODY), quote=AIR_DEFENCE)
    evidence = make_evidence(claim)
    send(make_finished_capture(evidence.source, outcome="failed"))
    evidence.refresh_from_db()
    claim.refresh_from_db()
    assert evidence.suggested_passages == []
    assert not claim.needs_attention


@pytest.mark.django_db
def test_an_unchanged_recheck_keeps_the_suggestions_and_writes_no_history():
    claim = make_claim(make_article(body=BODY), quote=AIR_DEFENCE)
    evidence = make_evidence(claim)
    send(make_finished_capture(evidence.source, text=SOURCE_PAGE))
    versions = evidence.history.count()
    send(make_finished_capture(evidence.source, text=SOURCE_PAGE), content_changed=False)
    assert evidence.history.count() == versions


@pytest.mark.django_db
def test_changed_recapture_recomputes_passages_and_flags_the_verified_claim(reviewer, editor):
    claim = make_claim(make_article(body=BODY), quote=AIR_DEFENCE, status=Claim.Status.VERIFIED)
    make_verdict(claim, reviewer, state="approved", approver=editor)
    unverified = make_claim(claim.article, quote=TROOPS)
    source = make_source()
    evidence = make_evidence(claim, source)
    make_evidence(unverified, source)
    send(make_finished_capture(source, text=SOURCE_PAGE))
    assert not Claim.objects.filter(needs_attention=True).exists()

    changed = SOURCE_PAGE.replace("On 3 February 2009", "On 3 February 2010")
    recapture = make_finished_capture(source, text=changed)
    send(recapture, content_changed=True)

    evidence.refresh_from_db()
    assert evidence.suggested_passages[0]["capture"] == recapture.pk
    assert "2010" in evidence.suggested_passages[0]["text"]
    claim.refresh_from_db()
    assert claim.needs_attention
    assert claim.attention_reason.startswith(f"Source {source.url} changed content")
    assert claim.history.first().history_change_reason.startswith("Flagged: Source")
    unverified.refresh_from_db()
    assert not unverified.needs_attention


@pytest.mark.django_db
def test_a_vanished_source_flags_the_verified_claim(reviewer, editor):
    claim = make_claim(make_article(body=BODY), quote=AIR_DEFENCE, status=Claim.Status.VERIFIED)
    make_verdict(claim, reviewer, state="approved", approver=editor)
    evidence = make_evidence(claim)
    send(make_finished_capture(evidence.source, outcome="failed", http_status=410), vanished=True)
    claim.refresh_from_db()
    assert claim.needs_attention
    assert "vanished (HTTP 410)" in claim.attention_reason


@pytest.mark.django_db
def test_approving_a_new_verdict_clears_the_flag(reviewer, editor):
    from claims.services.workflow import verdict_approve

    claim = make_claim(
        make_article(body=BODY),
        quote=AIR_DEFENCE,
        status=Claim.Status.AWAITING_APPROVAL,
        needs_attention=True,
        attention_reason="Source changed.",
    )
    verdict_approve(verdict=make_verdict(claim, reviewer), user=editor)
    claim.refresh_from_db()
    assert (claim.needs_attention, claim.attention_reason) == (False, "")


@pytest.mark.django_db
def test_evidence_on_an_already_captured_source_gets_passages_on_refresh():
    claim = make_claim(make_article(body=BODY), quote=TROOPS)
    source = make_source()
    make_finished_capture(source, text=SOURCE_PAGE)
    evidence = evidence_refresh_passages(evidence=make_evidence(claim, source))
    assert evidence.suggested_passages[0]["text"].startswith("In 2022 several thousand")


def test_a_capture_finishing_while_evidence_is_added_still_gives_passages(
    reviewer, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from claims.services.evidence import evidence_add

    claim = make_claim(make_article(body=BODY), quote=TROOPS)
    url = "https://example.org/mod"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        evidence = evidence_add(claim=claim, url=url, user=reviewer)
        assert evidence.suggested_passages == []
        # The worker finishes the capture and announces it before our commit: its
        # receiver cannot see the uncommitted evidence row.
        make_finished_capture(evidence.source, text=SOURCE_PAGE)
    evidence.refresh_from_db()
    assert evidence.suggested_passages[0]["text"].startswith("In 2022 several thousand")
