"""Archived responses leave the app only as downloads.

Captured pages must never run on our origin, so every view that hands out an
archive (admin, reviewer UI, token API) builds its response here.
"""

from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse
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


# Inline only for images (a PNG cannot run on our origin); everything else is an attachment.
_INLINE_TYPES = ("image/png",)


def artefact_response(request, artefact):
    """An artefact of a capture, with byte ranges (ReplayWeb.page reads a WACZ by range)."""
    try:
        handle = artefact.file.open("rb")
    except FileNotFoundError:
        raise Http404("The artefact is missing from storage.") from None
    inline = artefact.content_type in _INLINE_TYPES
    name = Path(artefact.file.name).name
    first, last = _byte_range(request.headers.get("Range", ""), artefact.size)
    if first is None:
        response = FileResponse(
            handle, as_attachment=not inline, filename=name, content_type=artefact.content_type
        )
    else:
        with handle:
            handle.seek(first)
            data = handle.read(last - first + 1)
        response = HttpResponse(data, status=206, content_type=artefact.content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{artefact.size}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Accept-Ranges"] = "bytes"
    # Even an image is kept from doing anything but being an image.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True)
    return response


def _byte_range(header, size):
    """(first, last) of a single `bytes=` range within size, else (None, None)."""
    if not header.startswith("bytes=") or "," in header or size == 0:
        return None, None
    start, _, end = header[6:].strip().partition("-")
    try:
        if start:
            first, last = int(start), int(end) if end else size - 1
        else:
            first, last = max(0, size - int(end)), size - 1
    except ValueError:
        return None, None
    if first > last or first >= size:
        return None, None
    return first, min(last, size - 1)
