"""Whether an input reads as an article: a body with at least one sentence-like line.

``echo x | briefbot ingest -`` must not store an article called "x". A body line is
sentence-like when it has :data:`MIN_WORDS` words and ends as a sentence does, or has
:data:`LONG_WORDS` words whatever its end (a bullet without a full stop). A line made of
table cells (``| a | b |``) or a bare address is not prose. A one-line input whose only
line is a full sentence (a news flash: "JNIM fighters besieged Bamako on Monday.") is
its own body.
"""

from __future__ import annotations

import re

from briefings.model import Article

MIN_WORDS = 4
"""The fewest words of a sentence-like line that ends as a sentence does."""
LONG_WORDS = 8
"""The fewest words of a sentence-like line without a sentence's end."""

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_CELLS = re.compile(r"^\s*\|.*\|\s*$|\|.*\|.*\|")
_ADDRESS = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)


def sentence_like(line: str) -> bool:
    """Whether one body line reads as a sentence (see the module docstring).

    Args:
        line: a paragraph or a bullet.
    """
    if _CELLS.search(line) or _ADDRESS.match(line):
        return False
    words = len(_WORD.findall(line))
    return words >= LONG_WORDS or (words >= MIN_WORDS and _END.search(line) is not None)


def body_problem(article: Article) -> str | None:
    """Why an article has no sentence-like body, in words a user can act on; None if it has.

    Args:
        article: the parsed article.
    """
    body = [b.text for b in article.blocks if b.kind in ("paragraph", "bullet")]
    if any(sentence_like(line) for line in body):
        return None
    if not body and _END.search(article.title) and sentence_like(article.title):
        return None
    title = article.title if len(article.title) <= 60 else article.title[:57] + "..."
    if not body:
        found = f"only a title ({title!r})"
    else:
        found = f"{len(body)} line{'s' if len(body) != 1 else ''} under {title!r}, none a sentence"
    return (
        f"not an article: {found}; briefbot needs a body with at least one sentence of "
        f"{MIN_WORDS} or more words"
    )
