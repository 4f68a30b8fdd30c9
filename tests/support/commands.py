"""Running `manage.py capture` inside a test (tests share one database transaction)."""

import io
import json

from django.core.management import CommandError, call_command
from django.test import TestCase


def run_capture_command(*args):
    """(the JSON rows printed, the CommandError message or None) of `capture *args --json`."""
    out = io.StringIO()
    try:
        # --sync captures in this process; its files move into place when rows commit.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("capture", *args, stdout=out, stderr=io.StringIO())
        error = None
    except CommandError as exc:
        error = str(exc)
    return [json.loads(line) for line in out.getvalue().splitlines()], error
