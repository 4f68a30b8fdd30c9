"""Similar earlier claims: pg_trgm on PostgreSQL, the same measure in Python elsewhere."""

import pytest
from django.db import connection, transaction

from claims.models import Claim
from claims.queries import SIMILARITY_THRESHOLD, claim_similar, similar_claims, trigram_queryset
from claims.text.similarity import similarity_key, trigram_similarity, trigrams

from .support.factories import make_article, make_claim, make_verdict, make_verified
from .support.services import unavailable

pytestmark = pytest.mark.django_db

TEXTS = [
    "In 2009 Russia and Belarus signed an agreement on joint air defense.",
    "Russia and Belarus signed a joint air defense agreement in 2009.",
    "In 2022 several thousand Russian soldiers were deployed in Belarus.",
    "Russia stationed tactical nuclear weapons in Belarus in 2023.",
    "The Union Shield exercises are held every two years since 2009.",
    "Poland is massing troops on the Belarusian border.",
    "Минск и Москва подписали соглашение о совместной защите воздушного пространства.",
]
QUERY = "Russia and Belarus signed an air defense agreement in 2009."
PAIRS = [
    ("word", "two words"),
    (QUERY, TEXTS[0]),
    (QUERY, TEXTS[1]),
    ("U.S. GDP grew 3.5% in Q3-2023!", "US GDP grew by 3.5 percent in Q3 2023"),
    (TEXTS[6], "Москва и Минск подписали соглашение о защите воздушного пространства."),
    ("", "anything"),
    ("!!!", "???"),
]


def require_postgres():
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL)")


def claims_with(texts):
    article = make_article(body=" ".join(texts))
    return [make_claim(article, quote=text) for text in texts]


def test_the_key_keeps_content_words_in_order_stemmed_by_language():
    assert similarity_key("In 2009, Russia and Belarus SIGNED the agreement.") == (
        "2009 russia belarus sign agreement"
    )
    assert similarity_key("Это было в Минске и в Москве") == "минск москв"
    claim = make_claim()
    claim.text = "The army was deployed in 2022."
    claim.save(update_fields=["text"])
    claim.refresh_from_db()
    assert claim.similarity_key == "army deploy 2022"


# The same claim with its words inflected otherwise (case, number, voice), and claims in
# the same language about the same actors that say something else.
TWINS = {
    "ru": (
        "Белоруссия получила российские ракеты в 2023 году.",
        "Белоруссией получены российские ракеты в 2023 году.",
        ["Россия закрыла границу с Белоруссией в 2023 году.", "Польша получила ракеты из США."],
    ),
    "de": (
        "Russische Truppen besetzten ukrainische Städte.",
        "Die russischen Truppen besetzten die ukrainischen Städte.",
        [
            "Ukrainische Truppen verteidigen russische Grenzen.",
            "Russische Banken finanzieren Städte.",
        ],
    ),
    "fr": (
        "Les soldats polonais surveillaient les frontières biélorusses.",
        "Un soldat polonais surveille la frontière biélorusse.",
        ["Des avions polonais survolent la frontière.", "Le président polonais a parlé."],
    ),
}


@pytest.mark.parametrize("language", sorted(TWINS))
def test_inflection_twins_share_their_key_in_their_language(language):
    from claims.text.language import guess_language

    earlier, reworded, _ = TWINS[language]
    assert guess_language(earlier, min_confidence=0) == language
    assert similarity_key(earlier) == similarity_key(reworded)


@pytest.mark.parametrize("language", sorted(TWINS))
def test_a_reinflected_claim_finds_its_earlier_twin_and_not_unrelated_claims(language):
    earlier, reworded, others = TWINS[language]
    claims = claims_with([earlier, *others])
    found = similar_claims(text=reworded)
    assert [(s.claim, s.similarity) for s in found] == [(claims[0], 1.0)]


def test_english_paraphrases_keep_their_side_of_the_threshold():
    def score(a, b):
        return trigram_similarity(similarity_key(a), similarity_key(b))

    # Stemming only merges inflections: paraphrases score at least what their words did
    # (0.845, 0.774 unstemmed), different claims about the same actors no more (0.232).
    assert score(
        "Unemployment rose to 7 percent last year, the highest level since 2012.",
        "Last year unemployment rises to 7 percent, its highest level since 2012.",
    ) == pytest.approx(0.893, abs=0.001)
    assert score(
        "The minister said that the government is cutting pensions by 10 percent.",
        "The government cut pensions by 10 percent, the minister says.",
    ) == pytest.approx(0.833, abs=0.001)
    assert score(QUERY, TEXTS[3]) == pytest.approx(0.218, abs=0.001)
    assert SIMILARITY_THRESHOLD == 0.5


