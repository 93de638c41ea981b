"""Text hygiene the chat adapters share: invisible direction controls taken out.

Bidirectional embedding, override and isolate controls (U+202A–202E, U+2066–2069) and
the direction marks (U+200E, U+200F, U+061C) in article text can make a message read
differently from what it holds (a reversed URL, a name that seems to say something else).
"""

from __future__ import annotations

import re

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters."""
    return _BIDI.sub("", text)
