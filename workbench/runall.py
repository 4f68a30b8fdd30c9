"""`make run`: the web server and a real Celery worker (with beat), stopped together.

Ctrl-C (or any one of them exiting) stops all of them.
"""

import os
import signal
import subprocess
import sys
import time

PORT = os.getenv("PORT", "8000")
PROCESSES = {
    "web": [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}"],
    "worker": [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workbench",
        "worker",
        "--beat",
        "--queues",
        "default,capture",
        "--loglevel",
        "INFO",
    ],
}


def main():
    children = {
        name: subprocess.Popen(cmd, start_new_session=True) for name, cmd in PROCESSES.items()
    }
    print(
        f"Workbench on http://127.0.0.1:{PORT}/ (admin at /admin/); captures replay from "
        f"{os.getenv('REPLAY_ORIGIN') or f'http://localhost:{PORT}'} (REPLAY_ORIGIN), "
        "so use 127.0.0.1 for the workbench. Ctrl-C stops everything."
    )
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(p.poll() is None for p in children.values()):
            time.sleep(0.3)
    finally:
        for proc in children.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in children.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    failed = [n for n, p in children.items() if p.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed and not stopping else 0


if __name__ == "__main__":
    sys.exit(main())
