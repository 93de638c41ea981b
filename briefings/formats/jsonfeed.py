"""The JSON Feed parser (https://jsonfeed.org, versions 1.0 and 1.1): one article per item.

A JSON Feed is an object whose ``version`` is ``https://jsonfeed.org/version/1`` or
``.../1.1`` and whose ``items`` is a list. Each item's ``url`` (else ``external_url``,
else its ``id``) is the article id, ``url`` (else ``external_url``) the URL, ``title`` the
title, ``content_html`` (read like feed HTML content: paragraphs, headings and lists
keep their shape) else ``content_text`` the body, ``summary`` the dek when it is not just
the start of the body, and ``date_published`` (else ``date_modified``) the publication
date. Items with neither title nor text, and items that are not objects, are skipped.
"""

from __future__ import annotations

import json
import re
from typing import Any

from briefings.errors import ParseError
from briefings.formats.base import Origin, clean_line
from briefings.formats.datelines import parse_date_value
from briefings.formats.entries import entry_article, entry_articles, entry_body
from briefings.model import Article

_VERSION = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/\d', re.IGNORECASE)


def is_json_feed(text: str) -> bool:
    """Whether decoded text is a JSON Feed document (by its ``version`` URL)."""
    return text.lstrip("\ufeff \t\r\n")[:1] == "{" and _VERSION.search(text) is not None


def _string(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "id":
        return str(value)  # JSON Feed 1.0 publishers sometimes give numeric ids
    return ""


def _item_article(item: dict[str, Any], origin: Origin) -> Article:
    html = _string(item, "content_html")
    if html.strip():
        body = entry_body(html, html=True)
    else:
        body = entry_body(_string(item, "content_text"), html=False)
    url = _string(item, "url") or _string(item, "external_url") or None
    published = parse_date_value(_string(item, "date_published")) or parse_date_value(
        _string(item, "date_modified")
    )
    return entry_article(
        _string(item, "title"),
        clean_line(_string(item, "summary")),
        body,
        origin,
        link=url,
        id=_string(item, "id"),
        published=published,
    )


def parse_json_feed(text: str, origin: Origin) -> list[Article]:
    """Parse a decoded JSON Feed into one article per usable item.

    Raises:
        ParseError: broken JSON, no ``items`` list, or no item with a title or text.
    """
    try:
        feed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"the JSON Feed is broken at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise ParseError("the JSON Feed nests too deeply") from None
    items = feed.get("items") if isinstance(feed, dict) else None
    if not isinstance(items, list) or not items:
        raise ParseError(
            'the JSON Feed has no items; a JSON Feed needs an "items" list with at least one item'
        )
    return entry_articles(
        (item for item in items if isinstance(item, dict)),
        lambda item: _item_article(item, origin),
        none_usable=f"none of the JSON Feed's {len(items)} items has a title or any text; "
        'check that its items carry "title", "content_html" or "content_text"',
    )
