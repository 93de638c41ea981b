"""Guessing an input's format from its content and its file name."""

from __future__ import annotations

import re

from briefings.formats.jsonfeed import is_json_feed

_SUFFIXES: dict[str, str] = {
    ".md": "md",
    ".markdown": "md",
    ".mdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".txt": "text",
    ".text": "text",
}
_FEED = re.compile(r"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML = re.compile(
    r"<(?:!doctype html|html|head|body|article|main|p|div|h[1-6]|title|meta|ul|section)[\s>/]",
    re.IGNORECASE,
)
_MD_HEADING = re.compile(r"^#{1,6} \S", re.MULTILINE)
_MD_SETEXT = re.compile(r"^\S.*\n(?:=+|-+)[ \t]*$", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(?:\*\*|__)\S[^\n]*?\S(?:\*\*|__)")
_MD_LINK = re.compile(r"\]\((?:https?://|/|#)")
_HEAD = 4096


def detect_format(text: str, source: str | None = None) -> str:
    """The format name ("text", "md", "html", "json" or "feed") that fits this input.

    The content decides first (a JSON Feed, a JSON object or array, a feed root element, HTML tags,
    Markdown headings); a file-name suffix in ``source`` decides when the content is
    not conclusive.

    Args:
        text: the decoded input.
        source: a file name or path, whose suffix hints at the format.
    """
    head = text[:_HEAD].lstrip("\ufeff \t\r\n")
    if head and head[0] in "{[" and text.rstrip()[-1:] == ("}" if head[0] == "{" else "]"):
        return "feed" if head[0] == "{" and is_json_feed(text) else "json"
    if head.startswith("<"):
        if _FEED.search(head):
            return "feed"
        if _HTML.search(head):
            return "html"
        if head.startswith("<?xml"):
            return "feed"
    hint = _suffix_hint(source)
    if hint is not None:
        return hint
    if "</" in head and head.count("<") >= 3 and _HTML.search(head):
        return "html"
    return "md" if _looks_like_markdown(head) else "text"


def _looks_like_markdown(head: str) -> bool:
    """Markdown needs a heading or two other marks; bullets alone are plain text too."""
    if "#" in head and _MD_HEADING.search(head):
        return True
    marks = 0
    if ("**" in head or "__" in head) and _MD_EMPHASIS.search(head):
        marks += 1
    if "](" in head and _MD_LINK.search(head):
        marks += 1
    if "```" in head:
        marks += 1
    if "\n> " in head:
        marks += 1
    if ("\n==" in head or "\n--" in head) and _MD_SETEXT.search(head):
        marks += 2
    return marks >= 2


def _suffix_hint(source: str | None) -> str | None:
    if not source:
        return None
    name = source.rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    return _SUFFIXES.get(name[dot:]) if dot > 0 else None
