"""A real Celery worker in a subprocess, on the configured broker and the test database."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection

from workbench.celery import app

ROOT = Path(__file__).resolve().parent.parent
QUEUES = ("default", "capture")

# Capture limits short enough to keep the suite fast, for this process and the worker.
CAPTURE_SETTINGS = {
    "FETCH_CONNECT_TIMEOUT": 2.0,
    "FETCH_READ_TIMEOUT": 2.0,
    "FETCH_DEADLINE": 4.0,
    "FETCH_DOMAIN_INTERVAL": 0.0,
    "CAPTURE_RETRY_BASE": 0.2,
    "CAPTURE_RETRY_MAX": 2.0,
    "CAPTURE_MAX_ATTEMPTS": 3,
    "CAPTURE_LEASE_SECONDS": 30.0,
    # The suite's capture tests are about the pipeline; the browser engine has its own
    # (tests/test_browser_capture.py), which sets CAPTURE_ENGINE=browser explicitly.
    "CAPTURE_ENGINE": "http",
}


def capture_env(site, media_root, **overrides):
    """Environment for a worker that may fetch from the loopback test `site`."""
    env = {name: str(value) for name, value in {**CAPTURE_SETTINGS, **overrides}.items()}
    return {**env, "FETCH_ALLOW_PRIVATE": site.authority, "MEDIA_ROOT": str(media_root)}


def test_database_url():
    """The URL of the database the tests run on, for a process started by them."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def purge_queues():
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for queue in QUEUES:
            try:
                channel.queue_purge(queue)
            except Exception:  # a queue that was never declared has nothing to purge
                pass


class Worker:
    def __init__(self, *, queues=QUEUES, concurrency=4, extra_env=None):
        self.queues = queues
        self.concurrency = concurrency
        self.extra_env = extra_env or {}
        self.proc = None
        self.log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)

    def start(self):
        env = {**os.environ, "DATABASE_URL": test_database_url(), **self.extra_env}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workbench",
                "worker",
                "--queues",
                ",".join(self.queues),
                "--pool",
                "threads",
                "--concurrency",
                str(self.concurrency),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def stop(self, timeout=10):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self):
        """Die like a crashed machine: no chance to acknowledge or requeue."""
        self.proc.kill()
        self.proc.wait()

    def output(self):
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    def succeeded(self, task_id):
        """Whether the worker logged that this task (by id) ran to its end."""
        return f"[{task_id}] succeeded" in Path(self.log.name).read_text(errors="replace")

    def wait_for_passages(self, evidence, timeout=30.0):
        """Wait until evidence (refreshed in place) has suggested passages."""

        def suggested():
            evidence.refresh_from_db()
            return bool(evidence.suggested_passages)

        return self.wait_until(suggested, timeout=timeout)

    def wait_until(self, predicate, timeout=30.0, interval=0.1):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited ({self.proc.returncode}):\n{self.output()}")
            time.sleep(interval)
        raise AssertionError(f"timed out after {timeout}s; worker log:\n{self.output()}")
