"""Whole-word occurrences of many forms in one text, from a single index of its words."""

from __future__ import annotations

import re

WORD = re.compile(r"[\w-]+")
"""A run of word characters (letters, digits, underscore) and hyphens."""


class Occurrences:
    """Finds where a form stands as a whole word: ``(?<![\\w-])form(?![\\w-])``.

    A form made only of word characters and hyphens stands as a whole word exactly where it
    is one of the text's maximal runs of such characters, so the text is cut into those
    runs once (on the first question) and each later form is a dictionary look-up instead
    of a scan of the whole text. Forms with other characters ("U.S.", "Wagner PMC group")
    fall back to that scan. Either way the answer is what the pattern's ``finditer`` gives.

    Args:
        text: the text to search; it must not change while this object is in use.
    """

    __slots__ = ("_runs", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._runs: dict[str, list[int]] | None = None

    def of(self, form: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` offsets, in text order, where ``form`` is a whole word."""
        first = WORD.match(form) if form else None
        if first is None:
            pattern = re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")
            return [m.span() for m in pattern.finditer(self._text)]
        runs = self._runs
        if runs is None:
            runs = self._runs = {}
            for m in WORD.finditer(self._text):
                runs.setdefault(m.group(), []).append(m.start())
        size = len(form)
        starts = runs.get(first.group(), ())
        if first.end() == size:
            return [(s, s + size) for s in starts]
        # A longer form ("U.S.", "Wagner PMC group") starts where its first word is a run of
        # the text: only those places are compared, not the whole text scanned again.
        text = self._text
        return [
            (s, s + size) for s in starts if text.startswith(form, s) and not _joins(text, s + size)
        ]


_JOINING = re.compile(r"[\w-]")


def _joins(text: str, at: int) -> bool:
    """Whether the character at ``at`` would continue a word (a word character or hyphen)."""
    return _JOINING.match(text, at) is not None
