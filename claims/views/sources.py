"""A source's page: its captures over time, a capture's text, its archive, and a diff;
capture it again, or upload a copy of a page that cannot be fetched."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sources.downloads import archive_response, artefact_response
from sources.models import Artefact, Capture, Source
from sources.replay import replay_origin, replay_url
from sources.services import capture_upload, source_recapture

from ..models import Evidence
from ..text.display import line_diff, text_blocks
from .access import get_capture, get_source, reviewer_required
from .common import WORKING
from .forms import UploadForm

CAPTURES_SHOWN = 200
TABS = ("text", "screenshot", "replay")
EVIDENCE_SHOWN = 50


def _pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@reviewer_required
def source_detail(request, pk):
    return source_page(request, get_source(request, pk))


def source_page(request, source, *, upload_form=None, status=200):
    captures = list(source.captures.defer("text")[:CAPTURES_SHOWN])
    by_pk = {c.pk: c for c in captures}
    ok = [c for c in captures if c.outcome == Capture.Outcome.OK]
    shown_pk = _pk(request.GET.get("capture")) or (ok[0].pk if ok else None)
    shown = source.captures.filter(pk=shown_pk).first() if shown_pk in by_pk else None
    artefacts = {a.kind: a for a in shown.artefacts.all()} if shown else {}
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "text"
    diff = None
    a, b = _pk(request.GET.get("a")), _pk(request.GET.get("b"))
    if a in by_pk and b in by_pk and a != b:
        texts = dict(source.captures.filter(pk__in=[a, b]).values_list("pk", "text"))
        old, new = sorted([by_pk[a], by_pk[b]], key=lambda c: (c.requested_at, c.pk))
        diff = {"old": old, "new": new, "lines": line_diff(texts[old.pk], texts[new.pk])}
    evidence = list(
        Evidence.objects.filter(source=source)
        .select_related("claim")
        .only("pk", "stance", "claim__id", "claim__text", "claim__status")
        .order_by("-pk")[: EVIDENCE_SHOWN + 1]
    )
    replay = None
    if tab == "replay" and "wacz" in artefacts:
        replay = replay_url(request, artefacts["wacz"])
    response = render(
        request,
        "claims/source/detail.html",
        {
            "source": source,
            "captures": captures,
            "ok_captures": ok,
            "shown": shown,
            "artefacts": artefacts,
            "tab": tab,
            "blocks": text_blocks(shown.text) if shown else [],
            "diff": diff,
            "diff_a": a or (ok[1].pk if len(ok) > 1 else None),
            "diff_b": b or (ok[0].pk if ok else None),
            "evidence": evidence[:EVIDENCE_SHOWN],
            "more_evidence": len(evidence) > EVIDENCE_SHOWN,
            "working": source.status in WORKING,
            "upload_form": upload_form or UploadForm(),
            "replay_url": replay,
        },
        status=status,
    )
    if replay:
        # django-csp (either major version) adds this origin to the page's frame-src.
        response._csp_update = {"frame-src": [replay_origin(request)]}
    return response


@require_POST
@reviewer_required
def source_recapture_view(request, pk):
    source = source_recapture(source=get_source(request, pk), user=request.user)
    if source.status == Source.Status.CAPTURING:
        messages.info(request, "A capture is running right now; its result will show here.")
    else:
        messages.success(request, "A new capture is queued.")
    return redirect("claims:source_detail", source.pk)


@require_POST
@reviewer_required
def source_upload(request, pk):
    source = get_source(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            capture_upload(
                source=source, uploaded_file=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Your copy is now the source's latest capture.")
            return redirect("claims:source_detail", source.pk)
    return source_page(request, source, upload_form=form, status=400)


@reviewer_required
def capture_download(request, pk):
    """The archived response, always as an attachment: never rendered from our origin."""
    return archive_response(get_capture(request, pk))


@reviewer_required
def capture_artefact(request, pk, kind):
    """A capture's screenshot (shown inline), rendered DOM or WACZ (attachments)."""
    capture = get_capture(request, pk)
    return artefact_response(request, get_object_or_404(Artefact, capture=capture, kind=kind))
