"""ClaimReview as fact-checkers publish it: real records in, nothing invented out.

The records are in tests/data/claimreview/ (ORIGIN.md says where each comes from).
"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.exports import ExportFilter, export_chunks
from claims.exports.vocabulary import (
    CLAIM,
    CLAIMREVIEW_PROPERTIES,
    GOOGLE_RECOMMENDED,
    GOOGLE_REQUIRED,
    ORGANIZATION,
    PERSON,
    RATING,
)
from claims.management.commands import import_claimreview as command
from claims.management.commands.claimreview_diff import diff
from claims.models import Article, Claim, ImportedReview, RatingLabel
from claims.services import claimreview_import
from claims.text import jsonld
from claims.text.verdict_labels import LABELS, normalise

from .support.factories import make_article, make_claim, make_verified, rating
from .support.web import client_for

DATA = Path(__file__).parent / "data" / "claimreview"
# Files of distinct published records (datafeed.json and factcheck-page.html re-wrap some
# of them in other shapes). ORIGIN.md says where each comes from.
RECORDS = [
    "claimreview-collector-tests.json",
    "defacto-observatoire.json",
    "defacto-rss/simple-en.json",
    "defacto-rss/multi-claimreview-en.json",
    "defacto-rss/multi-claimreview.json",
    "defacto-rss/multi-appearance-archive-en.json",
    "defacto-rss/claimreview-with-mediareview-en.json",
    "defacto-rss/videoobject-en.json",
    "defacto-rss/multi-appearance-url-en-2.json",
    "datacommons-feed-excerpts.json",
    "mediemollen-dk.json",
    "afp-whipped-cream-en.json",
    "factcheck-api/ai-debate-health-50.json",
    "factcheck-api/covid-vaccine-2021.json",
    "factcheck-api/boom-russian-doctors.json",
]
NODES = 90  # ClaimReviews in RECORDS (a Fact Check Tools API review is one)
SAME_REVIEW_AGAIN = 2  # 326A3U7 in three shapes: one review, then "already present" twice
# No claimReviewed; a -1..-1 scale with an unknown label; 11 labels of the Fact Check Tools
# API records that are no verdict word of the table ("Not NHS Sign", "Distorts the facts",
# "This is false", two Full Fact verdict sentences...) with no value: each needs a --map.
CANNOT = 13
JSONLD = {"@id", "@type", "@context"}
VOCABULARY = {
    "ClaimReview": CLAIMREVIEW_PROPERTIES,
    "Claim": CLAIM,
    "Rating": RATING,
    "Organization": ORGANIZATION,
    "Person": PERSON,
}


@pytest.fixture(autouse=True)
def publisher(settings):
    settings.CLAIMREVIEW_PUBLISHER = {"name": "Desk Checks", "url": "https://desk.example/"}


def records():
    """Every ClaimReview node of the collection, as published (all files, all shapes)."""
    return jsonld.claimreview_nodes([json.loads((DATA / name).read_text()) for name in RECORDS])


def source_of(item, originals):
    """The published record an exported item came from (a URL may hold several claims)."""
    return next(
        (
            r
            for r in originals
            if r.get("url") == item.get("url") and r["claimReviewed"] == item["claimReviewed"]
        ),
        None,
    ) or next((r for r in originals if r.get("claimReviewed") == item["claimReviewed"]), None)


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_claimreview", str(path), "--editor", "ed", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def exported():
    return json.loads("".join(export_chunks("claimreview", ExportFilter())))


def leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v)
    else:
        yield value


def check_node(node, where, problems, source=None):
    """schema.org vocabulary for typed nodes; Google's required and recommended fields."""
    if isinstance(node, list):
        for element in node:
            check_node(element, where, problems, source)
        return
    if not isinstance(node, dict):
        return
    kinds = jsonld.kinds(node)
    for kind in kinds & VOCABULARY.keys():
        for key in node.keys() - JSONLD - VOCABULARY[kind]:
            # An imported review may carry what its publisher wrote; ours may not.
            if source is None or key not in json.dumps(source):
                problems.append(f"{where}: {key} is not a schema.org {kind} property")
        for key in GOOGLE_REQUIRED.get(kind, set()) - node.keys():
            # A field their publisher left out stays out (we never invent one), so only
            # our own reviews must have every field Google requires.
            if source is None:
                problems.append(f"{where}: Google requires {kind}.{key}")
    for key, value in node.items():
        check_node(value, f"{where}.{key}", problems, source)


