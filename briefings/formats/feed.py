"""The RSS/Atom parser: each feed entry becomes an article (feedparser does the reading).

An entry's title is the article title, its link the URL (and the id, else the entry id),
its ``content`` (else its ``summary``) the body — HTML content is read like an HTML
fragment, so paragraphs, headings and lists keep their shape — and its published (else
updated) time the publication date. When an entry has both content and a short summary
that is not just the start of the content, the summary is the dek. Entries with neither
title nor text are skipped.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import feedparser

from briefings.errors import EmptyArticleError, EmptyFeedError, ParseError
from briefings.formats.base import build_article, clean_line
from briefings.formats.html import html_fragment_to_collector, html_to_text
from briefings.formats.jsonfeed import is_json_feed, parse_json_feed
from briefings.formats.structure import SectionCollector
from briefings.formats.text import parse_body
from briefings.model import Article

_XML_ENCODING = re.compile(r"""\A(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")
_DEK_MAX_WORDS = 60
_PREFIX_CHARS = 80


def _day(entry: Mapping[str, Any]) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except ValueError:
                continue
    return None


def _plain(value: str, kind: str) -> str:
    return clean_line(html_to_text(value) if "html" in kind else value)


def _body(entry: Mapping[str, Any]) -> tuple[str, str, str]:
    """(body value, its MIME type, the summary as plain text) of one entry."""
    summary = str(entry.get("summary") or "")
    summary_type = str((entry.get("summary_detail") or {}).get("type") or "text/html")
    contents = entry.get("content") or []
    for content in contents:
        value = str(content.get("value") or "")
        if value.strip():
            return value, str(content.get("type") or "text/html"), _plain(summary, summary_type)
    return summary, summary_type, ""


def _entry_article(
    entry: Mapping[str, Any],
    *,
    source: str | None,
    fetched: datetime | None,
    notes: Sequence[str],
) -> Article:
    title_type = str((entry.get("title_detail") or {}).get("type") or "text/html")
    title = _plain(str(entry.get("title") or ""), title_type)
    body, kind, summary = _body(entry)
    collector = SectionCollector()
    if "html" in kind:
        html_fragment_to_collector(collector, body)
    else:
        parse_body(collector, body)
    body_start = next((t for _, blocks in collector.sections for _, t in blocks), "")
    dek = None
    if (
        summary
        and len(summary.split()) <= _DEK_MAX_WORDS
        and summary[:_PREFIX_CHARS].casefold() not in body_start.casefold()
    ):
        dek = summary
    link = entry.get("link")
    return build_article(
        title,
        dek,
        collector.sections,
        id=link or entry.get("id") or None,
        source=source,
        url=link or None,
        published=_day(entry),
        fetched=fetched,
        format="feed",
        notes=notes,
    )


def parse_feed_text(
    text: str,
    *,
    source: str | None = None,
    fetched: datetime | None = None,
    notes: Sequence[str] = (),
) -> list[Article]:
    """Parse decoded RSS, Atom or JSON Feed text into one article per usable entry.

    Args:
        text: the decoded feed document.
        source: where the feed came from (a path, a URL or a name).
        fetched: when it was fetched.
        notes: parse notes to carry into every article.

    Raises:
        ParseError: the input is not a feed, or no entry has a title or text.
    """
    if is_json_feed(text):
        return parse_json_feed(text, source=source, fetched=fetched, notes=notes)
    utf8 = _XML_ENCODING.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")
    parsed = feedparser.parse(utf8, sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        if parsed.get("version") and not problem:
            raise EmptyFeedError(
                "the feed has no entries yet; pass a feed with at least one <item> or <entry>"
            )
        detail = f" ({problem})" if problem else ""
        raise ParseError(
            f"the feed has no entries{detail}; pass an RSS or Atom document with at least "
            "one <item> or <entry>, or choose another format"
        )
    articles: list[Article] = []
    for entry in entries:
        try:
            articles.append(_entry_article(entry, source=source, fetched=fetched, notes=notes))
        except EmptyArticleError:
            continue
    if not articles:
        raise ParseError(
            f"none of the feed's {len(entries)} entries has a title or any text; "
            "check that the feed carries its items' content"
        )
    return articles
