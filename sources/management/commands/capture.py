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
        self.deadline = time.monotonic() + timeout  # for the whole command, every URL
        sources, rows = {}, {}
        for url in urls:
            try:
                source = source_add(url=url, enqueue=not sync)
                if recapture and source.status in SETTLED:
                    source = source_recapture(source=source, enqueue=not sync)
            except ValidationError as exc:
                rows[url] = _problem(url, "invalid", "invalid_url", " ".join(exc.messages))
                continue
            except Exception as exc:  # one bad URL never stops the others
                rows[url] = _problem(url, "error", "internal_error", _one_line(exc))
                continue
            sources[url] = source
        if sync:
            for url, source in sources.items():
                try:
                    rows[url] = self._capture_here(url, source)
                except Exception as exc:
                    rows[url] = _problem(url, "error", "internal_error", _one_line(exc))
        else:
            self._wait(sources.values(), self.deadline - time.monotonic())
        failures = 0
        for url in urls:
            row = rows.get(url) or self._row(url, sources[url])
            failures += row["outcome"] != "ok"
            self.stdout.write(self._line(row))
        if failures:
            raise CommandError(f"{failures} of {len(urls)} URLs were not captured.")

    def _capture_here(self, url, source):
        """One attempt in this process, within what is left of --timeout.

        A temporary failure is not slept through: it is left pending with its backoff (the
        sweep queues it for a worker) and reported as retry_scheduled. Returns a row, or
        None when the source settled (the row is then read from it).
        """
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return _problem(
                url, "pending", "timeout", "Not attempted: --timeout ran out.", source.pk
            )
        step = capture_attempt(source_pk=source.pk, deadline=remaining, engine=self.engine)
        if not step.claimed:  # a worker holds it: wait for its outcome instead
            self._wait([source], self.deadline - time.monotonic())
            return None
        if step.retry_in is not None:
            source.refresh_from_db()
            capture = source.latest_capture
            why = (
                f"{capture.error_code}: {capture.error_message}"
                if capture and step.fault == ""
                else f"{step.fault or 'domain_busy'}"
            )
            return {
                **_problem(
                    url,
                    "pending",
                    "retry_scheduled",
                    f"{why} (retry in about {step.retry_in:.0f} s by a worker)",
                    source.pk,
                ),
                "http_status": capture.http_status if capture and not step.fault else None,
            }
        return None

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


def _one_line(exc):
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]


def _problem(url, outcome, code, message, source_pk=None):
    row = {"url": url, "outcome": outcome, "error_code": code, "error_message": message}
    if source_pk is not None:
        row["source"] = source_pk
    return row
