"""Print the ranked check-worthy sentences of a text file. Touches no database."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.services.articles import body_from_file
from claims.text.suggest import analyse


def read_body(path):
    """The file as an article body would store it (so the offsets printed are the body's)."""
    try:
        return body_from_file(path)
    except ValidationError as exc:
        raise CommandError(f"{path}: {'; '.join(exc.messages)}") from None


class Command(BaseCommand):
    help = (
        "Suggest check-worthy claims in a text file: ranked sentences with character offsets, "
        "score and reason. Offsets index the text as import_article would store it."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 text file (an article or a page dump)")
        parser.add_argument("--json", action="store_true", help="print one JSON document")
        parser.add_argument("--limit", type=int, default=None, help="show at most N suggestions")
        parser.add_argument(
            "--show-dropped",
            action="store_true",
            help="also list the lines dropped as boilerplate, with why",
        )

    def handle(self, *args, path, json, limit, show_dropped, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1")
        body = read_body(path)
        suggestions, dropped = analyse(body)
        suggestions = suggestions[:limit] if limit else suggestions
        if json:
            self._print_json(path, body, suggestions, dropped)
            return
        if not suggestions:
            self.stdout.write("No check-worthy sentences found.")
        for rank, s in enumerate(suggestions, 1):
            self.stdout.write(f"{rank:>3}. [{s.start}-{s.end}] score {s.score:.2f}  {s.reason}")
            self.stdout.write(f"     {s.text}")
        if show_dropped:
            self.stdout.write(f"\nDropped ({len(dropped)}):")
            for d in dropped:
                self.stdout.write(f"  [{d.start}-{d.end}] {d.why}: {d.text[:100]}")

    def _print_json(self, path, body, suggestions, dropped):
        document = {
            "path": str(path),
            "characters": len(body),
            "suggestions": [{"rank": rank, **s.as_dict()} for rank, s in enumerate(suggestions, 1)],
            "dropped": [d.as_dict() for d in dropped],
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
