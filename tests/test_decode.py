"""Bytes to text in the order browsers use: BOM, HTTP charset, <meta>, detection, UTF-8."""

import codecs

import pytest

from sources.decode import decode_body, detect_encoding
from sources.extract import extract

from .support.pages import RUSSIAN_TEXT, russian_page


def test_a_windows_1251_page_declared_only_in_meta_is_cyrillic():
    text, encoding = decode_body(russian_page(meta=True), html=True)
    assert encoding == "cp1251" and RUSSIAN_TEXT in text


def test_a_windows_1251_page_declared_nowhere_is_detected():
    assert detect_encoding(russian_page(meta=False), html=True) == ("cp1251", "detected")
    text, _ = decode_body(russian_page(meta=False), html=True)
    assert RUSSIAN_TEXT in text


def test_a_utf8_page_without_any_charset_is_utf8_not_latin1():
    body = "<p>Café – naïve “quotes” Минск</p>".encode()
    text, encoding = decode_body(body, html=True)
    assert (text, encoding) == ("<p>Café – naïve “quotes” Минск</p>", "utf-8")


def test_a_utf8_sample_cut_mid_character_is_still_utf8():
    body = ("é" * 40000).encode()  # 80 000 bytes: the 64 KiB sample ends inside a character
    assert detect_encoding(body) == ("utf-8", "detected")


@pytest.mark.parametrize(
    "body, http_charset, expected",
    [
        (codecs.BOM_UTF8 + '<meta charset="cp1251">é'.encode(), "iso-8859-1", ("utf-8", "bom")),
        (codecs.BOM_UTF16_LE + "é".encode("utf-16-le"), "", ("utf-16-le", "bom")),
        (b'<meta charset="utf-8">', "windows-1251", ("cp1251", "http")),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
            "",
            ("koi8-r", "meta"),
        ),
        # WHATWG: an ISO-8859-1 label means windows-1252 (curly quotes at 0x93/0x94).
        (b"\x93quoted\x94", "ISO-8859-1", ("cp1252", "http")),
        (b'<meta charset="utf-16">plain', "", ("utf-8", "meta")),
        (b'<meta charset="no-such-charset">plain ascii', "bogus", ("utf-8", "detected")),
    ],
)
def test_the_encoding_is_chosen_in_browser_order(body, http_charset, expected):
    assert detect_encoding(body, http_charset=http_charset, html=True) == expected


def test_undecodable_bytes_become_replacement_characters_not_errors():
    text, encoding = decode_body(b"ok \xff\xfe\xfa bytes", http_charset="utf-8")
    assert encoding == "utf-8" and text == "ok \ufffd\ufffd\ufffd bytes"


def test_extracted_windows_1251_text_and_title_are_cyrillic():
    result = extract(body=russian_page(meta=False), content_type="text/html")
    assert result.title == "Соглашение о ПВО"
    assert RUSSIAN_TEXT in result.text and result.encoding == "cp1251"


def test_nul_characters_never_reach_the_database():
    result = extract(body=b"line one\x00line two", content_type="text/plain")
    assert result.text == "line oneline two"
