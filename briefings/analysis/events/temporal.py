"""Dates in news text: absolute and relative expressions resolved against a reference date.

Rules (the tests pin each one):

* Absolute dates resolve without a reference: ``25 April 2026``, ``April 25, 2026``,
  ``19 and 20 September 2023`` (the first day), ``2025-01-16``, ``in September 2023``,
  ``in 2024``, ``the 2010s`` (decade), ``between 2018 and 2020`` (range).
* A day or month without a year (``On April 25``, ``Mar. 6``, ``early October``, ``in the
  second half of November``) takes the reference year. When that lands more than
  :data:`FUTURE_SLACK_DAYS` after the reference it takes the year before, unless an
  earlier date of the same text already lies in that year on or before it (a narrative
  moving forward through one year, as in "in November ... on 1 December", even with a
  glance back at another year or a later month in between) and it falls
  within :data:`NARRATIVE_REACH_DAYS` of the reference.
* A day or month without a year that comes within :data:`ANCHOR_REACH_CHARS` after a
  date written with a year other than the reference's that opens a sentence or clause,
  and not earlier in the year than it, takes that year ("In March 2022 the army
  advanced. On 5 April, ..."), with or without a reference.
* A yearless date followed by another with a year ("in March and April 2019", "on 30
  December and 2 January 2021") shares that year, or the year before when the next one
  turns the year. "28 September" and "September 28" resolve alike.
* A year that qualifies a noun ("the 2024 election", "its 2021 law", "held 2023 Kosovan
  local elections") dates that noun; :func:`qualifies_noun` tells it apart from a year
  after a preposition ("in 2023 Russia ...").
* "from May 2024 to October 2025", "between 3 May and 5 June": one range.
* Periods ending now (``in the past 18 months``, ``over the last two years``, ``the past
  week``) are ranges ending at the reference: months and years as ``YYYY-MM/YYYY-MM``,
  days and weeks as ``YYYY-MM-DD/YYYY-MM-DD``.
* ``today``, ``yesterday``, ``on Monday`` (the latest such weekday on or before the
  reference) are days; ``last week`` is the previous Monday–Sunday range; ``last month`` /
  ``this month`` a month; ``last year`` / ``this year`` a year.
* ``three days ago`` is a day, ``two weeks ago`` that Monday–Sunday week, ``six months
  ago`` a month, ``two years ago`` a year, counted back from the reference.
* ``the next day``, ``the following day``, ``two days later`` count from the previous
  day-precision date in the same text; without one they stay unresolved.
* Without a reference date only absolute dates resolve; relative ones are skipped.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import ahocorasick

from briefings.model import EventDate
from briefings.text.folding import lower_in_place

FUTURE_SLACK_DAYS = 7
"""How far after the reference a yearless date may fall before it moves to the year before."""
ANCHOR_REACH_CHARS = 600
"""How far after a date written with its year a yearless later date still takes that year."""
NARRATIVE_REACH_DAYS = 92
"""How far past the reference a narrative moving forward through one year may reach; a
yearless date further on is last year's ("the October 7 attacks", read in January)."""

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    start=1,
):
    _MONTHS[_name] = _i
    _MONTHS[_name[:3]] = _i
_MONTHS["Sept"] = 9

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_NUM = r"(?:\d{1,3}|" + "|".join(k for k in _NUMBERS if len(k) > 2) + r"|a|an)"

