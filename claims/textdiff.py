"""Line diff between two captured texts, as data for an escaped rendering."""

import difflib
from dataclasses import dataclass

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
