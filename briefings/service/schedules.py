"""Digest schedules: clocks, days, times of day and the next run, in chat, config and store.

A schedule is a day set, a time of day and an IANA zone. Chat (:func:`parse_time`,
:func:`parse_days`) is lenient ("7:30pm", "mon-fri", "every day"); a config file
(:func:`setting_time`, :func:`setting_days`) takes only ``HH:MM[:SS]`` and day names; the
store keeps ``HH:MM[:SS]`` (:func:`time_text`, :func:`stored_time`) and the cron day field
(:func:`cron_days`, :func:`friendly_days`). Every time comes from an injected :data:`Clock`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from briefings.errors import CommandError
from briefings.store.records import DigestSettings

Clock = Callable[[], datetime]
"""A function returning the current time, timezone-aware."""

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIME_HINT = "use HH:MM, e.g. 07:30"

_CRON_DAYS = {"daily": "*", "weekdays": "mon-fri", "weekends": "sat,sun"}
_FRIENDLY_DAYS = {v: k for k, v in _CRON_DAYS.items()}
_TIME = re.compile(r"([01]?\d|2[0-3])(?::([0-5]\d)(?::([0-5]\d))?)?\s*(am|pm)?", re.IGNORECASE)
_SETTING_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")
_DAY = re.compile(r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*")
_NAMED_DAYS = {
    "daily": "daily",
    "everyday": "daily",
    "every day": "daily",
    "weekdays": "weekdays",
    "weekends": "weekends",
}
_SPLIT = re.compile(r"\s*[,;]\s*|\s+and\s+")


def utc_now() -> datetime:
    """The real clock, in UTC."""
    return datetime.now(UTC)


def cron_days(days: str) -> str:
    """The store's day-of-week field for a grammar day set (``weekdays`` → ``mon-fri``)."""
    return _CRON_DAYS.get(days, days)


def friendly_days(days: str) -> str:
    """A stored day-of-week field in words (``mon-fri`` → ``weekdays``)."""
    return _FRIENDLY_DAYS.get(days, days)


def _weekdays(days: str) -> set[int]:
    if days == "*":
        return set(range(7))
    out: set[int] = set()
    for part in days.split(","):
        if "-" in part:
            a, b = (WEEK.index(p) for p in part.split("-", 1))
            out.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)])
        else:
            out.add(WEEK.index(part))
    return out


def stored_time(text: str) -> time:
    """The time of day a stored ``HH:MM`` or ``HH:MM:SS`` stands for.

    Args:
        text: the stored time of day.

    Raises:
        ValueError: when it is neither.
    """
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) <= 2 for p in parts):
        raise ValueError(f"{text!r} is not a time of day like 08:00 or 08:00:30")
    seconds = int(parts[2]) if len(parts) == 3 else 0
    return time(int(parts[0]), int(parts[1]), seconds)


def time_text(at: time) -> str:
    """``HH:MM``, or ``HH:MM:SS`` when the seconds matter (the stored form).

    Args:
        at: the time of day.
    """
    return at.strftime("%H:%M:%S" if at.second else "%H:%M")


def next_run(setting: DigestSettings, now: datetime) -> datetime | None:
    """When a digest runs next after ``now`` (UTC), or None when it is off.

    A wall time skipped by a daylight-saving change runs an hour later by the wall clock; a
    repeated one runs at its first occurrence.

    Args:
        setting: the channel's settings.
        now: the current time, aware.
    """
    if not setting.enabled:
        return None
    zone = ZoneInfo(setting.timezone)
    at = stored_time(setting.time_of_day)
    days = _weekdays(setting.days)
    local_today = now.astimezone(zone).date()
    for offset in range(8):
        day = local_today + timedelta(days=offset)
        if day.weekday() not in days:
            continue
        # fold=0: a repeated wall time runs at its first occurrence, a skipped one an hour
        # later by the wall clock (as the scheduler's trigger does).
        moment = datetime.combine(day, at, zone).astimezone(UTC)
        if moment > now:
            return moment
    return None


def parse_time(text: str) -> time:
    """A time of day from ``08:00``, ``08:00:30``, ``7:30``, ``7:30am`` or ``6pm``.

    Args:
        text: the time as typed.

    Raises:
        CommandError: when it is not a time of day.
    """
    m = _TIME.fullmatch(text.strip())
    if m is None or (m.group(2) is None and m.group(4) is None):
        raise CommandError(f"{text} is not a time ({TIME_HINT}).")
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), (m.group(4) or "").casefold()
    if half:
        if not 1 <= hour <= 12:
            raise CommandError(f"{text} is not a time ({TIME_HINT}, or 7:30pm).")
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute, int(m.group(3) or 0))


def looks_like_time(word: str) -> bool:
    """Whether a typed word is a time of day :func:`parse_time` reads (range aside)."""
    m = _TIME.fullmatch(word)
    return m is not None and (m.group(2) is not None or m.group(4) is not None)


def parse_days(text: str) -> str:
    """A day set: ``daily``, ``weekdays``, ``weekends`` or days like ``mon,wed,fri``.

    Args:
        text: as typed: ``weekdays``, ``Mon, Wed, Fri``, ``mon-fri``, ``every day``.

    Raises:
        CommandError: when a part is not a day.
    """
    raw = " ".join(text.casefold().split())
    if raw in _NAMED_DAYS:
        return _NAMED_DAYS[raw]
    chosen: set[int] = set()
    for part in _SPLIT.split(raw):
        ends = [p.strip() for p in part.split("-")]
        idx = [_day_index(p, text) for p in ends]
        if len(idx) == 1:
            chosen.add(idx[0])
        elif len(idx) == 2:
            a, b = idx
            chosen.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)])
        else:
            raise CommandError(f"{text!r} is not a day set: use e.g. weekdays or mon,wed,fri.")
    days = tuple(WEEK[i] for i in sorted(chosen))
    if len(days) == 7:
        return "daily"
    if days == WEEK[:5]:
        return "weekdays"
    if days == WEEK[5:]:
        return "weekends"
    return ",".join(days)


def _day_index(word: str, text: str) -> int:
    if not _DAY.fullmatch(word):
        raise CommandError(
            f"{text!r} is not a day set: use daily, weekdays, weekends or mon,wed,fri."
        )
    return WEEK.index(word[:3])


def setting_time(value: object) -> time:
    """A config file's wall-clock time from ``"08:00"`` or ``"07:30:15"``.

    Args:
        value: the text, or a TOML local time.
    """
    if isinstance(value, time):
        return value.replace(microsecond=0)
    if isinstance(value, str) and (m := _SETTING_TIME.fullmatch(value.strip())):
        return time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
    raise ValueError(f"{value!r} is not a time of day like 08:00")


def setting_days(value: object) -> str:
    """A config file's day set: ``daily``, ``weekdays``, ``weekends`` or ``mon,wed,fri``.

    Args:
        value: the text (or a list of day names).
    """
    items = value if isinstance(value, list) else str(value).split(",")
    words = [str(i).strip().lower() for i in items]
    if len(words) == 1 and words[0] in _CRON_DAYS:
        return words[0]
    short = [w[:3] for w in words]
    if not words or any(w[:3] not in WEEK or not _DAY.fullmatch(w) for w in words):
        raise ValueError(
            f"{value!r} is not a day set (use daily, weekdays, weekends or mon,wed,fri)"
        )
    return ",".join(d for d in WEEK if d in short)
