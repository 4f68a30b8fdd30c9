"""What claims does when sources says a capture finished (see sources.signals), and the
record of every claim set membership change."""

from django.db import connection
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from sources.models import Capture
from sources.signals import capture_finished

from .history import short_reason
from .models import Article, ClaimSet, ClaimSetChange, Evidence
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


def _concerns(source):
    """(an article is importing from source, an evidence row cites it), in one read.

    Most captures concern neither (a source added and captured before anyone cites it,
    a recheck of a page nobody cites any more): every worker runs this after every
    capture, so it is one statement of two EXISTS, written out because the ORM's two
    querysets cost several times the round trip in Python."""
    article, evidence = Article._meta, Evidence._meta
    name = connection.ops.quote_name

    def column(meta, field):
        return name(meta.get_field(field).column)

    sql = (
        f"SELECT EXISTS(SELECT 1 FROM {name(article.db_table)}"
        f" WHERE {column(article, 'url')} = %s AND {column(article, 'status')} <> %s),"
        f" EXISTS(SELECT 1 FROM {name(evidence.db_table)}"
        f" WHERE {column(evidence, 'source')} = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [source.url, Article.Status.READY, source.pk])
        importing, cited = cursor.fetchone()
    return bool(importing), bool(cited)


def react_to_capture(*, capture, source, content_changed=False, vanished=False):
    """Fill articles imported from source, suggest passages, flag claims. Idempotent."""
    importing, cited = _concerns(source)
    reason = f"capture_finished: capture {capture.pk}"
    if importing:
        for article in Article.objects.filter(url=source.url).exclude(status=Article.Status.READY):
            article_fill_from_capture(article=article, capture=capture, reason=reason)
    if not cited:
        return  # no evidence row: no passages to suggest, no claim to flag
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


@receiver(m2m_changed, sender=ClaimSet.claims.through, dispatch_uid="claims.claimset_changes")
def on_claimset_membership(sender, *, instance, action, reverse, pk_set, **kw):
    """One ClaimSetChange per claim added or removed, whoever changed it (service, admin):
    the acting user and reason come from the instance, as simple-history reads them."""
    if action == "pre_clear":
        # clear() sends no pk_set afterwards: record the members it is about to remove.
        members = instance.claim_sets if reverse else instance.claims
        pk_set, action = set(members.values_list("pk", flat=True)), "post_remove"
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    kind = ClaimSetChange.Action.ADDED if action == "post_add" else ClaimSetChange.Action.REMOVED
    user = getattr(instance, "_history_user", None)
    reason = short_reason(getattr(instance, "_change_reason", "") or "")
    pairs = (
        ((instance.pk, pk) for pk in pk_set)
        if not reverse
        else ((pk, instance.pk) for pk in pk_set)
    )
    ClaimSetChange.objects.bulk_create(
        ClaimSetChange(claim_set_id=s, claim_id=c, action=kind, user=user, reason=reason)
        for s, c in sorted(pairs)
    )