def test_every_real_record_imports_or_says_in_one_line_what_would_fix_it(editor):
    result = claimreview_import(
        data=records(), user=editor, reason="import_claimreview test", skip_invalid=True
    )
    assert len(result.created) + len(result.present) + len(result.problems) == NODES
    assert (len(result.present), len(result.problems)) == (SAME_REVIEW_AGAIN, CANNOT)
    assert len(result.created) == NODES - SAME_REVIEW_AGAIN - CANNOT
    for problem in result.problems:
        assert "\n" not in problem
        assert problem.startswith("review ")
        assert "--map" in problem or "add it" in problem
    (scale,) = [p for p in result.problems if "-1..-1" in p]
    assert "--map 'Not really, charts say=" in scale


def test_labels_win_over_numbers_on_the_publishers_scale(editor):
    claimreview_import(
        data=records(), user=editor, reason="import_claimreview test", skip_invalid=True
    )
    by_label = {r.rating_label: r for r in ImportedReview.objects.all()}
    # 5 of a reversed 5..1 scale, and "Falso" as a label: False, not True.
    assert by_label["Falso"].rating.label == "False"
    assert "built-in table" in by_label["Falso"].mapping
    assert by_label["Trompeur"].rating.label == "Mostly false"
    assert by_label["Manque de contexte"].rating.label == "Mixed"
    # Unknown label: by value on its own scale, and the note says so.
    unknown = by_label["Sans doute illégal"]
    assert unknown.rating.label == "Mostly false"
    assert unknown.mapping.startswith("label 'Sans doute illégal' unknown, value 2 of 1..5")
    history = unknown.history.first()
    assert unknown.mapping in history.history_change_reason


@pytest.mark.parametrize(
    "node, expected",
    [
        ({"alternateName": "Falso", "ratingValue": 4, "bestRating": 6, "worstRating": 1}, "False"),
        ({"alternateName": "Falso", "ratingValue": 2, "bestRating": 7, "worstRating": 1}, "False"),
        ({"alternateName": "Фейк", "ratingValue": 3, "bestRating": 5}, "False"),
        ({"alternateName": "Falsch"}, "False"),
        ({"alternateName": "Маніпуляція"}, "Mostly false"),
        ({"alternateName": "مضلل"}, "Mostly false"),
        ({"alternateName": "भ्रामक"}, "Mostly false"),
        ({"alternateName": "Engañoso."}, "Mostly false"),
        ({"alternateName": "Vildledende"}, "Mostly false"),
        ({"alternateName": "Falsk", "ratingValue": 5, "bestRating": 5}, "False"),
        ({"alternateName": "Half right", "ratingValue": "4", "bestRating": ""}, "Mostly true"),
    ],
)
def test_verdict_labels_in_many_languages(editor, node, expected):
    item = {"@type": "ClaimReview", "claimReviewed": "Claim", "reviewRating": node}
    claimreview_import(data=item, user=editor, reason="import_claimreview test")
    assert ImportedReview.objects.get().rating.label == expected


def test_an_admin_label_overrides_the_built_in_table(editor):
    RatingLabel.objects.create(label="Falso", language="es", rating=rating("Mostly false"))
    item = {
        "@type": "ClaimReview",
        "claimReviewed": "C",
        "reviewRating": {"alternateName": "FALSO"},
    }
    claimreview_import(data=item, user=editor, reason="import_claimreview test")
    review = ImportedReview.objects.get()
    assert review.rating.label == "Mostly false" and "admin rating label" in review.mapping


def test_the_built_in_table_gives_one_verdict_per_spelling():
    seen = {}
    for _language, label, ours in LABELS:
        assert seen.setdefault(normalise(label), ours) == ours, label
    languages = {language for language, _, _ in LABELS}
    assert {"en", "es", "pt", "fr", "de", "it", "ru", "uk", "ar", "hi", "da"} <= languages


def test_what_they_published_is_kept(editor):
    claimreview_import(
        data=records(), user=editor, reason="import_claimreview test", skip_invalid=True
    )
    afp = ImportedReview.objects.get(rating_label="Falso")
    assert afp.organisation == "Factual" and afp.organisation_url == "https://factual.afp.com/"
    assert afp.organisation_same_as == ["https://twitter.com/AFPFactual"]
    assert afp.organisation_logo.endswith("Logo_AFP.svg")
    assert (afp.rating_value, afp.rating_best, afp.rating_worst) == ("5", "1", "5")
    assert afp.date_published == "2020-10-07 20:05"
    assert afp.claim_date == "2020-10-04" and afp.claim_author == "Fuentes Varias"
    assert afp.claim_url == "https://www.facebook.com/zoilocnieto/posts/3638208249543989"
    monde = ImportedReview.objects.get(rating_label="C’est plus compliqué")
    assert monde.claim_date == "2020-02-03T00:00:00+00:00"
    assert "retrieved_by" not in monde.published  # an aggregator's note, not theirs
    # A review Google's Fact Check Tools API served: the publisher's label, as published.
    aap = ImportedReview.objects.get(
        review_url__endswith="/nsw-health-minister-overstates-average-psychiatrist-salary/"
    )
    assert (aap.organisation, aap.language, aap.claim_author) == (
        "Australian Associated Press",
        "en",
        "Rose Jackson",
    )
    assert aap.rating_label.startswith("False. While $438,000") and aap.rating.label == "False"
    assert "read by its opening 'False.'" in aap.mapping


