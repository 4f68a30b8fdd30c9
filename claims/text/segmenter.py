"""Sentence segmentation with exact character offsets.

Every Sentence carries (start, end) such that ``text[start:end] == sentence.text``:
a claim's quote must equal the body at its offsets, so offsets are never
recomputed from normalised text. Pure Python, linear in the input, no models.

Rules, in order:
- a blank line always ends a sentence; a single line break ends one unless the
  line it breaks looks wrapped (no closing punctuation and the next line starts
  in lower case), which is how page dumps and pasted PDFs differ;
- inside a line, a run of . ! ? … (and the CJK 。！？) followed by closing quotes
  or brackets ends a sentence when whitespace and a plausible sentence start
  follow; CJK terminators end one even without whitespace;
- a full stop after a known abbreviation (Mr., e.g., U.S., Jan., т.е. ...), a
  single-letter initial or an ordinal/number ("No. 5") does not end a sentence,
  and neither does a terminator followed by a lower-case word.
"""

import re
from dataclasses import dataclass

from .words import ABBREVIATIONS, MONTHS

_TERMINATOR = re.compile(r"[.!?…。！？]+[\"'”’»)\]]*")
_CJK_TERMINATORS = frozenset("。！？")
_CLOSING_PUNCT = tuple(".!?…。！？:;\"'”’»)]")
# The word before a full stop. Searched from the left, so a match is tried at every
# position; it can only start where no letter precedes it (else it would have matched one
# letter earlier), and letters matched once are never given back ("++": what follows a
# letter run is never a letter), so those attempts end at once. Same matches, less time.
_WORD_BEFORE = re.compile(r"(?<![^\W\d_])([^\W\d_]++(?:[.\-][^\W\d_]++)*+)\.?$")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_SPACE = re.compile(r"\s*")
_DAY_BEFORE = re.compile(r"(?<!\d)\d{1,2}\.$")
_MONTH_AHEAD = re.compile(rf"(?:{'|'.join(MONTHS)})", re.IGNORECASE)
WRAP_MIN_LINE = 40  # characters; hard-wrapped prose (mail, PDF) runs 60-80


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    block: int  # index of the line/paragraph the sentence came from


def _is_abbreviation(chunk_before: str) -> bool:
    """Does the text ending in a full stop end with an abbreviation or an initial?"""
    match = _WORD_BEFORE.search(chunk_before)
    if not match:
        return False
    word = match.group(1)
    lowered = word.lower()
    if lowered in ABBREVIATIONS:
        return True
    # A single capital letter ("J. K. Rowling") or dotted initials ("U.S.A").
    if len(word) == 1 and word.isupper():
        return True
    return bool(_INITIALS.fullmatch(word))


def _sentence_starts(following: str) -> bool:
    """Whether the text after a terminator and whitespace can begin a sentence."""
    for char in following[:3]:
        if char in "\"'“‘«([¿¡-–—•*":
            continue
        return not char.islower()
    return True


def _day_before(text: str, lookback: int, stop: int) -> bool:
    """Whether a day number ends at the full stop text[stop] ("3." in "am 3. März")."""
    # _DAY_BEFORE ends in a digit and the stop: most full stops follow a letter.
    if stop <= lookback or not text[stop - 1].isdecimal():
        return False
    return _DAY_BEFORE.search(text, lookback, stop + 1) is not None


def _split_block(text: str, start: int, end: int):
    """Yield (start, end) spans of sentences inside text[start:end]."""
    begin = start
    for match in _TERMINATOR.finditer(text, start, end):
        stop = match.end()
        terminator = match.group()
        cjk = terminator[0] in _CJK_TERMINATORS
        if not cjk:
            if stop < end and not text[stop].isspace():
                continue  # "3.5", "U.S.A", "example.org", "?!)" inside a token
            # Bounded slices: a long line must not make this quadratic.
            next_start = _SPACE.match(text, stop, end).end()
            rest = text[next_start : min(next_start + 3, end)]
            if rest and not _sentence_starts(rest):
                continue
            if terminator[0] == "." and len(terminator.rstrip("\"'”’»)]")) == 1:
                lookback = max(begin, match.start() - 30)
                if _is_abbreviation(text[lookback : match.start() + 1]):
                    continue
                # A day before a month name is an ordinal date: "am 3. März", "le 1. mai".
                if _day_before(text, lookback, match.start()) and _MONTH_AHEAD.match(
                    text, next_start, end
                ):
                    continue
        yield begin, stop
        begin = stop
    if begin < end:
        yield begin, end


def _wraps(previous: str) -> bool:
    return len(previous) >= WRAP_MIN_LINE and not previous.endswith(_CLOSING_PUNCT)


def _blocks(text: str):
    """Yield (start, end) of blocks: lines, with wrapped lines joined back together."""
    block_start = None
    block_end = 0
    previous = ""  # the block's last line, right-stripped
    next_start = 0
    for line in text.split("\n"):
        line_start, next_start = next_start, next_start + len(line) + 1
        content = line.rstrip("\r")
        if not content.strip():
            if block_start is not None:
                yield block_start, block_end
                block_start = None
            continue
        # Short lines (menus, widgets) are never wrapped prose, whatever follows.
        if block_start is not None and not (content.lstrip()[:1].islower() and _wraps(previous)):
            yield block_start, block_end
            block_start = None
        if block_start is None:
            block_start = line_start
        block_end = line_start + len(content)
        previous = content.rstrip()
    if block_start is not None:
        yield block_start, block_end


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; each one's offsets index the original text exactly."""
    sentences = []
    for block_index, (block_start, block_end) in enumerate(_blocks(text)):
        for start, end in _split_block(text, block_start, block_end):
            # Trim whitespace without losing exactness (strip() and isspace() agree on it).
            chunk = text[start:end]
            stripped = chunk.strip()
            if stripped:
                start += len(chunk) - len(chunk.lstrip())
                sentences.append(Sentence(start, start + len(stripped), stripped, block_index))
    return sentences
