"""Capture throughput: N sources through the real queue and a real worker.

    .venv/bin/python benchmarks/capture_throughput.py [--n 500] [--latency 0.2] [--concurrency 20]

A local server answers every URL after a fixed delay L. The run reports, in one go:
- ours: wall time from the commit that queues N sources (added in one transaction) until
  every one is captured (fetched, extracted, archived, recorded) by a worker with
  `--pool threads --concurrency C`; and end to end, with the time to add them;
- ideal: N * L / C, what C perfectly overlapped requests would take;
- sequential: a plain `requests.get` loop over the same URLs (no safety, no storage);
- the worker's peak resident memory (VmHWM).

It uses its own SQLite database and file broker under data/bench/ (or BENCH_DATABASE_URL
and REDIS_URL when set), so it never touches development or test data. Per-domain
politeness is off (FETCH_DOMAIN_INTERVAL=0): every URL is on one local server, and the
point is to measure the pipeline, not the one-request-per-second rule. The engine is http
unless CAPTURE_ENGINE says otherwise.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "data" / "bench"

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Report {n} | Bench News</title><meta name="author" content="A. Writer">
<meta property="article:published_time" content="2024-03-0{d}T08:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Report {n}</h1>
<p>Report number {n}: the ministry published its quarterly figures on Tuesday, showing that
exports rose while imports fell for the third quarter in a row, officials said.</p>
<p>Analysts said the figures for report {n} were in line with expectations and that the
trend was likely to continue into the next year, barring a change in policy.</p>
<p>The opposition questioned the method used to compile the figures in report {n}.</p>
</article><footer>Bench News</footer></body></html>"""


