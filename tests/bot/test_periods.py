"""Digest schedules: fire times across DST, periods and catch-up, all on an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.periods import (
    MAX_SPAN,
    Schedule,
    catch_up,
    digest_period,
    fire_times,
    on_demand_period,
    previous_fire_time,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def _walk(schedule: Schedule, start: datetime, count: int) -> list[datetime]:
    trigger = schedule.trigger()
    out: list[datetime] = []
    previous, now = None, start
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        assert fire is not None
        out.append(fire)
        previous, now = fire, fire + timedelta(microseconds=1)
    return out


def test_0800_stays_0800_local_across_spring_forward() -> None:
    fires = _walk(Schedule("daily", time(8), "Europe/Berlin"), _utc(2026, 3, 27, 12), 3)
    assert [f.astimezone(UTC) for f in fires] == [
        _utc(2026, 3, 28, 7),  # CET, UTC+1
        _utc(2026, 3, 29, 6),  # CEST from 29 March, UTC+2
        _utc(2026, 3, 30, 6),
    ]
    assert {f.astimezone(BERLIN).hour for f in fires} == {8}


def test_0800_stays_0800_local_across_fall_back() -> None:
    fires = _walk(Schedule("daily", time(8), "Europe/Berlin"), _utc(2026, 10, 23, 12), 3)
    assert [f.astimezone(UTC) for f in fires] == [
        _utc(2026, 10, 24, 6),
        _utc(2026, 10, 25, 7),
        _utc(2026, 10, 26, 7),
    ]


def test_a_time_skipped_by_spring_forward_fires_once_an_hour_later() -> None:
    fires = _walk(Schedule("daily", time(2, 30), "Europe/Berlin"), _utc(2026, 3, 27, 12), 3)
    assert [f.astimezone(UTC) for f in fires] == [
        _utc(2026, 3, 28, 1, 30),
        _utc(2026, 3, 29, 1, 30),  # 02:30 does not exist: 03:30 CEST
        _utc(2026, 3, 30, 0, 30),
    ]
    assert fires[1].astimezone(BERLIN).strftime("%H:%M") == "03:30"


def test_a_repeated_time_on_fall_back_fires_once_not_twice() -> None:
    fires = _walk(Schedule("daily", time(2, 30), "Europe/Berlin"), _utc(2026, 10, 23, 12), 3)
    assert [f.astimezone(UTC) for f in fires] == [
        _utc(2026, 10, 24, 0, 30),
        _utc(2026, 10, 25, 0, 30),  # the first 02:30 (CEST); the second one is skipped
        _utc(2026, 10, 26, 1, 30),
    ]


def test_apscheduler_alone_repeats_the_fall_back_time() -> None:
    # The reason for DigestTrigger's workaround: if this starts failing, APScheduler fixed it.
    plain = CronTrigger(hour=1, minute=30, timezone=NEW_YORK)
    first = plain.get_next_fire_time(None, _utc(2026, 11, 1, 5, 0))
    second = plain.get_next_fire_time(first, first + timedelta(microseconds=1))
    third = plain.get_next_fire_time(second, second + timedelta(microseconds=1))
    assert first.astimezone(UTC) == _utc(2026, 11, 1, 5, 30)
    assert second.astimezone(UTC) == _utc(2026, 11, 1, 6, 30)
    assert third == second  # a fire time in the past, again


def test_new_york_repeated_time_fires_once() -> None:
    fires = _walk(Schedule("daily", time(1, 30), "America/New_York"), _utc(2026, 10, 31, 0), 3)
    assert [f.astimezone(UTC) for f in fires] == [
        _utc(2026, 10, 31, 5, 30),
        _utc(2026, 11, 1, 5, 30),
        _utc(2026, 11, 2, 6, 30),
    ]


def test_weekdays_skip_the_weekend_and_seconds_are_kept() -> None:
    schedule = Schedule("weekdays", time(7, 30, 15), "America/New_York")
    fires = _walk(schedule, _utc(2026, 11, 20, 0), 3)  # Friday 20 November 2026
    assert [f.astimezone(NEW_YORK).strftime("%a %H:%M:%S") for f in fires] == [
        "Fri 07:30:15",
        "Mon 07:30:15",
        "Tue 07:30:15",
    ]
    assert Schedule("mon,thu", time(9), "UTC").describe() == "mon,thu 09:00 UTC"


def test_fire_times_and_previous_fire_time() -> None:
    trigger = Schedule("daily", time(8), "UTC").trigger()
    assert fire_times(trigger, _utc(2026, 1, 1, 8), _utc(2026, 1, 3, 8)) == [
        _utc(2026, 1, 1, 8),
        _utc(2026, 1, 2, 8),
        _utc(2026, 1, 3, 8),
    ]
    assert previous_fire_time(trigger, _utc(2026, 1, 3, 7, 59)) == _utc(2026, 1, 2, 8)
    assert previous_fire_time(trigger, _utc(2026, 1, 3, 8)) == _utc(2026, 1, 3, 8)


def test_monday_digest_covers_the_weekend() -> None:
    weekdays = Schedule("weekdays", time(8), "Europe/Berlin")
    monday = datetime(2026, 11, 23, 8, tzinfo=BERLIN)
    period = digest_period(weekdays, monday, None)
    assert period.start == datetime(2026, 11, 20, 8, tzinfo=BERLIN)  # Friday's fire time
    assert period.end == monday
    assert period.key == "2026-11-23T07:00:00Z"


def test_a_period_starts_where_the_previous_digest_ended() -> None:
    daily = Schedule("daily", time(8), "UTC")
    fire = _utc(2026, 11, 23, 8)
    after_manual = _utc(2026, 11, 23, 2)  # a "/digest now" at 02:00
    assert digest_period(daily, fire, after_manual).start == after_manual
    long_ago = fire - timedelta(days=40)
    assert digest_period(daily, fire, long_ago).start == fire - MAX_SPAN
    # A previous end in the future (clock moved) falls back to the schedule.
    assert digest_period(daily, fire, fire + timedelta(hours=1)).start == _utc(2026, 11, 22, 8)


def test_periods_chain_without_gaps_or_overlaps_across_dst() -> None:
    schedule = Schedule("daily", time(2, 30), "Europe/Berlin")
    trigger = schedule.trigger()
    fires = fire_times(trigger, _utc(2026, 10, 20), _utc(2026, 10, 30))
    previous_end = None
    for fire in fires:
        period = digest_period(schedule, fire, previous_end)
        if previous_end is not None:
            assert period.start == previous_end
        assert period.start < period.end
        previous_end = period.end
    assert len({digest_period(schedule, f, None).key for f in fires}) == len(fires) == 10


def test_on_demand_period() -> None:
    now = _utc(2026, 11, 23, 12)
    assert on_demand_period(now, None, timedelta(hours=24)).start == _utc(2026, 11, 22, 12)
    period = on_demand_period(now, _utc(2026, 11, 23, 8), timedelta(hours=24))
    assert (period.start, period.key) == (_utc(2026, 11, 23, 8), "now:2026-11-23T12:00:00Z")


def test_catch_up_posts_inside_the_grace_window_once() -> None:
    daily = Schedule("daily", time(8), "UTC")
    grace = timedelta(hours=2)
    late = catch_up(daily, _utc(2026, 11, 23, 9, 30), _utc(2026, 11, 22, 8), grace)
    assert late is not None and late.action == "post"
    assert late.fire_time == _utc(2026, 11, 23, 8)
    # Once its period is claimed, the same restart does nothing.
    assert catch_up(daily, _utc(2026, 11, 23, 9, 31), _utc(2026, 11, 23, 8), grace) is None


def test_catch_up_skips_outside_the_grace_window() -> None:
    daily = Schedule("daily", time(8), "UTC")
    skipped = catch_up(daily, _utc(2026, 11, 23, 13), None, timedelta(hours=2))
    assert skipped is not None and skipped.action == "skip"
    assert skipped.late_by == timedelta(hours=5)


def test_no_catch_up_for_a_schedule_set_after_its_fire_time() -> None:
    daily = Schedule("daily", time(8), "UTC")
    now = _utc(2026, 11, 23, 9)
    assert catch_up(daily, now, None, timedelta(hours=2), since=_utc(2026, 11, 23, 8, 30)) is None
    assert catch_up(daily, now, None, timedelta(hours=2), since=_utc(2026, 11, 20)) is not None
