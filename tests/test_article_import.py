"""Importing articles from pasted text and files (URL import: tests/test_article_url_import.py)."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from claims.models import Article
from claims.services.articles import article_create
from claims.text import MAX_TEXT_CHARS
from claims.text.language import guess_language

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "claims" / "demo" / "sputnik-russia-belarus-2023-12-13.txt"

pytestmark = pytest.mark.django_db


def test_pasted_text_becomes_a_ready_article_with_history(reviewer):
    body = "In 2009, Moscow and Minsk signed it.\r\nIt was the first of its kind in the region."
    article = article_create(
        body=body,
        title="Defense",
        publisher="Example News",
        published="2023-12-13",
        user=reviewer,
    )
    assert article.status == Article.Status.READY
    assert article.body == body.replace("\r\n", "\n")
    assert article.published == datetime.date(2023, 12, 13)
    assert article.language == "en"
    assert article.submitted_by == reviewer
    record = article.history.get()
    assert (record.history_user, record.history_change_reason) == (reviewer, "Article pasted")


def test_title_defaults_to_the_first_line():
    article = article_create(body="\n\n  Headline here  \nBody text of the article.")
    assert article.title == "Headline here"


@pytest.mark.parametrize("body", ["", "   \n\t  ", None])
def test_empty_text_is_refused_clearly(body):
    with pytest.raises(ValidationError, match="empty"):
        article_create(body=body, title="Nothing")
    assert not Article.objects.exists()


def test_five_megabytes_of_text_is_refused_clearly():
    with pytest.raises(ValidationError, match="limit is 2,000,000"):
        article_create(body="word " * (1024 * 1024), title="Huge")
    assert not Article.objects.exists()


def test_text_at_the_limit_is_accepted_whole():
    body = ("In 2022 soldiers were deployed. " * (MAX_TEXT_CHARS // 32))[:MAX_TEXT_CHARS]
    article = article_create(body=body, title="Long")
    article.refresh_from_db()
    assert article.body == body


def test_binary_text_and_bad_dates_are_refused():
    with pytest.raises(ValidationError, match="NUL"):
        article_create(body="abc\x00def", title="Binary")
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        article_create(body="Some text.", title="Dated", published="13/12/2023")
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "text, language",
    [
        ("The army of the country said that it was on the border with the troops.", "en"),
        (
            "Москва и Минск подписали соглашение, и это было для них не первый раз, что он "
            "сказал на встрече с ним.",
            "ru",
        ),
        (
            "Der Vertrag ist nicht von der Regierung und den Ländern mit dem Ziel unterzeichnet.",
            "de",
        ),
        ("2009 2022 Minsk", ""),
    ],
)
def test_language_is_guessed_or_left_unknown(text, language):
    assert guess_language(text) == language


def test_import_article_command_prints_the_id_and_keeps_offsets(capsys):
    call_command(
        "import_article",
        "--file",
        str(SEED_FILE),
        "--title",
        "How Deep Does Russia-Belarus Military Cooperation Go?",
        "--publisher",
        "Sputnik International",
        "--published",
        "2023-12-13",
    )
    article = Article.objects.get(pk=int(capsys.readouterr().out.strip()))
    assert article.body == SEED_FILE.read_text(encoding="utf-8")
    assert article.published == datetime.date(2023, 12, 13)
    assert article.language == "en"
    assert article.history.get().history_change_reason == "import_article command"


def test_import_article_command_refuses_bad_input_with_one_line(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import_article", "--file", str(SEED_FILE), "--published", "yesterday")
    (tmp_path / "empty.txt").write_text("  \n")
    with pytest.raises(CommandError, match="empty"):
        call_command("import_article", "--file", str(tmp_path / "empty.txt"))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_article", "--file", str(tmp_path / "missing.txt"))
    assert not Article.objects.exists()
