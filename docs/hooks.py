"""MkDocs hook: the command guide's tables rendered from the bot's own help text."""

from __future__ import annotations

from typing import Any

from briefings.chat.help import DIGEST_HELP, HELP
from briefings.service.replies import HelpEntry

TABLES: dict[str, tuple[HelpEntry, ...]] = {
    "<!-- help:commands -->": HELP,
    "<!-- help:digest -->": DIGEST_HELP,
}
"""Each marker of the commands page, and the help entries that replace it."""


def table(entries: tuple[HelpEntry, ...]) -> str:
    """A Markdown table of help entries: the usage as typed, then what it does.

    Args:
        entries: the entries in the order the bot's ``help`` lists them.
    """
    rows = [f"| `/{e.usage}` | {e.description} |" for e in entries]
    return "\n".join(["| Command | What it does |", "| --- | --- |", *rows])


def render(markdown: str) -> str:
    """The page with every help marker replaced by its table; a page must hold all or none.

    Args:
        markdown: a page's Markdown source.
    """
    found = [marker for marker in TABLES if marker in markdown]
    if found and len(found) != len(TABLES):
        missing = ", ".join(m for m in TABLES if m not in found)
        raise ValueError(f"the command guide lost its help markers: {missing}")
    for marker, entries in TABLES.items():
        markdown = markdown.replace(marker, table(entries))
    return markdown


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """MkDocs calls this for every page; only the commands page holds the markers."""
    return render(markdown)