def test_the_collection_holds_at_least_50_distinct_reviews_by_many_checkers():
    originals = records()
    distinct = {(r.get("url"), r.get("claimReviewed")) for r in originals}
    checkers = {
        jsonld.text_of(r.get("author")) or jsonld.first(r["author"]).get("url")
        for r in originals
        if r.get("author")
    }
    assert (len(originals), len(distinct)) == (NODES, NODES - SAME_REVIEW_AGAIN)  # 88
    assert len(checkers) >= 25


def test_export_never_invents_and_validates(editor, reviewer):
    originals = records()
    claimreview_import(
        data=originals, user=editor, reason="import_claimreview test", skip_invalid=True
    )
    ours = make_claim(make_article(title="Ours", body="Ours said this."), quote="Ours said this.")
    make_verified(ours, reviewer, editor, label="False", rationale="Because.")
    graph = exported()["@graph"]
    assert len(graph) == NODES - SAME_REVIEW_AGAIN - CANNOT + 1
    problems = []
    for item in graph:
        source = source_of(item, originals)
        check_node(item, item["claimReviewed"][:30], problems, source)
        if source is None:  # ours: strict, and Google's recommended fields are there
            assert item["author"]["name"] == "Desk Checks" and "editor" not in item
            assert GOOGLE_RECOMMENDED["ClaimReview"] <= item.keys()
            continue
        # Values are kept as given, only trimmed of surrounding spaces.
        given = {str(v).strip() for v in leaves(source)}
        invented = [v for v in leaves(item) if str(v) not in given]
        assert invented == [], item["url"]
    assert problems == []
    text = json.dumps(graph, ensure_ascii=False)
    for placeholder in ("Claims imported from ClaimReview", "Imported from ClaimReview"):
        assert placeholder not in text


# What the "keep what they published" lists, field by field.
KEPT = [
    "organisation",
    "organisation_url",
    "organisation_same_as",
    "organisation_logo",
    "review_url",
    "date_published",
    "language",
    "rating_label",
    "rating_value",
    "rating_best",
    "rating_worst",
    "rating_id",
    "mapping",
    "claim_author",
    "claim_date",
    "claim_url",
    "appearances",
    "published",
]


def kept_key(review):
    return (review.review_url, review.claim.text)


def kept_fields(review):
    return {name: getattr(review, name) for name in KEPT}


def test_round_trip_keeps_every_review_and_field(editor, tmp_path):
    claimreview_import(
        data=records(), user=editor, reason="import_claimreview test", skip_invalid=True
    )
    first = tmp_path / "first.jsonld"
    first.write_text(json.dumps(exported(), ensure_ascii=False))
    keep = {kept_key(r): kept_fields(r) for r in ImportedReview.objects.all()}
    assert len(keep) == NODES - SAME_REVIEW_AGAIN - CANNOT
    ImportedReview.objects.all().delete()
    Claim.objects.all().delete()
    Article.objects.all().delete()
    run(first)
    second = tmp_path / "second.jsonld"
    second.write_text(json.dumps(exported(), ensure_ascii=False))
    out = io.StringIO()
    call_command("claimreview_diff", str(first), str(second), stdout=out)
    assert "0 difference(s)" in out.getvalue()
    again = {kept_key(r): kept_fields(r) for r in ImportedReview.objects.all()}
    assert again == keep
    lemonde = ImportedReview.objects.get(organisation="Le Monde", rating_label__startswith="C")
    assert len(lemonde.appearances) == 1


def test_diff_names_a_changed_field(tmp_path):
    a = {
        "@type": "ClaimReview",
        "url": "https://x.example/1",
        "claimReviewed": "C",
        "reviewRating": {"alternateName": "False"},
    }
    b = json.loads(json.dumps(a))
    b["reviewRating"]["alternateName"] = "True"
    assert diff({"k": a}, {"k": b}) == ['~ k: reviewRating.alternateName: "False" -> "True"']
    (tmp_path / "a.json").write_text(json.dumps(a))
    (tmp_path / "b.json").write_text(json.dumps(b))
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "claimreview_diff",
            str(tmp_path / "a.json"),
            str(tmp_path / "b.json"),
            stdout=io.StringIO(),
        )
    assert exit_.value.code == 1