# Anchored patterns, tried only where the anchor automaton found a candidate word.
_AT_DIGIT = re.compile(
    rf"(?P<iso>{_YEAR}-[01]\d-[0-3]\d)\b"
    rf"|(?P<ra>{_YEAR})\s*(?P<rsep>-|–|and|to|until)\s*(?P<rb>{_YEAR})\b"
    rf"|(?P<dd>{_DAY})(?:\s*(?:-|–|and|to)\s*{_DAY})?\s*(?:of\s+)?(?P<dm>{_MON})\b"
    r"(?:\.(?=\s*\d))?"
    rf"(?:,?\s+(?P<dy>{_YEAR})\b)?"
    r"|(?P<decade>(?:1[89]|20)\d0)['’]?s\b"
    r"|(?P<cn>\d{1,2})\s+days?\s+(?:later|afterwards)\b"
    r"|(?P<ago>\d{1,2})\s+(?:days?|weeks?|months?|years?)\s+ago\b"
    rf"|(?P<year>{_YEAR})\b(?![-–/]\d|,\d|\s+(?:people|troops|soldiers|men|[a-z]+ers)\b)"
)
_AT_MONTH = re.compile(
    rf"(?P<mon>{_MON})\b(?:\.(?=\s*\d))?(?:\s+(?P<day>{_DAY})\b(?:\s*(?:-|–)\s*{_DAY}\b)?)?"
    rf"(?:,?\s+(?P<year>{_YEAR})\b)?"
)
_AT_PERIOD = re.compile(
    rf"(?P<rel>[Pp]ast|[Ll]ast|[Pp]revious|[Pp]receding)\s+(?:(?P<n>{_NUM})\s+)?"
    r"(?P<unit>days?|weeks?|months?|years?|decades?)\b"
    r"|[Ll]ast\s+(?P<night>night)\b"
    r"|[Ll]ast\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_AT_WORD = re.compile(
    r"(?P<word>[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]his\s+(?:morning|afternoon|evening)"
    r"|(?:[Ee]arlier\s+)?[Tt]his\s+(?:week|month|year))\b"
    r"|(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_AT_CHAIN = re.compile(
    r"(?P<chain>the\s+(?:next|following|previous)\s+(?:day|morning|evening)"
    rf"|the\s+day\s+(?:after|before)|(?P<cn>{_NUM})\s+days?\s+(?:later|afterwards))\b"
    rf"|(?P<ago>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b",
    re.IGNORECASE,
)
# After a yearless date: the next date, joined by "and"/"to"..., gives the year of both.
_SHARED_YEAR = re.compile(
    rf"\s*(?:and|or|to|until|through|-|–)\s*(?:(?:early|mid|late)[\s-]+)?"
    rf"(?:{_DAY}\s+(?:of\s+)?)?(?P<mon>{_MON})\b\.?"
    rf"(?:\s+{_DAY}\b)?,?\s+(?P<year>{_YEAR})\b"
)
# Before a month named alone: the cue that makes it a date ("in May", "late August").
_MONTH_CUE = re.compile(
    r"(?:\b(?:in|since|until|till|by|during|from|through|throughout|before|after|of|last|this"
    r"|next|around|as\s+of)\s+(?:the\s+)?(?:(?:first|second|latter|last)\s+half\s+of\s+"
    r"|(?:beginning|start|middle|end)\s+of\s+)?(?P<part1>(?:early|mid|late)[\s-]+)?"
    r"|(?P<part2>\b(?:[Ee]arly|[Mm]id|[Ll]ate)[\s-]+))$",
    re.IGNORECASE,  # "In May Hamas attacked" opens a sentence
)
# Before a date that sets the time of what follows: a sentence or clause opening, with
# "On", "In", "By"... ("In March 2022, the army advanced", "; on 2 May 2021 ...").
_OPENS_TEXT = re.compile(
    r"(?:^|[.;!?\n]\s*)(?:(?:[Oo]n|[Ii]n|[Bb]y|[Dd]uring|[Ee]arly|[Ll]ate)\s+(?:the\s+)?"
    r"(?:(?:early|late|mid)[\s-]+)?)?$"
)
_RANGE_CUE = re.compile(r"\b(?:[Bb]etween|[Ff]rom)\s+$")
_FOUR_DIGITS = re.compile(r"\d{4}")
# A year as a qualifier: a word follows it, and no preposition comes before it.
_QUALIFIER_AFTER = re.compile(r" [A-Za-z]")
_CAPITAL_AFTER = re.compile(
    r" (?!(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|The|A|An|In|On|At|It|They|He|She|We|I)\b)[A-Z]"
)
_DETERMINER_BEFORE = re.compile(r"(?:\b(?:the|its|their|his|her|our|a|an|this|that)|['’]s) $")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|from|during|of|before|after|between|through|to|and|or"
    r"|early|late|mid|around|as of|for|than|[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Dd]uring"
    r"|[Bb]efore|[Aa]fter|[Bb]etween)[\s-]+$"
)
# Between two dates: "from <date> to <date>" makes them one range.
_RANGE_JOIN = re.compile(r"\s*(?:to|until|till|through|and|–|-)\s*$")
_NUMBER_BEFORE = re.compile(
    r"(?:\$|€|£|\d[.,]?|more than |fewer than |less than |up to |at least |some |about "
    r"|nearly |almost |over |around )$"
)


