"""Charset detection: ours (sources/decode.py) against w3lib's html_to_unicode with
charset-normalizer as its auto-detector, in one run.

    .venv/bin/python benchmarks/decode_speed.py [--repeats 20]

w3lib is not a dependency (see sources/decode.py for why); install it into the venv by
hand to run this (`pip install 'w3lib>=2.1,<3'`).

Part 1 runs the cases of tests/test_decode.py through both and prints the codec and
whether the text agrees. Part 2 times both on realistic pages of about 200 KB: UTF-8
declared by HTTP, UTF-8 declared nowhere, windows-1251 declared nowhere, shift_jis
declared in a <meta>. Medians of the repeats, in milliseconds; the machine is shared,
so compare numbers from the same run.
"""

import argparse
import codecs
import statistics
import sys
import time
from pathlib import Path

import charset_normalizer

try:
    from w3lib.encoding import html_to_unicode
except ImportError:
    sys.exit("w3lib is not installed: .venv/bin/pip install 'w3lib>=2.1,<3'")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pages import RUSSIAN_TEXT, russian_page  # noqa: E402

from sources.decode import decode_body  # noqa: E402

SEED = ROOT / "claims" / "demo" / "sputnik-russia-belarus-2023-12-13.txt"
JAPANESE = (
    "東京、12月13日。政府は本日、防空協力に関する協定を批准したと発表した。"
    "専門家によると、両国は共同の地域防空システムを構築し、国境の空域を共同で警備する。"
)


def _detector(data):
    best = charset_normalizer.from_bytes(data).best()
    return best.encoding if best is not None else None


def w3lib_decode(body, *, http_charset="", html=False):
    """The swap as it would be: (text, codec name)."""
    header = f"text/html; charset={http_charset}" if http_charset else None
    name, text = html_to_unicode(header, body, auto_detect_fun=_detector)
    return text, name


def ours_decode(body, *, http_charset="", html=False):
    return decode_body(body, http_charset=http_charset, html=html)


def _codec(name):
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


# The cases of tests/test_decode.py: (label, body, http_charset, html).
CASES = [
    ("1251 in meta", russian_page(meta=True), "", True),
    ("1251 nowhere", russian_page(meta=False), "", True),
    ("utf-8 nowhere", "<p>Café – naïve “quotes” Минск</p>".encode(), "", True),
    ("utf-8 cut sample", ("é" * 40000).encode(), "", False),
    ("BOM beats http", codecs.BOM_UTF8 + '<meta charset="cp1251">é'.encode(), "iso-8859-1", True),
    ("utf-16 BOM", codecs.BOM_UTF16_LE + "é".encode("utf-16-le"), "", True),
    ("http beats meta", b'<meta charset="utf-8">', "windows-1251", True),
    (
        "http-equiv koi8-r",
        b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
        "",
        True,
    ),
    ("latin-1 = 1252", b"\x93quoted\x94", "ISO-8859-1", True),
    ("meta utf-16", b'<meta charset="utf-16">plain', "", True),
    ("unknown labels", b'<meta charset="no-such-charset">plain ascii', "bogus", True),
    ("bad bytes", b"ok \xff\xfe\xfa bytes", "utf-8", False),
]
# Not in the tests: how each treats a <meta> in text/plain (a browser ignores it there).
EXTRA = [
    ("text/plain + meta", '<meta charset="koi8-r"> Минск'.encode(), "", False),
]


def _page(text, size, *, meta=""):
    head = f"<html><head>{meta}<title>Page</title></head><body><article>"
    tail = "</article></body></html>"
    paragraphs = [f"<p>{line}</p>" for line in text.splitlines() if line.strip()]
    out, length = [head], len(head)
    while length < size:
        for paragraph in paragraphs:
            out.append(paragraph)
            length += len(paragraph.encode("utf-8"))
    return "".join(out) + tail


def documents():
    english = SEED.read_text(encoding="utf-8")
    utf8 = _page(english + "\nМинск – «кавычки» — naïve café\n", 200_000).encode("utf-8")
    cp1251 = _page(RUSSIAN_TEXT, 200_000).encode("windows-1251")
    sjis = _page(JAPANESE, 200_000, meta='<meta charset="shift_jis">').encode("shift_jis")
    return [
        ("utf-8, HTTP charset", utf8, "utf-8"),
        ("utf-8, no charset", utf8, ""),
        ("windows-1251, no charset", cp1251, ""),
        ("shift_jis, meta", sjis, ""),
    ]


def _median_ms(function, body, http_charset, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(body, http_charset=http_charset, html=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    print("Test cases (tests/test_decode.py): codec chosen, and whether the text is the same")
    print(f"{'case':<20} {'ours':<12} {'w3lib':<12} same")
    for label, body, http_charset, html in CASES + EXTRA:
        ours_text, ours_name = ours_decode(body, http_charset=http_charset, html=html)
        w3_text, w3_name = w3lib_decode(body, http_charset=http_charset, html=html)
        same = _codec(ours_name) == _codec(w3_name) and ours_text == w3_text
        verdict = "yes" if same else "NO"
        print(f"{label:<20} {_codec(ours_name):<12} {_codec(w3_name):<12} {verdict}")

    print()
    print(f"Speed, median of {args.repeats} (ms)")
    print(f"{'document':<26} {'KB':>5} {'ours':>8} {'w3lib':>8}  codecs (ours / w3lib)")
    for label, body, http_charset in documents():
        ours_ms = _median_ms(ours_decode, body, http_charset, args.repeats)
        w3_ms = _median_ms(w3lib_decode, body, http_charset, args.repeats)
        _, ours_name = ours_decode(body, http_charset=http_charset, html=True)
        _, w3_name = w3lib_decode(body, http_charset=http_charset, html=True)
        print(
            f"{label:<26} {len(body) // 1024:>5} {ours_ms:>8.2f} {w3_ms:>8.2f}"
            f"  {_codec(ours_name)} / {_codec(w3_name)}"
        )


if __name__ == "__main__":
    main()