def test_a_second_checkers_review_of_the_same_claim_is_kept(editor, reviewer):
    one = {
        "@type": "ClaimReview",
        "claimReviewed": "Same claim",
        "url": "https://a.example/1",
        "author": {"@type": "Organization", "name": "A"},
        "reviewRating": {"alternateName": "Falso"},
    }
    two = dict(
        one,
        url="https://b.example/2",
        author={"@type": "Organization", "name": "B"},
        reviewRating={"alternateName": "Trompeur"},
    )
    claimreview_import(data=[one, two], user=editor, reason="import_claimreview test")
    result = claimreview_import(data=[one, two], user=editor, reason="import_claimreview test")
    claim = Claim.objects.get()
    assert [r.organisation for r in claim.imported_reviews.all()] == ["A", "B"]
    assert len(result.present) == 2 and not result.created
    graph = exported()["@graph"]
    assert [(g["url"], g["reviewRating"]["alternateName"]) for g in graph] == [
        ("https://a.example/1", "Falso"),
        ("https://b.example/2", "Trompeur"),
    ]
    html = (
        client_for(reviewer).get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    )
    assert "Reviews by fact-checkers" in html and "Trompeur" in html and "Mostly false" in html


def test_the_claim_page_shows_our_current_verdict_beside_the_imported_ones(
    editor, reviewer, django_assert_max_num_queries
):
    article = make_article(url="https://news.example/a", body="Ours said this.")
    claim = make_claim(article, quote="Ours said this.")
    make_verified(claim, reviewer, editor, label="Mostly true", rationale="Because.")
    theirs = {
        "@type": "ClaimReview",
        "claimReviewed": "Ours said this.",
        "url": "https://checker.example/1",
        "author": {"@type": "Organization", "name": "Checker"},
        "itemReviewed": {"@type": "Claim", "appearance": {"url": "https://news.example/a"}},
        "reviewRating": {"alternateName": "Falso", "ratingValue": 4, "bestRating": 6},
    }
    claimreview_import(data=theirs, user=editor, reason="import_claimreview test")
    client = client_for(reviewer)
    with django_assert_max_num_queries(22):
        html = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    table = html[html.index('id="reviews"') :]
    ours, checker = table.index("This desk"), table.index("https://checker.example/1")
    assert ours < checker  # our row first, then theirs
    assert "Mostly true" in table[ours:checker] and "(our verdict)" in table[ours:checker]
    assert "Falso" in table[checker:] and "False" in table[checker:]


def test_a_verdict_an_import_made_is_not_shown_as_ours(editor, reviewer):
    item = {
        "@type": "ClaimReview",
        "claimReviewed": "Only theirs",
        "author": {"@type": "Organization", "name": "Checker"},
        "reviewRating": {"alternateName": "Faux"},
    }
    claimreview_import(data=item, user=editor, reason="import_claimreview test")
    claim = Claim.objects.get()
    html = client_for(reviewer).get(reverse("claims:claim_detail", args=[claim.pk]))
    assert "No verdict of ours yet." in html.content.decode()


def test_a_datafeed_and_an_html_page_import(editor):
    out, _ = run(DATA / "datafeed.json")
    assert "Imported 3 claim(s)" in out
    out, err = run(DATA / "factcheck-page.html")
    assert "JSON-LD block 2 is not JSON" in err
    review = ImportedReview.objects.get(review_url__contains="Attention-a-ces-fausses")
    assert review.organisation == "AFP"  # the author given by @id, found in the graph
    assert review.published["author"]["name"] == "AFP"


def deep(levels):
    node = {"name": "x"}
    for _ in range(levels):
        node = {"@type": "Thing", "about": node}
    return node


@pytest.mark.parametrize(
    "item, message",
    [
        ({"claimReviewed": "Deep", "itemReviewed": deep(40)}, "review 1 ('Deep'): nested deeper"),
        ({"claimReviewed": "N\x00UL"}, "review 1 ('N\\x00UL'): contains a NUL character"),
    ],
)
def test_deep_nesting_and_nul_are_refused_naming_the_review(tmp_path, editor, item, message):
    item = {"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}, **item}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([item]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 review"):
        call_command("import_claimreview", str(path), "--editor", "ed", stderr=err)
    assert not Claim.objects.exists()
    assert err.getvalue().startswith(message)


def test_a_huge_or_binary_or_hopelessly_nested_file_is_one_clear_line(
    tmp_path, editor, monkeypatch
):
    monkeypatch.setattr(command, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"@type": "ClaimReview", "claimReviewed": "x" * 200}]))
    with pytest.raises(CommandError, match="over the 100 limit; split it"):
        run(path)
    monkeypatch.undo()
    path.write_bytes(b'[{"a": "\x00"}]')
    with pytest.raises(CommandError, match="NUL bytes"):
        run(path)
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CommandError, match="nested too deeply"):
        run(path)
