"""Display helpers: an article body cut into runs that know their claims (highlighting),
and a line diff between two captured texts. Both return data that templates render
with auto-escaping, so fetched or pasted text is never interpreted as HTML.

Cut an article body into runs of text, each knowing which claims cover it.

Templates render the runs with auto-escaping, so the body (fetched or pasted
text) is never interpreted as HTML; claims become <mark> around plain text.
"""

import difflib
import re
from dataclasses import dataclass, field


@dataclass
class Run:
    text: str
    start: int
    claims: list = field(default_factory=list)


def runs(body, claims):
    """Runs of body in order; overlapping claims give runs covered by several claims."""
    spans = [(c.start, c.end, c) for c in claims if 0 <= c.start < c.end <= len(body)]
    cuts = sorted({0, len(body), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    result = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [c for s, e, c in spans if s <= a and b <= e]
        if result and not covering and not result[-1].claims:
            result[-1].text += body[a:b]
        else:
            result.append(Run(text=body[a:b], start=a, claims=covering))
    return result


def context(body, start, end, width=400):
    """(before, quote, after) around a span, cut at whitespace, with ellipses when cut."""
    lo = max(0, start - width)
    hi = min(len(body), end + width)
    if lo > 0:
        space = body.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(body):
        space = body.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    before = ("…" if lo > 0 else "") + body[lo:start]
    after = body[end:hi] + ("…" if hi < len(body) else "")
    return before, body[start:end], after


# Line diff between two captured texts, as data for an escaped rendering.
MAX_LINES = 3000


@dataclass
class DiffLine:
    kind: str  # "same", "added", "removed", "gap"
    text: str


def _lines(text):
    # Extracted text has long paragraphs; sentences make a readable diff unit.
    out = []
    for paragraph in (text or "").splitlines():
        out.extend(part for part in paragraph.replace(". ", ".\n").splitlines() if part.strip())
    return out


def line_diff(old, new, context=2):
    """Changed lines with a little context; None when the texts are the same."""
    a, b = _lines(old), _lines(new)
    if a == b:
        return None
    result = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if result:
            result.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                result.extend(DiffLine("same", line) for line in a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                result.extend(DiffLine("removed", line) for line in a[i1:i2])
            if tag in ("replace", "insert"):
                result.extend(DiffLine("added", line) for line in b[j1:j2])
        if len(result) > MAX_LINES:
            result = result[:MAX_LINES] + [DiffLine("gap", "… (diff cut here)")]
            break
    return result


# Word diff of one field's old and new value (the history timeline), as data.
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class Piece:
    kind: str  # "same", "added", "removed"
    text: str
    replaces: bool = False  # added right after removed words: shown as "old → new"


def word_diff(old, new):
    """Pieces of old and new in reading order, changed words marked: a one-word edit in a
    long rationale shows that word, not two whole sentences. Whitespace runs are tokens,
    so joining the "same" and "removed" pieces gives old back, "same" and "added" new."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    pieces = []

    def put(kind, tokens):
        text = "".join(tokens)
        if not text:
            return
        if pieces and pieces[-1].kind == kind:
            pieces[-1].text += text
        else:
            pieces.append(Piece(kind, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            put("same", a[i1:i2])
            continue
        put("removed", a[i1:i2])
        put("added", b[j1:j2])
        if tag == "replace" and pieces[-1].kind == "added":
            pieces[-1].replaces = True
    return pieces
