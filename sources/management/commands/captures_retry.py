"""python manage.py captures_retry [--code CODE ...] [--all] [--dry-run]

Queues again the sources whose latest capture failed with one of the given error codes
(by default the failures of ours rather than of the page: internal_error,
attempts_exhausted, database_unavailable, storage_error). Prints how many per code.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from sources.services import OWN_FAILURE_CODES, failed_sources, sources_retry_failed


class Command(BaseCommand):
    help = "Re-queue failed captures by error code (default: failures of ours, not the page's)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--code",
            action="append",
            default=[],
            metavar="CODE",
            help=f"error code to retry (repeatable; default {', '.join(OWN_FAILURE_CODES)})",
        )
        parser.add_argument("--all", action="store_true", help="every failed capture, any code")
        parser.add_argument("--dry-run", action="store_true", help="count, queue nothing")

    def handle(self, *args, code, all, dry_run, **options):
        if all and code:
            raise CommandError("Give --code or --all, not both.")
        codes = () if all else tuple(code) or OWN_FAILURE_CODES
        sources = failed_sources(codes=codes)
        counts = Counter(sources.values_list("latest_capture__error_code", flat=True))
        for error_code, count in sorted(counts.items()):
            self.stdout.write(f"{count:>6}  {error_code}")
        if dry_run:
            self.stdout.write(f"{sum(counts.values())} failed sources would be queued again.")
            return
        queued = sources_retry_failed(sources=sources)
        self.stdout.write(f"{queued} failed sources queued again.")
