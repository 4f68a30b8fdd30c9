"""Importing articles (pasted text or a URL), suggestions beside the text, claims from them."""

import pytest
from django.urls import reverse

from claims.management.commands.load_demo import SEED_FILE
from claims.models import Article, Claim
from claims.text import MAX_TEXT_CHARS

from .support.factories import make_article
from .support.httpserver import Reply
from .support.pages import ARTICLE
from .support.web import client_for, enqueued, page_text

pytestmark = pytest.mark.django_db

IMPORT = reverse("claims:article_import")
SEED = SEED_FILE.read_text(encoding="utf-8")


def paste(client, body, **fields):
    data = {"mode": "text", "paste-body": body}
    data.update({f"paste-{name}": value for name, value in fields.items()})
    return client.post(IMPORT, data)


def test_pasted_text_becomes_a_ready_article(reviewer):
    response = paste(client_for(reviewer), SEED, publisher="Sputnik", published="2023-12-13")
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:article_detail", args=[article.pk])
    assert article.status == "ready" and article.body == SEED.replace("\r\n", "\n")
    assert article.title == SEED.splitlines()[0].strip()
    assert (article.publisher, str(article.published)) == ("Sputnik", "2023-12-13")
    assert article.history.get().history_user == reviewer


@pytest.mark.parametrize(
    "body, fields, message",
    [
        ("   ", {}, "The article text is empty."),
        ("x" * (MAX_TEXT_CHARS + 1), {}, "the limit is"),
        ("Some text.", {"published": "13/12/2023"}, "Enter a valid date."),
    ],
)
def test_bad_pasted_input_is_a_form_error_and_nothing_is_saved(reviewer, body, fields, message):
    response = paste(client_for(reviewer), body, **fields)
    assert response.status_code == 400
    assert message in page_text(response)
    assert not Article.objects.exists()


