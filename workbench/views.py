from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .workers import silent_queues


@require_GET
@login_required
def worker_status(request):
    """A banner fragment (polled by base.html) when no worker is consuming a queue."""
    return render(request, "workbench/_worker_status.html", {"silent": silent_queues()})
