"""python manage.py capture URL [URL ...] [--sync] [--json] [--engine http|browser] [--with-text]

Adds the sources and captures them, then prints one line per URL (with --json, one JSON
object per line: besides the capture's fields, `engine`, `resources` (response records in the
archive), `screenshot` (its sha256 or null), `pages` (a PDF's page count or null) and
`text_chars`; `text` too with --with-text). Without --sync the capture goes through the
queue and a running worker, and the command waits for the outcome. Exits 0 when every URL
was captured, else 1.
"""

import json
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sources.capture import capture_attempt
from sources.engines import ENGINES
from sources.models import Artefact, Source
from sources.services import source_add, source_recapture

SETTLED = (Source.Status.OK, Source.Status.FAILED, Source.Status.REFUSED)


class Command(BaseCommand):
    help = "Add sources and capture them; one line per URL. Exit status 1 unless all captured."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+", metavar="URL")
        parser.add_argument(
            "--sync", action="store_true", help="capture in this process, not through the queue"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.add_argument(
            "--recapture", action="store_true", help="capture again sources already captured"
        )
        parser.add_argument(
            "--engine",
            choices=ENGINES,
            help="capture engine for --sync (default: the CAPTURE_ENGINE setting)",
        )
        parser.add_argument(
            "--with-text", action="store_true", help="with --json, include the extracted text"
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=300.0,
            help="seconds to wait for the queue's outcome (default 300)",
        )

    def handle(self, *args, urls, sync, recapture, timeout, engine, with_text, **options):
        self.as_json = options["json"]
        self.engine = engine
        self.with_text = with_text
        if engine and not sync:
            raise CommandError("--engine applies to --sync captures (a worker uses its setting).")
        sources, rows = {}, {}
        for url in urls:
            try:
                source = source_add(url=url, enqueue=not sync)
            except ValidationError as exc:
                rows[url] = {
                    "url": url,
                    "outcome": "invalid",
                    "error_code": "invalid_url",
                    "error_message": " ".join(exc.messages),
                }
                continue
            if recapture and source.status in SETTLED:
                source = source_recapture(source=source, enqueue=not sync)
            sources[url] = source
        if sync:
            for source in sources.values():
                self._capture_here(source, timeout)
        else:
            self._wait(sources.values(), timeout)
        failures = 0
        for url in urls:
            row = rows.get(url) or self._row(url, sources[url])
            failures += row["outcome"] != "ok"
            self.stdout.write(self._line(row))
        if failures:
            raise CommandError(f"{failures} of {len(urls)} URLs were not captured.")

    def _capture_here(self, source, timeout):
        """Attempt, and retry temporary failures after their backoff, in this process."""
        deadline = time.monotonic() + timeout
        while source.status not in SETTLED and time.monotonic() < deadline:
            step = capture_attempt(source_pk=source.pk, engine=self.engine)
            if not step.claimed:  # a worker holds it: wait for its outcome instead
                self._wait([source], deadline - time.monotonic())
            elif step.retry_in is not None:
                self.stderr.write(f"{source.url}: retrying in {step.retry_in:.0f} s")
                time.sleep(min(step.retry_in, max(0, deadline - time.monotonic())))
            source.refresh_from_db()

    def _wait(self, sources, timeout):
        deadline = time.monotonic() + timeout
        waiting = [s for s in sources if s.status not in SETTLED]
        while waiting and time.monotonic() < deadline:
            time.sleep(0.2)
            for source in waiting:
                source.refresh_from_db()
            waiting = [s for s in waiting if s.status not in SETTLED]

    def _row(self, url, source):
        source.refresh_from_db()
        capture = source.latest_capture if source.status in SETTLED else None
        if capture is None:
            return {
                "url": url,
                "source": source.pk,
                "outcome": "pending",
                "error_code": "timeout",
                "error_message": "No outcome yet: is a worker running? (or use --sync)",
            }
        return {
            "url": url,
            "source": source.pk,
            "capture": capture.pk,
            "outcome": capture.outcome,
            "http_status": capture.http_status,
            "error_code": capture.error_code,
            "error_message": capture.error_message if capture.outcome != "ok" else "",
            "final_url": capture.final_url,
            "content_type": capture.content_type,
            "size": capture.size,
            "sha256": capture.sha256,
            "title": capture.title,
            **self._evidence_keys(capture),
        }

    def _evidence_keys(self, capture):
        screenshot = capture.artefacts.filter(kind=Artefact.Kind.SCREENSHOT).first()
        keys = {
            "engine": capture.engine or None,
            "resources": capture.resources,
            "screenshot": screenshot.sha256 if screenshot else None,
            "pages": capture.page_count,
            "text_chars": len(capture.text),
        }
        if self.with_text:
            keys["text"] = capture.text
        return keys

    def _line(self, row):
        keys = ("url", "outcome", "http_status", "error_code", "sha256", "title")
        row = {**dict.fromkeys(keys), **row}
        if self.as_json:
            return json.dumps(row, ensure_ascii=False)
        detail = row["title"] if row["outcome"] == "ok" else row["error_message"]
        status = row["http_status"] or "-"
        return (
            f"{row['outcome']:<8} {status:<3} {row['error_code'] or '-':<18} {row['url']}  {detail}"
        )
