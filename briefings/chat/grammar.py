"""The chat command grammar's parser: text after a command name in, a typed command out.

Pure and synchronous; :mod:`briefings.chat.commands` documents the grammar and runs what this
module parses.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from functools import cache
from typing import get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process

from briefings.chat.requests import (
    DEFAULT_BRIEF_WINDOW,
    ActorCommand,
    BriefCommand,
    Command,
    DigestAction,
    DigestCommand,
    DigestEmptyCommand,
    DigestListCommand,
    DigestListField,
    DigestScheduleCommand,
    EventCommand,
    HelpCommand,
    SubscribeCommand,
    SubscriptionsCommand,
    UnsubscribeCommand,
)
from briefings.errors import CommandError
from briefings.model import EventType
from briefings.service.schedules import looks_like_time, parse_days, parse_time
from briefings.store.records import SubscriptionMode

EVENT_TYPES: tuple[str, ...] = get_args(EventType)
MAX_WINDOW = timedelta(days=365)

_WINDOW = re.compile(r"(\d{1,4})\s*(h|hours?|d|days?|w|weeks?)", re.IGNORECASE)
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
_TIME_LIKE = re.compile(r"\d{1,3}(?::\d{1,3}){1,2}\s*(?:am|pm)?|\d{1,3}\s*(?:am|pm)", re.IGNORECASE)
"""A word meant as a time of day, valid or not (``25:99``, ``13pm``)."""
_SIGNED_WINDOW = re.compile(r"[-+]\s*(\d{1,4}\s*(?:h|hours?|d|days?|w|weeks?))", re.IGNORECASE)
"""A window typed with a sign (``-5d``): windows always count back from now."""


class UnknownCommandError(CommandError):
    """The command name is not one briefbot knows; ``suggestion`` is the nearest one."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


COMMAND_NAMES = (
    "brief",
    "actor",
    "event",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "digest",
    "help",
)
_ALIASES = {"events": "event", "actors": "actor", "subs": "subscriptions", "briefing": "brief"}


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def clean_text(text: str) -> str:
    """Typed text with control characters (NUL, escapes, direction controls) as spaces."""
    return _CONTROL.sub(" ", text)


def parse_command(name: str, text: str = "") -> Command:
    """Parse one command.

    Args:
        name: the command name without prefix or slash ("digest", "/digest" also works).
        text: everything the user typed after the name.

    Raises:
        UnknownCommandError: when ``name`` is not a command.
        CommandError: when the arguments do not fit the grammar; the message shows usage.
    """
    name, text = clean_text(name), clean_text(text)
    key = name.strip().lstrip("/").casefold()
    key = _ALIASES.get(key, key)
    words = text.split()
    rest = " ".join(words)
    if key == "help":
        return HelpCommand(rest.casefold().lstrip("/") or None)
    if key == "brief":
        return _brief(words)
    if key == "actor":
        return _actor(words)
    if key == "event":
        return _event(words)
    if key == "subscribe":
        return _subscribe(words)
    if key == "unsubscribe":
        here, words = _take_here(words)
        if not words:
            raise CommandError("Unsubscribe from what? Type e.g. `unsubscribe JNIM`.")
        return UnsubscribeCommand(" ".join(words), here)
    if key == "subscriptions":
        here, words = _take_here(words)
        if words:
            raise CommandError("`subscriptions` takes no argument except `here`.")
        return SubscriptionsCommand(here)
    if key == "digest":
        return _digest(words)
    guess = nearest_command(key)
    hint = f" Did you mean /{guess}?" if guess else ""
    raise UnknownCommandError(
        f"There is no command {name!r}.{hint} Commands: {', '.join(COMMAND_NAMES)} (try `help`).",
        guess,
    )


def nearest_command(text: str) -> str | None:
    """The command a misspelt name most likely meant (``acter`` → ``actor``), or None.

    Args:
        text: the name as typed, without prefix or slash.
    """
    key = text.strip().lstrip("/").casefold()
    if not key:
        return None
    choices = [*COMMAND_NAMES, *_ALIASES]
    hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=70.0)
    if hit is None:
        return None
    return _ALIASES.get(hit[0], hit[0])


