"""Many reviewers at once: simulated reviewers against gunicorn on a growth database.

    python benchmarks/load.py [--size 1000000] [--users 50] [--think 10] [--seconds 180]

Uses the database benchmarks/growth.py filled (bench15_<size>; run that first). Starts
`gunicorn workbench.wsgi -w 4` on 127.0.0.1:8159 with production settings (DEBUG off),
signs each simulated reviewer in as the bench editor (a session row, as a login makes),
and lets them work: each picks a page from the mix of a working desk, waits for it, then
thinks (exponential, mean --think seconds) before the next. Offered load is
users / think requests a second. Prints the completed rate and the median and 95th
percentile per page and overall.
"""

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
PORT = 8159

# (weight, name): a reviewer mostly moves between the queue and claims, searches now and
# then, reads articles and sources, and looks at sets.
MIX = [
    (30, "queue"),
    (30, "claim"),
    (15, "search"),
    (10, "article"),
    (10, "source"),
    (5, "sets"),
]


# Production settings, shared by this process (which writes the session) and gunicorn.
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "load-benchmark-only-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
}


def setup(size):
    from growth import database_url

    os.environ.update(SERVER_ENV)
    os.environ["DATABASE_URL"] = database_url(size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()


def targets():
    """Ids to visit, drawn once: random claims, articles and sources, and search words."""
    from django.db import connection
    from growth import vocabulary

    def sample(table, n=500):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(id) FROM {table}")
            top = cursor.fetchone()[0]
        return [random.randint(1, top) for _ in range(n)]

    words = vocabulary()
    return {
        "claim": sample("claims_claim"),
        "article": sample("claims_article"),
        "source": sample("sources_source"),
        "words": words[:50] + words[-200:],
    }


def session_cookie():
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    editor = User.objects.get(username="bench-editor")
    session = SessionStore()
    session[SESSION_KEY] = str(editor.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = editor.get_session_auth_hash()
    session.create()
    return settings.SESSION_COOKIE_NAME, session.session_key


def url_for(kind, ids, rng):
    if kind == "queue":
        view = rng.choice(["mine", "unassigned", "recent", "recent&status=in_review"])
        return f"/?view={view}"
    if kind == "claim":
        return f"/claims/{rng.choice(ids['claim'])}/"
    if kind == "search":
        return f"/search/?q={rng.choice(ids['words'])}"
    if kind == "article":
        return f"/articles/{rng.choice(ids['article'])}/"
    if kind == "source":
        return f"/sources/{rng.choice(ids['source'])}/"
    return "/sets/"


def reviewer(n, stop, ids, cookie, think, results):
    rng = random.Random(n)
    http = requests.Session()
    http.cookies.set(*cookie, domain="127.0.0.1")
    kinds = [name for weight, name in MIX for _ in range(weight)]
    time.sleep(rng.uniform(0, think))  # arrivals spread over the first think time
    while not stop.is_set():
        kind = rng.choice(kinds)
        started = time.perf_counter()
        try:
            response = http.get(
                f"http://127.0.0.1:{PORT}{url_for(kind, ids, rng)}",
                timeout=120,
                allow_redirects=False,  # a redirect to the sign-in page is a failure
            )
            ok = response.status_code in (200, 404)  # a sampled id may not exist
        except requests.RequestException:
            ok = False
        results.append((kind, time.perf_counter() - started, ok, time.monotonic()))
        stop.wait(rng.expovariate(1 / think))


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    setup(args.size)
    ids = targets()
    cookie = session_cookie()
    env = {**os.environ, **SERVER_ENV}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "workbench.wsgi", "-w", str(args.workers),
         "-b", f"127.0.0.1:{PORT}", "--timeout", "300", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.1:{PORT}/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        stop, results = threading.Event(), []
        threads = [
            threading.Thread(target=reviewer, args=(n, stop, ids, cookie, args.think, results))
            for n in range(args.users)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    # The first think time is the ramp-up: rates and latencies from after it.
    steady = [r for r in results if r[3] - started >= args.think]
    window = elapsed - args.think
    failed = sum(1 for r in steady if not r[2])
    print(
        f"{args.users} reviewers, think {args.think:.0f} s, gunicorn -w {args.workers}, "
        f"{args.size:,} claims: offered {args.users / args.think:.1f} req/s, completed "
        f"{len(steady) / window:.2f} req/s ({len(steady)} in {window:.0f} s, {failed} failed)"
    )
    print(f"{'page':10}{'requests':>10}{'median ms':>12}{'p95 ms':>10}")
    for kind in [name for _, name in MIX] + ["all"]:
        times = [r[1] * 1000 for r in steady if kind in ("all", r[0])]
        if times:
            print(
                f"{kind:10}{len(times):10}{statistics.median(times):12.0f}"
                f"{percentile(times, 0.95):10.0f}"
            )


if __name__ == "__main__":
    main()
