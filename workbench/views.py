from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .workers import capture_fallback, silent_queues


@require_GET
@login_required
def worker_status(request):
    """A banner fragment (polled by base.html) when no worker is consuming a queue, or when
    sources are captured without a browser."""
    return render(
        request,
        "workbench/_worker_status.html",
        {"silent": silent_queues(), "fallback": capture_fallback()},
    )
