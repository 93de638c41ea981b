"""Shared pieces of the parsers: the article builder, text cleaning and the input cap."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from briefings.errors import EmptyArticleError
from briefings.model import Article, Block, BlockKind, Section

MAX_INPUT_BYTES = 2_000_000
"""The documented cap on one article's raw input (2 MB): larger input is refused."""

_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff\ufffe\uffff\ud800-\udfff]"
)


def _clean_one(line: str) -> str:
    """Clean one line that holds no line break (NFC already applied)."""
    if line.isprintable():
        if "  " in line or line[:1] == " " or line[-1:] == " ":
            return " ".join(line.split())
        return line
    return " ".join(_CONTROL.sub("", line).split())


def clean_line(text: str) -> str:
    """Normalise one line: NFC, no control characters or soft hyphens, single spaces, trimmed.

    Any whitespace (line breaks included) becomes one space, so a cleaned line never
    spans lines of the canonical text.
    """
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _clean_one(text)


def clean_lines(text: str) -> list[str]:
    """Split text into lines and clean each like :func:`clean_line` (blank lines stay, empty)."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return [_clean_one(line) for line in text.splitlines()]


SectionSpec = tuple[str | None, Sequence[tuple[BlockKind, str]]]


def build_article(
    title: str,
    subtitle: str | None,
    sections: Iterable[SectionSpec],
    *,
    id: str | None = None,
    source: str | None = None,
    url: str | None = None,
    published: date | None = None,
    fetched: datetime | None = None,
    language: str | None = None,
    format: str = "text",
    notes: Sequence[str] = (),
    cleaned: bool = False,
    byline: str | None = None,
) -> Article:
    """Assemble an :class:`Article` and its canonical text from cleaned parts.

    Empty blocks and empty sections are dropped, and so is a wire dateline that opens one
    of the body's first paragraphs (:data:`DATELINE`; a standfirst may come before it).
    The canonical text holds the title, the subtitle and then every block on its own line;
    block offsets point into it. Without a title, the first block gives one (its first
    sentence, moved out of the body; or its start, cut at a word), so the first block is
    always the title.
    Every part goes through :func:`clean_line` unless ``cleaned`` says the caller did
    that already (the parsers do, to clean each line once).

    Raises:
        EmptyArticleError: when neither a title nor any body text is left.
    """
    title = clean_line(title)
    sub = clean_line(subtitle) if subtitle else ""
    specs = [
        (
            label,
            [(kind, text) for kind, raw in parts if (text := raw if cleaned else clean_line(raw))],
        )
        for label, parts in sections
    ]
    if not title:
        title = _title_from_body(specs)
    lines: list[str] = []
    blocks: list[Block] = []
    pos = 0

    def add(kind: BlockKind, text: str, section: int) -> Block:
        nonlocal pos
        block = Block(kind, text, pos, section)
        lines.append(text)
        blocks.append(block)
        pos += len(text) + 1
        return block

    if title:
        add("title", title, -1)
    if sub:
        add("subtitle", sub, -1)
    built: list[Section] = []
    opening = _DATELINE_BLOCKS  # a dateline opens one of the body's first paragraphs
    for label, parts in specs:
        section_blocks: list[Block] = []
        for kind, line in parts:
            text = line
            if opening:
                opening -= 1
                if kind == "paragraph" and (dateline := DATELINE.match(text)):
                    text = text[dateline.end() :]  # every format: the story starts after it
                    opening = 0
            if text:
                section_blocks.append(add(kind, text, len(built)))
        if section_blocks:
            built.append(
                Section(label=clean_line(label) if label else None, blocks=tuple(section_blocks))
            )
    if not built and not title:
        raise EmptyArticleError(
            "the article is empty: no title and no body text is left after cleaning; "
            "pass an article with a headline and text"
        )
    text = "\n".join(lines)
    ident = id or url or source or ("sha:" + _quick_hash(text))
    return Article(
        id=ident,
        title=title,
        subtitle=sub or None,
        sections=tuple(built),
        blocks=tuple(blocks),
        text=text,
        source=source,
        url=url,
        published=published,
        fetched=fetched,
        language=language,
        format=format,
        notes=tuple(notes),
        byline=byline,
    )


@dataclass(frozen=True, slots=True)
class Origin:
    """What a parser is told besides the text: where the input came from, when, and the
    decoder's notes. A ``url`` or ``published`` given here overrides one found in the input."""

    source: str | None = None
    url: str | None = None
    published: date | None = None
    fetched: datetime | None = None
    notes: tuple[str, ...] = ()

    def article(
        self,
        title: str,
        subtitle: str | None,
        sections: Iterable[SectionSpec],
        *,
        format: str,
        id: str | None = None,
        url: str | None = None,
        published: date | None = None,
        cleaned: bool = False,
        byline: str | None = None,
    ) -> Article:
        """:func:`build_article` for a parser: ``url`` and ``published`` are what the input
        itself says, used where this origin gives none."""
        return build_article(
            title,
            subtitle,
            sections,
            id=id,
            source=self.source,
            url=self.url or url,
            published=self.published or published,
            fetched=self.fetched,
            format=format,
            notes=self.notes,
            cleaned=cleaned,
            byline=byline,
        )


_DATELINE_BLOCKS = 3
"""How many of the body's first blocks a dateline may open."""
DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’-]{2,}(?:(?: |/ ?)[A-Z][A-Z.'’-]+){0,3})(?:, [A-Z][\w.'’ -]{1,30}?)?"
    r"(?:,? (?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8}))?"
    r"(?: ?\([^\W\d_][\w .&'’/-]{0,30}\))? ?(?:[-–—]{1,2}) +(?=\S)"
)
"""A wire dateline of any agency's style: ``SANAA, May 7 (Reuters) -``, ``BAMAKO, Mali (AP)
—``, ``PARIS, 7 May (AFP) -``, ``BEIRUT/DUBAI (dpa) --``, ``WASHINGTON —``."""


_FIRST_SENTENCE = re.compile(r"^.{10,}?[.!?](?=\s+[A-Z\"“])")
_TITLE_MAX = 120


def _title_from_body(specs: list[tuple[str | None, list[tuple[BlockKind, str]]]]) -> str:
    """Take a title from the first block: a whole short block, or its first sentence."""
    for _, parts in specs:
        if not parts:
            continue
        kind, text = parts[0]
        title = _fallback_title(text)
        if title == text:
            del parts[0]
        elif not title.endswith("…"):
            parts[0] = (kind, text[len(title) :].strip())
        return title
    return ""


def _fallback_title(text: str) -> str:
    """A title for an article without a headline: its first sentence, or its start."""
    m = _FIRST_SENTENCE.match(text)
    if m is not None and len(m.group()) <= _TITLE_MAX:
        return m.group()
    if len(text) <= _TITLE_MAX:
        return text
    cut = text.rfind(" ", 0, _TITLE_MAX)
    return text[: cut if cut > 0 else _TITLE_MAX] + "…"


def _quick_hash(text: str) -> str:
    import hashlib

    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()