def test_paraphrases_are_similar_and_other_claims_are_not():
    def score(a, b):
        return trigram_similarity(similarity_key(a), similarity_key(b))

    assert score(TEXTS[0], TEXTS[1]) >= SIMILARITY_THRESHOLD
    assert (
        score(
            "The Union Shield exercises are held every two years since 2009.",
            "Union Shield exercises have been held biennially since 2009.",
        )
        >= SIMILARITY_THRESHOLD
    )
    assert score(QUERY, TEXTS[3]) < SIMILARITY_THRESHOLD


def test_trigrams_follow_pg_trgm():
    assert trigrams("Word!") == {"  w", " wo", "wor", "ord", "rd "}
    assert trigrams("a") == {"  a", " a "}
    assert trigram_similarity("word", "two words") == pytest.approx(4 / 11, rel=1e-6)
    assert trigram_similarity("", "x") == 0.0


def test_python_similarity_equals_postgres_similarity():
    require_postgres()
    with connection.cursor() as cursor:
        for a, b in PAIRS:
            cursor.execute("SELECT similarity(%s, %s)::float8", [a, b])
            assert trigram_similarity(a, b) == cursor.fetchone()[0], (a, b)


def test_similar_claims_rank_by_trigram_similarity_with_verdicts(reviewer, editor):
    claims = claims_with(TEXTS)
    make_verdict(claims[1], reviewer, state="approved", approver=editor)
    Claim.objects.filter(pk=claims[1].pk).update(status=Claim.Status.VERIFIED)

    found = similar_claims(text=QUERY)

    key = similarity_key(QUERY)
    expected = sorted(
        (c for c in claims if trigram_similarity(key, c.similarity_key) >= SIMILARITY_THRESHOLD),
        key=lambda c: (-trigram_similarity(key, c.similarity_key), c.pk),
    )
    assert [s.claim.pk for s in found] == [c.pk for c in expected]
    # Same content words in another order: a tie, broken by age.
    assert [s.claim.pk for s in found[:2]] == [claims[0].pk, claims[1].pk]
    assert found[0].similarity == found[1].similarity > 0.85  # 0.900 ("sign"), 0.904 unstemmed
    for item in found:
        assert item.similarity == trigram_similarity(key, item.claim.similarity_key)
    assert found[0].verdict is None
    assert found[1].verdict.rating.label == "False"


def test_a_claim_is_not_similar_to_itself_and_unrelated_claims_stay_out():
    claims = claims_with(TEXTS)
    found = claim_similar(claims[0])
    assert claims[0].pk not in [s.claim.pk for s in found]
    assert found[0].claim == claims[1]
    assert claims[6].pk not in [s.claim.pk for s in found]


def test_cyrillic_claims_find_each_other():
    claims = claims_with(TEXTS)
    found = similar_claims(text="Москва и Минск подписали соглашение о защите пространства.")
    assert [s.claim for s in found] == [claims[6]]


def test_empty_or_wordless_text_finds_nothing():
    claims_with(TEXTS)
    assert similar_claims(text="") == []
    assert similar_claims(text="?!") == []


def test_lookup_uses_a_bounded_number_of_queries(django_assert_max_num_queries, reviewer, editor):
    claims = claims_with(TEXTS)
    for claim in claims[:3]:
        make_verdict(claim, reviewer, state="approved", approver=editor)
    # The lookup, the verdict prefetch, and on PostgreSQL the threshold and a savepoint pair.
    with django_assert_max_num_queries(5):
        found = similar_claims(text=QUERY)
        assert [s.verdict.rating.label for s in found if s.verdict]


def test_postgres_answers_from_the_trigram_index():
    require_postgres()
    claims_with(TEXTS)
    with transaction.atomic():
        with connection.cursor() as cursor:  # few rows: make the planner show it can
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = trigram_queryset(similarity_key(QUERY)).explain()
    assert "claims_claim_similarity_key_trgm" in plan


