"""Bad input: empty, binary, badly encoded, oversized, unknown formats, hostile HTML."""

from __future__ import annotations

import codecs

import pytest

from briefings.errors import (
    BinaryInputError,
    BriefingError,
    EmptyArticleError,
    InputTooLargeError,
    UnsupportedFormatError,
)
from briefings.formats import MAX_INPUT_BYTES, parse


@pytest.mark.parametrize(
    "data", [b"", "", b"   \n\t\r\n ", "\n\n\u00a0\u2003\n", b"\xef\xbb\xbf  \n"]
)
def test_empty_or_whitespace(data: bytes | str) -> None:
    with pytest.raises(EmptyArticleError, match="empty"):
        parse(data)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"Title\nsome text\x00\x01\x02\x00 more", "NUL"),
        (bytes(range(1, 32)) * 20, "control"),
    ],
)
def test_binary_input(data: bytes, what: str) -> None:
    with pytest.raises(BinaryInputError, match=what) as info:
        parse(data)
    assert "not text" in str(info.value)


def test_invalid_utf8_is_replaced_with_a_note() -> None:
    data = "Coup in Niamey\nThe army – the junta’s – seized power in Niamey on Wednesday."
    raw = data.encode("utf-8").replace(b"Niamey on", b"Niam\xe9y on")
    article = parse(raw)
    assert "Niam\ufffdy on Wednesday" in article.text
    assert len(article.notes) == 1
    assert article.notes[0].startswith("invalid UTF-8 replaced")
    assert "UTF-8" in article.notes[0]


def test_undeclared_latin1_is_detected_with_a_note() -> None:
    data = b"Coup in Niamey\nThe army seized power in Niam\xe9y on Wednesday."
    article = parse(data)
    assert "Niaméy on Wednesday" in article.text
    assert len(article.notes) == 1 and "cp1252 (detected)" in article.notes[0]


def test_declared_encoding_is_honoured_without_a_note() -> None:
    html = (
        '<html><head><meta charset="iso-8859-1"><title>Réunion</title></head>'
        "<body><p>Le président a parlé à Bamako.</p></body></html>"
    )
    article = parse(html.encode("latin-1"))
    assert article.title == "Réunion"
    assert article.notes == ()


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_unicode_encodings(codec: str) -> None:
    text = "Ceasefire in Gaza\nMediators said the truce held – for now."
    data = text.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = (codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE) + data
    article = parse(data)
    assert article.title == "Ceasefire in Gaza"
    assert article.sections[0].paragraphs == ("Mediators said the truce held – for now.",)


def test_bom_less_utf16_is_recognised() -> None:
    article = parse("Talks resume\nDelegations met in Geneva.".encode("utf-16-le"))
    assert article.title == "Talks resume"


def test_oversized_input_states_the_cap() -> None:
    data = b"Title\n" + b"word " * (MAX_INPUT_BYTES // 5 + 10)
    with pytest.raises(InputTooLargeError, match=f"{MAX_INPUT_BYTES:,}-byte cap"):
        parse(data)
    with pytest.raises(InputTooLargeError):
        parse(data.decode())


def test_unknown_format() -> None:
    with pytest.raises(UnsupportedFormatError, match="auto, text, md, html, json, feed"):
        parse("Title\nBody.", format="docx")


def test_html_scripts_and_styles_never_reach_the_text() -> None:
    html = """<html><head><style>body { color: red } .x::before { content: "STYLE" }</style>
    <script>document.write("SCRIPT"); var token = "SECRET";</script></head>
    <body><noscript>NOSCRIPT</noscript><template><p>TEMPLATE</p></template>
    <h1>Strike on Kharkiv</h1><p>A missile hit the city centre on Monday, officials said.</p>
    <script type="text/javascript">alert("INLINE")</script>
    <form><input value="FORM"><button>BUTTON</button></form>
    <p onclick="alert('ATTR')">Rescue teams searched the rubble.</p>
    <svg><text>SVG</text></svg><iframe src="x">IFRAME</iframe>
    </body></html>"""
    article = parse(html)
    for leaked in (
        "STYLE",
        "SCRIPT",
        "SECRET",
        "NOSCRIPT",
        "TEMPLATE",
        "INLINE",
        "FORM",
        "BUTTON",
        "ATTR",
        "SVG",
        "IFRAME",
        "color",
    ):
        assert leaked not in article.text, leaked
    assert article.title == "Strike on Kharkiv"
    assert article.sections[0].paragraphs == (
        "A missile hit the city centre on Monday, officials said.",
        "Rescue teams searched the rubble.",
    )


def test_html_with_only_scripts_is_empty() -> None:
    with pytest.raises(BriefingError):
        parse(
            "<html><head><script>var x = 1;</script></head><body><script>y()</script></body></html>"
        )


def test_control_characters_are_removed_from_text() -> None:
    article = parse("Title\u200b here\nBody\x07 text with\u00a0odd   spacing.\x0c")
    assert article.title == "Title here"
    assert article.sections[0].paragraphs == ("Body text with odd spacing.",)
