"""Import an article from a text file and print its id."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.articles import article_create, parse_published

from .suggest_claims import read_body

REASON = "import_article command"


def _date(value):
    try:
        return parse_published(value)
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from None


class Command(BaseCommand):
    help = "Import an article from a UTF-8 text file; prints the new article's id."

    def add_arguments(self, parser):
        origin = parser.add_mutually_exclusive_group(required=True)
        origin.add_argument("--file", metavar="PATH", help="a UTF-8 text file with the body")
        parser.add_argument("--title", default="", help="default: the first line of the text")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--byline", default="")
        parser.add_argument("--published", default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--language", default="", help="ISO code; guessed when omitted")

    def handle(self, *args, **options):
        published = _date(options["published"])
        body = read_body(options["file"])
        try:
            article = article_create(
                body=body,
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
