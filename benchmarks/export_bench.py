"""Export benchmark: every format against PostgreSQL's own COPY of the same joined rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python benchmarks/export_bench.py

Loads (once) 50,000 verified claims with 3 evidence rows each (each with its source,
capture and approved verdict) into the database DATABASE_URL names, in claim sets of
10,000 and 50,000 claims. Then, for each set size, runs in a fresh process per
measurement:
  - `copy`: COPY (<one SELECT joining the same claims to their evidence, same columns
    and order>) TO STDOUT, read by psycopg,
  - each export format through export_chunks(), encoded to UTF-8 as a response would be,
both into a sink that counts bytes. Reports the best and the median wall time of REPEATS
runs (the best is the one least disturbed by other work on a shared machine), the
process's peak RSS and its growth over the RSS before the export, and (in a separate
run, since tracing slows Python down) the peak of Python allocations by tracemalloc.
Results also go to benchmarks/results/ (ignored by git).
"""

import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

SIZES = [10_000, 50_000]
EVIDENCE_PER_CLAIM = 3
MODES = ["copy", "claimreview", "csv", "json", "jsonl"]
REPEATS = int(os.getenv("REPEATS", "5"))
RESULTS = ROOT / "benchmarks" / "results"


def setup_django():
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("This benchmark compares against PostgreSQL COPY: set DATABASE_URL to PostgreSQL.")


def set_slug(size):
    return f"bench-{size // 1000}k"


def load_data():
    """Create the benchmark rows once (bulk inserts; history rows written alongside)."""
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from claims.defaults import ensure_defaults
    from claims.models import ClaimSet

    call_command("migrate", verbosity=0)
    ensure_defaults(apps)
    total = max(SIZES)
    if not ClaimSet.objects.filter(slug=set_slug(total)).exists():
        _insert(total)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in production


