"""Cut an article body into runs of text, each knowing which claims cover it.

Templates render the runs with auto-escaping, so the body (fetched or pasted
text) is never interpreted as HTML; claims become <mark> around plain text.
"""

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
