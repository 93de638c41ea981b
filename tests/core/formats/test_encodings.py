"""Encodings: BOM-less UTF-32, bad bytes after a BOM, late meta charsets, legacy code pages."""

from __future__ import annotations

import codecs

import pytest

from briefings.errors import BinaryInputError
from briefings.formats import parse
from briefings.formats.decoding import decode
from briefings.service.ingest import read_articles

TEXT = "Ceasefire in Gaza\nMediators said the truce held – for now, officials in Cairo said."


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_bom_less_utf32_is_recognised(codec: str) -> None:
    article = parse(TEXT.encode(codec))
    assert article.title == "Ceasefire in Gaza"
    assert article.notes == ()


def test_bom_less_utf32_outside_latin_is_recognised() -> None:
    text, notes = decode(
        "Перемирие в Газе\nПосредники заявили, что перемирие держится.".encode("utf-32-le")
    )
    assert text.startswith("Перемирие в Газе\n") and notes == ()


def test_nul_bytes_that_are_no_unicode_pattern_are_still_binary() -> None:
    with pytest.raises(BinaryInputError, match="NUL"):
        parse(b"Title\x00\x00\x01\x02\x00\x07text\x00\x00\x00\x00\x10\x00")


@pytest.mark.parametrize("bom", ["utf-8-sig", "utf-16", "utf-32"])
def test_invalid_bytes_after_a_bom_are_reported(bom: str) -> None:
    data = TEXT.encode(bom)
    if bom == "utf-8-sig":
        data = data.replace(b"Cairo", b"Ca\xffro")
        expected = "invalid UTF-8 replaced"
    else:
        data = data[:-2] + b"\x00\xd8" if bom == "utf-16" else data[:-4] + b"\xff\xff\xff\xff"
        expected = f"invalid {bom.upper()} replaced"
    article = parse(data)
    assert article.title == "Ceasefire in Gaza"
    assert len(article.notes) == 1 and article.notes[0].startswith(expected)
    assert "\ufffd" in article.text


def test_meta_charset_after_the_first_4_kb_is_honoured() -> None:
    page = (
        "<html><head>"
        + "<meta name='keywords' content='politics, world, news, analysis'>" * 100
        + '<meta charset="windows-1251"><title>Переговоры в Стамбуле</title></head>'
        + "<body><article><h1>Переговоры в Стамбуле</h1>"
        + "<p>Делегации встретились в понедельник и договорились об обмене пленными.</p>"
        + "</article></body></html>"
    )
    data = page.encode("cp1251")
    assert data.index(b"charset") > 4096
    article = parse(data)
    assert article.title == "Переговоры в Стамбуле"
    assert "обмене пленными" in article.text
    assert article.notes == ()


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("cp1252", "Le président a parlé à Bamako. Les élèves étaient là, déçus et inquiets."),
        ("latin-1", "Die Bürger in München waren überrascht, sagte der Sprecher am Montag."),
        ("cp1250", "Prezydent powiedział, że rozmowy będą kontynuowane w środę w Genewie."),
        ("cp1251", "Президент заявил в понедельник, что переговоры продолжатся в Женеве."),
    ],
)
def test_undeclared_legacy_encodings_are_detected(codec: str, text: str) -> None:
    data = f"Headline\n{text}".encode(codec)
    article = parse(data)
    assert article.sections[0].paragraphs == (text,)
    assert len(article.notes) == 1 and "(detected)" in article.notes[0]


def test_mostly_utf8_with_a_broken_byte_stays_utf8() -> None:
    data = "Élection à Dakar\nLe scrutin s’est déroulé dans le calme à Dakar.".encode()
    article = parse(data.replace(b"calme", b"cal\xe9e"))
    assert article.title == "Élection à Dakar"
    assert article.notes[0].startswith("invalid UTF-8 replaced")


def test_read_articles_decodes_legacy_feeds_and_pages() -> None:
    page = (
        "<html><head><title>Réunion à Niamey</title></head><body><article>"
        "<h1>Réunion à Niamey</h1><p>Les ministres se sont réunis à Niamey mardi, "
        "a déclaré le porte-parole.</p></article></body></html>"
    )
    (article,) = read_articles(page.encode("cp1252"), source="page.html")
    assert article.title == "Réunion à Niamey"
    assert "déclaré" in article.text


def test_bom_less_utf16_with_a_utf32_looking_start_is_not_misread() -> None:
    data = codecs.BOM_UTF16_LE + "Talks resume\nDelegations met in Geneva.".encode("utf-16-le")
    assert parse(data).title == "Talks resume"
