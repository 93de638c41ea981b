"""The HTML parser: main-text extraction that keeps headings and lists, plus page metadata.

The article body comes from trafilatura (boilerplate removal: navigation, headers,
footers, related links, forms), asked for its XML form so headings and lists survive.
When trafilatura finds nothing, or the page is small (under ~1,200 characters of text,
where its heuristics lump the page into one paragraph), a small lxml walker reads the
``<article>``, ``<main>`` or ``<body>`` element instead. Either way scripts, styles,
navigation and forms never reach the text.

Metadata: the title is ``og:title``, else the first ``<h1>``, else ``<title>`` without a
" | Site" suffix; the dek is a subtitle element (class ``dek``, ``standfirst``,
``subtitle``, ``subhead``...) or the meta description when it is not just the start of
the first paragraph; ``published`` comes from ``article:published_time`` and similar
meta tags, ``itemprop="datePublished"``, JSON-LD ``datePublished`` or a ``<time>``
element; the URL from ``<link rel="canonical">`` or ``og:url``.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import lxml.etree
import lxml.html

from briefings.errors import ParseError
from briefings.model import Article
from briefings.parsing.base import build_article, clean_line
from briefings.parsing.dates import parse_date_value
from briefings.parsing.structure import SectionCollector, split_pieces

_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
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
)
_BLOCK_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "dd", "pre"])
_DEK_CLASS = re.compile(
    r"\b(?:dek|standfirst|subtitle|sub-title|subhead|subheadline|sub-headline|strapline|"
    r"article-summary|summary|lede|excerpt|deck)\b",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:byline|author|dateline|timestamp|share|sharing|social|related|newsletter|"
    r"promo|advert|ad-slot|breadcrumbs?|tags|comments?|credits?|cookie|subscribe|paywall)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "published_time",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
)
_FIRST_CHARS = 60
_FURNITURE_MAX = 300
"""Bylines, share bars and tag lists are short; a long element is never dropped as one."""
_SMALL_PAGE = 1200
"""Below this many characters of text the lxml walker beats trafilatura's extraction."""

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


@dataclass
class _Meta:
    title: str = ""
    h1: str = ""
    og_title: str = ""
    dek: str = ""
    description: str = ""
    published: date | None = None
    url: str | None = None


def _text(element: lxml.html.HtmlElement) -> str:
    return clean_line(element.text_content())


def _load(text: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=_HTML_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError(
            f"the HTML could not be read ({exc}); pass a complete page or use format='text'"
        ) from exc


def _metadata(tree: lxml.html.HtmlElement, raw: str) -> _Meta:
    meta = _Meta()
    values: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        content = el.get("content")
        if key and content and key not in values:
            values[key] = content.strip()
    title_el = tree.find(".//title")
    if title_el is not None:
        meta.title = _TITLE_SUFFIX.sub("", _text(title_el))
    h1 = next(tree.iter("h1"), None)
    if h1 is not None:
        meta.h1 = _text(h1)
    meta.og_title = clean_line(values.get("og:title", ""))
    meta.description = clean_line(values.get("description") or values.get("og:description") or "")
    for el in tree.iter("p", "div", "h2", "span"):
        if _DEK_CLASS.search(el.get("class") or ""):
            dek = _text(el)
            if 3 <= len(dek.split()) <= 60:
                meta.dek = dek
                break
    for key in (*_DATE_META, "datepublished"):
        meta.published = parse_date_value(values.get(key))
        if meta.published:
            break
    if meta.published is None:
        for el in tree.iter("time"):
            meta.published = parse_date_value(el.get("datetime") or _text(el))
            if meta.published is not None:
                break
    if meta.published is None:
        m = _JSONLD_DATE.search(raw)
        meta.published = parse_date_value(m.group(1)) if m else None
    for el in tree.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            meta.url = el.get("href")
            break
    meta.url = meta.url or values.get("og:url") or None
    return meta


def _strip(tree: lxml.html.HtmlElement) -> None:
    """Remove scripts, styles, navigation, forms and other non-article parts in place."""
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lxml.etree.strip_elements(tree, *_DROP_TAGS, with_tail=False)
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
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)


def _walk_blocks(root: lxml.html.HtmlElement) -> Iterable[tuple[str, str]]:
    """(tag, text) for each block element in document order, each text read once."""
    for el in root.iter(*_BLOCK_TAGS):
        ancestor = el.getparent()
        while ancestor is not None and ancestor is not root and ancestor.tag not in _BLOCK_TAGS:
            ancestor = ancestor.getparent()
        holder = ancestor.tag if ancestor is not None and ancestor is not root else None
        if el.tag == "li":
            if holder not in ("p", "pre", "dd"):
                yield "li", _own_text(el)
            continue
        held = holder in ("li", "p", "pre", "dd")
        if not held and not (el.tag == "blockquote" and el.find(".//p") is not None):
            yield el.tag, el.text_content()