def test_a_url_import_starts_importing_and_queues_the_capture(
    reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(reviewer).post(
            IMPORT, {"mode": "url", "by-url-url": "https://example.org/news/1"}
        )
    article = Article.objects.get()
    assert response.status_code == 302 and article.status == "importing"
    assert [task.name for task, _, _ in enqueued(callbacks)] == ["sources.tasks.capture_source"]
    html = page_text(client_for(reviewer).get(response["Location"]))
    assert "Fetching the page and taking its text" in html
    assert 'hx-select="#article-live"' in html  # the page asks again until it is done


@pytest.mark.parametrize("address", ["file:///etc/passwd", "https://u:p@example.org/", "nope"])
def test_a_url_sources_refuses_is_a_form_error(reviewer, address):
    response = client_for(reviewer).post(IMPORT, {"mode": "url", "by-url-url": address})
    assert response.status_code == 400
    assert 'id="id_by-url-url_error"' in page_text(response)
    assert not Article.objects.exists()


def test_a_failed_import_says_why_and_offers_to_try_again(reviewer):
    article = make_article(
        url="https://example.org/gone",
        body="",
        status="failed",
        import_error="http_404: The server answered 404 Not Found.",
    )
    html = page_text(client_for(reviewer).get(reverse("claims:article_detail", args=[article.pk])))
    assert "Failed: http_404: The server answered 404 Not Found." in html
    assert "Try again" in html and "hx-select" not in html


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_url_import_is_filled_by_the_worker(site, celery_worker, reviewer):
    url = site.add("import-me", Reply(ARTICLE))
    client = client_for(reviewer)
    client.post(IMPORT, {"mode": "url", "by-url-url": url})
    article = Article.objects.get()

    def ready():
        article.refresh_from_db()
        return article.status != "importing"

    celery_worker.wait_until(ready)
    assert article.status == "ready" and article.title == "Air defence pact extended"
    html = page_text(client.get(reverse("claims:article_detail", args=[article.pk])))
    assert "several thousand soldiers" in html and "hx-select" not in html


@pytest.fixture
def seed(reviewer):
    return make_article(title="How Deep Does Russia-Belarus Military Cooperation Go?", body=SEED)


def test_article_page_ranks_suggestions_with_their_reasons(reviewer, seed):
    response = client_for(reviewer).get(reverse("claims:article_detail", args=[seed.pk]))
    suggestions = [s for s, _ in response.context["suggestions"]]
    assert suggestions[0].text.startswith("In 2022, a joint Russian-Belarussian")
    html = page_text(response)
    assert "date (2022), number (thousand)" in html
    assert "Subscribe" not in [s.text for s in suggestions]


def test_add_as_claim_in_one_click(reviewer, seed):
    client = client_for(reviewer)
    top = client.get(reverse("claims:article_detail", args=[seed.pk])).context["suggestions"][0][0]
    response = client.post(
        reverse("claims:article_claim_create", args=[seed.pk]),
        {"mode": "suggestion", "start": top.start, "end": top.end},
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert (claim.start, claim.end, claim.quote) == (top.start, top.end, top.text)
    assert claim.checkworthiness == top.score and claim.created_by == reviewer
    page = client.get(reverse("claims:article_detail", args=[seed.pk]))
    assert page.context["suggestions"][0][1] == claim  # now shown as that claim
    assert f'<mark class="" data-start="{top.start}">' in page_text(page)


def test_a_suggestion_span_that_does_not_fit_the_body_is_refused(reviewer, seed):
    response = client_for(reviewer).post(
        reverse("claims:article_claim_create", args=[seed.pk]),
        {"mode": "suggestion", "start": len(SEED) - 2, "end": len(SEED) + 50},
        follow=True,
    )
    assert "Not added:" in page_text(response)
    assert not Claim.objects.exists()


def select(client, article, quote, start=None, **fields):
    data = {"mode": "selection", "selection-quote": quote, "selection-start": start or ""}
    data.update({f"selection-{name}": value for name, value in fields.items()})
    return client.post(reverse("claims:article_claim_create", args=[article.pk]), data)


def test_a_claim_from_a_selection(reviewer, seed):
    quote = "A year later, Moscow and Minsk agreed"
    start = SEED.index(quote)
    response = select(
        client_for(reviewer), seed, quote, start, text="Russia agreed in 2023.", attributed_to="X"
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.start, claim.quote, claim.text, claim.attributed_to) == (
        start,
        quote,
        "Russia agreed in 2023.",
        "X",
    )


def test_typed_words_are_found_when_they_occur_once(reviewer, seed):
    response = select(client_for(reviewer), seed, "Iskander tactical ballistic missile")
    assert response.status_code == 302
    assert Claim.objects.get().start == SEED.index("Iskander tactical ballistic missile")


@pytest.mark.parametrize(
    "quote, start, message",
    [
        ("Moscow and Minsk", None, "appear 2 times"),
        ("Words the article never says", None, "not in the article text"),
        ("A year later", 10, "does not match the article text at these offsets"),
    ],
)
def test_a_selection_that_does_not_fit_is_a_form_error(reviewer, seed, quote, start, message):
    response = select(client_for(reviewer), seed, quote, start)
    assert response.status_code == 400
    assert message in page_text(response)
    assert not Claim.objects.exists()


def test_the_same_span_twice_is_refused(reviewer, seed):
    quote = "A year later, Moscow and Minsk agreed"
    client = client_for(reviewer)
    select(client, seed, quote, SEED.index(quote))
    response = select(client, seed, quote, SEED.index(quote))
    assert response.status_code == 400
    assert "already quotes this span" in page_text(response)
    assert Claim.objects.count() == 1


def test_suggestions_and_body_are_escaped(reviewer):
    article = make_article(
        body="Intro. In 2009 the <b>ministry</b> said <script>x()</script> 4,000 soldiers left."
    )
    html = page_text(client_for(reviewer).get(reverse("claims:article_detail", args=[article.pk])))
    assert "<script>x()</script>" not in html and "<b>ministry</b>" not in html
    assert "&lt;b&gt;ministry&lt;/b&gt;" in html


def test_suggestions_give_their_reasons_in_plain_words(reviewer):
    article = make_article(
        body="Intro line here.\n\nIn 2009 the ministry signed an agreement on 4,000 soldiers "
        "with Minsk, officials said."
    )
    html = page_text(client_for(reviewer).get(reverse("claims:article_detail", args=[article.pk])))
    assert "Worth checking for: " in html
    assert "date (2009)" in html  # a feature, named as a reviewer reads it
    assert "Why: " not in html  # not the raw feature list
