"""The date resolver: one text's date candidates resolved in order against a reference date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from briefings.analysis.events.datepatterns import (
    AT_CHAIN,
    AT_DIGIT,
    AT_MONTH,
    AT_PERIOD,
    AT_WORD,
    MONTH_CUE,
    MONTHS,
    NUMBER_BEFORE,
    OPENS_TEXT,
    RANGE_CUE,
    SHARED_YEAR,
    WEEKDAYS,
    date_range,
    day_number,
    number_of,
    safe_date,
    shift_months,
)
from briefings.model import EventDate

FUTURE_SLACK_DAYS = 7
"""How far after the reference a yearless date may fall before it moves to the year before."""
ANCHOR_REACH_CHARS = 600
"""How far after a date written with its year a yearless later date still takes that year."""
NARRATIVE_REACH_DAYS = 92
"""How far past the reference a narrative moving forward through one year may reach; a
yearless date further on is last year's ("the October 7 attacks", read in January)."""


class DateResolver:
    """Resolves the candidates of one text in order, remembering the previous date."""

    __slots__ = ("anchor", "first_month", "last_day", "pos", "reference", "text")
    # ``last_day`` is cleared by any later date of coarser precision: "in November 2012
    # ... ten days later" cannot be resolved to a day.

    def __init__(self, text: str, reference: date | None) -> None:
        self.text = text
        self.reference = reference
        self.last_day: date | None = None
        self.first_month = 13
        """The earliest month named so far in the reference year (13: none yet)."""
        self.anchor: tuple[int, int, int] | None = None
        """Where the last date written with its year ends, its year and its month."""
        self.pos = 0

    def at(self, kind: str, pos: int) -> tuple[int, int, EventDate] | None:
        """The date expression starting at ``pos`` (a candidate word of ``kind``), if any."""
        text = self.text
        self.pos = pos
        if kind == "digit":
            m = AT_DIGIT.match(text, pos)
            return self._digits(m) if m else None
        if kind == "month":
            if text[pos] in "mM" and text[pos + 1 : pos + 4] == "id-":
                m = AT_MONTH.match(text, pos + 4)
                return self._month(m, pos) if m else None
            m = AT_MONTH.match(text, pos)
            return self._month(m, None) if m else None
        if self.reference is None:
            return None
        if kind == "period":
            m = AT_PERIOD.match(text, pos)
            return self._period(m, self.reference) if m else None
        if kind == "word":
            m = AT_WORD.match(text, pos)
            return self._word(m, self.reference) if m else None
        m = AT_CHAIN.match(text, pos)
        return self._chain(m) if m else None

    def yearless(self, month: int, day: int | None) -> int | None:
        """The year of a day or month named without one (see the module rules)."""
        ref = self.reference
        a = self.anchor
        if (
            a is not None
            and (ref is None or a[1] != ref.year)
            and self.pos - a[0] <= ANCHOR_REACH_CHARS
            and month >= a[2]
        ):
            return a[1]  # "In March 2022 the army advanced. On 5 April, ...": that year
        if ref is None:
            return None
        year = ref.year
        start = safe_date(year, month, day or 1)
        if (
            start is not None
            and start > ref + timedelta(days=FUTURE_SLACK_DAYS)
            and (self.first_month > month or start > ref + timedelta(days=NARRATIVE_REACH_DAYS))
        ):
            year -= 1
        return year

    def _anchor(self, start: int, end: int, year: int, month: int) -> None:
        """Remember a date written with its year when it opens a sentence or clause ("In
        March 2022, ...", "; on 2 May 2021 ..."), not a glance back ("since May 2020")."""
        if OPENS_TEXT.search(self.text, max(0, start - 30), start):
            self.anchor = (end, year, month)

    def _seen(self, year: int, month: int) -> None:
        ref = self.reference
        if ref is not None and year == ref.year and month < self.first_month:
            self.first_month = month

    def _shared_year(self, month: int, end: int) -> int | None:
        """The year a yearless date shares with the next one ("in March and April 2019"),
        the year before when the next one turns the year ("30 December to 2 January
        2024"), if the text gives one."""
        m = SHARED_YEAR.match(self.text, end)
        if m is None:
            return None
        year = int(m.group("year"))
        return year - 1 if month > MONTHS[m.group("mon")] else year

    def _digits(self, m: re.Match[str]) -> tuple[int, int, EventDate] | None:
        g = m.group
        start, end = m.span()
        if g("iso"):
            y, mo, d = (int(x) for x in g("iso").split("-"))
            self._anchor(start, end, y, mo)
            return self._day_span(start, end, safe_date(y, mo, d))
        if g("ra"):
            dash = g("rsep") in "-–"
            if dash or RANGE_CUE.search(self.text, max(0, start - 10), start):
                return start, end, EventDate(f"{g('ra')}/{g('rb')}", "range")
            return self._year(start, start + 4)
        if g("dm"):
            return self._day(start, end, day_number(g("dd")), MONTHS[g("dm")], g("dy"))
        if g("decade"):
            self.last_day = None
            return start, end, EventDate(f"{g('decade')}s", "decade")
        if g("cn") or g("ago"):
            return self._chain(AT_CHAIN.match(self.text, start))
        if g("year"):
            return self._year(start, end)
        return None

    def _year(self, start: int, end: int) -> tuple[int, int, EventDate] | None:
        if NUMBER_BEFORE.search(self.text, max(0, start - 12), start):
            return None
        self.last_day = None
        return start, end, EventDate(self.text[start:end], "year")

    def _month(self, m: re.Match[str], mid: int | None) -> tuple[int, int, EventDate] | None:
        g = m.group
        month = MONTHS[g("mon")]
        start, end = m.span()
        if g("day"):
            return self._day(start, end, day_number(g("day")), month, g("year"))
        if mid is not None:
            start = mid
        elif not g("year"):
            cue = MONTH_CUE.search(self.text, max(0, start - 40), start)
            if cue is None:
                return None
            part = cue.start("part1") if cue.group("part1") else cue.start("part2")
            if part >= 0:
                start = part
        year = (
            int(g("year"))
            if g("year")
            else self._shared_year(month, end) or self.yearless(month, None)
        )
        if year is None:
            return None
        if g("year"):
            self._anchor(start, end, year, month)
        self._seen(year, month)
        self.last_day = None
        return start, end, EventDate(f"{year:04d}-{month:02d}", "month")

    def _day(
        self, start: int, end: int, day: int, month: int, written_year: str | None
    ) -> tuple[int, int, EventDate] | None:
        """A day of a month, in the year written with it or else the one the text implies."""
        year = (
            int(written_year)
            if written_year
            else self._shared_year(month, end) or self.yearless(month, day)
        )
        if year is None:
            return None
        if written_year:
            self._anchor(start, end, year, month)
        return self._day_span(start, end, safe_date(year, month, day))

    def _day_span(self, start: int, end: int, d: date | None) -> tuple[int, int, EventDate] | None:
        if d is None:
            return None
        self.last_day = d
        self._seen(d.year, d.month)
        return start, end, EventDate(d.isoformat(), "day")

    def _period(self, m: re.Match[str], ref: date) -> tuple[int, int, EventDate] | None:
        start, end = m.span()
        if m.group("night"):
            return self._day_span(start, end, ref - timedelta(days=1))
        if m.group("wd"):
            back = (ref.weekday() - WEEKDAYS.index(m.group("wd"))) % 7 or 7
            return self._day_span(start, end, ref - timedelta(days=back))
        rel, count, unit = m.group("rel").lower(), m.group("n"), m.group("unit").rstrip("s")
        n = number_of(count)
        if n is None:
            return None
        value: EventDate | None = None
        if count is None and rel == "last":
            # "last week", "last month", "last year": the previous calendar unit.
            if unit == "week":
                monday = ref - timedelta(days=ref.weekday() + 7)
                value = date_range(monday, monday + timedelta(days=6))
            elif unit == "month":
                y, mo = shift_months(ref.year, ref.month, -1)
                value = EventDate(f"{y:04d}-{mo:02d}", "month")
            elif unit == "year":
                value = EventDate(str(ref.year - 1), "year")
            elif unit == "day":
                return self._day_span(start, end, ref - timedelta(days=1))
        if value is None:
            if unit in ("day", "week"):
                value = date_range(ref - timedelta(days=n * (7 if unit == "week" else 1)), ref)
            else:
                months = n * {"month": 1, "year": 12, "decade": 120}[unit]
                y, mo = shift_months(ref.year, ref.month, -months)
                value = EventDate(f"{y:04d}-{mo:02d}/{ref.year:04d}-{ref.month:02d}", "range")
        return start, end, value

    def _word(self, m: re.Match[str], ref: date) -> tuple[int, int, EventDate] | None:
        start, end = m.span()
        if m.group("wd"):
            back = (ref.weekday() - WEEKDAYS.index(m.group("wd"))) % 7
            return self._day_span(start, end, ref - timedelta(days=back))
        word = m.group("word").lower()
        if word == "yesterday":
            return self._day_span(start, end, ref - timedelta(days=1))
        if word.endswith("week"):
            monday = ref - timedelta(days=ref.weekday())
            if monday == ref:
                return self._day_span(start, end, ref)
            return start, end, date_range(monday, ref)
        if word.endswith("month"):
            return start, end, EventDate(f"{ref.year:04d}-{ref.month:02d}", "month")
        if word.endswith("year"):
            return start, end, EventDate(str(ref.year), "year")
        return self._day_span(start, end, ref)

    def _ago(self, m: re.Match[str]) -> tuple[int, int, EventDate] | None:
        """ "three days ago" (a day), "two weeks ago" (that Monday–Sunday week), "six
        months ago" (a month), "two years ago" (a year), counted back from the reference."""
        ref, n = self.reference, number_of(m.group("ago"))
        if ref is None or n is None:
            return None
        start, end = m.span()
        unit = m.group("unit").lower().rstrip("s")
        if unit == "day":
            return self._day_span(start, end, ref - timedelta(days=n))
        self.last_day = None
        if unit == "week":
            monday = ref - timedelta(days=ref.weekday() + 7 * n)
            return start, end, date_range(monday, monday + timedelta(days=6))
        if unit == "month":
            y, mo = shift_months(ref.year, ref.month, -n)
            return start, end, EventDate(f"{y:04d}-{mo:02d}", "month")
        return start, end, EventDate(str(ref.year - n), "year")

    def _chain(self, m: re.Match[str] | None) -> tuple[int, int, EventDate] | None:
        if m is not None and m.group("ago"):
            return self._ago(m)
        if m is None or self.last_day is None:
            return None
        text = m.group("chain").lower()
        step = -1 if ("previous" in text or "before" in text) else (number_of(m.group("cn")) or 1)
        start, end = m.span()
        return self._day_span(start, end, self.last_day + timedelta(days=step))