def parse_window(text: str) -> timedelta:
    """A window from ``24h``, ``7d``, ``2w``, ``30 days``.

    Args:
        text: the window as typed.

    Raises:
        CommandError: when it is not a window or lies outside 1 hour to 365 days.
    """
    m = _WINDOW.fullmatch(text.strip())
    if m is None:
        signed = _SIGNED_WINDOW.fullmatch(text.strip())
        if signed is not None:
            raise CommandError(
                f"{text!r} is not a time window: a window counts back from now, so type "
                f"{signed.group(1)} (e.g. `brief {signed.group(1)} Mali`)."
            )
        raise CommandError(f"{text!r} is not a time window: use e.g. 24h, 7d or 30d.")
    window = int(m.group(1)) * _UNITS[m.group(2)[0].casefold()]
    if not timedelta(hours=1) <= window <= MAX_WINDOW:
        raise CommandError(f"{text!r} is out of range: use 1h to 365d.")
    return window


def _is_window(word: str) -> bool:
    return _WINDOW.fullmatch(word) is not None


@cache
def _zone_names() -> dict[str, str]:
    return {z.casefold(): z for z in available_timezones()}


def parse_timezone(text: str) -> str:
    """An IANA time zone name, in its canonical spelling; "did you mean" on a typo.

    Args:
        text: as typed, any case: ``europe/berlin``, ``UTC``.

    Raises:
        CommandError: when no such zone exists.
    """
    names = _zone_names()
    name = names.get(text.strip().casefold())
    if name is not None:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            name = None
    if name is not None:
        return name
    hit = process.extractOne(text.casefold(), list(names), scorer=fuzz.ratio, score_cutoff=80.0)
    hint = f" Did you mean {names[hit[0]]}?" if hit else ""
    raise CommandError(f"{text!r} is not a time zone: use an IANA name like Europe/Berlin.{hint}")


def split_names(text: str) -> tuple[str, ...]:
    """Comma-separated names: ``JNIM, Africa Corps`` → ``("JNIM", "Africa Corps")``."""
    return tuple(n for n in (p.strip() for p in text.split(",")) if n)


def _brief(words: list[str]) -> BriefCommand:
    window = DEFAULT_BRIEF_WINDOW
    given = False
    if words and _is_window(words[0]):
        window, given = parse_window(words[0]), True
        words = words[1:]
    elif words and (words[0][:1].isdigit() or _SIGNED_WINDOW.fullmatch(words[0])):
        parse_window(words[0])
    if len(words) > 1 and _is_window(words[-1]) and not given:
        window = parse_window(words.pop())  # "brief Mali 7d" means "brief 7d Mali"
    if words and _SIGNED_WINDOW.fullmatch(words[-1]):
        parse_window(words[-1])
    names, exact = split_exact(" ".join(words))
    return BriefCommand(window, names, exact)


