"""Turning raw input into text: the size cap, binary detection and character decoding.

The encoding comes from, in order: a byte-order mark; the NUL pattern of BOM-less UTF-32
or UTF-16; UTF-8 when the bytes are valid UTF-8; an XML declaration or an HTML
``<meta charset>`` (anywhere in the head); UTF-8 with replacement (and a warning) when
the bytes are mostly UTF-8 with a few broken ones; else charset-normalizer's guess (with
a note). Invalid sequences are replaced, never dropped, and always reported.
"""

from __future__ import annotations

import codecs
import re

from briefings.errors import BinaryInputError, EmptyArticleError, InputTooLargeError
from briefings.formats.base import MAX_INPUT_BYTES
from briefings.formats.charset import detect_legacy

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"OggS\x00", "an audio file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"SQLite format 3", "an SQLite database"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\r\f\v\x1b")
_DECLARED = re.compile(
    rb"""(?:<\?xml[^>]{0,200}?\bencoding|<meta[^>]{0,200}?\bcharset)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)
_HEAD_END = re.compile(rb"</head\s*>|<body[\s>]", re.IGNORECASE)
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_SAMPLE = 4096
_HEAD_MAX = 262_144
"""How far into a page without ``</head>`` a ``<meta charset>`` is looked for."""
_MAX_CONTROL_SHARE = 0.1
_MAX_REPLACED_SHARE = 0.3


def _too_large(size: int) -> InputTooLargeError:
    return InputTooLargeError(
        f"the input is {size:,} bytes, over the {MAX_INPUT_BYTES:,}-byte cap "
        f"({MAX_INPUT_BYTES // 1_000_000} MB); split it or pass only the article's text"
    )


def _binary(what: str) -> BinaryInputError:
    return BinaryInputError(
        f"the input looks like {what}, not text; pass the article as text, Markdown, "
        "HTML, JSON or a feed"
    )


def _guess_utf32(sample: bytes) -> str | None:
    """Spot BOM-less UTF-32: three NUL bytes in every four in text below U+10000."""
    sample = sample[: len(sample) // 4 * 4]
    if len(sample) < 8:
        return None
    columns = [sample[i::4] for i in range(4)]
    share = [col.count(0) / len(col) for col in columns]
    if share[0] < 0.1 and share[2] > 0.9 and share[3] > 0.9:
        return "utf-32-le"
    if share[3] < 0.1 and share[1] > 0.9 and share[0] > 0.9:
        return "utf-32-be"
    return None


def _guess_utf16(sample: bytes) -> str | None:
    """Spot BOM-less UTF-16: every other byte is NUL in Latin text."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _check_text(text: str) -> None:
    sample = text[:_SAMPLE]
    raw = sample.encode("utf-8", "surrogatepass")
    controls = len(raw.translate(None, _NOT_CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise _binary("binary data (many control characters)")


def decode(data: bytes | str) -> tuple[str, tuple[str, ...]]:
    """Decode raw input into text and the notes a user should see.

    Args:
        data: raw bytes (decoded as UTF-8, or UTF-16/32 with a BOM) or text.

    Returns:
        The text and a tuple of notes (e.g. that invalid UTF-8 was replaced).

    Raises:
        InputTooLargeError: over :data:`MAX_INPUT_BYTES`.
        BinaryInputError: binary data (a known file signature, NUL bytes, control bytes).
        EmptyArticleError: empty or whitespace-only input.
    """
    if isinstance(data, str):
        if len(data) > MAX_INPUT_BYTES // 4:
            size = len(data.encode("utf-8", "surrogatepass"))
            if size > MAX_INPUT_BYTES:
                raise _too_large(size)
        _check_text(data)
        text = data.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(data) else data
        return _non_empty(text), ()
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large(len(data))
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise _binary(what)
    notes: list[str] = []
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data[:_SAMPLE]:
        encoding = _guess_utf32(data[:_SAMPLE]) or _guess_utf16(data[:_SAMPLE])
        if encoding is None:
            raise _binary("binary data (it holds NUL bytes)")
    if encoding is not None:
        text = _decode_unicode(data, encoding, notes)
        _check_text(text)
    else:
        sample = data[:_SAMPLE]
        controls = len(sample.translate(None, _NOT_CONTROL_BYTES))
        if controls > _MAX_CONTROL_SHARE * len(sample):
            raise _binary("binary data (many control bytes)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _decode_legacy(data, exc, notes)
    return _non_empty(text.lstrip("\ufeff")), tuple(notes)


def _decode_unicode(data: bytes, encoding: str, notes: list[str]) -> str:
    """Decode with a Unicode encoding a BOM or the NUL pattern chose; report bad bytes."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        text = data.decode(encoding, "replace")
        name = encoding.upper().replace("-SIG", "").replace("-LE", "").replace("-BE", "")
        notes.append(
            f"invalid {name} replaced: {text.count(chr(0xFFFD))} character(s) from byte "
            f"{exc.start} on were not {name} and show as '\ufffd'; save the file as "
            f"{name} again to keep them"
        )
        return text


def _decode_legacy(data: bytes, exc: UnicodeDecodeError, notes: list[str]) -> str:
    """Decode bytes that are not valid UTF-8: declared, mostly UTF-8, or detected."""
    declared = _declared_encoding(_head(data))
    if declared is not None:
        return data.decode(declared, "replace")
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd")
    if len(_UTF8_SEQUENCE.findall(data)) < replaced:
        detected = detect_legacy(data)
        if detected is not None:
            notes.append(
                f"the input is not UTF-8 and declares no encoding; it was read as {detected} "
                "(detected); declare the charset or save the file as UTF-8 to be sure"
            )
            return data.decode(detected, "replace")
    if replaced > _MAX_REPLACED_SHARE * max(len(text), 1):
        raise _binary("binary data or text in an unknown encoding") from exc
    notes.append(
        f"invalid UTF-8 replaced: {replaced} character(s) from byte {exc.start} on "
        "were not UTF-8 and show as '\ufffd'; save the file as UTF-8 to keep them"
    )
    return text


def _head(data: bytes) -> bytes:
    """The part of the input an encoding declaration may sit in: up to the end of the head."""
    m = _HEAD_END.search(data, 0, _HEAD_MAX)
    return data[: m.start() if m else _SAMPLE]


def _declared_encoding(head: bytes) -> str | None:
    """The encoding an XML declaration or an HTML meta tag declares, if Python knows it."""
    m = _DECLARED.search(head)
    if m is None:
        return None
    name = m.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec in ("utf-8", "utf-16", "utf-32") else codec


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _non_empty(text: str) -> str:
    if not text.strip():
        raise EmptyArticleError(
            "the input is empty or only whitespace; pass an article with a headline and text"
        )
    return text
