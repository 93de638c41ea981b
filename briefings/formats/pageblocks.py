"""The blocks of a web page: trafilatura's main text, or briefbot's own lxml walker.

A block is ``(tag, text)``: ``h1``...``h6`` for headings, ``li`` for list items, ``p``
for everything else. Tables become one ``p`` block per row, its cells joined by `` | ``.
trafilatura reads the whole page (it removes navigation, forms, footers and comments
itself, and keeps a form or a header that holds the story); the walker reads a cleaned
copy, keeps loose text (text in ``<div>``s, lines between ``<br>``s, text after an
``<h1>``) as paragraphs, and drops a ``<header>`` or a ``<form>`` only when it does not
hold most of the page's text, and ``<noscript>`` unless the page's text is in it.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree
import lxml.html

Block = tuple[str, str]

_ALWAYS_DROPPED = (
    "script",
    "style",
    "template",
    "nav",
    "footer",
    "aside",
    "button",
    "select",
    "input",
    "textarea",
    "iframe",
    "svg",
    "canvas",
    "object",
    "embed",
    "figcaption",
    "label",
    "dialog",
    "menu",
)
_DROPPED_UNLESS_MAIN = ("header", "form")
_HEADINGS = frozenset(
    [
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ]
)
_TEXT_BLOCKS = frozenset(
    [
        "p",
        "pre",
        "dd",
        "dt",
        "address",
        "figcaption",
        "caption",
    ]
)
_CONTAINERS = frozenset(
    [
        "div",
        "section",
        "article",
        "main",
        "header",
        "body",
        "html",
        "form",
        "blockquote",
        "center",
        "aside",
        "details",
        "summary",
        "fieldset",
        "ul",
        "ol",
        "dl",
        "li",
        "td",
        "th",
        "tr",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "hr",
    ]
)
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:byline|author|dateline|timestamp|share|sharing|social|related|newsletter|"
    r"promo|advert|ad-slot|breadcrumbs?|tags|comments?|credits?|cookie|subscribe|paywall)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_FURNITURE_MAX = 300
"""Bylines, share bars and tag lists are short; a long element is never dropped as one."""
_NOSCRIPT_NEEDED = 200
"""A page with less text than this outside ``<noscript>``, and more inside it than outside,
is read from its ``<noscript>``."""
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _length(el: lxml.html.HtmlElement) -> int:
    return len("".join(el.text_content().split()))


def clean_tree(tree: lxml.html.HtmlElement) -> None:
    """Remove scripts, styles, navigation, forms and other non-article parts in place."""
    lxml.etree.strip_elements(tree, *_ALWAYS_DROPPED, with_tail=False)
    total = _length(tree)
    for tag in _DROPPED_UNLESS_MAIN:
        for el in list(tree.iter(tag)):
            if el.getparent() is not None and _length(el) * 2 < total:
                el.drop_tree()
    noscripts = list(tree.iter("noscript"))
    inside = sum(_length(n) for n in noscripts)
    if noscripts and (total - inside >= _NOSCRIPT_NEEDED or inside * 2 < total):
        lxml.etree.strip_elements(tree, "noscript", with_tail=False)
    # A date line standing alone (not a date inside a sentence) is page furniture.
    for el in list(tree.iter("time")):
        parent = el.getparent()
        if parent is not None and parent.tag in _CONTAINERS:
            el.drop_tree()
    furniture = [
        el
        for el in tree.iter("div", "p", "span", "section", "ul", "time")
        if _FURNITURE.search(f"{el.get('class') or ''} {el.get('id') or ''}")
        and len(el.text_content()) < _FURNITURE_MAX
    ]
    for el in furniture:
        if el.getparent() is not None:
            el.drop_tree()


def _own_text(item: lxml.html.HtmlElement) -> str:
    """The text of a list item without its nested lists (they are bullets of their own)."""
    parts = [item.text or ""]
    for child in item:
        if child.tag not in ("ul", "ol"):
            parts.append(_text_with_breaks(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _text_with_breaks(el: lxml.html.HtmlElement) -> str:
    """An element's text with a line break for each ``<br>``."""
    parts: list[str] = [el.text or ""] if isinstance(el.tag, str) else []
    for child in el:
        if child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str):
            parts.append(_text_with_breaks(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _BlockReader:
    """The blocks read so far, and the loose text waiting to become paragraphs."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._loose: list[str] = []

    def _take_loose(self) -> str:
        text = "".join(self._loose)
        self._loose.clear()
        return text


class _Walker(_BlockReader):
    """Reads blocks in document order, loose text included, each text once."""

    def flush(self) -> None:
        for part in _PARAGRAPH_BREAK.split(self._take_loose()):
            if part.strip():
                self.blocks.append(("p", part))

    def visit(self, el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            self._loose.append("\n")
        elif tag in _HEADINGS or tag in _TEXT_BLOCKS:
            self.flush()
            self.blocks.append((tag if tag in _HEADINGS else "p", _text_with_breaks(el)))
        elif tag == "li":
            self.flush()
            self.blocks.append(("li", _own_text(el)))
            for child in el:
                if child.tag in ("ul", "ol"):
                    self.visit(child)
        elif tag == "tr":
            self.flush()
            cells = [" ".join(c.text_content().split()) for c in el if c.tag in ("td", "th")]
            self.blocks.append(("p", " | ".join(c for c in cells if c)))
        elif tag:
            container = tag in _CONTAINERS
            if container:
                self.flush()
            self._loose.append(el.text or "")
            for child in el:
                self.visit(child)
            if container:
                self.flush()
        self._loose.append(el.tail or "")


def walk_blocks(root: lxml.html.HtmlElement) -> list[Block]:
    """The blocks under ``root`` (a cleaned tree or fragment), loose text included."""
    walker = _Walker()
    walker._loose.append(root.text or "")
    for child in root:
        walker.visit(child)
    walker.flush()
    return walker.blocks


def fallback_blocks(tree: lxml.html.HtmlElement) -> list[Block]:
    """The walker's blocks of the ``<article>``, ``<main>`` or ``<body>`` with most text."""
    body = tree.find(".//body")
    total = _length(body if body is not None else tree)
    for path in ("//article", "//main", "//*[@role='main']"):
        found = [el for el in tree.xpath(path) if isinstance(el, lxml.html.HtmlElement)]
        best = max(found, key=_length, default=None)
        # An empty or teaser <article> must not hide the story next to it.
        if best is not None and _length(best) * 3 >= total:
            return walk_blocks(best)
    return walk_blocks(body if body is not None else tree)


def trafilatura_document(tree: lxml.html.HtmlElement, url: str | None) -> Any | None:
    """trafilatura's Document for a page (main text as XML-like elements, metadata), or None."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_formatting=True,
            include_links=False,
            include_images=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, AttributeError, lxml.etree.LxmlError, RecursionError):
        return None


def _cell_text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


class _DocumentReader(_BlockReader):
    """Reads trafilatura's body: its blocks, and loose text between them as paragraphs."""

    def flush(self) -> None:
        text = self._take_loose()
        if text.strip():
            self.blocks.append(("p", text))

    def container(self, el: Any) -> None:
        self.flush()
        self._loose.append(el.text or "")
        for child in el:
            self.visit(child)
        self.flush()

    def visit(self, el: Any) -> None:
        tag = el.tag
        if tag == "lb":
            self._loose.append("\n")
        elif tag == "head":
            self.flush()
            rend = (el.get("rend") or "h2").lower()
            self.blocks.append((rend if rend in _HEADINGS else "h2", _breaks_text(el)))
        elif tag == "item":
            self.flush()
            self.blocks.append(("li", _breaks_text(el)))
            for child in el:
                if child.tag == "list":
                    self.container(child)
        elif tag == "row":
            self.flush()
            cells = [_cell_text(c) for c in el if c.tag == "cell"]
            self.blocks.append(("p", " | ".join(c for c in cells if c)))
        elif (
            tag in ("list", "table", "div", "main", "body")
            or (tag == "quote" and el.find("p") is not None)
            or (tag in ("p", "quote", "cell") and el.find("list") is not None)
        ):
            self.container(el)
        elif tag in ("p", "quote", "code", "cell"):
            self.flush()
            self.blocks.append(("p", _breaks_text(el)))
        elif isinstance(tag, str):
            self._loose.append(_breaks_text(el))
        self._loose.append(el.tail or "")


def _breaks_text(el: Any) -> str:
    """The text of a trafilatura element, a line break for each ``<lb/>``, nested lists apart."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag != "list":
            parts.append(_breaks_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def document_blocks(document: Any | None) -> list[Block]:
    """The blocks of trafilatura's main text (empty when it found none)."""
    body = getattr(document, "body", None)
    if body is None:
        return []
    reader = _DocumentReader()
    reader.container(body)
    return [(tag, text) for tag, text in reader.blocks if text.strip()]


def xml_safe(text: str) -> str:
    """Text without the control characters lxml refuses in element text."""
    return _XML_UNSAFE.sub("", text)


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment on one line (scripts and styles removed)."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(xml_safe(fragment), create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return fragment
    lxml.etree.strip_elements(root, "script", "style", "noscript", "template", with_tail=False)
    return " ".join(root.text_content().split())