def split_exact(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Comma-separated names, and those of them typed with a trailing ``only``.

    ``Mali only, JNIM`` → ``(("Mali", "JNIM"), ("Mali",))``: ``only`` asks for the body
    itself, without the institutions the family rule adds (a state's government, army…).

    Args:
        text: the names as typed.
    """
    names: list[str] = []
    exact: list[str] = []
    for typed in split_names(text):
        head, _, last = typed.rpartition(" ")
        name = typed
        if head and last.casefold() == "only":
            name = head.strip()
            exact.append(name)
        names.append(name)
    return tuple(names), tuple(exact)


def _actor(words: list[str]) -> ActorCommand:
    exact = full = False
    while len(words) > 1 and words[-1].casefold() in ("only", "all"):
        if words.pop().casefold() == "only":
            exact = True
        else:
            full = True
    if not words:
        raise CommandError("Which actor? Type e.g. `actor JNIM` or `actor Africa Corps`.")
    return ActorCommand(" ".join(words), exact, full)


def _event(words: list[str]) -> EventCommand:
    window: timedelta | None = None
    kind: str | None = None
    kept: list[str] = []
    for word in words:
        if word.casefold().startswith("type:"):
            kind = word[5:].casefold()
            if kind not in EVENT_TYPES:
                raise CommandError(
                    f"{kind!r} is not an event type; use one of {', '.join(EVENT_TYPES)}."
                )
        else:
            kept.append(word)
    if kept and _SIGNED_WINDOW.fullmatch(kept[-1]):
        parse_window(kept[-1])
    if kept and _is_window(kept[-1]) and len(kept) > 1:
        window = parse_window(kept.pop())
    if not kept:
        raise CommandError("Search for what? Type e.g. `event siege Bamako` or `event blockade`.")
    return EventCommand(" ".join(kept), window, kind)


def _take_here(words: list[str]) -> tuple[bool, list[str]]:
    if words and words[-1].casefold() == "here":
        return True, words[:-1]
    return False, words


def _looks_like_zone(word: str) -> bool:
    return "/" in word or word.casefold() in ("utc", "gmt")


def _subscribe(words: list[str]) -> SubscribeCommand:
    mode: SubscriptionMode = "instant"
    here = False
    at: time | None = None
    zone: str | None = None
    # The delivery options trail the name: a time and a zone only after "daily".
    tail = len(words)
    while tail and (
        words[tail - 1].casefold() in ("here", "instant", "daily")
        or looks_like_time(words[tail - 1])
        or _TIME_LIKE.fullmatch(words[tail - 1])
        or _looks_like_zone(words[tail - 1])
    ):
        tail -= 1
    options = words[tail:]
    del words[tail:]
    while options and options[0].casefold() not in ("here", "instant", "daily"):
        words.append(options.pop(0))  # a time or a zone before any mode is part of the name
    for word in options:
        folded = word.casefold()
        if folded == "here":
            here = True
        elif folded in ("instant", "daily"):
            mode = "daily" if folded == "daily" else "instant"
        elif mode != "daily":
            raise CommandError(
                f"{word!r}: a time and a time zone go with daily, "
                "e.g. `subscribe JNIM daily 07:30 Europe/Berlin`."
            )
        elif looks_like_time(word) or _TIME_LIKE.fullmatch(word):
            at = parse_time(word)
        else:
            zone = parse_timezone(word)
    if not words:
        raise CommandError(
            "Subscribe to what? Type e.g. `subscribe JNIM` or `subscribe Africa Corps daily`."
        )
    if mode != "daily":
        at = zone = None
    exact = len(words) > 1 and words[-1].casefold() == "only"
    if exact:
        words.pop()
    return SubscribeCommand(" ".join(words), mode, here, at, zone, exact)


_LIST_FIELDS: dict[str, DigestListField] = {
    "actors": "actors",
    "actor": "actors",
    "exclude": "exclude_actors",
    "types": "event_types",
    "type": "event_types",
    "keywords": "keywords",
    "keyword": "keywords",
}
_CLEAR = {"all", "none", "any", "clear", "everything"}


def _digest(words: list[str]) -> Command:
    if not words:
        return DigestCommand("show")
    head = words[0].casefold()
    if len(words) == 1 and head in ("on", "off", "now", "show", "settings"):
        action: DigestAction = "show" if head in ("show", "settings") else head  # type: ignore[assignment]
        return DigestCommand(action)
    if head == "empty":
        if len(words) != 2 or words[1].casefold() not in ("on", "off"):
            raise CommandError("Type `digest empty on` or `digest empty off`.")
        return DigestEmptyCommand(words[1].casefold() == "on")
    if head in _LIST_FIELDS:
        field = _LIST_FIELDS[head]
        rest = " ".join(words[1:])
        if not rest:
            raise CommandError(f"Type e.g. `digest {head} JNIM, Africa Corps` (or `{head} all`).")
        if rest.casefold() in _CLEAR:
            return DigestListCommand(field, ())
        values = split_names(rest)
        exact: tuple[str, ...] = ()
        if field in ("actors", "exclude_actors"):
            values, exact = split_exact(rest)
        if field == "event_types":
            values = tuple(v.casefold() for v in values)
            wrong = [v for v in values if v not in EVENT_TYPES]
            if wrong:
                raise CommandError(
                    f"{', '.join(wrong)}: not an event type; use {', '.join(EVENT_TYPES)}."
                )
        return DigestListCommand(field, values, exact)
    at_index = next((i for i, w in enumerate(words) if looks_like_time(w)), None)
    if at_index is None:
        bad = next((w for w in words if _TIME_LIKE.fullmatch(w)), None)
        if bad is not None:
            parse_time(bad)
        raise CommandError(
            "Type e.g. `digest 08:00 Europe/Berlin`, `digest weekdays 07:30 America/New_York`, "
            "`digest actors JNIM, Africa Corps`, `digest off` or `digest now` "
            "(`digest` alone shows the settings)."
        )
    at = parse_time(words[at_index])
    days = parse_days(" ".join(words[:at_index])) if at_index else None
    tail = words[at_index + 1 :]
    if len(tail) > 1:
        raise CommandError(
            f"Unexpected {' '.join(tail[1:])!r}: the time zone comes last, e.g. "
            "`digest weekdays 07:30 America/New_York`."
        )
    zone = parse_timezone(tail[0]) if tail else None
    return DigestScheduleCommand(at, days, zone)
