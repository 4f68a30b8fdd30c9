"""Full-text search: the same cases on whichever database the suite runs on (SQLite by
default, PostgreSQL in CI), so both backends show one behaviour."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from claims.models import Claim
from claims.search import Filters, decode_cursor, parse, search
from claims.search.query import to_fts5, to_websearch, to_websearch_without_phrases
from sources.models import Source

from .support.factories import make_article, make_capture, make_claim, make_verdict, rating

pytestmark = pytest.mark.django_db


def claim_with(text, *, attributed_to="", language="", body=None):
    body = body or f"Intro. {text} Outro."
    article = make_article(title="Article", body=body, language=language)
    return make_claim(article, quote=text, text=text, attributed_to=attributed_to)


def found(q, kind="claims", **filters):
    return [hit.pk for hit in search(q=q, kind=kind, filters=Filters(**filters)).hits]


def test_the_query_syntax_is_parsed_once_for_both_backends():
    query = parse('Union State -"air defense" OR Lukashenko')
    assert to_websearch(query) == 'Union State -"air defense" or Lukashenko'
    assert to_fts5(query) == '(("union" AND "state") NOT "air defense") OR ("lukashenko")'
    assert not parse("-only -exclusions") and not parse('OR "" -x')


def test_a_word_finds_claims_by_text_quote_attribution_and_rationale(reviewer):
    by_text = claim_with("Grain exports doubled in spring.")
    by_author = claim_with("Prices fell.", attributed_to="Tikhanovskaya")
    by_rationale = claim_with("The bridge was closed.")
    make_verdict(by_rationale, reviewer, rationale="Ministry statistics contradict it.")
    claim_with("Nothing relevant here.")
    assert found("grain") == [by_text.pk]
    assert found("TIKHANOVSKAYA") == [by_author.pk]
    assert found("statistics") == [by_rationale.pk]


def test_phrases_exclusions_and_or_behave_like_websearch():
    adjacent = claim_with("The union state budget grew.")
    apart = claim_with("The state of the union was debated.")
    other = claim_with("Tariffs on potash rose.")
    assert set(found("union state")) == {adjacent.pk, apart.pk}
    assert found('"union state"') == [adjacent.pk]
    assert found("union -debated") == [adjacent.pk]
    assert set(found("potash OR budget")) == {adjacent.pk, other.pk}
    assert found("-union") == []
    assert set(found('"union state" OR potash')) == {adjacent.pk, other.pk}
    assert found('union -"state of"') == [adjacent.pk]
    assert found('"state budget" "the union"') == [adjacent.pk]


def test_a_phrase_widens_to_its_words_anywhere_for_the_rows_it_reads():
    query = parse('"union state" budget -"air defense" -tariff OR "potash exports"')
    assert to_websearch_without_phrases(query) == "union state budget -tariff or potash exports"
    assert to_websearch_without_phrases(parse("union -state OR mil.by")) == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL reads documents")
def test_a_phrase_is_checked_in_at_most_phrase_rows_rows_holding_its_words(monkeypatch):
    # Articles: claims find a phrase from its word pairs instead (test_search_pairs.py).
    from claims.search import backends

    made = {make_article(title=f"The union state budget {i}", body="-").pk for i in range(3)}
    make_article(title="The state of the union", body="-")
    assert set(found('"union state"', kind="articles")) == made
    monkeypatch.setattr(backends, "PHRASE_ROWS", 2)
    assert len(found('"union state"', kind="articles")) <= 2


def test_words_in_other_scripts_and_case_match():
    minsk = claim_with("Лукашенко встретился с Путиным в Минске.")
    assert found("лукашенко") == [minsk.pk]
    assert found("МИНСКЕ") == [minsk.pk]


def test_claims_that_mention_the_words_in_their_text_rank_first(reviewer):
    in_rationale = claim_with("Fuel subsidies ended.")
    make_verdict(in_rationale, reviewer, rationale="Customs data on fertiliser show this.")
    in_text = claim_with("Fertiliser output rose by a tenth.")
    assert found("fertiliser") == [in_text.pk, in_rationale.pk]


def test_articles_are_found_by_title_and_deep_in_the_body():
    deep = make_article(title="Budget", body="Filler sentence. " * 3000 + "Zhodino tractor works.")
    titled = make_article(title="Zhodino news", body="Nothing.")
    assert set(found("zhodino", kind="articles")) == {deep.pk, titled.pk}
    assert found("zhodino", kind="articles")[0] == titled.pk  # the title weighs more


def test_sources_are_found_by_the_text_of_their_latest_capture():
    source = Source.objects.create(url="https://example.org/a")
    old = make_capture(source, text="Obsolete wording about a kolkhoz.", title="Old")
    new = make_capture(source, text="Fresh report on the Ostrovets nuclear plant.", title="Plant")
    source.latest_capture = new
    source.save()
    failed = Source.objects.create(url="https://example.org/b")
    failed.latest_capture = make_capture(
        failed, outcome="failed", error_code="http_404", text="Ostrovets"
    )
    failed.save()
    assert old.pk and found("ostrovets", kind="sources") == [source.pk]
    assert found("kolkhoz", kind="sources") == []
    assert found("plant", kind="sources") == [source.pk]


def test_filters_narrow_by_status_rating_language_and_date(reviewer):
    english = claim_with("Potash trains stopped.", language="en")
    russian = claim_with("Potash ships waited.", language="ru-RU")
    english.status = Claim.Status.IN_REVIEW
    english.save()
    make_verdict(russian, reviewer, rating=rating("False"))
    assert found("potash", status="in_review") == [english.pk]
    assert found("potash", rating=rating("False").pk) == [russian.pk]
    assert found("potash", language="ru") == [russian.pk]
    assert found("potash", language="en") == [english.pk]
    today = timezone.now().date()
    assert set(found("potash", date_from=today, date_to=today)) == {english.pk, russian.pk}
    assert found("potash", date_to=today - timedelta(days=1)) == []
    assert found("potash", date_from=date(2999, 1, 1)) == []


def test_keyset_pages_cover_every_match_once_in_rank_order():
    made = {claim_with(f"Sugar beet harvest report number {i}.").pk for i in range(7)}
    seen, after = [], None
    for _ in range(5):
        page = search(q="beet", after=after, limit=3)
        seen += [hit.pk for hit in page.hits]
        if not page.next_cursor:
            break
        after = decode_cursor(page.next_cursor)
    assert len(seen) == 7 and set(seen) == made
    assert decode_cursor("garbage") is None


def test_snippets_mark_the_words_and_escape_the_text():
    claim_with("<b>Kalinin</b> denied the report.")
    (hit,) = search(q="kalinin").hits
    assert "<mark>Kalinin</mark>" in hit.snippet
    assert "&lt;/b&gt;" in hit.snippet and "</b>" not in hit.snippet


def test_the_index_follows_edits_and_deletions(reviewer):
    claim = claim_with("Peat fires spread.")
    claim.text = "Peat fires were contained."
    claim.save()
    assert found("contained") == [claim.pk]
    assert found("spread") == [claim.pk]  # still in the quote
    verdict = make_verdict(claim, reviewer, rationale="Satellite images.")
    assert found("satellite") == [claim.pk]
    verdict.delete()
    assert found("satellite") == []
    claim.delete()
    assert found("peat") == []


def test_the_backend_is_the_databases_own():
    from claims.search.backends import PostgresBackend, SqliteBackend, backend

    expected = PostgresBackend if connection.vendor == "postgresql" else SqliteBackend
    assert isinstance(backend(), expected)


def test_ranking_reads_at_most_the_candidates_and_ranks_them(monkeypatch):
    from claims.search import backends

    best = claim_with("Flax flax flax flax, all about flax.")
    made = [claim_with(f"Flax harvest report {i}.").pk for i in range(5)]
    assert found("flax")[0] == best.pk  # all six ranked: the flax-heavy claim first
    monkeypatch.setattr(backends, "CANDIDATES", 3)
    capped = found("flax")
    assert len(capped) == 3 and set(capped) <= {best.pk, *made}
    in_review = Claim.objects.filter(pk__in=made[:3])
    for claim in in_review:
        claim.status = Claim.Status.IN_REVIEW
        claim.save()
    # The filters apply before the cap: all three claims in review are found.
    assert set(found("flax", status="in_review")) == set(made[:3])


def test_articles_and_sources_rank_fewer_candidates_than_claims(monkeypatch):
    from claims.search import backends

    made = [make_article(title=f"Flax harvest {i}", body="Flax.").pk for i in range(4)]
    assert set(found("flax", kind="articles")) == set(made)
    monkeypatch.setattr(backends, "LONG_CANDIDATES", 2)
    assert len(found("flax", kind="articles")) == 2
    claims = {claim_with(f"Flax exports {i}.").pk for i in range(3)}
    assert set(found("flax")) == claims  # claims keep CANDIDATES


@pytest.mark.skipif(connection.vendor != "postgresql", reason="claims 0017 is PostgreSQL's")
def test_a_status_filter_is_answered_from_the_search_rows_alone():
    from django.test.utils import CaptureQueriesContext

    claim = claim_with("Flax exports rose.")
    claim.status = Claim.Status.IN_REVIEW
    claim.save()
    with CaptureQueriesContext(connection) as queries:
        assert found("flax", status="in_review") == [claim.pk]
    ranked = next(q["sql"] for q in queries.captured_queries if "ts_rank_cd" in q["sql"])
    assert "claims_claim" not in ranked.replace("claims_search_claim", "")
    claim.status = Claim.Status.UNREVIEWED
    claim.save()
    assert found("flax", status="in_review") == []
    assert found("flax", status="unreviewed") == [claim.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_searching_pages_leaves_the_planner_settings_as_they_were():
    from django.db import transaction

    article = make_article(title="Flax harvest", body="Flax.")
    with transaction.atomic(), connection.cursor() as cursor:
        assert found("flax", kind="articles") == [article.pk]
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)
