"""An article imported by URL takes its text and metadata from the finished capture."""

import datetime

import pytest

from claims.models import Article
from sources.models import Source
from sources.signals import capture_finished

from .support.factories import make_article, make_finished_capture, make_source

pytestmark = pytest.mark.django_db
URL = "https://news.example.org/2023/12/13/defense"
TEXT = (
    "Moscow has ratified an agreement with Minsk on joint training centres.\n"
    "In 2009, Moscow and Minsk signed an agreement on the joint protection of the airspace."
)


def send(capture, **flags):
    capture_finished.send(sender=type(capture), capture=capture, source=capture.source, **flags)


def importing_article(**fields):
    return make_article(url=URL, title=URL, body="", status=Article.Status.IMPORTING, **fields)


def test_a_good_capture_fills_the_importing_article():
    article = importing_article(publisher="")
    source = make_source(URL)
    capture = make_finished_capture(
        source,
        text=TEXT,
        title="Russia and Belarus deepen defense ties",
        byline="Jane Doe",
        published=datetime.date(2023, 12, 13),
    )
    send(capture)
    article.refresh_from_db()
    assert article.status == Article.Status.READY
    assert (article.title, article.byline, article.body) == (
        "Russia and Belarus deepen defense ties",
        "Jane Doe",
        TEXT,
    )
    assert article.published == datetime.date(2023, 12, 13)
    assert article.publisher == "news.example.org"
    assert article.language == "en"
    assert article.capture == capture
    assert article.history.first().history_change_reason == (
        f"capture_finished: capture {capture.pk}: imported"
    )


def test_a_permanent_failure_marks_the_article_failed_with_why():
    article = importing_article()
    send(make_finished_capture(make_source(URL), outcome="failed"))
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.import_error == "http_404: The server answered 404 Not Found."


def test_a_failure_that_will_be_retried_keeps_the_article_importing():
    article = importing_article()
    source = make_source(URL)
    capture = make_finished_capture(
        source, outcome="failed", error_code="timeout", error_message="The server took too long."
    )
    Source.objects.filter(pk=source.pk).update(status=Source.Status.PENDING)
    send(capture)
    article.refresh_from_db()
    assert article.status == Article.Status.IMPORTING
    assert article.import_error == "timeout: The server took too long. (retrying)"


def test_a_page_without_text_fails_the_import_clearly():
    article = importing_article()
    send(make_finished_capture(make_source(URL), text=""))
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "no article text could be extracted" in article.import_error


def test_a_recapture_never_rewrites_a_ready_article():
    article = make_article(url=URL)
    body = article.body
    recapture = make_finished_capture(make_source(URL), text="Something else entirely.")
    send(recapture, content_changed=True)
    article.refresh_from_db()
    assert article.body == body
    assert article.capture is None
