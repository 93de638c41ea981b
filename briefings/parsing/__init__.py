"""Parsers that turn text, Markdown, HTML, feeds and JSON into articles.

:func:`parse` is the entry point: it decodes raw input (size cap, binary detection,
UTF-8 with replacement), detects the format when asked to, and hands the text to the
parser of that format. Every error it raises is a :class:`briefings.errors.BriefingError`.
"""

from __future__ import annotations

from datetime import date, datetime

from briefings.errors import UnsupportedFormatError
from briefings.model import Article
from briefings.parsing.base import MAX_INPUT_BYTES
from briefings.parsing.decoding import decode
from briefings.parsing.detect import detect_format
from briefings.parsing.text import parse_text

FORMATS = ("auto", "text", "md", "html", "json", "feed")
"""Format names :func:`parse` accepts; ``auto`` detects the format from content and name."""

__all__ = ["FORMATS", "MAX_INPUT_BYTES", "parse"]


def parse(
    data: bytes | str,
    format: str = "auto",
    *,
    source: str | None = None,
    url: str | None = None,
    published: date | None = None,
    fetched: datetime | None = None,
) -> Article:
    """Parse one article from raw input.

    Args:
        data: the raw input, bytes (UTF-8, or UTF-16/32 with a BOM) or text.
        format: one of :data:`FORMATS`; ``auto`` detects it from the content and from the
            file-name suffix of ``source``.
        source: where the input came from (a path or a name); also the article id when
            there is no URL.
        url: the article's URL, if known (overrides one found in the input).
        published: the publication date (overrides one found in the input).
        fetched: when the input was ingested; relative dates resolve against it when the
            article has no publication date.

    Returns:
        The parsed article; ``notes`` holds warnings such as replaced invalid UTF-8.

    Raises:
        UnsupportedFormatError: ``format`` is not one of :data:`FORMATS`.
        InputTooLargeError: the input is over :data:`MAX_INPUT_BYTES`.
        BinaryInputError: the input is binary data.
        EmptyArticleError: the input holds no text.
        ParseError: the input is broken in the requested format.
    """
    if format not in FORMATS:
        raise UnsupportedFormatError(f"unknown format {format!r}; use one of: {', '.join(FORMATS)}")
    text, notes = decode(data)
    kind = detect_format(text, source) if format == "auto" else format
    if kind == "text":
        return parse_text(
            text, source=source, url=url, published=published, fetched=fetched, notes=notes
        )
    raise UnsupportedFormatError(f"format {kind!r} is not available yet; use format='text'")