def _build_anchors() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    keys: dict[str, str] = {}
    for name in _MONTHS:
        keys[name.lower()] = "month"
        keys["mid-" + name.lower()] = "month"
    for digit in "0123456789":
        keys[digit] = "digit"
    for word in ("past", "last", "previous", "preceding"):
        keys[word] = "period"
    for word in ("yesterday", "today", "tonight", "this", "earlier"):
        keys[word] = "word"
    for day in _WEEKDAYS:
        keys[day.lower()] = "word"
    for phrase in ("the next", "the following", "the previous", "the day"):
        keys[phrase] = "chain"
    for number in _NUMBERS:
        for unit in ("day", "week", "month", "year"):
            keys[f"{number} {unit}"] = "chain"
            keys[f"{number} {unit}s"] = "chain"
    for key, kind in keys.items():
        automaton.add_word(" " + key, (len(key) + 1, kind))
    automaton.make_automaton()
    return automaton


_ANCHORS = _build_anchors()


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + delta
    return total // 12, total % 12 + 1


def _number(text: str | None) -> int | None:
    if text is None:
        return 1
    if text.isdigit():
        return int(text)
    return _NUMBERS.get(text.lower())


class _Resolver:
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
            m = _AT_DIGIT.match(text, pos)
            return self._digits(m) if m else None
        if kind == "month":
            if text[pos] in "mM" and text[pos + 1 : pos + 4] == "id-":
                m = _AT_MONTH.match(text, pos + 4)
                return self._month(m, pos) if m else None
            m = _AT_MONTH.match(text, pos)
            return self._month(m, None) if m else None
        if self.reference is None:
            return None
        if kind == "period":
            m = _AT_PERIOD.match(text, pos)
            return self._period(m, self.reference) if m else None
        if kind == "word":
            m = _AT_WORD.match(text, pos)
            return self._word(m, self.reference) if m else None
        m = _AT_CHAIN.match(text, pos)
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
        start = _safe_date(year, month, day or 1)
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
        if _OPENS_TEXT.search(self.text, max(0, start - 30), start):
            self.anchor = (end, year, month)

    def _seen(self, year: int, month: int) -> None:
        ref = self.reference
        if ref is not None and year == ref.year and month < self.first_month:
            self.first_month = month

    def _shared_year(self, month: int, end: int) -> int | None:
        """The year a yearless date shares with the next one ("in March and April 2019"),
        the year before when the next one turns the year ("30 December to 2 January
        2024"), if the text gives one."""
        m = _SHARED_YEAR.match(self.text, end)
        if m is None:
            return None
        year = int(m.group("year"))
        return year - 1 if month > _MONTHS[m.group("mon")] else year

    def _digits(self, m: re.Match[str]) -> tuple[int, int, EventDate] | None:
        g = m.group
        start, end = m.span()
        if g("iso"):
            y, mo, d = (int(x) for x in g("iso").split("-"))
            self._anchor(start, end, y, mo)
            return self._day_span(start, end, _safe_date(y, mo, d))
        if g("ra"):
            dash = g("rsep") in "-–"
            if dash or _RANGE_CUE.search(self.text, max(0, start - 10), start):
                return start, end, EventDate(f"{g('ra')}/{g('rb')}", "range")
            return self._year(start, start + 4)
        if g("dm"):
            day = _day_number(g("dd"))
            month = _MONTHS[g("dm")]
            year = (
                int(g("dy"))
                if g("dy")
                else self._shared_year(month, end) or self.yearless(month, day)
            )
            if year is None:
                return None
            if g("dy"):
                self._anchor(start, end, year, month)
            return self._day_span(start, end, _safe_date(year, month, day))
        if g("decade"):
            self.last_day = None
            return start, end, EventDate(f"{g('decade')}s", "decade")
        if g("cn") or g("ago"):
            return self._chain(_AT_CHAIN.match(self.text, start))
        if g("year"):
            return self._year(start, end)
        return None

    def _year(self, start: int, end: int) -> tuple[int, int, EventDate] | None:
        if _NUMBER_BEFORE.search(self.text, max(0, start - 12), start):
            return None
        self.last_day = None
        return start, end, EventDate(self.text[start:end], "year")

    def _month(self, m: re.Match[str], mid: int | None) -> tuple[int, int, EventDate] | None:
        g = m.group
        month = _MONTHS[g("mon")]
        start, end = m.span()
        if g("day"):
            day = _day_number(g("day"))
            year = (
                int(g("year"))
                if g("year")
                else self._shared_year(month, end) or self.yearless(month, day)
            )
            if year is None:
                return None
            if g("year"):
                self._anchor(start, end, year, month)
            return self._day_span(start, end, _safe_date(year, month, day))
        if mid is not None:
            start = mid
        elif not g("year"):
            cue = _MONTH_CUE.search(self.text, max(0, start - 40), start)
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
            back = (ref.weekday() - _WEEKDAYS.index(m.group("wd"))) % 7 or 7
            return self._day_span(start, end, ref - timedelta(days=back))
        rel, count, unit = m.group("rel").lower(), m.group("n"), m.group("unit").rstrip("s")
        n = _number(count)
        if n is None:
            return None
        value: EventDate | None = None
        if count is None and rel == "last":
            # "last week", "last month", "last year": the previous calendar unit.
            if unit == "week":
                monday = ref - timedelta(days=ref.weekday() + 7)
                value = _range(monday, monday + timedelta(days=6))
            elif unit == "month":
                y, mo = _shift_months(ref.year, ref.month, -1)
                value = EventDate(f"{y:04d}-{mo:02d}", "month")
            elif unit == "year":
                value = EventDate(str(ref.year - 1), "year")
            elif unit == "day":
                return self._day_span(start, end, ref - timedelta(days=1))
        if value is None:
            if unit in ("day", "week"):
                value = _range(ref - timedelta(days=n * (7 if unit == "week" else 1)), ref)
            else:
                months = n * {"month": 1, "year": 12, "decade": 120}[unit]
                y, mo = _shift_months(ref.year, ref.month, -months)
                value = EventDate(f"{y:04d}-{mo:02d}/{ref.year:04d}-{ref.month:02d}", "range")
        return start, end, value

    def _word(self, m: re.Match[str], ref: date) -> tuple[int, int, EventDate] | None:
        start, end = m.span()
        if m.group("wd"):
            back = (ref.weekday() - _WEEKDAYS.index(m.group("wd"))) % 7
            return self._day_span(start, end, ref - timedelta(days=back))
        word = m.group("word").lower()
        if word == "yesterday":
            return self._day_span(start, end, ref - timedelta(days=1))
        if word.endswith("week"):
            monday = ref - timedelta(days=ref.weekday())
            if monday == ref:
                return self._day_span(start, end, ref)
            return start, end, _range(monday, ref)
        if word.endswith("month"):
            return start, end, EventDate(f"{ref.year:04d}-{ref.month:02d}", "month")
        if word.endswith("year"):
            return start, end, EventDate(str(ref.year), "year")
        return self._day_span(start, end, ref)

    def _ago(self, m: re.Match[str]) -> tuple[int, int, EventDate] | None:
        """ "three days ago" (a day), "two weeks ago" (that Monday–Sunday week), "six
        months ago" (a month), "two years ago" (a year), counted back from the reference."""
        ref, n = self.reference, _number(m.group("ago"))
        if ref is None or n is None:
            return None
        start, end = m.span()
        unit = m.group("unit").lower().rstrip("s")
        if unit == "day":
            return self._day_span(start, end, ref - timedelta(days=n))
        self.last_day = None
        if unit == "week":
            monday = ref - timedelta(days=ref.weekday() + 7 * n)
            return start, end, _range(monday, monday + timedelta(days=6))
        if unit == "month":
            y, mo = _shift_months(ref.year, ref.month, -n)
            return start, end, EventDate(f"{y:04d}-{mo:02d}", "month")
        return start, end, EventDate(str(ref.year - n), "year")

    def _chain(self, m: re.Match[str] | None) -> tuple[int, int, EventDate] | None:
        if m is not None and m.group("ago"):
            return self._ago(m)
        if m is None or self.last_day is None:
            return None
        text = m.group("chain").lower()
        step = -1 if ("previous" in text or "before" in text) else (_number(m.group("cn")) or 1)
        start, end = m.span()
        return self._day_span(start, end, self.last_day + timedelta(days=step))


