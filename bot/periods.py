"""Digest schedules as pure functions of a clock: fire times, periods and catch-up.

APScheduler 3 reads the wall clock itself, so nothing here asks it for "now": the
scheduler passes the time in, and tests pass any time they like. Fire times come from
:class:`DigestTrigger`, a ``CronTrigger`` in the channel's IANA zone with one DST fix (see
its docstring).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from briefings.service.schedules import cron_days, time_text

MAX_SPAN = timedelta(days=7)
"""The longest period one digest covers (a channel whose digest was off for a month gets
the last week, not the month)."""

_LOOKBACK = timedelta(days=8)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a channel's digest runs: a day set, a wall-clock time and an IANA zone.

    ``days`` is ``daily``, ``weekdays``, ``weekends`` or a list like ``mon,wed,fri``.
    """

    days: str
    at: time
    timezone: str

    def trigger(self) -> DigestTrigger:
        """The APScheduler trigger that fires on this schedule."""
        return DigestTrigger(self)

    def describe(self) -> str:
        """``weekdays 08:00 Europe/Berlin``."""
        return f"{self.days} {time_text(self.at)} {self.timezone}"


class DigestTrigger(CronTrigger):  # type: ignore[misc]
    """A cron trigger for a :class:`Schedule` that fires once a day even across DST.

    APScheduler 3.11's ``CronTrigger`` handles the common cases (08:00 stays 08:00 local
    on both sides of a change) and fires a time that does not exist on the
    spring-forward day (02:30 in Europe/Berlin) once, an hour later by the wall clock.
    On the fall-back day it gets a repeated wall time wrong: it fires 02:30 twice (once
    in summer time, once in winter time), and asked again after the second one it
    returns that same, past instant, which would fire it over and over. The workaround
    here: a fire time that is the *second* occurrence of a repeated wall time is skipped
    (the schedule fires at the first), and a result that is not after the previous fire
    time is replaced by the next one from the following day.
    """

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.zone = ZoneInfo(schedule.timezone)
        days = cron_days(schedule.days)
        super().__init__(
            day_of_week=days,
            hour=schedule.at.hour,
            minute=schedule.at.minute,
            second=schedule.at.second,
            timezone=self.zone,
        )

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The first fire time at or after ``now`` (and after ``previous_fire_time``)."""
        found: datetime | None = super().get_next_fire_time(previous_fire_time, now)
        for _ in range(4):
            if found is None:
                return None
            late = previous_fire_time is not None and found <= previous_fire_time
            if not late and found >= now and not self._second_of_repeated(found):
                return found.astimezone(UTC).astimezone(self.zone)  # a real wall time
            # Start again at the next local midnight (the bad case is confined to one day),
            # without the previous fire time, which CronTrigger would start from instead.
            local = found.astimezone(UTC).astimezone(self.zone)
            next_day = datetime.combine(local.date() + timedelta(days=1), time(), self.zone)
            found = super().get_next_fire_time(None, max(next_day, now))
        return None

    def _second_of_repeated(self, fire: datetime) -> bool:
        wall = fire.astimezone(UTC).astimezone(self.zone).replace(tzinfo=None)
        first = wall.replace(tzinfo=self.zone, fold=0)
        second = wall.replace(tzinfo=self.zone, fold=1)
        if first.utcoffset() == second.utcoffset():
            return False
        # Both folds name real instants only when the wall time is repeated (not skipped).
        repeated = all(
            d.astimezone(UTC).astimezone(self.zone).replace(tzinfo=None) == wall
            for d in (first, second)
        )
        return repeated and fire.astimezone(UTC) == second.astimezone(UTC)


def fire_times(trigger: DigestTrigger, start: datetime, end: datetime) -> list[datetime]:
    """Every fire time in ``[start, end]``, in order.

    Args:
        trigger: the schedule's trigger.
        start: the first instant considered.
        end: the last instant considered.
    """
    out: list[datetime] = []
    previous: datetime | None = None
    now = start
    while True:
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None or fire > end:
            return out
        out.append(fire)
        previous, now = fire, fire + timedelta(microseconds=1)


def previous_fire_time(trigger: DigestTrigger, at: datetime) -> datetime | None:
    """The latest fire time at or before ``at`` (within the last eight days).

    Args:
        trigger: the schedule's trigger.
        at: the instant to look back from.
    """
    times = fire_times(trigger, at - _LOOKBACK, at)
    return times[-1] if times else None


@dataclass(frozen=True, slots=True)
class Period:
    """What one digest covers: articles ingested in ``[start, end)``.

    ``key`` names the period for the claim that keeps it from being posted twice: the
    scheduled fire time in UTC (``2026-03-30T06:00:00Z``), or ``now:`` and the instant for
    a digest asked for with ``/digest now``.
    """

    start: datetime
    end: datetime
    key: str


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def digest_period(schedule: Schedule, fire_time: datetime, previous_end: datetime | None) -> Period:
    """The period a scheduled digest covers.

    It starts where the channel's previous digest ended (so Monday's weekday digest covers
    the weekend and no item is posted twice), else at the previous scheduled fire time;
    never more than :data:`MAX_SPAN` before ``fire_time``.

    Args:
        schedule: the channel's schedule.
        fire_time: the scheduled fire time (not the time the job happened to run).
        previous_end: the end of the channel's previous digest period, if any.
    """
    start = previous_end
    if start is None or start >= fire_time:
        earlier = previous_fire_time(schedule.trigger(), fire_time - timedelta(seconds=1))
        start = earlier if earlier is not None else fire_time - timedelta(days=1)
    start = max(start, fire_time - MAX_SPAN)
    return Period(start=start.astimezone(UTC), end=fire_time.astimezone(UTC), key=_stamp(fire_time))


def on_demand_period(now: datetime, previous_end: datetime | None, default: timedelta) -> Period:
    """The period of a digest asked for now: since the previous digest, else ``default``.

    Args:
        now: the current time.
        previous_end: the end of the channel's previous digest period, if any.
        default: how far back to look when there was no previous digest.
    """
    start = previous_end if previous_end is not None and previous_end < now else now - default
    start = max(start, now - MAX_SPAN)
    return Period(start=start.astimezone(UTC), end=now.astimezone(UTC), key=f"now:{_stamp(now)}")


@dataclass(frozen=True, slots=True)
class CatchUp:
    """What to do about the latest scheduled digest when the bot (re)starts."""

    action: Literal["post", "skip"]
    fire_time: datetime
    late_by: timedelta


def catch_up(
    schedule: Schedule,
    now: datetime,
    previous_end: datetime | None,
    grace: timedelta,
    *,
    since: datetime | None = None,
) -> CatchUp | None:
    """Whether a digest missed while the bot was down must be posted now.

    Returns ``None`` when the latest scheduled digest was already posted (its period is
    claimed), none was scheduled in the last eight days, or the schedule was set after
    that fire time (``since``); ``post`` when it was missed and
    ``now`` is within ``grace`` of its fire time; else ``skip`` (the caller logs it).

    Args:
        schedule: the channel's schedule.
        now: the current time.
        previous_end: the end of the channel's latest claimed period, if any.
        grace: how late a missed digest may still be posted.
        since: when the channel's schedule was last set, if known.
    """
    latest = previous_fire_time(schedule.trigger(), now)
    if latest is None or (previous_end is not None and previous_end >= latest):
        return None
    if since is not None and since > latest:
        return None
    late_by = now - latest
    return CatchUp("post" if late_by <= grace else "skip", latest, late_by)
