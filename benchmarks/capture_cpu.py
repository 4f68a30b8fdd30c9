"""CPU of one capture, in one process: capture_attempt called in a loop, no queue.

    .venv/bin/python benchmarks/capture_cpu.py [--n 300] [--profile]

The same path a worker runs for each task (claim, fetch, extract, WARC, WACZ, record,
the capture_finished receivers), called directly, one capture after another, against a
local server in another process (so its CPU is not counted). Reports the process CPU per
capture; with --profile, a cProfile of the loop split by pipeline step. Celery's own
share (message, ack, thread pool) is what benchmarks/capture_throughput.py adds on top.

Its own SQLite database under data/bench-cpu/ unless BENCH_DATABASE_URL is set; the
http engine, politeness off (one local server), as capture_throughput.py.
"""

import argparse
import cProfile
import multiprocessing
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "data" / "bench-cpu"

# Pipeline steps by the function whose cumulative time is theirs (file suffix, name).
STEPS = [
    ("fetch", "sources/fetch.py", "fetch"),
    ("extraction", "sources/extract.py", "extract"),
    ("WARC", "sources/archive.py", "warc_response"),
    ("WACZ", "sources/wacz.py", "wacz_from_warc"),
    ("claim (conditional UPDATE)", "sources/capture.py", "_claim"),
    ("source read", "django/db/models/query.py", "get"),
    ("staging files", "sources/staging.py", "_stage"),
    ("record (rows, commit)", "sources/capture.py", "_record"),
    ("  of which receivers", "django/dispatch/dispatcher.py", "send_robust"),
    ("lease (heartbeat entry)", "sources/lease.py", "__enter__"),
]


def _serve(port_queue):
    from benchmarks.capture_throughput import serve

    server = serve(0.0)
    port_queue.put(server.server_address[1])
    while True:
        time.sleep(3600)


def configure(port):
    if BENCH.exists():
        shutil.rmtree(BENCH)
    BENCH.mkdir(parents=True)
    os.environ.update(
        {
            "DATABASE_URL": os.getenv("BENCH_DATABASE_URL", f"sqlite:///{BENCH / 'bench.sqlite3'}"),
            "BROKER_DIR": str(BENCH / "broker"),
            "MEDIA_ROOT": str(BENCH / "media"),
            "FETCH_ALLOW_PRIVATE": f"127.0.0.1:{port}",
            "FETCH_DOMAIN_INTERVAL": "0",
            "CAPTURE_ENGINE": "http",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "workbench.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def add_sources(base, count):
    from django.db import transaction

    from sources.services import source_add

    with transaction.atomic():
        return [source_add(url=f"{base}/{i}", enqueue=False).pk for i in range(count)]


def capture_each(pks):
    from django.db import close_old_connections

    from sources.capture import capture_attempt

    for pk in pks:
        close_old_connections()  # as the worker does around each task
        step = capture_attempt(source_pk=pk)
        close_old_connections()
        if step.capture is None or step.capture.outcome != "ok":
            raise SystemExit(f"capture of source {pk} did not succeed: {step}")


def shares(profile, total):
    stats = pstats.Stats(profile).stats
    rows = []
    for label, suffix, name in STEPS:
        seconds = sum(
            cumulative
            for (filename, _line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.items()
            if function == name and filename.endswith(suffix)
        )
        rows.append((label, seconds))
    return [(label, seconds, seconds / total) for label, seconds in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="cProfile the loop")
    parser.add_argument("--top", type=int, default=0, help="also print the top functions")
    parser.add_argument("--save", help="write the profile to this file (pstats)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    ports = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    port = ports.get(timeout=30)
    configure(port)
    try:
        base = f"http://127.0.0.1:{port}/report"
        capture_each(add_sources(f"{base}/warmup", args.warmup))
        pks = add_sources(base, args.n)
        profile = cProfile.Profile(time.process_time) if args.profile else None
        started, wall = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        capture_each(pks)
        if profile:
            profile.disable()
        cpu, wall = time.process_time() - started, time.perf_counter() - wall
    finally:
        server.terminate()
    load = os.getloadavg()
    print(
        f"{args.n} captures: {cpu / args.n * 1000:.2f} ms CPU each, {wall / args.n * 1000:.2f} ms"
        f" wall (load average {load[0]:.1f} {load[1]:.1f}){' under cProfile' if profile else ''}"
    )
    if profile:
        for label, seconds, share in shares(profile, cpu):
            print(f"  {label:28} {seconds / args.n * 1000:6.2f} ms  {share:5.1%}")
        if args.top:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
        if args.save:
            profile.dump_stats(args.save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