def _range(first: date, last: date) -> EventDate:
    return EventDate(f"{first.isoformat()}/{last.isoformat()}", "range")


def _day_number(text: str) -> int:
    """The day of month in "6", "06", "6th", "21st" (the ordinal suffix dropped)."""
    return int(text.rstrip("stndrhST"))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(
    text: str, reference: date | None, *, normalised: str | None = None
) -> list[tuple[int, int, EventDate]]:
    """Find and resolve the date expressions in a text, in order.

    Args:
        text: the text to scan (a sentence or a whole article; relative chains such as
            "the next day" only see earlier dates of the same text).
        reference: the date relative expressions resolve against (publication, else
            ingestion); ``None`` resolves absolute dates only.
        normalised: ``briefings.text.folding.lower_in_place(text)`` when the caller
            already has it.

    Returns:
        ``(start, end, date)`` for each resolved expression; ``date.surface`` is the
        matched text.
    """
    padded = " " + (normalised if normalised is not None else lower_in_place(text)) + " "
    resolver = _Resolver(text, reference)
    found: list[tuple[int, int, EventDate]] = []
    reach = 0
    for last, (length, kind) in _ANCHORS.iter_long(padded):
        pos = last - length + 1
        if pos < reach or (kind != "digit" and padded[last + 1] != " "):
            continue
        hit = resolver.at(kind, pos)
        if hit is None:
            continue
        start, end, value = hit
        reach = end
        found.append((start, end, EventDate(value.value, value.precision, text[start:end])))
    return _join_ranges(text, found) if len(found) > 1 else found


