"""Turning raw input into text: the size cap, binary detection and character decoding."""

from __future__ import annotations

import codecs
import re

from briefings.errors import BinaryInputError, EmptyArticleError, InputTooLargeError
from briefings.parsing.base import MAX_INPUT_BYTES

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
_SAMPLE = 4096
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
        encoding = _guess_utf16(data[:_SAMPLE])
        if encoding is None:
            raise _binary("binary data (it holds NUL bytes)")
    if encoding is not None:
        text = data.decode(encoding, "replace")
        _check_text(text)
    else:
        sample = data[:_SAMPLE]
        controls = len(sample.translate(None, _NOT_CONTROL_BYTES))
        if controls > _MAX_CONTROL_SHARE * len(sample):
            raise _binary("binary data (many control bytes)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            declared = _declared_encoding(data[:_SAMPLE])
            if declared is not None:
                return _non_empty(data.decode(declared, "replace")), ()
            text = data.decode("utf-8", "replace")
            replaced = text.count("\ufffd")
            if replaced > _MAX_REPLACED_SHARE * max(len(text), 1):
                raise _binary("binary data or text in an unknown encoding") from exc
            notes.append(
                f"invalid UTF-8 replaced: {replaced} character(s) from byte {exc.start} on "
                "were not UTF-8 and show as '\ufffd'; save the file as UTF-8 to keep them"
            )
    return _non_empty(text.lstrip("\ufeff")), tuple(notes)


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
