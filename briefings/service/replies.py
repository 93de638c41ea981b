"""Neutral answers: what the service and the command layer return and adapters render.

These frozen dataclasses are the only thing an adapter renders; the core never builds
Block Kit, embeds or terminal markup. Text fields hold article text as it is: escaping
and mention-proofing are the adapter's job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from briefings.store.records import RelationRole, SubscriptionMode

ButtonAction = Literal["subscribe", "unsubscribe", "share", "actor", "brief"]
NoticeKind = Literal["ok", "info", "error", "refused", "not_found"]

_LOCAL_PATH = re.compile(r"^(?:/|\\|~|[A-Za-z]:[\\/]|file:)")


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as answers show it: id (stable, for buttons), display name and type."""

    id: str
    name: str
    type: str


def family_note(ref: ActorRef, members: Sequence[ActorRef], only: str) -> str:
    """The line that says which members an answer about ``ref`` included.

    Args:
        ref: the body.
        members: the members included.
        only: how to ask for the body alone (```actor Mali only```).
    """
    names = ", ".join(m.name for m in members)
    return f"{ref.name} includes {names} (for {ref.name} alone: {only})."


@dataclass(frozen=True, slots=True)
class SourceLink:
    """Where a story or an event comes from (a local file shows by its name only, never
    by the server's path)."""

    title: str
    url: str | None = None
    source: str | None = None
    published: date | None = None

    def __post_init__(self) -> None:
        if self.source is not None and _LOCAL_PATH.match(self.source):
            name = re.split(r"[\\/]", self.source.rstrip("\\/"))[-1]
            object.__setattr__(self, "source", name or None)


@dataclass(frozen=True, slots=True)
class Button:
    """An action a user can take from an answer ("Subscribe to JNIM")."""

    label: str
    action: ButtonAction
    value: str


@dataclass(frozen=True, slots=True)
class EventEntry:
    """One event in a timeline or a search result; ``date`` is ISO text as in the core."""

    text: str
    type: str
    date: str | None
    date_precision: str | None
    actors: tuple[ActorRef, ...]
    recipients: tuple[ActorRef, ...]
    location: str | None
    attribution: str | None
    modality: str
    source: SourceLink
    member: str | None = None
    """In a family profile (a state with its institutions), the member that takes part
    when it is not the actor itself ("Malian military")."""


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One story in a digest; near-duplicates from other sources are merged into it."""

    story_id: str
    headline: str
    tldr: str
    key_points: tuple[str, ...]
    actors: tuple[ActorRef, ...]
    sources: tuple[SourceLink, ...]
    event_count: int
    published: datetime | None


@dataclass(frozen=True, slots=True)
class Digest:
    """The stories of a time window, ranked, with the window they cover."""

    title: str
    start: datetime
    end: datetime
    items: tuple[DigestItem, ...]
    empty_text: str = "Nothing new in this period."
    buttons: tuple[Button, ...] = ()
    notes: tuple[str, ...] = ()
    """What the answer took the request to mean ("Mali includes Malian government, …";
    "Showing Africa Corps for 'wagnr'")."""

    @property
    def is_empty(self) -> bool:
        return not self.items


@dataclass(frozen=True, slots=True)
class Relation:
    """An actor that often appears in events with another, and how."""

    actor: ActorRef
    count: int
    role: RelationRole


@dataclass(frozen=True, slots=True)
class ActorProfile:
    """What briefbot knows about one actor."""

    actor: ActorRef
    aliases: tuple[str, ...]
    country: str | None
    mentions: tuple[tuple[date, int], ...]
    timeline: tuple[EventEntry, ...]
    related: tuple[Relation, ...]
    sources: tuple[SourceLink, ...]
    since: datetime | None
    buttons: tuple[Button, ...] = ()
    notes: tuple[str, ...] = ()
    """What the answer took the request to mean (see :attr:`Digest.notes`)."""
    more: int = 0
    """How many timeline entries were left out."""
    more_command: str | None = None
    """The command that shows them (``actor JNIM all``)."""


@dataclass(frozen=True, slots=True)
class EventList:
    """Events found for a query, best first."""

    query: str
    since: datetime | None
    entries: tuple[EventEntry, ...]


@dataclass(frozen=True, slots=True)
class SubscriptionEntry:
    """One subscription of a user or a channel."""

    actor: ActorRef
    mode: SubscriptionMode
    daily_time: str | None = None
    """When a daily bundle goes out (``HH:MM[:SS]``); None for the bot's default."""
    timezone: str | None = None
    """The IANA zone of ``daily_time``; None for the bot's default."""
    exact: bool = False
    """The actor itself only, without the members of its family."""

    @property
    def delivery(self) -> str:
        """How updates come, as shown: ``instant``, ``daily`` (at the bot's default time),
        ``daily at 07:30 Europe/Berlin``; ``, only`` for an exact subscription."""
        only = ", only" if self.exact else ""
        if self.mode != "daily":
            return f"{self.mode}{only}"
        at = f" at {self.daily_time}" if self.daily_time is not None else ""
        zone = f" {self.timezone}" if self.timezone is not None else ""
        return f"daily{at}{zone}{only}"


@dataclass(frozen=True, slots=True)
class SubscriptionList:
    """The subscriptions of one subscriber."""

    entries: tuple[SubscriptionEntry, ...]


@dataclass(frozen=True, slots=True)
class DigestSettingsView:
    """A channel's digest settings, as ``/digest`` alone shows them."""

    channel: str
    enabled: bool
    schedule: str
    timezone: str
    actors: tuple[ActorRef, ...]
    post_when_empty: bool
    next_run: datetime | None = None


@dataclass(frozen=True, slots=True)
class HelpEntry:
    """One command in the help text."""

    name: str
    usage: str
    description: str


@dataclass(frozen=True, slots=True)
class Help:
    """The list of commands."""

    entries: tuple[HelpEntry, ...]


@dataclass(frozen=True, slots=True)
class Notice:
    """A short answer: a confirmation, an error a user can act on, a refusal with its reason.

    ``suggestions`` carries "did you mean" candidates for an unknown actor.
    """

    kind: NoticeKind
    text: str
    suggestions: tuple[ActorRef, ...] = ()
    buttons: tuple[Button, ...] = field(default=())


Reply = Digest | ActorProfile | EventList | SubscriptionList | DigestSettingsView | Help | Notice
"""Everything the command layer can answer."""