def _insert(total):
    import datetime

    from django.contrib.auth.models import Group, User
    from django.db import transaction
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from claims.models import Article, Claim, ClaimSet, Evidence, Rating, Verdict
    from sources.models import Capture, Source

    print(f"loading {total} claims x {EVIDENCE_PER_CLAIM} evidence ...", flush=True)
    started = time.monotonic()
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
    editor, _ = User.objects.get_or_create(username="bench-editor", first_name="Bench")
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    editor.groups.add(Group.objects.get(name="editor"))
    ratings = list(Rating.objects.filter(value__isnull=False))
    quote = "Officials said on Tuesday that the joint exercises would involve 9,000 troops."
    body = ("Lead paragraph. " + quote + " ") * 3
    now = timezone.now()
    reason = "benchmarks/export_bench.py"
    with transaction.atomic():
        articles = bulk_create_with_history(
            [
                Article(
                    title=f"Benchmark article {a}",
                    url=f"https://news.example/{a}",
                    publisher="Benchmark News",
                    byline="A. Writer",
                    published=datetime.date(2024, 1, 1) + datetime.timedelta(days=a % 300),
                    language="en",
                    body=body,
                )
                for a in range(total // 1000)
            ],
            Article,
            default_change_reason=reason,
        )
        start = body.index(quote)
        for batch_start in range(0, total, 5000):
            claims = bulk_create_with_history(
                [
                    Claim(
                        article=articles[i // 1000],
                        text=f"Claim {i}: the joint exercises involved 9,000 troops, "
                        "officials said, “as planned” since the 2009 agreement.",
                        quote=quote,
                        start=start,
                        end=start + len(quote),
                        attributed_to="Ministry of Defence",
                        status=Claim.Status.VERIFIED,
                    )
                    for i in range(batch_start, batch_start + 5000)
                ],
                Claim,
                batch_size=1000,
                default_change_reason=reason,
            )
            bulk_create_with_history(
                [
                    Verdict(
                        claim=claim,
                        rating=ratings[claim.pk % len(ratings)],
                        rationale="Two independent sources contradict the figure; the "
                        "ministry's own statement gives a lower number of troops.",
                        author=reviewer,
                        approver=editor,
                        state=Verdict.State.APPROVED,
                        decided_at=now,
                    )
                    for claim in claims
                ],
                Verdict,
                batch_size=1000,
                default_change_reason=reason,
            )
            sources = Source.objects.bulk_create(
                [
                    Source(
                        url=f"https://source{j}.example/reports/{claim.pk}",
                        domain=f"source{j}.example",
                        status=Source.Status.OK,
                    )
                    for claim in claims
                    for j in range(EVIDENCE_PER_CLAIM)
                ],
                batch_size=2000,
            )
            captures = Capture.objects.bulk_create(
                [
                    Capture(
                        source=source,
                        origin=Capture.Origin.FETCHED,
                        requested_at=now,
                        finished_at=now,
                        outcome=Capture.Outcome.OK,
                        http_status=200,
                        sha256=f"{source.pk:064x}",
                        archive=f"archives/2024/01/{source.pk}.warc.gz",
                    )
                    for source in sources
                ],
                batch_size=2000,
            )
            bulk_create_with_history(
                [
                    Evidence(
                        claim=claims[k // EVIDENCE_PER_CLAIM],
                        source=source,
                        capture=capture,
                        stance=Evidence.Stance.CONTRADICTS,
                        passage="The ministry said about 4,000 troops took part in the "
                        "exercise, fewer than half of the figure that was reported, and "
                        "named the units involved in a statement on its website.",
                    )
                    for k, (source, capture) in enumerate(zip(sources, captures, strict=True))
                ],
                Evidence,
                batch_size=2000,
                default_change_reason=reason,
            )
        # Set membership straight into the through table: these sets are benchmark
        # fixtures, so their m2m history is not needed.
        ids = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
        Through = ClaimSet.claims.through
        for size in SIZES:
            claim_set = ClaimSet.objects.create(name=f"Benchmark {size}", slug=set_slug(size))
            Through.objects.bulk_create(
                [Through(claimset=claim_set, claim_id=pk) for pk in ids[:size]], batch_size=5000
            )
    print(f"loaded in {time.monotonic() - started:.0f} s", flush=True)


def proc_status_kib(field):
    """VmRSS (now) or VmHWM (peak) of this process. Unlike getrusage's ru_maxrss,
    VmHWM starts afresh in a new program, not at the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def joined_query(export_filter):
    """The export's rows as one flat SELECT joining claims to their evidence, for COPY.

    Same filter, columns and order as the exporter's two streamed queries together.
    """
    from django.db.models import F
    from django.db.models.functions import Coalesce

    from claims.exports.records import CLAIM_FIELDS, EVIDENCE_FIELDS, IsoUtc, filtered_claims

    evidence = [
        "evidence_captured_at" if name == "captured_at" else f"evidence__{name}"
        for name in EVIDENCE_FIELDS[1:]
    ]
    return (
        filtered_claims(export_filter)
        .annotate(
            approved_at=IsoUtc(F("approved__decided_at")),
            evidence_captured_at=IsoUtc(
                Coalesce("evidence__capture__finished_at", "evidence__capture__requested_at")
            ),
        )
        .order_by("pk", "evidence__created_at", "evidence__id")
        .values_list(*CLAIM_FIELDS, *evidence)
    )


def measure(mode, size, trace):
    """Run one export into a byte-counting sink; print a JSON line of figures."""
    from django.db import connection

    from claims.exports import ExportFilter, export_chunks
    from claims.models import ClaimSet

    claim_set = ClaimSet.objects.get(slug=set_slug(size))
    export_filter = ExportFilter(claim_set=claim_set)
    connection.ensure_connection()
    baseline = proc_status_kib("VmRSS")
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    written = 0
    if mode == "copy":
        sql, params = joined_query(export_filter).query.sql_with_params()
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy:
                for block in copy:
                    written += len(block)
    else:
        for chunk in export_chunks(mode, export_filter):
            written += len(chunk.encode("utf-8"))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    print(
        json.dumps(
            {
                "mode": mode,
                "size": size,
                "seconds": seconds,
                "bytes": written,
                "rss_baseline_kib": baseline,
                "rss_peak_kib": proc_status_kib("VmHWM"),
                "traced_peak_bytes": peak,
            }
        )
    )


def run_one(mode, size, trace=False):
    args = [sys.executable, __file__, "measure", mode, str(size)] + (["trace"] if trace else [])
    out = subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    setup_django()
    load_data()
    run_one("copy", max(SIZES))  # warm the database's caches; not reported
    results = []
    for size in SIZES:
        for mode in MODES:
            runs = [run_one(mode, size) for _ in range(REPEATS)]
            traced = run_one(mode, size, trace=True)
            times = [r["seconds"] for r in runs]
            row = {
                "mode": mode,
                "size": size,
                "best": min(times),
                "median": statistics.median(times),
                "bytes": runs[0]["bytes"],
                "rss_peak_mib": max(r["rss_peak_kib"] for r in runs) / 1024,
                "rss_growth_mib": max(r["rss_peak_kib"] - r["rss_baseline_kib"] for r in runs)
                / 1024,
                "traced_peak_mib": traced["traced_peak_bytes"] / 2**20,
            }
            results.append(row)
            print(json.dumps(row), flush=True)
    report(results)


def report(results):
    copy = {r["size"]: r for r in results if r["mode"] == "copy"}
    lines = [
        "| claims | format | best (s) | median (s) | best / COPY best | median / COPY median "
        "| output (MB) | peak RSS (MiB) | RSS growth (MiB) | Python peak (MiB) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        base = copy[r["size"]]
        lines.append(
            f"| {r['size']:,} | {r['mode']} | {r['best']:.2f} | {r['median']:.2f} "
            f"| {r['best'] / base['best']:.2f} | {r['median'] / base['median']:.2f} "
            f"| {r['bytes'] / 1e6:.1f} | {r['rss_peak_mib']:.0f} | {r['rss_growth_mib']:.1f} "
            f"| {r['traced_peak_mib']:.1f} |"
        )
    table = "\n".join(lines)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"export-{stamp}.json").write_text(json.dumps(results, indent=2))
    (RESULTS / f"export-{stamp}.md").write_text(table + "\n")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "measure":
        setup_django()
        measure(sys.argv[2], int(sys.argv[3]), trace=len(sys.argv) > 4)
    else:
        main()
