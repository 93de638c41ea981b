"""Text the adapters share: invisible direction controls taken out, and the sparkline.

Bidirectional embedding, override and isolate controls (U+202A–202E, U+2066–2069) and
the direction marks (U+200E, U+200F, U+061C) in article text can make a message read
differently from what it holds (a reversed URL, a name that seems to say something else).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters."""
    return _BIDI.sub("", text)


BARS = "▁▂▃▄▅▆▇█"
"""The sparkline's bars, lowest to tallest."""


def sparkline(counts: Sequence[int], *, headroom: int = 0) -> str:
    """One bar a count: the tallest count gets the tallest bar, none gets the lowest.

    Args:
        counts: the counts, in order (mentions a day).
        headroom: steps left above the tallest count. Slack's actor profile keeps the one
            step it has always had (its golden file shows it); elsewhere there is none.

    Returns:
        The bars, or an empty string when there are no counts or all are zero.
    """
    top = max(counts, default=0)
    if top <= 0:
        return ""
    steps = len(BARS) - 1 + headroom
    return "".join(BARS[min(len(BARS) - 1, c * steps // (top + headroom))] for c in counts)
