"""What an RSS/Atom entry and a JSON Feed item share: how the body reads, what the dek is
and which entries make articles."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from briefings.errors import EmptyArticleError, ParseError
from briefings.formats.base import Origin
from briefings.formats.html import html_fragment_to_collector
from briefings.formats.structure import SectionCollector
from briefings.formats.text import parse_body
from briefings.model import Article

_DEK_MAX_WORDS = 60
_PREFIX_CHARS = 80

E = TypeVar("E")


def entry_body(body: str, *, html: bool) -> SectionCollector:
    """The sections of an entry's body: HTML content keeps its paragraphs, headings and
    lists (read like an HTML fragment); plain text is read like the text format's body."""
    collector = SectionCollector()
    if html:
        html_fragment_to_collector(collector, body)
    else:
        parse_body(collector, body)
    return collector


def entry_article(
    title: str,
    summary: str,
    body: SectionCollector,
    origin: Origin,
    *,
    link: str | None,
    id: str | None,
    published: date | None,
) -> Article:
    """The article of one feed entry: its summary (plain text) is the dek when it is short
    and not just the start of the body; its link is the URL and the id (else ``id`` is)."""
    body_start = next((t for _, blocks in body.sections for _, t in blocks), "")
    dek = None
    if (
        summary
        and len(summary.split()) <= _DEK_MAX_WORDS
        and summary[:_PREFIX_CHARS].casefold() not in body_start.casefold()
    ):
        dek = summary
    return origin.article(
        title,
        dek,
        body.sections,
        format="feed",
        id=link or id or None,
        url=link or None,
        published=published,
    )


def entry_articles(
    entries: Iterable[E], read: Callable[[E], Article], *, none_usable: str
) -> list[Article]:
    """The article of every entry that has a title or text (``read`` raises
    :class:`EmptyArticleError` for the others).

    Raises:
        ParseError: with the message ``none_usable`` when no entry has either.
    """
    articles: list[Article] = []
    for entry in entries:
        try:
            articles.append(read(entry))
        except EmptyArticleError:
            continue
    if not articles:
        raise ParseError(none_usable)
    return articles
