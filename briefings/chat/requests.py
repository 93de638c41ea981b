"""The typed chat commands: what :mod:`briefings.chat.grammar` parses a command into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import Literal

from briefings.store.records import SubscriptionMode

DEFAULT_BRIEF_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class HelpCommand:
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class BriefCommand:
    """``brief [WINDOW] [NAME[, NAME…]]``; a name followed by ``only`` is in ``exact``."""

    window: timedelta = DEFAULT_BRIEF_WINDOW
    actors: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ActorCommand:
    """``actor NAME [only] [all]``: ``only`` leaves out a state's institutions, ``all``
    shows the whole timeline."""

    name: str
    exact: bool = False
    full: bool = False


@dataclass(frozen=True, slots=True)
class EventCommand:
    query: str
    window: timedelta | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class SubscribeCommand:
    """``subscribe NAME [instant | daily [HH:MM] [TIMEZONE]] [here]``.

    ``at`` and ``timezone`` say when a daily bundle goes out; None means the bot's default.
    """

    name: str
    mode: SubscriptionMode = "instant"
    here: bool = False
    at: time | None = None
    timezone: str | None = None
    exact: bool = False
    """``subscribe Mali only``: the body itself, not its institutions."""


@dataclass(frozen=True, slots=True)
class UnsubscribeCommand:
    name: str
    here: bool = False


@dataclass(frozen=True, slots=True)
class SubscriptionsCommand:
    here: bool = False


DigestAction = Literal["show", "on", "off", "now"]
DigestListField = Literal["actors", "exclude_actors", "event_types", "keywords"]


@dataclass(frozen=True, slots=True)
class DigestCommand:
    """``digest`` alone, ``on``, ``off`` or ``now``."""

    action: DigestAction = "show"


@dataclass(frozen=True, slots=True)
class DigestScheduleCommand:
    """``digest [DAYS] HH:MM [TIMEZONE]``; ``None`` keeps the current value."""

    at: time
    days: str | None = None
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class DigestListCommand:
    """``digest actors|exclude|types|keywords …``; an empty ``values`` clears the list.

    ``exact`` holds the actor names typed with ``only`` (the body without its institutions).
    """

    field: DigestListField
    values: tuple[str, ...]
    exact: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DigestEmptyCommand:
    post_when_empty: bool


Command = (
    HelpCommand
    | BriefCommand
    | ActorCommand
    | EventCommand
    | SubscribeCommand
    | UnsubscribeCommand
    | SubscriptionsCommand
    | DigestCommand
    | DigestScheduleCommand
    | DigestListCommand
    | DigestEmptyCommand
)