def qualifies_noun(text: str, start: int, end: int) -> bool:
    """Whether the year at ``text[start:end]`` qualifies the noun after it ("the 2024
    election", "its 2021 law", "held 2023 Kosovan elections") rather than dating a clause."""
    if not _QUALIFIER_AFTER.match(text, end) or end - start != 4:
        return False
    if _PREPOSITION_BEFORE.search(text, max(0, start - 12), start):
        return False
    return bool(
        _DETERMINER_BEFORE.search(text, max(0, start - 12), start)
        or _CAPITAL_AFTER.match(text, end)
    )


def _join_ranges(
    text: str, found: list[tuple[int, int, EventDate]]
) -> list[tuple[int, int, EventDate]]:
    """Join "from <date> to <date>" and "between <date> and <date>" into one range."""
    out: list[tuple[int, int, EventDate]] = []
    for item in found:
        if out:
            start, end, first = out[-1]
            if (
                first.precision in ("day", "month", "year")
                and item[2].precision == first.precision
                and item[0] - end <= 9
                and _RANGE_JOIN.fullmatch(text, end, item[0]) is not None
                and _RANGE_CUE.search(text, max(0, start - 10), start) is not None
            ):
                head = first.value
                if not _FOUR_DIGITS.search(first.surface) and _FOUR_DIGITS.search(item[2].surface):
                    head = item[2].value[:4] + head[4:]  # "from 3 May to 5 June 2025"
                value = EventDate(f"{head}/{item[2].value}", "range", text[start : item[1]])
                out[-1] = (start, item[1], value)
                continue
        out.append(item)
    return out
