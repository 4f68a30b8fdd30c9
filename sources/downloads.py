"""Archived responses leave the app only as downloads.

Captured pages must never run on our origin, so every view that hands out an
archive (admin, reviewer UI, token API) builds its response here.
"""

from pathlib import Path

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control


def archive_response(capture):
    if not capture.archive:
        raise Http404("This capture has no archived response.")
    try:
        handle = capture.archive.open("rb")
    except FileNotFoundError:
        raise Http404("The archived file is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=Path(capture.archive.name).name or f"capture-{capture.pk}.warc.gz",
        content_type="application/warc",
    )
    patch_cache_control(response, private=True)
    return response
