"""The state of one actor-finding pass over an article, and where an automaton hit starts."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefings.analysis.actors.findings import Span
from briefings.analysis.actors.matcher import Pattern
from briefings.analysis.actors.mentions import Candidate, PlaceSpan
from briefings.model import ActorInfo


@dataclass(slots=True)
class Scan:
    """The state of one ``find`` call."""

    text: str
    norm: str
    cands: list[Candidate] = field(default_factory=list)
    places: list[PlaceSpan] = field(default_factory=list)
    covered: dict[int, Span] = field(default_factory=dict)
    derived: dict[str, ActorInfo] = field(default_factory=dict)
    linked: dict[str, list[str]] = field(default_factory=dict)
    titled: dict[int, tuple[str, int]] = field(default_factory=dict)
    """States named inside a title ("Minister of Finance of Kenya"): start -> (id, end)."""


def hit_start(hit: tuple[int, Pattern]) -> int:
    """The start offset of an automaton hit (last offset, pattern)."""
    return hit[0] + 1 - hit[1][3]
