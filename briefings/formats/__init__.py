"""Parsers that turn text, Markdown, HTML, feeds and JSON into articles.

:func:`parse` is the entry point: it decodes raw input (size cap, binary detection,
UTF-8 with replacement), detects the format when asked to, and hands the text to the
parser of that format. Every error it raises is a :class:`briefings.errors.BriefingError`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from briefings.errors import ParseError, UnsupportedFormatError
from briefings.formats.base import MAX_INPUT_BYTES, Origin
from briefings.formats.decoding import decode
from briefings.formats.detect import detect_format
from briefings.formats.feed import parse_feed_text
from briefings.formats.html import parse_html
from briefings.formats.jsonfeed import is_json_feed, parse_json_feed
from briefings.formats.jsonform import article_from_object, load_json, parse_json_text
from briefings.formats.markdown import parse_markdown
from briefings.formats.text import parse_text
from briefings.model import Article

FORMATS = ("auto", "text", "md", "html", "json", "feed")
"""Format names :func:`parse` accepts; ``auto`` detects the format from content and name."""

__all__ = ["FORMATS", "MAX_INPUT_BYTES", "detect_format", "parse", "parse_feed", "parse_json_many"]


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
            file-name suffix of ``source``. A feed or a JSON list gives its first article
            (with a note); use :func:`parse_feed` or :func:`parse_json_many` for all.
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
    if kind == "json" and is_json_feed(text):
        kind = "feed"
    origin = Origin(source, url, published, fetched, notes)
    if kind == "md":
        return parse_markdown(text, origin)
    if kind == "html":
        return parse_html(text, origin)
    if kind == "json":
        try:
            items = load_json(text)
        except ParseError:
            if format == "json" or detect_format("", source) == "json":
                raise
            note = "the input looked like JSON but is not; it was read as text"
            return parse_text(text, replace(origin, notes=(*notes, note)))
        if len(items) > 1:
            notes = (*notes, _first_only(len(items), "JSON list", "articles", "parse_json_many"))
        return article_from_object(items[0], replace(origin, notes=notes))
    if kind == "feed":
        articles = parse_feed_text(text, origin)
        first = articles[0]
        extra = (
            [_first_only(len(articles), "feed", "entries", "parse_feed")]
            if len(articles) > 1
            else []
        )
        return replace(first, id=url or first.id, notes=(*first.notes, *extra))
    return parse_text(text, origin)


def parse_feed(
    data: bytes | str, *, source: str | None = None, fetched: datetime | None = None
) -> list[Article]:
    """Parse an RSS, Atom or JSON Feed document into one article per entry.

    Args:
        data: the raw feed document, bytes or text.
        source: where the feed came from (a path, a URL or a name).
        fetched: when it was fetched.

    Raises:
        InputTooLargeError, BinaryInputError, EmptyArticleError: as for :func:`parse`.
        ParseError: not a feed, or no entry with a title or text.
    """
    text, notes = decode(data)
    return parse_feed_text(text, Origin(source, fetched=fetched, notes=notes))


def parse_json_many(
    data: bytes | str, *, source: str | None = None, fetched: datetime | None = None
) -> list[Article]:
    """Parse the JSON form: one article object or a list of them (see ``jsonform``).

    A JSON Feed given here is read as the feed it is (one article per item).

    Args:
        data: the raw JSON, bytes or text.
        source: where it came from.
        fetched: when it was ingested.

    Raises:
        InputTooLargeError, BinaryInputError, EmptyArticleError: as for :func:`parse`.
        ParseError: broken JSON or an object that does not follow the form.
    """
    text, notes = decode(data)
    origin = Origin(source, fetched=fetched, notes=notes)
    if is_json_feed(text):
        return parse_json_feed(text, origin)
    return parse_json_text(text, origin)


def _first_only(count: int, container: str, things: str, function: str) -> str:
    return (
        f"the {container} holds {count} {things}; only the first was parsed "
        f"(briefings.formats.{function} reads them all)"
    )
