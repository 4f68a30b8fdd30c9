"""Import by URL: captured through sources by a real worker from a loopback server."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from claims.models import Article
from claims.services.articles import article_import_url
from claims.text.suggest import suggest_claims
from sources.models import Source

from .support.factories import make_finished_capture, make_source
from .support.httpserver import Reply
from .support.pages import ARTICLE


def settled(article):
    article.refresh_from_db()
    return article.status != Article.Status.IMPORTING


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("capture_settings")
def test_an_article_imported_by_url_is_filled_from_its_capture(site, celery_worker):
    url = site.add("import/article", Reply(ARTICLE))
    article = article_import_url(url=url)
    assert (article.status, article.body) == (Article.Status.IMPORTING, "")

    celery_worker.wait_until(lambda: settled(article))

    assert article.status == Article.Status.READY, article.import_error
    assert article.title == "Air defence pact extended"
    assert (article.byline, article.publisher) == ("Jane Roe", "Example News")
    assert article.published == datetime.date(2023, 12, 13)
    assert article.language == "en"
    assert "several thousand soldiers were deployed in Belarus" in article.body
    assert "track()" not in article.body and "Subscribe" not in article.body
    assert article.capture.source.url == article.url
    best = suggest_claims(article.body)[0]
    assert article.body[best.start : best.end] == best.text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("capture_settings")
def test_the_same_url_twice_gives_the_same_article(site, celery_worker):
    url = site.add("import/twice", Reply(ARTICLE))
    first = article_import_url(url=url)
    again = article_import_url(url=url.replace("http://", "HTTP://") + "#comments")
    assert again.pk == first.pk
    celery_worker.wait_until(lambda: settled(first))
    assert article_import_url(url=url).pk == first.pk
    assert Article.objects.count() == 1
    assert Source.objects.count() == 1
    assert first.status == Article.Status.READY


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("capture_settings")
def test_an_unreachable_article_fails_with_why_and_can_be_tried_again(site, celery_worker):
    url = site.add("import/gone", Reply("Not here", status=404))
    article = article_import_url(url=url)
    celery_worker.wait_until(lambda: settled(article))
    assert article.status == Article.Status.FAILED
    assert article.import_error.startswith("http_404")

    site.set(url, Reply(ARTICLE))  # the page is back
    retried = article_import_url(url=url)
    assert (retried.pk, retried.status) == (article.pk, Article.Status.IMPORTING)
    celery_worker.wait_until(lambda: settled(article))
    assert article.status == Article.Status.READY
    assert article.import_error == ""


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("capture_settings")
def test_import_article_command_waits_for_the_capture(site, celery_worker, capsys):
    url = site.add("import/command", Reply(ARTICLE))
    call_command("import_article", "--url", url, "--wait", "30", "--published", "2023-12-14")
    article = Article.objects.get(pk=int(capsys.readouterr().out.strip()))
    assert article.status == Article.Status.READY
    assert article.published == datetime.date(2023, 12, 14)  # given beats extracted
    assert article.history.first().history_change_reason.startswith("capture_finished")
    assert article.history.last().history_change_reason == "import_article command"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("capture_settings")
def test_import_article_command_reports_a_failed_import(site, celery_worker, capsys):
    url = site.add("import/command-gone", Reply("Gone", status=410))
    with pytest.raises(CommandError, match=r"article \d+ failed: http_410"):
        call_command("import_article", "--url", url, "--wait", "30")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["ftp://example.org/a", "http://user:pw@example.org/", "not a url", ""]
)
def test_urls_sources_refuse_are_refused_and_nothing_is_saved(url):
    with pytest.raises(ValidationError):
        article_import_url(url=url)
    with pytest.raises(CommandError):
        call_command("import_article", "--url", url)
    assert not Article.objects.exists()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_a_source_already_captured_fills_the_article_at_once():
    source = make_source("https://news.example.org/story")
    make_finished_capture(
        source,
        text="In 2009, Moscow and Minsk signed an agreement.",
        title="Pact",
        site_name="Example News",
    )
    article = article_import_url(url="https://news.example.org/story")
    assert article.status == Article.Status.READY
    assert (article.title, article.publisher) == ("Pact", "Example News")
    assert article.body == "In 2009, Moscow and Minsk signed an agreement."


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("capture_settings")
def test_evidence_added_by_url_gets_passages_when_the_worker_captures_it(
    site, celery_worker, reviewer
):
    from claims.services.evidence import evidence_add

    from .support.factories import make_claim

    claim = make_claim()
    url = site.add("evidence/report", Reply(ARTICLE))
    evidence = evidence_add(claim=claim, url=url, user=reviewer)
    assert evidence_add(claim=claim, url=url, user=reviewer).pk == evidence.pk
    celery_worker.wait_for_passages(evidence)
    best = evidence.suggested_passages[0]
    assert best["text"].startswith("In 2009, Moscow and Minsk signed an air defense agreement")
    assert {"2009", "Moscow", "Minsk", "signed"} <= set(best["terms"])
    assert best["capture"] == evidence.source.latest_capture_id


@pytest.mark.django_db
def test_evidence_on_a_source_captured_before_gets_passages_at_once(reviewer):
    from claims.services.evidence import evidence_add

    from .support.factories import make_claim

    source = make_source("https://news.example.org/report")
    make_finished_capture(source, text="Nothing here. In 2009, Moscow and Minsk signed it.")
    evidence = evidence_add(
        claim=make_claim(), url="https://news.example.org/report#top", user=reviewer
    )
    assert evidence.source == source
    assert evidence.suggested_passages[0]["text"] == "In 2009, Moscow and Minsk signed it."
    assert evidence.history.first().history_change_reason == "Passages suggested"
