"""What discovery finds (actors, mentions, places) and the state it shares while reading."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from briefings.model import ActorInfo, ActorType, MentionKind
from briefings.text.folding import slug
from briefings.text.occurrences import Occurrences

Span = tuple[int, int, str, str]
"""What the gazetteer pass found at an offset: (start, end, "actor"|"state"|"place", target)."""


@dataclass(slots=True)
class FoundActor:
    """An actor created by discovery."""

    actor_id: str
    name: str
    type: ActorType
    country: str | None = None
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FoundMention:
    """A mention created by discovery."""

    actor_id: str
    start: int
    end: int
    kind: MentionKind


@dataclass(frozen=True, slots=True)
class FoundPlace:
    """A place (or facility) span found by discovery."""

    start: int
    end: int
    name: str


@dataclass(slots=True)
class Discovery:
    """Everything discovery adds to the gazetteer pass."""

    actors: list[FoundActor] = field(default_factory=list)
    mentions: list[FoundMention] = field(default_factory=list)
    places: list[FoundPlace] = field(default_factory=list)
    absorbed: list[tuple[int, int]] = field(default_factory=list)
    names: list[tuple[int, int]] = field(default_factory=list)
    linked: dict[str, list[str]] = field(default_factory=dict)


StateLookup = Callable[[str], ActorInfo | None]


@dataclass(slots=True)
class Tok:
    text: str
    start: int
    end: int
    conn: bool


@dataclass(slots=True)
class Ctx:
    text: str
    norm: str
    covered: Mapping[int, Span]
    state: StateLookup
    out: Discovery
    persons: dict[str, str] = field(default_factory=dict)  # surname -> actor id
    person_keys: dict[str, str] = field(default_factory=dict)  # folded full name -> actor id
    run_start: int = 0
    last_person_end: int = -1
    refs: list[tuple[int, int, int, str]] = field(default_factory=list)  # title, name, end
    ends: dict[int, Span] = field(default_factory=dict)
    starts: list[int] = field(default_factory=list)
    actor_ids: set[str] = field(default_factory=set)
    words: Occurrences | None = None


def covering(ctx: Ctx, tok: Tok) -> Span | None:
    """The gazetteer span that starts at or contains this token, if any."""
    span = ctx.covered.get(tok.start)
    if span is not None:
        return span
    if not ctx.starts:
        ctx.starts = sorted(ctx.covered)
    at = bisect.bisect_right(ctx.starts, tok.start) - 1
    if at < 0:
        return None
    span = ctx.covered[ctx.starts[at]]
    return span if span[1] > tok.start else None


def add_actor(
    ctx: Ctx,
    name: str,
    otype: ActorType,
    s: int,
    e: int,
    *,
    country: str | None = None,
    parent: str | None = None,
) -> str:
    actor_id = "x-" + slug(name)
    if actor_id not in ctx.actor_ids:
        ctx.actor_ids.add(actor_id)
        ctx.out.actors.append(FoundActor(actor_id, name, otype, country, parent))
    ctx.out.mentions.append(FoundMention(actor_id, s, e, "name"))
    return actor_id


def sentence_initial(norm: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, a line, a quotation or a list item
    (its capital then says nothing of a name)."""
    j = start - 1
    while j >= 0 and norm[j] in " \t":
        j -= 1
    return j < 0 or norm[j] in ".!?\n:\"'(;[-*•►▶"
