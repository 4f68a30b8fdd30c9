"""A recapture's fan-out: a source cited by N evidence rows gets a changed capture.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_fanout .venv/bin/python \
        benchmarks/recapture_fanout.py [--evidence 500] [--chars 20000] [--runs 3]

Migrates the (throwaway) database named by DATABASE_URL, adds one source cited by N
claims (claims worded like sentences of the source, some reworded, some unrelated) and,
in one run and alternately, times what the worker's capture_finished receiver does for a
changed capture (every row's passages recomputed and written, with history):
- per row: the path before PassageIndex, one evidence_suggest_passages per citing row
  (each segments, stems and counts the whole source text again, and saves its row);
- fan-out: claims.services.source_evidence_update, the text indexed once and the rows
  written in chunks (FANOUT_CHUNK) of one UPDATE and one history INSERT each.
Both run in this process against the same database, as the worker would; the machine is
shared, so compare numbers from the same run. Prints the median of --runs and the process
CPU, and checks that both paths store the same passages.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from claims.models import Article, Claim, Evidence  # noqa: E402
from claims.services.evidence import (  # noqa: E402
    FANOUT_CHUNK,
    evidence_suggest_passages,
    source_evidence_update,
)
from claims.text.segmenter import split_sentences  # noqa: E402
from sources.models import Capture, Source  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "sputnik-russia-belarus-2023-12-13.txt"
URL = "https://bench.example.org/fanout/source"
FALLBACK = """In 2009, Moscow and Minsk signed an air defense agreement on the joint protection
of the airspace borders of the Union State. In 2022, several thousand soldiers were deployed in
Belarus. The ministry published its quarterly figures on Tuesday, showing that exports rose while
imports fell for the third quarter in a row, officials said. Analysts said the figures were in
line with expectations. The opposition questioned the method used to compile the figures."""


def source_text(rng, chars):
    """A long news page: the seed article's sentences, shuffled and varied, to `chars`."""
    base = SEED.read_text() if SEED.exists() else FALLBACK
    sentences = [s.text for s in split_sentences(base) if len(s.text) > 30]
    words = base.split()
    paragraphs, size = [], 0
    while size < chars:
        paragraph = []
        for _ in range(rng.randint(2, 5)):
            sentence = rng.choice(sentences).split()
            for _ in range(rng.randint(0, 3)):  # a few words swapped: no two alike
                sentence[rng.randrange(len(sentence))] = rng.choice(words)
            paragraph.append(" ".join(sentence).rstrip(".") + ".")
        text = " ".join(paragraph)
        paragraphs.append(text)
        size += len(text) + 2
    return "\n\n".join(paragraphs)


def claim_quotes(rng, text, n):
    """n claims: sentences of the source (some reworded) and a few unrelated ones."""
    sentences = [s.text for s in split_sentences(text) if len(s.text) > 30]
    quotes = []
    for i in range(n):
        words = rng.choice(sentences).split()
        if i % 3:
            rng.shuffle(words)
            words = words[: rng.randint(min(6, len(words)), len(words))]
        if i % 10 == 9:
            words = ["Pancakes", "were", "served", "at", "summit", str(i)]
        quotes.append(" ".join(words) + f" ({i}).")
    return quotes


def setup(evidence, chars):
    rng = random.Random(15)
    call_command("migrate", verbosity=0)
    text = source_text(rng, chars)
    source, _ = Source.objects.get_or_create(url=URL, defaults={"domain": "bench.example.org"})
    if Evidence.objects.filter(source=source).count() != evidence:
        with transaction.atomic():
            Evidence.objects.filter(source=source).delete()
            Article.objects.filter(title="benchmark: recapture fan-out").delete()
            quotes = claim_quotes(rng, text, evidence)
            body = "\n".join(quotes)
            article = Article.objects.create(title="benchmark: recapture fan-out", body=body)
            at = 0
            for quote in quotes:
                start = body.index(quote, at)
                at = start + len(quote)
                claim = Claim.objects.create(
                    article=article, text=quote, quote=quote, start=start, end=at
                )
                Evidence.objects.create(claim=claim, source=source)
    return source, text


def new_capture(source, text, run):
    """A changed capture of the source (a different last line each time)."""
    now = timezone.now()
    capture = Capture.objects.create(
        source=source,
        outcome=Capture.Outcome.OK,
        requested_at=now,
        finished_at=now,
        http_status=200,
        text=f"{text}\n\nUpdated {run}.",
        sha256=f"{run:064d}",
    )
    source.latest_capture = capture
    source.save(update_fields=["latest_capture"])
    return capture


def per_row(source, capture, reason):
    """What source_evidence_update did before: one evidence_suggest_passages per row."""
    return [
        evidence_suggest_passages(evidence=evidence, capture=capture, reason=reason)
        for evidence in Evidence.objects.filter(source=source).order_by("pk")
    ]


def fan_out(source, capture, reason):
    return source_evidence_update(
        source=source, capture=capture, content_changed=True, reason=reason
    )


def stored(source):
    return {
        pk: [{**p, "capture": None} for p in passages]
        for pk, passages in Evidence.objects.filter(source=source).values_list(
            "pk", "suggested_passages"
        )
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evidence", type=int, default=500)
    parser.add_argument("--chars", type=int, default=20_000, help="source text length")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source, text = setup(args.evidence, args.chars)
    timings = {"per row": [], "fan-out": []}
    cpu = {"per row": [], "fan-out": []}
    results = {}
    run = int(time.time())
    for _ in range(args.runs):
        for name, path in (("per row", per_row), ("fan-out", fan_out)):
            run += 1
            capture = new_capture(source, text, run)
            connection.ensure_connection()
            started, cpu_started = time.perf_counter(), time.process_time()
            path(source, capture, f"capture_finished: capture {capture.pk}")
            timings[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - cpu_started)
            results[name] = stored(source)
    same = results["per row"] == results["fan-out"]
    rows = Evidence.objects.filter(source=source).count()
    with_passages = sum(1 for passages in results["fan-out"].values() if passages)
    print(
        f"{connection.vendor}: one source cited by {rows} evidence rows "
        f"({with_passages} get passages), text {len(text):,} characters, "
        f"chunks of {FANOUT_CHUNK}; median of {args.runs}, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    for name in timings:
        print(
            f"  {name:8} {statistics.median(timings[name]):7.2f} s wall  "
            f"{statistics.median(cpu[name]):7.2f} s CPU (this process)"
        )
    ratio = statistics.median(timings["per row"]) / statistics.median(timings["fan-out"])
    print(f"  fan-out is {ratio:.1f}x faster; same passages stored by both: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
