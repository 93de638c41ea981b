"""Which offset ranges lie inside any of a set of spans, answered in logarithmic time."""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class Containment:
    """Answers "does some span ``(a, b)`` hold ``[s, e]``, i.e. ``a <= s and e <= b``?".

    The spans are sorted by start once; for each prefix of that order the furthest end is
    kept, so a question is one binary search: of the spans starting at or before ``s``,
    does the one reaching furthest reach ``e``? An article with thousands of discovered
    names asks thousands of these, which a scan over every span made quadratic.

    Args:
        spans: ``(start, end)`` pairs, in any order; later changes to the source are not seen.
    """

    __slots__ = ("_reach", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        reach: list[int] = []
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            reach.append(furthest)
        self._reach = reach

    def __bool__(self) -> bool:
        return bool(self._starts)

    def holds(self, s: int, e: int) -> bool:
        """Whether some span starts at or before ``s`` and ends at or after ``e``."""
        at = bisect.bisect_right(self._starts, s) - 1
        return at >= 0 and self._reach[at] >= e
