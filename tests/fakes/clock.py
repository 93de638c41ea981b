"""A clock tests move by hand: the bot's code reads time only through it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    """Returns ``now`` until advanced; aware, UTC."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 6, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment
