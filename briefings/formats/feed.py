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
from collections.abc import Mapping
from datetime import date
from typing import Any

import feedparser

from briefings.errors import EmptyFeedError, ParseError
from briefings.formats.base import Origin, clean_line
from briefings.formats.entries import entry_article, entry_articles, entry_body
from briefings.formats.html import html_to_text
from briefings.formats.jsonfeed import is_json_feed, parse_json_feed
from briefings.model import Article

_XML_ENCODING = re.compile(r"""\A(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


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


def _entry_article(entry: Mapping[str, Any], origin: Origin) -> Article:
    title_type = str((entry.get("title_detail") or {}).get("type") or "text/html")
    body, kind, summary = _body(entry)
    return entry_article(
        _plain(str(entry.get("title") or ""), title_type),
        summary,
        entry_body(body, html="html" in kind),
        origin,
        link=entry.get("link"),
        id=entry.get("id"),
        published=_day(entry),
    )


def parse_feed_text(text: str, origin: Origin) -> list[Article]:
    """Parse decoded RSS, Atom or JSON Feed text into one article per usable entry.

    Args:
        text: the decoded feed document.
        origin: where the feed came from, when it was fetched, and the notes to carry
            into every article; a URL or date given there overrides every entry's.

    Raises:
        ParseError: the input is not a feed, or no entry has a title or text.
    """
    if is_json_feed(text):
        return parse_json_feed(text, origin)
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
    return entry_articles(
        entries,
        lambda entry: _entry_article(entry, origin),
        none_usable=f"none of the feed's {len(entries)} entries has a title or any text; "
        "check that the feed carries its items' content",
    )
