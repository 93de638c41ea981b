"""The HTML parser: trafilatura's main text with briefbot's structure, plus page metadata.

trafilatura reads the whole page: main text (boilerplate removal: navigation, headers,
footers, related links, forms, comments), tables (kept as text, one line per row) and
metadata. Its headings, lists and paragraphs become briefbot's sections, bullets and
paragraphs, and the known labels ("Details.", "Why it matters:") open sections as in the
other formats (a web page's "Word: text" lines are too often data to take any short
"Word:" as a label). When trafilatura rejects the page (or finds nothing), or when briefbot's lxml
walker reads everything trafilatura found with its structure and hardly anything more,
the walker's blocks are used (see :mod:`briefings.formats.pageblocks`). Either way
scripts, styles, navigation and forms never reach the text. Title, dek, date and URL:
see :mod:`briefings.formats.pagemeta`.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from collections.abc import Sequence

import lxml.etree
import lxml.html

from briefings.errors import ParseError
from briefings.formats.base import Origin, clean_line
from briefings.formats.pageblocks import (
    Block,
    clean_tree,
    document_blocks,
    fallback_blocks,
    html_to_text,
    trafilatura_document,
    walk_blocks,
    xml_safe,
)
from briefings.formats.pagemeta import read_meta
from briefings.formats.structure import (
    SectionCollector,
    split_bullet,
    split_pieces,
    starts_with_known_label,
)
from briefings.model import Article

__all__ = ["html_fragment_to_collector", "html_to_text", "parse_html"]

_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
_FIRST_CHARS = 60
_BULLET_GLYPHS = frozenset("►▶•‣▪◦–-*")
_LUMP_BLOCKS = 2
"""trafilatura's text in at most this many blocks: a small page it read as one lump."""
_WALKER_EXTRA = 0.1
"""The walker replaces trafilatura's blocks only when it adds at most this share of text."""
_WALKER_SLACK = 40
_WALKER_MISSING = 0.02
"""...and misses at most this share of trafilatura's words (plus a few: a date line)."""
_WALKER_MISSING_WORDS = 5

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)
logging.getLogger("courlan").setLevel(logging.CRITICAL)


def _load(text: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(
            xml_safe(text).encode("utf-8", "replace"), parser=_HTML_PARSER
        )
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError(
            f"the HTML could not be read ({exc}); pass a complete page or use format='text'"
        ) from exc


def _squashed(blocks: Sequence[Block]) -> str:
    return " ".join(" ".join(text.split()) for _, text in blocks if text.strip())


def _choose(extracted: list[Block], walked: list[Block]) -> list[Block]:
    """trafilatura's blocks, unless they are one lump the walker holds with its structure."""
    if not extracted:
        return walked
    if len(extracted) > _LUMP_BLOCKS or len(walked) <= len(extracted):
        return extracted
    ours, theirs = _squashed(walked), _squashed(extracted)
    if len(ours) > len(theirs) * (1 + _WALKER_EXTRA) + _WALKER_SLACK:
        return extracted
    words = Counter(theirs.casefold().split())
    missing = words - Counter(ours.casefold().split())
    allowed = _WALKER_MISSING * words.total() + _WALKER_MISSING_WORDS
    return walked if missing.total() <= allowed else extracted


def _same(a: str, b: str) -> bool:
    return bool(a) and a.casefold() == b.casefold()


def _add_piece(collector: SectionCollector, piece: str) -> None:
    """One line of a web paragraph: a glyph bullet, a known label, or prose as it is.

    Numbers ("37. What did one volcano say?") and "Word:" openings stay in the text: on a
    web page they are content far more often than list markers or section labels.
    """
    if piece[:1] in _BULLET_GLYPHS and split_bullet(piece) is not None:
        collector.add_line(piece)
    elif starts_with_known_label(piece):
        collector.add_line(piece, paragraph_labels=True)
    else:
        collector.add("paragraph", piece)


def _collect(
    blocks: Sequence[tuple[str, str]], title: str, dek: str
) -> tuple[str, SectionCollector]:
    collector = SectionCollector()
    for tag, raw in blocks:
        text = clean_line(raw)
        if not text:
            continue
        if tag[0] == "h":
            if tag == "h1" and not title:
                title = text
            elif not (_same(text, title) or _same(text, dek)):
                collector.open(text)
        elif tag == "li":
            collector.add("bullet", text)
        elif not (_same(text, title) or _same(text, dek)):
            for piece in split_pieces(raw):
                _add_piece(collector, piece)
    return title, collector


def parse_html(text: str, origin: Origin, *, body_only: bool = False) -> Article:
    """Parse an HTML page (or, with ``body_only``, an HTML fragment) into an article.

    Args:
        text: the decoded HTML.
        origin: where it came from; its URL and date override the page's canonical URL
            and metadata.
        body_only: read the markup directly with the lxml walker, without boilerplate
            removal (for clean fragments such as feed content).

    Raises:
        ParseError: when the HTML cannot be read at all.
        EmptyArticleError: when no text is left.
    """
    tree = _load(text)
    document = None if body_only else trafilatura_document(copy.deepcopy(tree), origin.url)
    meta = read_meta(tree, text, document, origin.url)
    clean_tree(tree)
    walked = fallback_blocks(tree)
    blocks = walked if body_only else _choose(document_blocks(document), walked)
    title, collector = _collect(blocks, meta.title, meta.dek)
    dek = meta.dek
    if not dek and meta.description:
        opening = " ".join(t for _, part in collector.sections[:2] for _, t in part[:3])
        if meta.description[:_FIRST_CHARS].casefold() not in opening.casefold():
            dek = meta.description
    return origin.article(
        title,
        dek or None,
        collector.sections,
        format="html",
        url=meta.url,
        published=meta.published,
    )


def html_fragment_to_collector(collector: SectionCollector, fragment: str) -> None:
    """Add the blocks of a clean HTML fragment (e.g. feed content) to a collector."""
    if not fragment.strip():
        return
    try:
        root = lxml.html.fragment_fromstring(xml_safe(fragment), create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return
    clean_tree(root)
    for tag, raw in walk_blocks(root):
        text = clean_line(raw)
        if not text:
            continue
        if tag[0] == "h":
            collector.open(text)
        elif tag == "li":
            collector.add("bullet", text)
        else:
            for piece in split_pieces(raw):
                _add_piece(collector, piece)
