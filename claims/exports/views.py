"""Export downloads: for signed-in users (claim-set page) and for API token holders.

    exports:claimset_export      /exports/sets/<slug>.<fmt>            session, login required
    exports:api_claimset_export  /api/sets/<slug>/export.<fmt>         Authorization: Bearer
    exports:api_capture_archive  /api/captures/<pk>/archive            Bearer or session

<fmt> is claimreview, csv, json or jsonl. Query parameters filter: rating (repeatable,
a label), article (id), since and until (YYYY-MM-DD, inclusive), all=1 (claims that are
not verified too, with their status; reviewers and editors only; not for claimreview).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from sources.downloads import archive_response
from workbench.apitokens import apitoken_authenticate, bearer_token

from . import FORMATS, export_chunks, export_filename
from .access import capture_for_download, claimset_for_export
from .forms import ExportFilterForm

REALM = 'Bearer realm="claim-workbench"'


def export_response(fmt, export_filter, user):
    response = StreamingHttpResponse(
        export_chunks(fmt, export_filter, user=user), content_type=FORMATS[fmt].content_type
    )
    response["Content-Disposition"] = content_disposition_header(
        True, export_filename(fmt, export_filter)
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _filter_or_error(request, fmt):
    """(ExportFilterForm, None) or (None, error message) for this request's query string."""
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        return None, form.error_text()
    if form.cleaned_data["all"] and FORMATS[fmt].verified_only:
        return None, "ClaimReview describes reviewed claims only; all=1 is for csv, json, jsonl."
    return form, None


@login_required
@require_GET
def claimset_export(request, slug, fmt):
    form, error = _filter_or_error(request, fmt)
    if error:
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    claim_set = claimset_for_export(request.user, slug, include_unverified=form.cleaned_data["all"])
    return export_response(fmt, form.to_filter(claim_set=claim_set), request.user)


def _api_error(status, code, message):
    response = JsonResponse({"error": code, "message": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = REALM + (
            ', error="invalid_token"' if code == "invalid_token" else ""
        )
    return response


def api_auth(*, allow_session=False):
    """Authenticate by API token (or, if allowed, a session); answer errors as JSON."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            raw = bearer_token(request)
            if raw:
                user = apitoken_authenticate(raw)
                if user is None:
                    return _api_error(401, "invalid_token", "The token is unknown or revoked.")
                request.user = user
            elif not (allow_session and request.user.is_authenticated):
                return _api_error(401, "missing_token", "Send Authorization: Bearer <token>.")
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                return _api_error(404, "not_found", "No such resource.")
            except PermissionDenied as exc:
                return _api_error(403, "forbidden", str(exc) or "Not allowed.")
            patch_vary_headers(response, ["Authorization"])
            return response

        return wrapped

    return decorator


@require_GET
@api_auth()
def api_claimset_export(request, slug, fmt):
    form, error = _filter_or_error(request, fmt)
    if error:
        return _api_error(400, "invalid_filter", error)
    claim_set = claimset_for_export(request.user, slug, include_unverified=form.cleaned_data["all"])
    return export_response(fmt, form.to_filter(claim_set=claim_set), request.user)


@require_GET
@api_auth(allow_session=True)
def api_capture_archive(request, pk):
    return archive_response(capture_for_download(request.user, pk))
