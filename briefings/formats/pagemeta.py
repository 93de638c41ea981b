"""A web page's metadata: title without the site's name, dek, publication date and URL.

The title starts from what trafilatura's metadata reader chose (``og:title``, a lone
``<h1>``, the ``<title>``...), else ``og:title``, the ``<title>`` or a first ``<h1>``
that is not page furniture ("Menu", "Quicklink"). A segment of it (cut at `` | ``,
`` - ``, `` – ``, `` — ``, `` · ``, `` :: ``, `` » ``) is the site's name when it is
``og:site_name`` (or another declared site name) or the URL's host, or the part that the
``<title>`` adds around the ``og:title``; that segment is dropped. The dek is an element
whose class names it (``dek``, ``standfirst``, ``article-summary``...) — a class that
only mentions one of these words inside a longer name, such as Drupal's
``field--type-text-with-summary``, does not count — else the meta description, with its
entities and markup turned into text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from briefings.formats.base import clean_line
from briefings.formats.datelines import parse_date_value
from briefings.formats.pageblocks import html_to_text

_DEK_WORDS = frozenset(
    [
        "dek",
        "deck",
        "standfirst",
        "subtitle",
        "subhead",
        "subheadline",
        "strapline",
        "summary",
        "lede",
        "excerpt",
    ]
)
_DEK_PREFIXES = frozenset(
    [
        "article",
        "story",
        "post",
        "entry",
        "content",
        "page",
        "c",
        "o",
        "news",
        "field",
        "headline",
        "header",
        "hero",
    ]
)
_TITLE_SPLIT = re.compile(r"\s+(?:\||-|–|—|·|::|»|›|/)\s+")
_TITLE_TAIL = re.compile(r"\s+\(([^()]{2,60})\)$")
_FURNITURE_TITLE = re.compile(
    r"^(?:menu|main menu|hauptmenü|menü|navigation|quick ?links?|search|suche|"
    r"skip to (?:main )?content|home|startseite|themen|topics|login|log in|sign in|anmelden|"
    r"contact|kontakt|site navigation|share|cookies?|leave a (?:reply|comment)|"
    r"write a (?:reply|comment)(?: or comment)?.*|antworten abbrechen|comments?|kommentare?)$",
    re.IGNORECASE,
)
_NOT_ALNUM = re.compile(r"[\W_]+")
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
    "datepublished",
)
_SITE_META = ("og:site_name", "application-name", "twitter:site", "publisher", "copyright")
_HOST_PARTS = frozenset(
    [
        "www",
        "m",
        "en",
        "de",
        "fr",
        "amp",
        "mobile",
        "blog",
        "blogs",
        "news",
    ]
)


@dataclass
class PageMeta:
    """What the page says about itself."""

    title: str = ""
    dek: str = ""
    description: str = ""
    published: date | None = None
    url: str | None = None


def text_of(value: str) -> str:
    """One clean line from an attribute or a title: entities decoded, markup removed."""
    return clean_line(html_to_text(value))


def _squash(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def is_dek_class(classes: str) -> bool:
    """Whether a class attribute names a dek: ``dek``, ``story-dek``, ``c-article__dek``."""
    for token in classes.lower().split():
        parts = [p for p in re.split(r"[-_]+", token) if p]
        if token in ("sub-title", "sub-headline"):
            return True
        if parts and parts[-1] in _DEK_WORDS and all(p in _DEK_PREFIXES for p in parts[:-1]):
            return True
    return False


def _host_names(url: str | None) -> list[str]:
    if not url:
        return []
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return []
    labels = [p for p in host.split(".") if p]
    if len(labels) < 2:
        return []
    core = [p for p in labels[:-1] if p not in _HOST_PARTS] or labels[:-1]
    return [".".join(labels), ".".join(labels[-2:]), " ".join(core), core[-1]]


def _same_name(key: str, name: str) -> bool:
    """Whether two squashed names are one: equal, or one is the other with a short affix."""
    if key == name:
        return True
    short, long = sorted((key, name), key=len)
    return (
        len(short) >= 4
        and (long.startswith(short) or long.endswith(short))
        and (len(long) < 2.5 * len(short))
    )


def strip_site_name(title: str, sites: list[str], url: str | None, page_title: str = "") -> str:
    """The title without a segment naming the site (see the module docstring).

    Args:
        title: the chosen title.
        sites: declared site names (``og:site_name`` and the like).
        url: the page's URL, whose host may name the site.
        page_title: the page's ``<title>``, whose extra segments around ``title`` name it.
    """
    names = {_squash(s) for s in (*sites, *_host_names(url)) if _squash(s)}
    tail = _TITLE_TAIL.search(title)
    if tail is not None and any(_same_name(_squash(tail.group(1)), n) for n in names):
        title = title[: tail.start()]
    parts = [p for p in _TITLE_SPLIT.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    if page_title and page_title != title:
        extra = [p for p in _TITLE_SPLIT.split(page_title) if p.strip() and p not in parts]
        names |= {_squash(p) for p in extra}

    def is_site(part: str) -> bool:
        key = _squash(part)
        return bool(key) and any(_same_name(key, n) for n in names)

    # Only an edge segment is a site name; one in the middle is part of the headline.
    while len(parts) > 1 and is_site(parts[0]):
        parts = parts[1:]
    while len(parts) > 1 and is_site(parts[-1]):
        parts = parts[:-1]
    if is_site(parts[0]):
        return title
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else title


def read_meta(
    tree: lxml.html.HtmlElement, raw: str, found: Any | None, url: str | None
) -> PageMeta:
    """Read a page's metadata; ``found`` is trafilatura's Document, when it has one.

    Args:
        tree: the parsed page.
        raw: its HTML text (for JSON-LD dates).
        found: the Document trafilatura extracted (its ``title`` and ``sitename``), or None.
        url: the URL the caller gave, if any.
    """
    meta = PageMeta()
    values: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        content = el.get("content")
        if key and content and key not in values:
            values[key] = content.strip()
    title_el = tree.find(".//title")
    page_title = text_of(title_el.text_content()) if title_el is not None else ""
    og_title = text_of(values.get("og:title", ""))
    h1 = next(
        (
            t
            for t in (clean_line(h.text_content()) for h in tree.iter("h1"))
            if t and not _FURNITURE_TITLE.match(t)
        ),
        "",
    )
    chosen = text_of(str(getattr(found, "title", None) or "")) if found is not None else ""
    if _FURNITURE_TITLE.match(chosen):
        chosen = ""
    title = chosen or og_title or page_title or h1
    for el in tree.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            meta.url = el.get("href")
            break
    meta.url = meta.url or values.get("og:url") or None
    sites = [text_of(values[k]) for k in _SITE_META if values.get(k)]
    if found is not None and getattr(found, "sitename", None):
        sites.append(str(found.sitename))
    meta.title = strip_site_name(title, sites, url or meta.url, page_title)
    meta.description = text_of(values.get("description") or values.get("og:description") or "")
    for el in tree.iter("p", "div", "h2", "span"):
        if is_dek_class(el.get("class") or ""):
            dek = clean_line(el.text_content())
            if 3 <= len(dek.split()) <= 60:
                meta.dek = dek
                break
    for key in _DATE_META:
        meta.published = parse_date_value(values.get(key))
        if meta.published:
            break
    if meta.published is None:
        for el in tree.iter("time"):
            meta.published = parse_date_value(el.get("datetime") or clean_line(el.text_content()))
            if meta.published is not None:
                break
    if meta.published is None:
        m = _JSONLD_DATE.search(raw)
        meta.published = parse_date_value(m.group(1)) if m else None
    return meta
