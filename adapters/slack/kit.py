"""Block Kit primitives: escaping, links, blocks within Slack's limits, and paging into messages.

Every piece of text that comes from an article, a user or the store goes through
:func:`escape` before it reaches a payload, so it can never form ``<!channel>``,
``<!here>`` or ``<@U…>``. Nothing here truncates: text over a limit is split across
blocks, blocks over 50 are split across messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.text import strip_bidi

Block = dict[str, Any]
"""One Block Kit block, as JSON."""

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_CONTEXT_TEXT = 2000
MAX_ACTIONS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_FALLBACK = 3000

_SAFE_URL = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup: ``&``, ``<`` and ``>`` (and
    drop bidirectional controls)."""
    return strip_bidi(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(label: str, url: str | None) -> str:
    """A mrkdwn link to an http(s) URL, or the escaped label alone for anything else."""
    text = escape(label) or escape(url or "")
    if not url or not _SAFE_URL.fullmatch(url):
        return text
    safe = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return f"<{safe}|{text}>"


def _safe_cut(text: str, cut: int) -> int:
    """Move a cut point back so it falls neither inside ``<…>`` markup nor an ``&…;`` entity."""
    opening = text.rfind("<", 0, cut)
    if opening > text.rfind(">", 0, cut) and opening > 0:
        cut = opening
    amp = text.rfind("&", max(0, cut - 5), cut)
    if amp > 0 and text.find(";", amp, cut) < 0:
        cut = amp
    return cut


def split_text(text: str, limit: int) -> list[str]:
    """Split escaped mrkdwn into pieces of at most ``limit`` characters, losing no words.

    Cuts at a line break if it can, else after a sentence, else at a space, never inside
    a link or an entity.
    """
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = window.rfind("\n")
        if cut < limit // 3:
            sentence = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
            cut = sentence + 1 if sentence >= limit // 3 else window.rfind(" ")
        if cut <= 0:
            cut = limit
        cut = _safe_cut(rest, cut) or cut
        head = rest[:cut].rstrip()
        if not head:  # nothing but spaces before the cut: take the most that is safe
            cut = _safe_cut(rest, limit) or limit
            head = rest[:cut]
        pieces.append(head)
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object that Slack renders as given (no auto-linking of names)."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def plain(text: str) -> dict[str, Any]:
    """A plain-text object (its text already escaped)."""
    return {"type": "plain_text", "text": text, "emoji": True}


def sections(text: str) -> list[Block]:
    """Section blocks holding escaped mrkdwn, as many as the 3000-character limit needs."""
    return [{"type": "section", "text": mrkdwn(piece)} for piece in split_text(text, MAX_SECTION)]


def header(text: str) -> list[Block]:
    """A header block for escaped text; a bold section when it is over 150 characters."""
    stripped = " ".join(text.split())
    if len(stripped) <= MAX_HEADER:
        return [{"type": "header", "text": plain(stripped)}]
    return sections(f"*{stripped}*")


def _packed(items: Iterable[Block | list[Block]], kind: str, key: str, size: int) -> list[Block]:
    """Elements packed ``size`` to a ``kind`` block (under ``key``), in order; an item that is
    a list of blocks goes out as those blocks, ahead of the block still filling up."""
    out: list[Block] = []
    group: list[Block] = []
    for item in items:
        if isinstance(item, list):
            out += item
            continue
        group.append(item)
        if len(group) == size:
            out.append({"type": kind, key: group})
            group = []
    if group:
        out.append({"type": kind, key: group})
    return out


def _field(label: str, value: str) -> Block | list[Block]:
    text = f"*{label}*\n{value}"
    return sections(text) if len(text) > MAX_FIELD else mrkdwn(text)


def fields(pairs: Sequence[tuple[str, str]]) -> list[Block]:
    """Label/value pairs (escaped mrkdwn) as section fields; a long value gets its own section."""
    items = (_field(label, value) for label, value in pairs)
    return _packed(items, "section", "fields", MAX_FIELDS)


def context(parts: Iterable[str]) -> list[Block]:
    """Context blocks for escaped mrkdwn parts: 10 elements a block, long parts split."""
    elements = [
        mrkdwn(piece) for part in parts if part for piece in split_text(part, MAX_CONTEXT_TEXT)
    ]
    return [
        {"type": "context", "elements": elements[i : i + MAX_CONTEXT_ELEMENTS]}
        for i in range(0, len(elements), MAX_CONTEXT_ELEMENTS)
    ]


@dataclass(frozen=True, slots=True)
class ButtonSpec:
    """A button before layout: its label (unescaped), what it does and its value."""

    label: str
    action: str
    value: str
    short_label: str
    style: str | None = None


def _button(label: str, action: str, value: str, index: int, style: str | None) -> Block:
    button: Block = {
        "type": "button",
        "text": plain(label),
        "action_id": f"briefbot:{action}:{index}",
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def actions(buttons: Sequence[ButtonSpec]) -> list[Block]:
    """Buttons in actions blocks (25 a block).

    A label over 75 characters becomes a section holding the full label with a button
    carrying the short label, so no label is cut. A value over 2000 characters has no
    button at all (it could not be sent back).
    """
    items = (
        _action(spec, index)
        for index, spec in enumerate(buttons)
        if len(spec.value) <= MAX_BUTTON_VALUE
    )
    return _packed(items, "actions", "elements", MAX_ACTIONS)


def _action(spec: ButtonSpec, index: int) -> Block | list[Block]:
    label = escape(spec.label)
    if len(label) <= MAX_BUTTON_TEXT:
        return _button(label, spec.action, spec.value, index, spec.style)
    blocks = sections(label)
    blocks[-1]["accessory"] = _button(
        escape(spec.short_label), spec.action, spec.value, index, spec.style
    )
    return blocks


@dataclass(frozen=True, slots=True)
class Message:
    """One Slack message: a plain-text fallback and at most 50 blocks."""

    text: str
    blocks: tuple[Block, ...]

    def payload(self) -> dict[str, Any]:
        """The message as ``chat.postMessage`` / ``respond`` keyword arguments."""
        return {"text": self.text, "blocks": list(self.blocks)}


@dataclass(slots=True)
class Unit:
    """Blocks that belong together (one story, one event), and their fallback line."""

    blocks: list[Block]
    fallback: str = ""


@dataclass(slots=True)
class Layout:
    """A reply laid out as units; :meth:`pages` packs them into messages."""

    title: str
    summary: str
    units: list[Unit] = field(default_factory=list)

    def add(self, blocks: list[Block], fallback: str = "") -> None:
        """Add blocks that should stay in one message if they can."""
        if blocks:
            self.units.append(Unit(blocks, fallback))

    def pages(self) -> list[Message]:
        """Pack the units into messages of at most 50 blocks (49 on continuation pages)."""
        pages: list[list[Unit]] = [[]]
        used = 0
        budget = MAX_BLOCKS
        for unit in self.units:
            fallback = unit.fallback
            for start in range(0, len(unit.blocks), MAX_BLOCKS - 1):
                chunk = Unit(unit.blocks[start : start + MAX_BLOCKS - 1], fallback)
                fallback = ""
                if used + len(chunk.blocks) > budget and pages[-1]:
                    pages.append([])
                    used = 0
                    budget = MAX_BLOCKS - 1
                pages[-1].append(chunk)
                used += len(chunk.blocks)
        total = len(pages)
        messages = []
        for number, page in enumerate(pages, start=1):
            blocks: list[Block] = []
            lines = [self.title if number == 1 else f"{self.title} (part {number} of {total})"]
            if number == 1 and self.summary:
                lines.append(self.summary)
            if number > 1:
                blocks += context([f"_{self.title}, continued ({number} of {total})_"])
            for unit in page:
                blocks += unit.blocks
                if unit.fallback:
                    lines.append(unit.fallback)
            _number_actions(blocks)
            messages.append(Message(_fallback(lines), tuple(blocks)))
        return messages


def _number_actions(blocks: list[Block]) -> None:
    """Give every button of a message its own action id (``briefbot:<action>:<n>``)."""
    count = 0
    for block in blocks:
        elements = block.get("elements", []) if block["type"] == "actions" else []
        accessory = block.get("accessory")
        for element in [*elements, *([accessory] if accessory else [])]:
            action = element.get("action_id", "")
            if action.startswith("briefbot:"):
                element["action_id"] = f"{action.rsplit(':', 1)[0]}:{count}"
                count += 1


def _fallback(lines: list[str]) -> str:
    """Join fallback lines up to the fallback budget, saying how many lines were left out."""
    out: list[str] = []
    size = 0
    for index, raw in enumerate(lines):
        line = raw
        if index == 0 and len(line) > MAX_FALLBACK - 40:
            line = split_text(line, MAX_FALLBACK - 41)[0] + "…"
        if size + len(line) + 1 > MAX_FALLBACK - 40:
            out.append(f"… and {len(lines) - index} more (see the message)")
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)
