"""Import ClaimReview JSON-LD (a JSON file or an HTML page) as imported reviews.

See claims/services/claimreview.py for what is kept and how ratings are mapped.
"""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.services.claimreview import (
    ClaimReviewImportError,
    ClaimReviewItemsError,
    claimreview_import,
)
from claims.text.jsonld import DocumentError, parse_document

MAX_FILE_BYTES = 50 * 1024 * 1024  # the biggest public feeds are a few MB


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import ClaimReview JSON-LD (a list, an object, @graph, a DataFeed, the JSON-LD "
        "blocks of an HTML page, or a saved Fact Check Tools API claims:search response) as "
        "imported reviews on claims. Nothing is written if any review cannot be imported, "
        "unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON-LD file or an HTML page.")
        parser.add_argument(
            "--editor",
            required=True,
            metavar="USERNAME",
            help="The editor who vouches for the imported verdicts (their approver).",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="THEIR_LABEL=OUR_LABEL",
            help="Map a rating label of theirs to one of our scale. Repeatable.",
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the rest; report the others."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check, report, write nothing.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise CommandError(
                    f"{path} is {size:,} bytes, over the {MAX_FILE_BYTES:,} limit; split it"
                )
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        if b"\x00" in raw:
            raise CommandError(f"{path} contains NUL bytes: not a JSON-LD or HTML text file")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{path} is not UTF-8 text: {exc.reason} at byte {exc.start}"
            ) from None
        try:
            data, read_notes = parse_document(text)
        except DocumentError as exc:
            raise CommandError(f"{path}: {exc}") from None
        for note in read_notes:
            self.stderr.write(f"{path}: {note}")
        label_map = {}
        for pair in options["map"]:
            theirs, sep, ours = pair.rpartition("=")  # their label may hold "=", ours not
            if not sep or not theirs.strip() or not ours.strip():
                raise CommandError(f"--map wants THEIR_LABEL=OUR_LABEL, got {pair!r}")
            label_map[theirs.strip()] = ours.strip()
        editor = User.objects.filter(username=options["editor"]).first()
        if editor is None:
            raise CommandError(f"No user {options['editor']!r}.")
        try:
            with transaction.atomic():
                result = claimreview_import(
                    data=data,
                    user=editor,
                    reason=f"import_claimreview {path.name}",
                    label_map=label_map,
                    skip_invalid=options["skip_invalid"],
                )
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            pass
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ClaimReviewItemsError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{len(exc.messages)} review(s) cannot be imported; nothing was written "
                "(fix them, map their labels with --map, or pass --skip-invalid)."
            ) from None
        except ClaimReviewImportError as exc:
            raise CommandError(exc.messages[0]) from None
        for message in result.notes + result.present:
            self.stdout.write(message)
        for message in result.problems:
            self.stderr.write(f"not imported: {message}")
        how = ", ".join(f"{n} by {kind}" for kind, n in sorted(result.mappings.items()))
        self.stdout.write(
            f"{'Would import' if options['dry_run'] else 'Imported'} {len(result.claims)} "
            f"claim(s) ({len(result.created)} review(s))"
            + (f" (ratings mapped {how})" if how else "")
            + f"; {len(result.present)} already present; {len(result.problems)} not imported."
        )
