"""Import an article from a URL or a text file and print its id."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.models import Article
from claims.services.articles import article_create, article_import_url, parse_published

from .suggest_claims import read_body

REASON = "import_article command"
POLL_SECONDS = 0.5


def _date(value):
    try:
        return parse_published(value)
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from None


class Command(BaseCommand):
    help = (
        "Import an article from a URL (captured by the worker) or a UTF-8 text file; "
        "prints the article's id. The same URL twice gives the same article."
    )

    def add_arguments(self, parser):
        origin = parser.add_mutually_exclusive_group(required=True)
        origin.add_argument("--url", help="the article's address; captured in the background")
        origin.add_argument("--file", metavar="PATH", help="a UTF-8 text file with the body")
        parser.add_argument("--title", default="", help="default: the page's or the first line")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--byline", default="", help="with --file")
        parser.add_argument("--published", default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--language", default="", help="ISO code, with --file; else guessed")
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="with --url: wait up to SECONDS for the import to finish; exit 1 if it failed",
        )

    def handle(self, *args, **options):
        published = _date(options["published"])
        try:
            if options["url"] is not None:
                article = article_import_url(
                    url=options["url"],
                    title=options["title"],
                    publisher=options["publisher"],
                    published=published,
                    user=None,
                    reason=REASON,
                )
            else:
                article = article_create(
                    body=read_body(options["file"]),
                    title=options["title"],
                    publisher=options["publisher"],
                    byline=options["byline"],
                    published=published,
                    language=options["language"],
                    user=None,
                    reason=REASON,
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(str(article.pk))
        if options["url"] is not None and options["wait"] > 0:
            self._wait(article, options["wait"])

    def _wait(self, article, seconds):
        deadline = time.monotonic() + seconds
        while article.status == Article.Status.IMPORTING and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            article.refresh_from_db()
        if article.status == Article.Status.FAILED:
            raise CommandError(f"article {article.pk} failed: {article.import_error}")
        if article.status == Article.Status.IMPORTING:
            raise CommandError(
                f"article {article.pk} is still importing after {seconds:g} s "
                "(is a worker running?)"
            )
