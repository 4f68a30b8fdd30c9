"""Browser capture vs the http engine: N pages of K subresources each, at latency L.

    .venv/bin/python benchmarks/browser_capture.py [--n 100] [--resources 20] [--latency 0.2]
                                                   [--concurrency 1 4 8]

A local threaded server answers every request after L seconds. For each concurrency C the
same N pages are captured with `sources.engines.capture_url` from C threads in this process
(what C capture-worker threads do, minus the database): first by the http engine (the
document only), then by the browser engine (the document, then every subresource through
the safe fetcher, screenshots, DOM, WARC and WACZ). Reported, from one run:
- ideal browser time: N * 2L / C (the document, then its subresources all at once);
- browser time vs that ideal and vs the http engine's time at the same C;
- peak memory of this process plus its Chromium processes (sampled every 100 ms) as PSS
  (proportional set size, /proc/<pid>/smaps_rollup): Chromium's processes share most of
  their pages, so summed RSS counts the shared ones many times over; PSS shares them out;
- the load average before and after (the machine may be shared).
Goal (issue 10): browser <= 2x http per page at equal concurrency, peak memory < 1 GiB.
The ideal alone is 2x the http engine's time (two round trips against one), and the page
is taken only after CAPTURE_BROWSER_QUIET (0.3 s) without a request in flight.
"""

import argparse
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Report {n}</title>
<link rel="stylesheet" href="/r/{n}/0.css"></head><body><article><h1>Report {n}</h1>
<p>Report number {n}: the ministry published its quarterly figures on Tuesday, showing that
exports rose while imports fell for the third quarter in a row, officials said.</p>
{images}</article></body></html>"""
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect/></svg>'


def serve(latency, resources):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            time.sleep(latency)
            parts = self.path.strip("/").split("/")
            if parts[0] == "p":
                images = "".join(
                    f'<img src="/r/{parts[1]}/{i}.svg" alt="">' for i in range(1, resources)
                )
                body, kind = PAGE.format(n=parts[1], images=images).encode(), "text/html"
            elif self.path.endswith(".css"):
                body, kind = b"body{color:#222}", "text/css"
            else:
                body, kind = SVG, "image/svg+xml"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 512
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def tree(pid):
    """pid and all its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def tree_memory(pid):
    """(PSS, RSS) of pid and its descendants, in bytes."""
    pss = rss = 0
    for current in tree(pid):
        try:
            for line in open(f"/proc/{current}/smaps_rollup"):
                if line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
        except OSError:
            pass
    return pss, rss


class Peak:
    def __init__(self):
        self.pss = self.rss = 0
        self.running = True
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self):
        while self.running:
            pss, rss = tree_memory(os.getpid())
            self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)
            time.sleep(0.1)


def run(urls, engine, concurrency):
    from sources.engines import capture_url

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda u: capture_url(u, engine=engine), urls))
    elapsed = time.perf_counter() - started
    resources = sum(r.resources for r in results) / len(results)
    return elapsed, resources


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--resources", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    args = parser.parse_args()
    server = serve(args.latency, args.resources)
    authority = f"127.0.0.1:{server.server_address[1]}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="workbench.settings",
        FETCH_ALLOW_PRIVATE=authority,
        FETCH_DOMAIN_INTERVAL="0",
        DATA_DIR=str(ROOT / "data" / "bench"),
    )
    import django

    django.setup()
    from sources.engines import browser

    urls = [f"http://{authority}/p/{i}" for i in range(args.n)]
    run(urls[:2], "browser", 2)  # start Chromium outside the measurement
    print(f"N={args.n} pages, {args.resources} resources each, L={args.latency * 1000:.0f} ms")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        "| C | http engine | browser engine | ideal (N*2L/C) | browser vs ideal | "
        "browser vs http | resources/page | peak PSS (process + Chromium) | peak RSS sum |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for concurrency in args.concurrency:
        http_time, _ = run(urls, "http", concurrency)
        peak = Peak()
        browser_time, per_page = run(urls, "browser", concurrency)
        peak.running = False
        ideal = args.n * 2 * args.latency / concurrency
        print(
            f"| {concurrency} | {http_time:.1f} s | {browser_time:.1f} s | {ideal:.1f} s | "
            f"{browser_time / ideal:.2f}x | {browser_time / http_time:.2f}x | {per_page:.0f} | "
            f"{peak.pss / 2**20:.0f} MiB | {peak.rss / 2**20:.0f} MiB |",
            flush=True,
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    browser.shutdown()


if __name__ == "__main__":
    main()
