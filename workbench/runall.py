"""`make run`: the web server and a real Celery worker (with beat), stopped together.

HOST and PORT (environment, `make run PORT=8010`) say where the web server listens; a
busy port is reported before anything starts. Once both services are up, the sign-in
address and the admin account are printed in a box, after the start-up output (the
password only on the run that created the account). Ctrl-C (or any one of them exiting)
stops all of them quietly within about two seconds.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time

STOP_WITHIN = 0.8  # seconds before a child that has not stopped is killed
WAIT_FOR_START = 60.0


def commands(host, port):
    return {
        "web": [sys.executable, "manage.py", "runserver", "--noreload", f"{host}:{port}"],
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


def port_free(host, port):
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def listening(host, port):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def box(lines):
    width = max(len(line) for line in lines)
    edge = "+" + "-" * (width + 2) + "+"
    return "\n".join([edge, *(f"| {line.ljust(width)} |" for line in lines), edge])


def relay(stream, ready, quiet):
    """Pass the worker's log on, except routine INFO lines once it is up: warnings and
    errors still show. Sets ready when the worker says so."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace")
        if " ready." in line:
            ready.set()
        if quiet.is_set():
            continue
        if "INFO/" in line and ready.is_set():
            continue
        sys.stderr.write(line)
    stream.close()


def account_lines(account, host, port):
    """The box: where to sign in, and the account (ensure_admin's output, made short)."""
    shown = host if host not in ("0.0.0.0", "::") else "127.0.0.1"
    base = f"http://{shown}:{port}"
    replay = os.getenv("REPLAY_ORIGIN") or f"http://localhost:{port}"
    lines = [
        "Claim workbench is running.",
        f"Sign in:  {base}/login/",
        f"Admin:    {base}/admin/ (users and roles)",
        f"Replay:   {replay} (captured pages replay on an origin of",
        "          their own: open the workbench at the addresses above)",
    ]
    lines += [line.strip() for line in account.strip().splitlines() if line.strip()]
    lines.append("Ctrl-C stops everything.")
    return lines


def main():
    host = os.environ.get("HOST") or "127.0.0.1"
    try:
        port = int(os.environ.get("PORT") or 8000)
    except ValueError:
        print(f"PORT must be a number, not {os.environ['PORT']!r}.", file=sys.stderr)
        return 2
    if not port_free(host, port):
        print(
            f"Port {port} on {host} is already in use (another `make run`?). "
            f"Choose another: make run PORT={port + 10}",
            file=sys.stderr,
        )
        return 1
    account = subprocess.run(
        [sys.executable, "manage.py", "ensure_admin"], capture_output=True, text=True, check=True
    ).stdout
    ready, quiet = threading.Event(), threading.Event()
    children = {}
    for name, cmd in commands(host, port).items():
        pipe = subprocess.PIPE if name == "worker" else None
        children[name] = subprocess.Popen(
            cmd, start_new_session=True, stderr=pipe, stdout=subprocess.DEVNULL if pipe else None
        )
    threading.Thread(
        target=relay, args=(children["worker"].stderr, ready, quiet), daemon=True
    ).start()
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    announced = False
    started = time.monotonic()
    try:
        while not stopping and all(p.poll() is None for p in children.values()):
            if not announced and ready.is_set() and listening(host, port):
                print("\n" + box(account_lines(account, host, port)) + "\n", flush=True)
                announced = True
            elif not announced and time.monotonic() - started > WAIT_FOR_START:
                print(box(account_lines(account, host, port)), flush=True)
                announced = True
            time.sleep(0.2)
    finally:
        quiet.set()  # the worker's shutdown chatter is not news
        for proc in children.values():
            if proc.poll() is None:
                # A warm stop puts unacknowledged messages back; one that is not done in
                # time is killed: tasks are acknowledged late and the sweep re-enqueues
                # pending work, so nothing is lost.
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_WITHIN
        for proc in children.values():
            try:
                proc.wait(max(0.05, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    if stopping:
        print("Stopped.")
        return 0
    failed = [n for n, p in children.items() if p.returncode not in (0, None)]
    print(f"Stopped: {', '.join(failed) or 'a service'} exited.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
