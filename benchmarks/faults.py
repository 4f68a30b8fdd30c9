"""Fault injection with real processes: what a capture survives, and how fast it recovers.

    sudo .venv/bin/python benchmarks/faults.py [--only kill,redis,postgres,disk]

Everything is this script's own, so nothing shared is ever stopped: a throwaway PostgreSQL
cluster (initdb, as the `postgres` user, on port 55411), a redis-server on port 6411
without persistence, a small tmpfs as MEDIA_ROOT for the full-disk case (mount needs
root), a local HTTP server whose pages answer after a delay, real Celery workers
(`--pool threads`) and a real beat (sweep every CAPTURE_SWEEP_EVERY, default 20 s).

Scenarios and the targets of issue 11:
- kill:     SIGKILL the worker while it fetches; a fresh worker starts right after.
            Target: every source captured <= 90 s after the kill.
- redis:    stop Redis, add 20 sources (the adds succeed), start Redis again.
            Target: all captured <= 90 s after Redis is back.
- postgres: restart PostgreSQL while 10 captures are in flight; then one web request.
            Target: 0 lost (none failed), all captured once it is back; the request is 200.
- disk:     fill MEDIA_ROOT, add 3 sources, free the space after 30 s.
            Target: 0 failed, all captured once space is back, no orphan archive files.
Every scenario also counts duplicate captures (more than one ok capture of one source).
"""

import argparse
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
WORK = Path("/tmp/claim-workbench-faults")
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
PG_PORT, REDIS_PORT = 55411, 6411
PG_DATA, PG_SOCK, MEDIA = WORK / "pg", WORK / "pgsock", WORK / "media"

PAGE = (
    "<!doctype html><html><head><title>Report {n}</title></head><body><article>"
    "<p>Report {n}: the ministry published its quarterly figures on Tuesday, officials said."
    "</p></article></body></html>"
)


def serve(latency):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            time.sleep(latency)
            body = PAGE.format(n=self.path).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(*cmd, user=None, check=True):
    cmd = tuple(str(c) for c in cmd)
    if user:
        cmd = ("su", user, "-c", " ".join(str(c) for c in cmd))
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


def pg(action):
    run(
        PG_BIN / "pg_ctl",
        "-D",
        PG_DATA,
        "-l",
        WORK / "pg.log",
        "-w",
        "-m",
        "fast",
        "-o",
        f"'-p {PG_PORT} -k {PG_SOCK} -c listen_addresses=127.0.0.1'",
        action,
        user="postgres",
    )


def start_services():
    if WORK.exists():
        shutil.rmtree(WORK)
    for folder in (WORK, PG_SOCK, MEDIA):
        folder.mkdir(parents=True)
    shutil.chown(WORK, "postgres")
    shutil.chown(PG_SOCK, "postgres")
    run(PG_BIN / "initdb", "-D", PG_DATA, "-A", "trust", "-U", "postgres", user="postgres")
    pg("start")
    run(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres", "faults")
    start_redis()


REDIS = {}


def start_redis():
    REDIS["proc"] = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)


def stop_redis():
    REDIS["proc"].terminate()
    REDIS["proc"].wait()


def configure(site_port):
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/faults",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "MEDIA_ROOT": str(MEDIA),
        "DATA_DIR": str(WORK / "data"),
        "FETCH_ALLOW_PRIVATE": f"127.0.0.1:{site_port}",
        "FETCH_DOMAIN_INTERVAL": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return {**os.environ, **env}


class Proc:
    def __init__(self, env, *args, name):
        self.log = open(WORK / f"{name}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workbench", *args],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait()


def worker(env, name):
    args = ("worker", "-Q", "capture,default", "--pool", "threads", "-c", "8", "-n", name)
    return Proc(env, *args, name=name)