def _fallback_blocks(tree: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    root = next(
        (
            found[0]
            for found in (
                tree.xpath("//article"),
                tree.xpath("//main"),
                tree.xpath("//*[@role='main']"),
                tree.xpath("//body"),
            )
            if found
        ),
        tree,
    )
    blocks = list(_walk_blocks(root))
    if not blocks:
        blocks = [("p", line) for line in root.text_content().splitlines()]
    return blocks


def _trafilatura_blocks(tree: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    import trafilatura

    try:
        xml = trafilatura.extract(
            tree,
            output_format="xml",
            include_formatting=True,
            include_links=False,
            include_comments=False,
            include_tables=False,
            include_images=False,
        )
    except (ValueError, TypeError, lxml.etree.LxmlError):
        return []
    if not xml:
        return []
    doc = lxml.etree.fromstring(xml.encode("utf-8"))
    main = doc.find("main")
    if main is None:
        return []
    blocks: list[tuple[str, str]] = []
    for el in main.iter("head", "p", "item", "quote"):
        if el.tag == "p" and el.getparent() is not None and el.getparent().tag == "quote":
            continue
        text = "".join(el.itertext())
        if el.tag == "head":
            rend = (el.get("rend") or "h2").lower()
            blocks.append((rend if rend in ("h1", "h2", "h3", "h4", "h5", "h6") else "h2", text))
        elif el.tag == "item":
            blocks.append(("li", text))
        else:
            blocks.append(("p", text))
    return blocks


def _same(a: str, b: str) -> bool:
    return bool(a) and a.casefold() == b.casefold()


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
                collector.add_line(piece)
    return title, collector


def parse_html(
    text: str,
    *,
    source: str | None = None,
    url: str | None = None,
    published: date | None = None,
    fetched: datetime | None = None,
    notes: Sequence[str] = (),
    body_only: bool = False,
) -> Article:
    """Parse an HTML page (or, with ``body_only``, an HTML fragment) into an article.

    Args:
        text: the decoded HTML.
        source: where it came from (a path or a name), used for the article id.
        url: the article's URL; overrides the canonical URL of the page.
        published: the publication date; overrides the page's metadata.
        fetched: when it was ingested.
        notes: parse notes to carry into the article.
        body_only: read the markup directly with the lxml walker, without boilerplate
            removal (for clean fragments such as feed content).

    Raises:
        ParseError: when the HTML cannot be read at all.
        EmptyArticleError: when no text is left.
    """
    tree = _load(text)
    meta = _metadata(tree, text)
    _strip(tree)
    extracted = [] if body_only else _trafilatura_blocks(copy.deepcopy(tree))
    walked = _fallback_blocks(tree)
    small = sum(len(t) for _, t in walked) < _SMALL_PAGE
    blocks = walked if small or len(extracted) < min(2, len(walked)) else extracted
    title = meta.og_title or meta.h1 or meta.title
    title, collector = _collect(blocks, title, meta.dek)
    dek = meta.dek
    if not dek and meta.description:
        opening = " ".join(t for _, part in collector.sections[:2] for _, t in part[:3])
        if meta.description[:_FIRST_CHARS].casefold() not in opening.casefold():
            dek = meta.description
    return build_article(
        title,
        dek or None,
        collector.sections,
        source=source,
        url=url or meta.url,
        published=published or meta.published,
        fetched=fetched,
        format="html",
        notes=notes,
    )


def html_fragment_to_collector(collector: SectionCollector, fragment: str) -> None:
    """Add the blocks of a clean HTML fragment (e.g. feed content) to a collector."""
    if not fragment.strip():
        return
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return
    _strip(root)
    blocks = list(_walk_blocks(root))
    if not blocks:
        blocks = [("p", line) for line in root.text_content().splitlines()]
    for tag, raw in blocks:
        text = clean_line(raw)
        if not text:
            continue
        if tag[0] == "h":
            collector.open(text)
        elif tag == "li":
            collector.add("bullet", text)
        else:
            for piece in split_pieces(raw):
                collector.add_line(piece)


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment on one line (scripts and styles removed)."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return fragment
    lxml.etree.strip_elements(root, "script", "style", "noscript", "template", with_tail=False)
    return " ".join(root.text_content().split())