def test_the_claim_page_asks_the_similarity_index_once_per_text(reviewer, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.queries import claim_similar_cached

    article = make_article(
        body="Moscow and Minsk signed an air defense agreement in 2009. Other words here. "
        "In 2009 Moscow and Minsk signed the air defense agreement, officials said."
    )
    earlier = make_claim(article, quote="Moscow and Minsk signed an air defense agreement in 2009.")
    claim = make_claim(
        article, quote="In 2009 Moscow and Minsk signed the air defense agreement, officials said."
    )
    first = claim_similar_cached(claim)
    assert [s.claim for s in first] == [earlier] and first[0].verdict is None
    make_verified(earlier, reviewer, editor, label="True")
    with CaptureQueriesContext(connection) as queries:
        again = claim_similar_cached(claim)
    # From the cache: no similarity search, but the verdict read fresh.
    # two reads by primary key (the claims, their verdicts), no scan and no similarity()
    assert len(queries) == 2
    assert all(" IN (" in q["sql"] and "similarity(" not in q["sql"] for q in queries)
    assert [s.claim for s in again] == [earlier] and again[0].verdict.rating.label == "True"
    assert again[0].similarity == first[0].similarity
    claim.text = "Something else entirely about tractors"
    claim.save()
    assert claim_similar_cached(claim) == []  # a new text is a new search


def test_band_keys_follow_the_text_through_saves():
    from claims.models import ClaimBand
    from claims.text.similarity import BANDS, band_keys

    (claim,) = claims_with(TEXTS[:1])
    stored = set(ClaimBand.objects.filter(claim=claim).values_list("key", flat=True))
    assert stored == set(band_keys(claim.similarity_key)) and len(band_keys("x y")) == BANDS
    claim = Claim.objects.get(pk=claim.pk)
    claim.status = Claim.Status.IN_REVIEW
    claim.save()  # the text did not change: the keys stay
    assert set(ClaimBand.objects.filter(claim=claim).values_list("key", flat=True)) == stored
    claim.text = TEXTS[3]
    claim.save(update_fields=["text"])
    now = list(ClaimBand.objects.filter(claim=claim).values_list("key", flat=True))
    assert sorted(now) == sorted(band_keys(similarity_key(TEXTS[3])))
    assert band_keys("") == [] and band_keys("?!") == []


def test_near_duplicates_share_a_band_and_unrelated_claims_rarely_do():
    from claims.text.similarity import band_keys

    def shared(a, b):
        return bool(set(band_keys(similarity_key(a))) & set(band_keys(similarity_key(b))))

    assert shared(TEXTS[0], TEXTS[1])
    assert shared(
        "The Union Shield exercises are held every two years since 2009.",
        "Union Shield exercises have been held biennially since 2009.",
    )
    assert not shared(QUERY, TEXTS[5])


def test_postgres_takes_candidates_from_the_band_index():
    require_postgres()
    from django.test.utils import CaptureQueriesContext

    from claims.queries import banded_queryset

    claims = claims_with(TEXTS)
    with CaptureQueriesContext(connection) as queries:
        queryset = banded_queryset(similarity_key(QUERY))
    (candidates,) = queries
    assert "claims_claimband" in candidates["sql"] and "unnest(" in candidates["sql"]
    with transaction.atomic():
        with connection.cursor() as cursor:  # few rows: make the planner show it can
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    # The candidates are scored by primary key, never through the trigram index.
    assert "claims_claim_pkey" in plan and "similarity_key_trgm" not in plan
    assert [c.pk for c in queryset][:2] == [claims[0].pk, claims[1].pk]


def test_the_rekeying_migration_rewrites_stale_keys_and_bands_without_history(monkeypatch):
    from importlib import import_module

    from django.apps import apps

    from claims.models import ClaimBand
    from claims.text.similarity import band_keys

    migration = import_module("claims.migrations.0014_similarity_keys_by_language")
    monkeypatch.setattr(migration, "CHUNK", 2)  # three chunks for five claims
    claims = claims_with(TEXTS[2:7])
    stale = {claims[0].pk: "2022 several thousand russian soldiers deployed belarus"}
    stale[claims[4].pk] = "минск москва подписали соглашение совместной защите"
    for pk, key in stale.items():
        Claim.objects.filter(pk=pk).update(similarity_key=key)
        ClaimBand.objects.filter(claim_id=pk).delete()
        ClaimBand.objects.bulk_create(ClaimBand(claim_id=pk, key=k) for k in band_keys(key))
    before = {c.pk: (c.updated_at, c.history.count()) for c in Claim.objects.all()}

    migration.rekey(apps, None)

    for claim in Claim.objects.all():
        assert claim.similarity_key == similarity_key(claim.text)
        bands = ClaimBand.objects.filter(claim=claim).values_list("key", flat=True)
        assert sorted(bands) == sorted(band_keys(claim.similarity_key))
        # Derived data: no history row, no change of the claim's place in the queue.
        assert (claim.updated_at, claim.history.count()) == before[claim.pk]
    assert "similarity_key" not in {f.name for f in Claim.history.model._meta.fields}


def test_each_band_key_names_at_most_key_rows_candidates(monkeypatch):
    require_postgres()
    from claims import queries

    claims = claims_with([QUERY] * 4)
    assert {c.pk for c in queries.banded_queryset(similarity_key(QUERY))} == {c.pk for c in claims}
    monkeypatch.setattr(queries, "KEY_ROWS", 2)
    # Every key is shared by all four: the two newest are read for each.
    assert [c.pk for c in queries.banded_queryset(similarity_key(QUERY))] == [
        claims[2].pk,
        claims[3].pk,
    ]
