"""The JSON form of an article, for programs that push articles to briefbot.

One article is a JSON object::

    {
      "title": "Pro-Russian Regime in Mali Begins to Collapse",
      "subtitle": "Mali's government collapses ...",          (optional)
      "url": "https://example.org/mali",                       (optional)
      "published": "2026-04-27",                               (optional; or an ISO datetime)
      "sections": [                                            (optional)
        {"label": "Details", "paragraphs": ["On April 25, ..."], "bullets": ["..."]},
        {"label": null, "paragraphs": ["..."]}
      ],
      "body": "Plain text, parsed like the text format's body"  (optional)
    }

``title`` is required (a string). In a section, ``label``, ``paragraphs`` and ``bullets``
are all optional; paragraphs come before bullets. When both ``body`` and ``sections`` are
given, the body's blocks come first. Other keys are ignored. A JSON array of such objects
is a batch: :func:`parse_json_many` returns them all, :func:`parse` the first (with a
note saying so). Explicit ``url`` and ``published`` arguments override the document's.
"""

from __future__ import annotations

import json
from typing import Any

from briefings.errors import ParseError
from briefings.formats.base import Origin
from briefings.formats.datelines import parse_date_value
from briefings.formats.structure import SectionCollector
from briefings.formats.text import parse_body
from briefings.model import Article


def load_json(text: str) -> list[dict[str, Any]]:
    """Decode JSON text into a list of article objects (one object becomes a list of one).

    Raises:
        ParseError: broken JSON, or a value that is not an object or a list of objects.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"the JSON is broken at line {exc.lineno}, column {exc.colno}: {exc.msg}; "
            "fix it, or pass the article as text"
        ) from None
    except RecursionError:
        raise ParseError("the JSON nests too deeply; pass one article object") from None
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ParseError("the JSON list is empty; pass at least one article object")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            where = f"item {i} of the list" if isinstance(value, list) else "the JSON value"
            raise ParseError(
                f"{where} is a {type(item).__name__}, not an object; an article is "
                '{"title": ..., "sections": [...]} or {"title": ..., "body": ...}'
            )
    return items


def _string(obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise ParseError(f'{where} has no "{key}"; give the article a "{key}" string')
        return None
    if not isinstance(value, str):
        raise ParseError(f'{where}: "{key}" must be a string, not {type(value).__name__}')
    return value


def _strings(obj: dict[str, Any], key: str, where: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ParseError(f'{where}: "{key}" must be a list of strings')
    return value


def article_from_object(
    obj: dict[str, Any], origin: Origin, *, where: str = "the article"
) -> Article:
    """Build an article from one decoded JSON object (see the module docstring).

    Raises:
        ParseError: a field is missing or of the wrong type, or the date is unreadable.
    """
    title = _string(obj, "title", where, required=True) or ""
    subtitle = _string(obj, "subtitle", where)
    raw_day = _string(obj, "published", where)
    day = parse_date_value(raw_day) if raw_day else None
    if raw_day and day is None:
        raise ParseError(
            f'{where}: "published" is {raw_day!r}; use YYYY-MM-DD or an ISO date and time'
        )
    collector = SectionCollector()
    body = _string(obj, "body", where)
    if body:
        parse_body(collector, body)
    sections = obj.get("sections")
    if sections is not None and not isinstance(sections, list):
        raise ParseError(f'{where}: "sections" must be a list of objects')
    for i, section in enumerate(sections or []):
        at = f"{where}, section {i}"
        if not isinstance(section, dict):
            raise ParseError(f"{at} must be an object with label, paragraphs and bullets")
        collector.sections.append(
            (
                _string(section, "label", at),
                [("paragraph", p) for p in _strings(section, "paragraphs", at)]
                + [("bullet", b) for b in _strings(section, "bullets", at)],
            )
        )
    return origin.article(
        title,
        subtitle,
        collector.sections,
        format="json",
        url=_string(obj, "url", where),
        published=day,
    )


def parse_json_text(text: str, origin: Origin) -> list[Article]:
    """Parse decoded JSON text (an object or a list of objects) into articles.

    Raises:
        ParseError: broken JSON or an object that does not follow the form.
        EmptyArticleError: an article with neither a title nor any text.
    """
    items = load_json(text)
    many = len(items) > 1
    return [
        article_from_object(item, origin, where=f"article {i}" if many else "the article")
        for i, item in enumerate(items)
    ]
