"""Import ClaimReview JSON-LD as verified claims (see claims/services/claimreview.py)."""

import json
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


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import ClaimReview JSON-LD (a list, one object or an @graph) as claims with approved "
        "verdicts. Nothing is written if any review cannot be imported, unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON-LD file.")
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
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path} is not JSON: {exc}") from None
        label_map = {}
        for pair in options["map"]:
            theirs, sep, ours = pair.partition("=")
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
        self.stdout.write(
            f"{'Would import' if options['dry_run'] else 'Imported'} {len(result.created)} "
            f"claim(s); {len(result.present)} already present; "
            f"{len(result.problems)} not imported."
        )
