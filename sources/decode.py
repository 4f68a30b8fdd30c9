"""Turning fetched bytes into text, in the order browsers use for HTML.

1. a byte order mark;
2. the charset parameter of the HTTP Content-Type;
3. for HTML, a `<meta charset>` (or http-equiv Content-Type) near the top;
4. detection on a bounded sample: valid UTF-8 first, then charset_normalizer;
5. UTF-8 with replacement characters.

requests would decode any text/* without a charset as ISO-8859-1 (RFC 2616), which turns
a UTF-8 or windows-1251 page into mojibake; we never use its `.text`.

Why not w3lib's html_to_unicode (with charset_normalizer as its detector)? Measured with
benchmarks/decode_speed.py on the cases of tests/test_decode.py, it differs on three:
it runs the detector on the whole body before trying UTF-8, so 80 KB of valid UTF-8 came
out as cp949 (mojibake); it takes a <meta charset="utf-16"> literally (utf-16-be garbage,
where browsers use UTF-8); and ASCII-only bytes under unknown labels come out as "ascii".
It also reads a <meta> in text/plain and does not say how the codec was chosen (the tests
check that). It is no faster on ~200 KB pages (the same with a declared charset, 2-3x
slower when it must detect), so ours stays and w3lib is not a dependency.
"""

import codecs
import re

import charset_normalizer

SAMPLE_BYTES = 64 * 1024
META_SCAN_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]+)", re.I)

# WHATWG Encoding: these labels all mean windows-1252 on the web.
_WINDOWS_1252 = {
    "ascii",
    "us-ascii",
    "iso-8859-1",
    "iso8859-1",
    "iso_8859-1",
    "latin1",
    "latin-1",
    "l1",
    "cp819",
    "ibm819",
    "windows-1252",
    "cp1252",
    "x-cp1252",
}


def encoding_for(label, *, from_meta=False):
    """The Python codec for a charset label, or None when the label is unknown."""
    label = (label or "").strip().strip("\"'").lower()
    if not label:
        return None
    if label in _WINDOWS_1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if from_meta and name.startswith("utf-16"):
        return "utf-8"  # a meta tag that could be read as ASCII cannot be UTF-16
    return name


def _is_utf8(sample, truncated):
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # A sample cut mid-character is still UTF-8.
        return truncated and exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data"


def detect_encoding(body, *, http_charset="", html=False):
    """Return (codec name, how it was chosen)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, "bom"
    if name := encoding_for(http_charset):
        return name, "http"
    if html:
        match = _META_CHARSET.search(body[:META_SCAN_BYTES])
        if match and (name := encoding_for(match.group(1).decode("ascii"), from_meta=True)):
            return name, "meta"
    sample = body[:SAMPLE_BYTES]
    if _is_utf8(sample, truncated=len(body) > SAMPLE_BYTES):
        return "utf-8", "detected"
    best = charset_normalizer.from_bytes(sample).best()
    if best is not None and (name := encoding_for(best.encoding)):
        return name, "detected"
    return "utf-8", "default"


def decode_body(body, *, http_charset="", html=False):
    """Return (text, codec name). Undecodable bytes become U+FFFD, never an error."""
    name, _how = detect_encoding(body, http_charset=http_charset, html=html)
    for bom, bom_name in _BOMS:
        if name == bom_name and body.startswith(bom):
            body = body[len(bom) :]
    return body.decode(name, errors="replace"), name
