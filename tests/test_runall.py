"""`make run`'s launcher: where it listens, a busy port, and the box it prints."""

import os
import socket
import subprocess
import sys
from pathlib import Path

from workbench.runall import account_lines, box, port_free

ROOT = Path(__file__).resolve().parent.parent


def test_a_busy_port_is_reported_in_one_line_and_nothing_starts():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not port_free("127.0.0.1", port)
        result = subprocess.run(
            [sys.executable, "-m", "workbench.runall"],
            cwd=ROOT,
            env={**os.environ, "HOST": "127.0.0.1", "PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Port {port} on 127.0.0.1 is already in use (another `make run`?). "
        f"Choose another: make run PORT={port + 10}"
    )


def test_a_port_that_is_not_a_number_is_refused():
    result = subprocess.run(
        [sys.executable, "-m", "workbench.runall"],
        cwd=ROOT,
        env={**os.environ, "PORT": "eighty"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "PORT must be a number" in result.stderr


def test_the_box_gives_the_sign_in_address_the_account_and_how_to_reset_it():
    account = (
        "Created admin account\n  username: admin\n  password: s3cret\n"
        "Write it down: it is shown only this once.\n"
        "Forgot it? Run .venv/bin/python manage.py changepassword admin\n"
    )
    text = box(account_lines(account, "0.0.0.0", 8010))
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1  # a closed box
    assert "| Sign in:  http://127.0.0.1:8010/login/" in text
    assert "password: s3cret" in text and "changepassword admin" in text
