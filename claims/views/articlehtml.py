"""The article page's two long parts as HTML built in Python: the body with its claims
highlighted, and the list of its claims.

An article with 1,500 claims has some 3,000 spans and 1,500 list items; the template
language spent about a millisecond on each (a variable lookup, a `{% url %}`, a
translated status label and `truncatechars` per item: over a second in all on a busy
machine). The same markup is written here with `escape()` on every piece of text, so
nothing fetched or pasted is ever read as HTML.
"""

import unicodedata
from html import escape  # what django.utils.html.escape calls, without its lazy wrapper

from django.urls import reverse
from django.utils.safestring import mark_safe

from ..models import Claim

_SENTINEL = 987654321987654321
LIST_TEXT_CHARS = 120  # what the template's truncatechars:120 showed


def _claim_url():
    path = reverse("claims:claim_detail", args=[_SENTINEL])
    before, after = path.split(str(_SENTINEL))
    return lambda pk: f"{before}{pk}{after}"


def _labels():
    labels = {value: escape(str(label)) for value, label in Claim.Status.choices}
    return lambda status: labels.get(status) or escape(status)


def truncated(text, length=LIST_TEXT_CHARS):
    """Django's truncatechars: NFC, at most length characters (combining marks not
    counted), the last of them an ellipsis when cut. Truncator(text).chars() gives the
    same (tests/test_article_html.py compares them) at about 27 µs a call, 40 ms for an
    article's 1,500 claims; this is about 0.2 µs for the usual short ASCII text."""
    text = unicodedata.normalize("NFC", text)
    if len(text) <= length:  # combining marks only make it count shorter
        return text
    if text.isascii():
        return text[: length - 1] + "…"
    counted, cut = 0, None
    for i, char in enumerate(text):
        if unicodedata.combining(char):
            continue
        counted += 1
        if cut is None and counted > length - 1:
            cut = i
        if counted > length:
            return text[: cut or 0] + "…"
    return text


def body_html(paragraphs):
    """The article body: paragraphs of spans, each in its suggested sentence, furniture
    and claims (a <mark> linking the first claim, titled with all of them)."""
    url, labels = _claim_url(), _labels()
    out = []
    for paragraph in paragraphs:
        out.append('<p class="para">')
        for s in paragraph.spans:
            if s.sentence is not None:
                anchor = f' id="sent-{s.sentence}"' if s.first else ""
                out.append(f'<span class="sent" data-sent="{s.sentence}"{anchor}>')
            if s.furniture:
                why = escape(s.furniture)
                out.append(f'<span class="furniture" title="Page furniture: {why}">')
            if s.claims:
                title = "; ".join(f"Claim {c.pk}: {labels(c.status)}" for c in s.claims)
                overlap = "overlap" if len(s.claims) > 1 else ""
                out.append(
                    f'<mark class="{overlap}" data-start="{s.start}"><a href="'
                    f'{url(s.claims[0].pk)}" title="{title}">{escape(s.text)}</a></mark>'
                )
            else:
                out.append(escape(s.text))
            if s.furniture:
                out.append("</span>")
            if s.sentence is not None:
                out.append("</span>")
        out.append("</p>")
    return mark_safe("".join(out))  # every text above is escaped


def claim_list_html(claims):
    """The <li> items of the article's claims: text (cut at 120 characters) and status."""
    url, labels = _claim_url(), _labels()
    return mark_safe(  # every text is escaped
        "\n        ".join(
            f'<li><a href="{url(c.pk)}">{escape(truncated(c.text))}</a> '
            f'<span class="status status-{c.status}">{labels(c.status)}</span></li>'
            for c in claims
        )
    )
