"""The Markdown parser: headings open sections, lists become bullets, markup becomes text.

The first level-1 heading before any text is the title (without one, a short first
paragraph is); the paragraph right under the title is the dek when it is all emphasis
(``*Mali's junta loses its grip*``) or when a story-opening label follows it, as in the
text format. Other headings open sections labelled with their text; consecutive headings
merge ("Background: Tigray war"). A paragraph that starts with a label ("**Why it
matters:** ...") opens a section too. List items are bullets of the current section;
emphasis, links and inline code become their text; code blocks, raw HTML and tables are
left out. Optional YAML-style front matter (``---`` lines) may give ``title``,
``subtitle``, ``date``/``published`` and ``url``; a date line under the title, or a
labelled one ("Published: 2026-02-18") anywhere, gives the publication date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefings.formats.base import Origin, clean_line
from briefings.formats.datelines import parse_date_line, parse_date_value, parse_labelled_date_line
from briefings.formats.structure import (
    SectionCollector,
    split_bullet,
    split_label,
    split_pieces,
)
from briefings.formats.text import is_dek_text
from briefings.model import Article

_MD = MarkdownIt("commonmark").enable("table")
"""CommonMark plus GFM tables, so that a table is recognised (and left out), not read as a
paragraph of ``|`` cells."""
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<body>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_FIELD = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*?)\s*$", re.MULTILINE)
_TITLE_MAX_WORDS = 25


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    m = _FRONT_MATTER.match(text)
    if m is None:
        return {}, text
    fields = {
        f.group("key").lower(): f.group("value").strip("'\"")
        for f in _FRONT_FIELD.finditer(m.group("body"))
    }
    return fields, text[m.end() :]


def _inline_text(token: Token) -> tuple[str, bool]:
    """The plain text of an inline token, and whether it is all emphasis."""
    parts: list[str] = []
    emphasis_depth = 0
    bare = False
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
            if emphasis_depth == 0 and child.content.strip():
                bare = True
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(child.content)
        elif kind in ("em_open", "strong_open"):
            emphasis_depth += 1
        elif kind in ("em_close", "strong_close"):
            emphasis_depth -= 1
    text = "".join(parts)
    return text, bool(text.strip()) and not bare


class _Walker:
    """Walks markdown-it tokens, collecting the title, the dek and the sections."""

    def __init__(self) -> None:
        self.collector = SectionCollector()
        self.title = ""
        self.subtitle: str | None = None
        self.published: date | None = None
        self.seen_body = False
        self.dek_candidate: tuple[str, bool] | None = None
        self.item_text: list[list[str]] = []

    def heading(self, level: int, text: str) -> None:
        self.flush_dek(None)
        text = clean_line(text.replace("\n", " "))
        if level == 1 and not self.title and not self.seen_body:
            self.title = text
        elif text:
            self.collector.open(text)
            self.seen_body = True

    def paragraph(self, text: str, emphasised: bool, *, quoted: bool) -> None:
        if self.item_text:
            self.item_text[-1].append(text)
            return
        pieces = split_pieces(text)
        if not pieces:
            return
        if len(pieces) == 1 and (day := parse_labelled_date_line(pieces[0])) is not None:
            self.published = self.published or day  # "Published: 2026-02-18", wherever it is
            return
        if not self.seen_body and self.dek_candidate is None:
            if not self.title and len(pieces) == 1 and len(pieces[0].split()) <= _TITLE_MAX_WORDS:
                self.title = pieces[0]
                return
            if self.title and len(pieces) == 1:
                day = parse_date_line(pieces[0])
                if day is not None:
                    self.published = self.published or day
                    return
                if split_bullet(pieces[0]) is None and split_label(pieces[0]) is None:
                    self.dek_candidate = (pieces[0], emphasised or quoted)
                    return
        self.flush_dek(pieces[0])
        for piece in pieces:
            self.collector.add_line(piece)
        self.seen_body = True

    def flush_dek(self, following: str | None) -> None:
        """Settle the pending dek candidate now that the next block is known."""
        if self.dek_candidate is None:
            return
        text, marked = self.dek_candidate
        self.dek_candidate = None
        if marked or (following is not None and is_dek_text(text, following)):
            self.subtitle = text
        else:
            self.collector.add("paragraph", text)
            self.seen_body = True

    def bullet(self, parts: Sequence[str]) -> None:
        self.flush_dek(None)
        text = " ".join(clean_line(p) for p in parts)
        if text.strip():
            self.collector.add("bullet", text)
            self.seen_body = True

    def walk(self, tokens: Sequence[Token]) -> None:
        quoted = 0
        heading_level = 0
        table = 0
        for token in tokens:
            kind = token.type
            if kind in ("table_open", "table_close"):
                table += 1 if kind == "table_open" else -1
            elif table:
                continue  # a table's cells are data, not prose
            elif kind == "heading_open":
                heading_level = int(token.tag[1:])
            elif kind == "heading_close":
                heading_level = 0
            elif kind == "blockquote_open":
                quoted += 1
            elif kind == "blockquote_close":
                quoted -= 1
            elif kind == "list_item_open":
                if self.item_text and self.item_text[-1]:
                    self.bullet(self.item_text[-1])
                    self.item_text[-1] = []
                self.item_text.append([])
            elif kind == "list_item_close":
                self.bullet(self.item_text.pop())
            elif kind == "inline":
                text, emphasised = _inline_text(token)
                if heading_level:
                    self.heading(heading_level, text)
                else:
                    self.paragraph(text, emphasised, quoted=quoted > 0)
        self.flush_dek(None)


def parse_markdown(text: str, origin: Origin) -> Article:
    """Parse Markdown into an :class:`Article` (see the module docstring for the rules).

    Args:
        text: the decoded Markdown.
        origin: where it came from; its URL and date override a ``url`` or date in the
            front matter or a date line.

    Raises:
        EmptyArticleError: when there is no text.
    """
    fields, body = _front_matter(text)
    walker = _Walker()
    walker.walk(_MD.parse(body))
    title = fields.get("title") or walker.title
    return origin.article(
        title,
        fields.get("subtitle") or fields.get("description") or walker.subtitle,
        walker.collector.sections,
        format="md",
        url=fields.get("url") or None,
        published=parse_date_value(fields.get("published") or fields.get("date"))
        or walker.published,
    )