def serve(latency):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            time.sleep(latency)
            n = self.path.rsplit("/", 1)[-1]
            body = PAGE.format(n=n, d=int(n) % 9 + 1 if n.isdigit() else 1).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024  # C connections at once must not wait in a 5-deep backlog

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def configure(port):
    """Environment for this process and the worker, set before Django loads settings."""
    if BENCH.exists():
        shutil.rmtree(BENCH)
    BENCH.mkdir(parents=True)
    env = {
        "DATABASE_URL": os.getenv("BENCH_DATABASE_URL", f"sqlite:///{BENCH / 'bench.sqlite3'}"),
        "BROKER_DIR": str(BENCH / "broker"),
        "MEDIA_ROOT": str(BENCH / "media"),
        "FETCH_ALLOW_PRIVATE": f"127.0.0.1:{port}",
        "FETCH_DOMAIN_INTERVAL": "0",
        # The http engine (issue 15's CPU goal): with a Chromium on the machine the default
        # engine is the browser, which is measured by benchmarks/browser_capture.py.
        "CAPTURE_ENGINE": os.getenv("CAPTURE_ENGINE", "http"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "workbench.settings",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from workbench.celery import app

    with app.connection_for_write() as conn:  # leftovers of another run must not count
        conn.default_channel.queue_purge("capture")


# `python -m celery` under cProfile on the process's CPU clock (not wall time: a worker
# mostly waits), the stats written when the worker stops.
PROFILED = """
import cProfile, runpy, sys, time
out = sys.argv.pop(1)
sys.argv[0] = "celery"
profile = cProfile.Profile(time.process_time)
try:
    profile.runcall(runpy.run_module, "celery", run_name="__main__")
except SystemExit:
    pass
finally:
    profile.dump_stats(out)
"""


def start_workers(processes, concurrency, profile=None):
    """`processes` workers sharing C threads: one Python process runs on one core at a time
    (the GIL), and the per-capture work (database, extraction, archive) is CPU.

    profile: one worker with the solo pool (tasks in its main thread, where cProfile
    sees them) run under cProfile, its stats written to this file when it stops."""
    workers = []
    for i in range(processes):
        threads = concurrency // processes + (i < concurrency % processes)
        pool = ["--pool", "threads", "--concurrency", str(threads)]
        celery = [sys.executable, "-m", "celery"]
        if profile:
            pool, celery = ["--pool", "solo"], [sys.executable, "-c", PROFILED, profile]
        command = [
            *celery, "-A", "workbench", "worker", "-n", f"bench{i}@%h",
            "--queues", "capture", *pool,
            "--loglevel", os.getenv("BENCH_LOGLEVEL", "WARNING"),
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        log = open(BENCH / f"worker{i}.log", "wb")  # noqa: SIM115 (open for the worker's life)
        workers.append(subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
    return workers


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def capture_all(urls, timeout):
    """Add the sources in one transaction and wait until every one is settled."""
    from django.db import transaction

    from sources.models import Capture, Source
    from sources.services import source_add

    settled = [Source.Status.OK, Source.Status.FAILED, Source.Status.REFUSED]
    started = time.perf_counter()
    with transaction.atomic():
        pks = [source_add(url=url).pk for url in urls]
    added = time.perf_counter() - started  # the messages go out at this commit
    ours = Source.objects.filter(pk__range=(min(pks), max(pks)))  # added together: one range
    deadline = time.monotonic() + timeout
    while ours.exclude(status__in=settled).exists():  # a cheap poll: this process serves too
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out; see {BENCH}/worker*.log")
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    ok = Capture.objects.filter(source__in=ours, outcome="ok").count()
    return elapsed, added, ok


def sequential(urls):
    import requests

    started = time.perf_counter()
    with requests.Session() as session:
        for url in urls:
            session.get(url, timeout=10).raise_for_status()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.2, help="server delay L, seconds")
    parser.add_argument("--concurrency", type=int, default=10, help="worker threads C in all")
    parser.add_argument("--processes", type=int, default=1, help="worker processes sharing C")
    parser.add_argument("--skip-sequential", action="store_true")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="one worker, solo pool, under cProfile (stats to FILE); its CPU then includes"
        " the profiler's",
    )
    args = parser.parse_args()
    if args.profile:
        args.processes = args.concurrency = 1

    server = serve(args.latency)
    port = server.server_address[1]
    configure(port)
    from django.conf import settings

    workers = start_workers(args.processes, args.concurrency, args.profile)
    try:
        base = f"http://127.0.0.1:{port}"
        # Warm up: the worker is consuming and has imported everything.
        _warm, _added, ok = capture_all(
            [f"{base}/warmup/{i}" for i in range(args.concurrency)], 120
        )
        urls = [f"{base}/report/{i}" for i in range(args.n)]
        cpu_before = sum(cpu_seconds(worker.pid) for worker in workers)
        ours, added, ok = capture_all(urls, 600)
        cpu = sum(cpu_seconds(worker.pid) for worker in workers) - cpu_before
        peaks = [peak_rss_mb(worker.pid) for worker in workers]
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(30)
    loop = None if args.skip_sequential else sequential(urls)
    # With --latency 0 (a profile of the CPU alone) there is no ideal to compare with.
    ideal = args.n * args.latency / args.concurrency or float("nan")
    pipeline = ours - added  # from the commit that queued them to the last capture recorded
    broker = "redis" if settings.REDIS_URL else "filesystem"
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    load = os.getloadavg()[0]
    results = {
        "n": args.n,
        "latency_s": args.latency,
        "concurrency": args.concurrency,
        "processes": args.processes,
        "broker": broker,
        "database": database,
        "captured_ok": ok,
        "capture_s": round(pipeline, 2),
        "ideal_s": round(ideal, 2),
        "capture_vs_ideal": round(pipeline / ideal, 2),
        "adding_s": round(added, 2),
        "end_to_end_s": round(ours, 2),
        "end_to_end_vs_ideal": round(ours / ideal, 2),
        "sequential_s": round(loop, 2) if loop else None,
        "sequential_vs_capture": round(loop / pipeline, 1) if loop else None,
        "worker_peak_rss_mb": [round(peak, 1) for peak in peaks],
        "worker_cpu_ms_per_capture": round(cpu / args.n * 1000, 1),
        "cpus": os.cpu_count(),
        "load_average": round(load, 1),
    }
    print(
        f"N={args.n} L={args.latency * 1000:.0f} ms C={args.concurrency} "
        f"in {args.processes} worker process(es), {broker} broker, {database}"
    )
    print(f"  ideal N*L/C        {ideal:7.2f} s")
    print(
        f"  ours: capture      {pipeline:7.2f} s  {pipeline / ideal:.2f}x ideal  ({ok}/{args.n} ok)"
    )
    print(f"  ours: end to end   {ours:7.2f} s  {ours / ideal:.2f}x ideal  (adding: {added:.2f} s)")
    if loop:
        print(f"  sequential loop    {loop:7.2f} s  {loop / pipeline:.1f}x our capture time")
    print("  worker peak RSS    " + " + ".join(f"{peak:.0f}" for peak in peaks) + " MB")
    print(
        f"  worker CPU         {cpu / args.n * 1000:.1f} ms per capture (load average {load:.1f})"
    )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / f"capture_throughput-{broker}-{int(time.time())}.json").write_text(
        json.dumps(results, indent=2)
    )
    return 0 if ok == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
