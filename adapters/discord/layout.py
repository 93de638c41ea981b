"""Discord's message limits, and fitting drafted embeds into them without losing text.

Rendering drafts one :class:`Draft` per logical block (a story, a timeline, a help page)
with text of any length. :func:`fit` turns each draft into as many embeds as its text
needs — every title, description, field and footer within its limit, long text split at
line or word boundaries, never cut — and :func:`pack` groups the embeds into messages of at
most 10 embeds and 6,000 characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NotRequired, TypedDict

from adapters.text import strip_bidi

CONTENT_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
MESSAGE_EMBED_CHARS = 6000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_PER_EMBED = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
URL_LIMIT = 2048
BUTTONS_PER_ROW = 5
ROWS_PER_MESSAGE = 5
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100

_MARKDOWN = re.compile(r"([\\*_~`|\[\]<>])")
_LINE_START = re.compile(r"^([#>-])", re.MULTILINE)
_HTTP_URL = re.compile(r"^https?://[^\s<>\"]+$")


class EmbedField(TypedDict):
    """One embed field as Discord's API takes it."""

    name: str
    value: str
    inline: bool


class EmbedFooter(TypedDict):
    """An embed's footer as Discord's API takes it."""

    text: str


class EmbedPayload(TypedDict):
    """An embed as Discord's API takes it (the subset briefbot uses)."""

    title: NotRequired[str]
    url: NotRequired[str]
    description: NotRequired[str]
    color: NotRequired[int]
    fields: NotRequired[list[EmbedField]]
    footer: NotRequired[EmbedFooter]
    timestamp: NotRequired[str]


def escape(text: str) -> str:
    """Article text made inert as Discord markdown: it shows as typed, links and all
    (bidirectional controls dropped)."""
    return _LINE_START.sub(r"\\\1", _MARKDOWN.sub(r"\\\1", strip_bidi(text)))


def link(label: str, url: str | None) -> str:
    """A masked link to ``url`` when it is a usable http(s) URL, else the escaped label."""
    text = escape(label)
    if url and len(url) <= URL_LIMIT and _HTTP_URL.match(url):
        safe = url.replace("(", "%28").replace(")", "%29")
        return f"[{text}]({safe})"
    return text


def usable_url(url: str | None) -> str | None:
    """``url`` if Discord accepts it as an embed URL, else ``None``."""
    if url and len(url) <= URL_LIMIT and _HTTP_URL.match(url):
        return url
    return None


def ellipsize(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` with a visible ellipsis (for labels, never for content)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chunks(text: str, limit: int) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` characters.

    Splits between lines where it can, else between words, else inside a word; only the
    whitespace at a split point is dropped.

    Args:
        text: the text to split.
        limit: the longest piece allowed.
    """
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            out.append(current)
        rest = line
        while len(rest) > limit:
            cut = rest.rfind(" ", 0, limit + 1)
            if cut <= 0:
                cut = limit
            out.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip(" ")
        current = rest
    if current or not out:
        out.append(current)
    return [piece.rstrip() for piece in out if piece.strip()] or [""]


@dataclass(slots=True)
class Draft:
    """A logical embed before fitting: its texts may exceed Discord's limits."""

    title: str | None = None
    url: str | None = None
    description: str = ""
    fields: list[tuple[str, str, bool]] = field(default_factory=list)
    footer: str | None = None
    color: int | None = None
    timestamp: datetime | None = None

    def add_field(self, name: str, value: str, *, inline: bool = False) -> None:
        """Add a field; an empty value is skipped."""
        if value.strip():
            self.fields.append((name, value, inline))


def embed_chars(embed: EmbedPayload) -> int:
    """The characters of an embed that count toward the 6,000 per message."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    footer = embed.get("footer")
    return total + (len(footer["text"]) if footer else 0)


def _field_pieces(name: str, value: str, inline: bool) -> list[EmbedField]:
    if len(name) > FIELD_NAME_LIMIT:
        value = f"{name}\n{value}"
        name = ellipsize(name, FIELD_NAME_LIMIT)
    pieces = chunks(value, FIELD_VALUE_LIMIT)
    more = ellipsize(f"{name} (continued)", FIELD_NAME_LIMIT)
    return [
        {"name": name if i == 0 else more, "value": piece, "inline": inline}
        for i, piece in enumerate(pieces)
    ]


def fit(draft: Draft) -> list[EmbedPayload]:
    """Turn one draft into embeds that each respect every per-embed limit.

    A title over 256 characters is shortened with an ellipsis and given in full at the
    top of the description; a long description or field value continues in further
    embeds or fields; a footer over its limit moves into the description.

    Args:
        draft: the logical embed.
    """
    description = draft.description
    title = draft.title
    if title is not None and len(title) > TITLE_LIMIT:
        description = f"**{title}**\n{description}" if description else f"**{title}**"
        title = ellipsize(title, TITLE_LIMIT)
    footer = draft.footer
    if footer is not None and len(footer) > FOOTER_LIMIT:
        description = f"{description}\n{footer}" if description else footer
        footer = None
    pieces = chunks(description, DESCRIPTION_LIMIT) if description.strip() else []
    fields = [
        piece
        for name, value, inline in draft.fields
        for piece in _field_pieces(name, value, inline)
    ]
    embeds: list[EmbedPayload] = []

    def new_embed(first: bool) -> EmbedPayload:
        embed: EmbedPayload = {}
        if first and title:
            embed["title"] = title
            url = usable_url(draft.url)
            if url:
                embed["url"] = url
        if draft.color is not None:
            embed["color"] = draft.color
        embeds.append(embed)
        return embed

    current = new_embed(True)
    for i, piece in enumerate(pieces):
        if i:
            current = new_embed(False)
        current["description"] = piece
    reserve = len(footer) if footer else 0
    for item in fields:
        used = embed_chars(current) + reserve
        count = len(current.get("fields", []))
        size = len(item["name"]) + len(item["value"])
        if count >= FIELDS_PER_EMBED or used + size > MESSAGE_EMBED_CHARS:
            current = new_embed(False)
        current.setdefault("fields", []).append(item)
    if footer:
        if embed_chars(current) + len(footer) > MESSAGE_EMBED_CHARS:
            current = new_embed(False)
        current["footer"] = {"text": footer}
    if draft.timestamp is not None:
        current["timestamp"] = draft.timestamp.isoformat()
    return embeds


def pack(embeds: Iterable[EmbedPayload]) -> list[list[EmbedPayload]]:
    """Group embeds into messages of at most 10 embeds and 6,000 characters, in order.

    Args:
        embeds: fitted embeds (each already within 6,000 characters).
    """
    messages: list[list[EmbedPayload]] = []
    current: list[EmbedPayload] = []
    size = 0
    for embed in embeds:
        chars = embed_chars(embed)
        if current and (len(current) >= EMBEDS_PER_MESSAGE or size + chars > MESSAGE_EMBED_CHARS):
            messages.append(current)
            current, size = [], 0
        current.append(embed)
        size += chars
    if current:
        messages.append(current)
    return messages