def beat(env):
    return Proc(env, "beat", "-s", str(WORK / "beat-schedule"), name="beat")


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def report(name, sources, started, target=None):
    from django.db.models import Count, Q

    from sources.models import Source

    done = wait_for(
        lambda: not Source.objects.filter(pk__in=sources).exclude(status="ok").exists(), 240
    )
    elapsed = time.monotonic() - started
    rows = Source.objects.filter(pk__in=sources).annotate(
        oks=Count("captures", filter=Q(captures__outcome="ok"))
    )
    failed = rows.filter(status__in=["failed", "refused"]).count()
    duplicates = sum(max(0, r.oks - 1) for r in rows)
    archives = sorted(p for p in MEDIA.rglob("*") if p.is_file() and p.name != "filler")
    staged = [p for p in archives if p.name.startswith(".staging-")]
    ok = rows.filter(status="ok").count()
    verdict = "PASS" if done and not failed and not duplicates and not staged else "FAIL"
    if target and elapsed > target:
        verdict = "FAIL"
    print(
        f"{name:<9} {verdict}  captured {ok}/{len(sources)} in {elapsed:5.1f} s"
        f"{f' (target {target} s)' if target else ''}; failed {failed}; duplicates "
        f"{duplicates}; archive files {len(archives) - len(staged)}, staging left {len(staged)}",
        flush=True,
    )


def add(urls):
    from sources.services import source_add

    return [source_add(url=url).pk for url in urls]


def scenario_kill(env, site):
    doomed = worker(env, "doomed@faults")
    time.sleep(4)  # the doomed worker alone takes the messages
    sources = add([f"http://127.0.0.1:{site}/kill/{n}" for n in range(5)])
    time.sleep(2)  # fetching now (the pages answer after 3 s)
    doomed.kill()
    killed = time.monotonic()
    survivor = worker(env, "survivor@faults")
    report("kill", sources, killed, target=90)
    survivor.kill(signal.SIGTERM)


def scenario_redis(env, site, workers):
    stop_redis()
    sources = add([f"http://127.0.0.1:{site}/redis/{n}" for n in range(20)])
    time.sleep(5)
    start_redis()
    report("redis", sources, time.monotonic(), target=90)


def scenario_postgres(env, site):
    from django.db import connection
    from django.test import Client

    sources = add([f"http://127.0.0.1:{site}/postgres/{n}" for n in range(10)])
    time.sleep(1.5)  # fetches in flight
    pg("restart")
    restarted = time.monotonic()
    connection.close()
    report("postgres", sources, restarted)
    # The web tier: a kept connection, a restart, then the first request.
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    client = Client()
    before = client.get("/login/").status_code
    pg("restart")
    after = client.get("/login/").status_code
    connection.close()  # this script is no request: its own connection is not health-checked
    print(
        f"web       {'PASS' if after == 200 else 'FAIL'}  first request after a restart: "
        f"{after} (before {before})",
        flush=True,
    )


def scenario_disk(env, site):
    filler = MEDIA / "filler"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
    sources = add([f"http://127.0.0.1:{site}/disk/{n}" for n in range(3)])
    time.sleep(30)
    from sources.models import Source

    failed = Source.objects.filter(pk__in=sources, status="failed").count()
    print(f"disk      while full: {failed} failed (target 0)", flush=True)
    filler.unlink()
    report("disk", sources, time.monotonic())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="kill,redis,postgres,disk")
    args = parser.parse_args()
    only = args.only.split(",")
    procs = []
    try:
        start_services()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(MEDIA)], check=True)
        server = serve(3.0)
        env = configure(server.server_port)
        env["DJANGO_SETTINGS_MODULE"] = os.environ["DJANGO_SETTINGS_MODULE"] = "workbench.settings"
        env["ALLOWED_HOSTS"] = os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        procs.append(beat(env))
        if "kill" in only:
            scenario_kill(env, server.server_port)
        procs.append(worker(env, "main@faults"))
        time.sleep(4)
        if "redis" in only:
            scenario_redis(env, server.server_port, procs)
        if "postgres" in only:
            scenario_postgres(env, server.server_port)
        if "disk" in only:
            scenario_disk(env, server.server_port)
    finally:
        for proc in procs:
            proc.kill(signal.SIGTERM)
        if REDIS.get("proc"):
            stop_redis()
        from django.db import connections

        try:
            connections.close_all()
        except Exception:  # Django never set up: nothing to close
            pass
        run(PG_BIN / "pg_ctl", "-D", PG_DATA, "-m", "fast", "stop", user="postgres", check=False)
        subprocess.run(["umount", str(MEDIA)], check=False)


if __name__ == "__main__":
    main()
