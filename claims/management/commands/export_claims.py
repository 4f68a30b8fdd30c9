"""Export claims as ClaimReview JSON-LD, CSV, JSON or JSON Lines, to a file or stdout."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.exports import FORMATS, export_chunks
from claims.exports.files import write_atomically
from claims.exports.forms import ExportFilterForm
from claims.models import ClaimSet


class Command(BaseCommand):
    help = (
        "Export verified claims (all claims with --all) in one format. Streams: memory stays "
        "small whatever the number of claims."
    )

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="claim_set", metavar="SLUG", help="Claim set slug.")
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument(
            "--all", action="store_true", help="Include claims that are not verified."
        )
        parser.add_argument("--article", type=int, metavar="ID", help="Only this article.")
        parser.add_argument(
            "--rating", action="append", default=[], metavar="LABEL", help="Repeatable."
        )
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="Claim date from (inclusive).")
        parser.add_argument("--until", metavar="YYYY-MM-DD", help="Claim date to (inclusive).")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here, not to stdout.")

    def handle(self, *args, **options):
        fmt = options["format"]
        if options["all"] and FORMATS[fmt].verified_only:
            raise CommandError(
                "ClaimReview describes reviewed claims only; --all works with csv, json, jsonl."
            )
        claim_set = None
        if options["claim_set"]:
            claim_set = ClaimSet.objects.filter(slug=options["claim_set"]).first()
            if claim_set is None:
                raise CommandError(f"No claim set with slug {options['claim_set']!r}.")
        form = ExportFilterForm(
            {
                "rating": options["rating"],
                "article": options["article"],
                "since": options["since"],
                "until": options["until"],
                "all": options["all"],
            }
        )
        if not form.is_valid():
            raise CommandError(f"Invalid filter: {form.error_text()}")
        chunks = export_chunks(fmt, form.to_filter(claim_set=claim_set))
        if options["output"]:
            self._write_file(Path(options["output"]), chunks)
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")

    def _write_file(self, path, chunks):
        if not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        size = write_atomically(path, chunks)
        self.stderr.write(f"Wrote {path} ({size} characters).")
