"""What claims does when sources says a capture finished (see sources.signals)."""

from django.dispatch import receiver

from sources.models import Capture
from sources.signals import capture_finished

from .models import Article
from .services import article_fill_from_capture, claims_flag_for_source, source_evidence_update


def change_note(*, source, capture, content_changed, vanished):
    """Why claims citing source need another look, or "" when nothing changed for them."""
    when = f"{capture.finished_at or capture.requested_at:%Y-%m-%d %H:%M} UTC"
    if vanished:
        status = f"HTTP {capture.http_status}" if capture.http_status else "gone"
        return f"Source {source.url} has vanished ({status}) at the recheck of {when}."
    if content_changed and capture.outcome == Capture.Outcome.OK:
        return f"Source {source.url} changed content at the recapture of {when}."
    return ""


def react_to_capture(*, capture, source, content_changed=False, vanished=False):
    """Fill articles imported from source, suggest passages, flag claims. Idempotent."""
    reason = f"capture_finished: capture {capture.pk}"
    for article in Article.objects.filter(url=source.url).exclude(status=Article.Status.READY):
        article_fill_from_capture(article=article, capture=capture, reason=reason)
    if capture.outcome == Capture.Outcome.OK and (capture.text or "").strip():
        source_evidence_update(
            source=source, capture=capture, content_changed=content_changed, reason=reason
        )
    why = change_note(
        source=source, capture=capture, content_changed=content_changed, vanished=vanished
    )
    if why:
        claims_flag_for_source(source=source, why=why)


@receiver(capture_finished, dispatch_uid="claims.react_to_capture")
def on_capture_finished(sender, *, capture, source, content_changed=False, vanished=False, **kw):
    # sources sends with send_robust and logs a failure here: the capture stays recorded.
    react_to_capture(
        capture=capture, source=source, content_changed=content_changed, vanished=vanished
    )
