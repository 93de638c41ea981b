"""Derived keys the store computes: actor index words and the first day of a date period."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from functools import lru_cache

_DAY = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DECADE = re.compile(r"^(\d{3})0s$")


@lru_cache(maxsize=65536)
def actor_key(actor_id: str) -> str:
    """A word standing for an actor in the full-text indexes (``k`` + 13 base-32 letters
    of a 64-bit hash of its id), so an actor filter is part of the match."""
    digest = hashlib.blake2b(actor_id.encode("utf-8"), digest_size=8).digest()
    return "k" + base64.b32encode(digest).decode("ascii").rstrip("=").lower()


@lru_cache(maxsize=4096)
def period_start(value: str) -> date | None:
    """The first day of an ISO period as events carry it, or None when unreadable.

    ``2026-04-25`` → that day; ``2026-04`` → 1 April; ``2026`` → 1 January;
    ``2010s`` → 1 January 2010; ``2024-10/2026-04`` → 1 October 2024.
    """
    head = value.split("/", 1)[0].strip()
    decade = _DECADE.match(head)
    if decade:
        return date(int(decade.group(1)) * 10, 1, 1)
    match = _DAY.match(head)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2) or 1)
    day = int(match.group(3) or 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None
