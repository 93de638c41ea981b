"""Text folding: every way the core folds case, accents and punctuation, each for one use.

The functions differ on purpose and are not interchangeable:

- :func:`fold_in_place` and :func:`lower_in_place` change one character for one, so an
  offset in the folded text is an offset in the original: the actor automaton matches on
  the first, the event dictionary tags the second.
- :func:`plain` folds case and accents for word matching (search terms, headlines).
- :func:`name_key` is the lookup key of a name, stored with every mention (changing it
  changes what stored keys mean); name resolution contracts office phrases on top of it.
- :func:`slug` makes actor ids; ids are stored in subscriptions and buttons, so it never
  changes.
- :func:`strip_accents` drops diacritics and keeps everything else, case included.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# One-character substitutions that keep offsets: curly quotes and dashes become ASCII.
_IN_PLACE = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u02bc", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u2010", "-"),
    ("\u2011", "-"),
    ("\u2212", "-"),
    ("\u00a0", " "),
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ACCENT_FOLD: dict[str, str] = {}
_BLANKED = (
    "\n",
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    "(",
    ")",
    '"',
    "“",
    "”",
    "‘",
    "[",
    "]",
    "/",
    "–",
    "—",
    "…",
)
_NON_WORD = re.compile(r"[^\w]+")
_DROP = re.compile(r"[.'’‘`´]")
_SLUG_RUN = re.compile(r"[^a-z0-9]+")


def _fold_char(ch: str) -> str:
    folded = _ACCENT_FOLD.get(ch)
    if folded is None:
        parts = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in parts if not unicodedata.combining(c))
        folded = base if len(base) == 1 else ch
        _ACCENT_FOLD[ch] = folded
    return folded


def fold_in_place(text: str) -> str:
    """Fold curly quotes, dashes, no-break spaces and accents ("Ségou" -> "Segou") so that
    the actor automaton sees ASCII; case is kept and every change is one character for one,
    so offsets hold."""
    for old, new in _IN_PLACE:
        if old in text:
            text = text.replace(old, new)
    if not text.isascii():
        for ch in set(_NON_ASCII.findall(text)):
            folded = _fold_char(ch)
            if folded != ch:
                text = text.replace(ch, folded)
    return text


def lower_in_place(text: str) -> str:
    """Lower-case ``text`` and blank out punctuation, keeping every offset in place.

    Hyphens and apostrophes stay, so ``Iranian-backed`` and ``doesn't`` are single
    words (``’`` becomes ``'``). Plain ``str.replace`` calls: far faster than a regex.
    """
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for char in _BLANKED:
        if char in low:
            low = low.replace(char, " ")
    return low.replace("’", "'")


def plain(text: str) -> str:
    """Text case-folded and without accents ("Côte" → "cote"); fast on ASCII text.

    Args:
        text: any text.
    """
    text = text.casefold()
    if text.isascii():
        return text
    return strip_accents(text)


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """A lookup key for a name: accents and case folded, dots and apostrophes dropped,
    other punctuation turned into spaces, a leading "the" removed ("The U.S." → "us")."""
    folded = strip_accents(text).casefold()
    folded = _NON_WORD.sub(" ", _DROP.sub("", folded)).replace("_", " ")
    words = folded.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def slug(name: str) -> str:
    """The id slug of a name: ASCII-folded, lowercased, runs of other characters as one ``-``.

    Args:
        name: any actor name ("Côte d'Ivoire", "Ta'ang National Liberation Army").
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = folded.replace("'", "").replace("\u2019", "")
    return _SLUG_RUN.sub("-", folded.lower()).strip("-")


def strip_accents(text: str) -> str:
    """Drop diacritics ("Kandahār" -> "Kandahar"); other characters are kept."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
