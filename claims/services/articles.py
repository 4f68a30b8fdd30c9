"""Getting articles in: pasted text now, a captured page when its capture finishes.

The body is stored exactly as it will be quoted: claims index it by character
offset, so it is normalised once here (line endings) and never again.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sources.models import Capture, Source
from sources.services import source_add, source_recapture
from sources.urlnorm import normalize_url

from ..history import tracked_save
from ..models import Article
from ..text import MAX_TEXT_CHARS
from ..text.language import guess_language

TITLE_MAX = Article._meta.get_field("title").max_length
BYLINE_MAX = Article._meta.get_field("byline").max_length
PUBLISHER_MAX = Article._meta.get_field("publisher").max_length


def body_from_text(text: str) -> str:
    """The body as stored: one line-ending convention, bounded, no NUL characters.

    Raises ValidationError with a message fit for the person who pasted it.
    """
    if text is None or not text.strip():
        raise ValidationError({"body": "The article text is empty."}, code="empty")
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(
            {
                "body": f"The article text has {len(text):,} characters; the limit is "
                f"{MAX_TEXT_CHARS:,}. Paste the article itself, not the whole site or a data file."
            },
            code="too_large",
        )
    if "\x00" in text:
        raise ValidationError(
            {"body": "The text contains NUL characters: it looks like a binary file, not text."},
            code="binary",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def body_from_bytes(data: bytes) -> str:
    """Decode an uploaded or read file (UTF-8, with or without BOM) into a body."""
    if len(data) > MAX_TEXT_CHARS * 4:  # UTF-8 needs at most 4 bytes a character
        raise ValidationError(
            {
                "body": f"The file has {len(data):,} bytes; the limit is "
                f"{MAX_TEXT_CHARS:,} characters."
            },
            code="too_large",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            {"body": f"The file is not UTF-8 text (byte {exc.start} cannot be decoded)."},
            code="encoding",
        ) from None
    return body_from_text(text)


def body_from_file(path) -> str:
    """Read a text file as an article body; offsets into the result are the body's."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_TEXT_CHARS * 4 + 1)
    except OSError as exc:
        raise ValidationError(f"cannot read the file: {exc.strerror or exc}") from None
    return body_from_bytes(data)


def parse_published(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            {"published": f"“{value}” is not a date in the form YYYY-MM-DD."}, code="invalid"
        ) from None


def title_from_body(body: str) -> str:
    """The first non-empty line, for pasted text that came without a title."""
    for line in body.splitlines():
        if line.strip():
            return line.strip()[:TITLE_MAX]
    return ""


@transaction.atomic
def article_create(
    *,
    body,
    user=None,
    title="",
    publisher="",
    byline="",
    published=None,
    language="",
    url="",
    reason="Article pasted",
):
    """Create a ready article from pasted text. Returns the saved Article.

    url: where the text was published, kept as its provenance (normalised, never fetched:
    the pasted text is the article); one article per URL, as for an import by URL.
    """
    body = body_from_text(body)
    url = normalize_url(url) if (url or "").strip() else ""
    if url and Article.objects.filter(url=url).exists():
        raise ValidationError(
            {"url": "An article with this URL is already in the workbench."}, code="duplicate"
        )
    article = Article(
        url=url,
        title=(title or "").strip()[:TITLE_MAX] or title_from_body(body),
        publisher=(publisher or "").strip(),
        byline=(byline or "").strip(),
        published=parse_published(published),
        language=(language or "").strip() or guess_language(body),
        body=body,
        status=Article.Status.READY,
        submitted_by=user,
    )
    article.full_clean()
    return tracked_save(article, user=user, reason=reason)


@transaction.atomic
def article_import_url(
    *, url, user=None, title="", publisher="", published=None, reason="Article imported by URL"
):
    """The one article for this URL: created "importing" and filled when its capture finishes.

    The URL is normalised and captured through `sources` (safe fetching, archive,
    extraction). Importing the same URL again returns the same article; a failed import
    is tried again. Raises ValidationError for a URL sources will not take.
    """
    source = source_add(url=url, user=user)
    article = Article.objects.filter(url=source.url).first()
    if article is not None and article.status != Article.Status.FAILED:
        return article  # importing or ready: the same URL twice is the same article
    if article is None:
        article = Article(
            url=source.url,
            title=(title or "").strip()[:TITLE_MAX] or source.url[:TITLE_MAX],
            publisher=(publisher or "").strip(),
            published=parse_published(published),
            status=Article.Status.IMPORTING,
            submitted_by=user,
        )
        article.full_clean(exclude=["url"])  # sources validated and normalised it
        try:
            with transaction.atomic():
                tracked_save(article, user=user, reason=reason)
        except IntegrityError:  # the same URL imported at the same moment
            return Article.objects.get(url=source.url)
    else:
        article.status = Article.Status.IMPORTING
        article.import_error = ""
        tracked_save(article, user=user, reason=f"{reason}: trying again")
    latest = source.latest_capture
    if source.status in (Source.Status.FAILED, Source.Status.REFUSED):
        source_recapture(source=source, user=user)
    elif source.status == Source.Status.OK and latest and latest.outcome == Capture.Outcome.OK:
        # Captured before (as evidence, say): no capture_finished will come for it.
        return article_fill_from_capture(article=article, capture=latest, reason=reason)
    return article


def _import_error(capture: Capture) -> str:
    if capture.outcome == Capture.Outcome.OK:
        return "the page was fetched but no article text could be extracted from it"
    message = capture.error_message or capture.get_outcome_display()
    return f"{capture.error_code}: {message}" if capture.error_code else message


@transaction.atomic
def article_fill_from_capture(*, article, capture, reason, user=None):
    """Take title, byline, date, language and text from a finished capture.

    Only an article still importing (or failed, when a later capture succeeds) is
    filled: a ready article's body carries claims' offsets and is never rewritten
    by a recapture. A failure while the source will still be retried leaves the
    article importing, with the last error shown.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Article.Status.READY:
        return article
    source = Source.objects.get(pk=capture.source_id)  # its status now, not when sent
    text = capture.text or ""
    if capture.outcome == Capture.Outcome.OK and text.strip():
        try:
            body = body_from_text(text)
        except ValidationError as exc:
            article.status = Article.Status.FAILED
            article.import_error = "; ".join(exc.messages)
            return tracked_save(article, user=user, reason=f"{reason}: import failed")
        article.body = body
        article.title = (capture.title or "").strip()[:TITLE_MAX] or article.title or source.url
        article.byline = article.byline or (capture.byline or "")[:BYLINE_MAX]
        article.published = article.published or capture.published
        publisher = capture.site_name or source.domain
        article.publisher = article.publisher or publisher[:PUBLISHER_MAX]
        article.language = article.language or capture.language or guess_language(body)
        article.capture = capture
        article.status = Article.Status.READY
        article.import_error = ""
        return tracked_save(article, user=user, reason=f"{reason}: imported")
    retrying = source.status in (Source.Status.PENDING, Source.Status.CAPTURING)
    article.status = Article.Status.IMPORTING if retrying else Article.Status.FAILED
    article.import_error = _import_error(capture) + (" (retrying)" if retrying else "")
    article.capture = capture
    return tracked_save(article, user=user, reason=f"{reason}: {article.import_error}")
