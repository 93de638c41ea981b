"""Dates in news text: absolute and relative expressions resolved against a reference date.

Rules (the tests pin each one):

* Absolute dates resolve without a reference: ``25 April 2026``, ``April 25, 2026``,
  ``19 and 20 September 2023`` (the first day), ``2025-01-16``, ``in September 2023``,
  ``in 2024``, ``the 2010s`` (decade), ``between 2018 and 2020`` (range).
* A day or month without a year (``On April 25``, ``Mar. 6``, ``early October``, ``in the
  second half of November``) takes the reference year. When that lands more than
  :data:`~briefings.analysis.events.dateresolver.FUTURE_SLACK_DAYS` after the reference
  it takes the year before, unless an earlier date of the same text already lies in that
  year on or before it (a narrative moving forward through one year, as in "in November
  ... on 1 December", even with a glance back at another year or a later month in
  between) and it falls within
  :data:`~briefings.analysis.events.dateresolver.NARRATIVE_REACH_DAYS` of the reference.
* A day or month without a year that comes within
  :data:`~briefings.analysis.events.dateresolver.ANCHOR_REACH_CHARS` after a
  date written with a year other than the reference's that opens a sentence or clause,
  and not earlier in the year than it, takes that year ("In March 2022 the army
  advanced. On 5 April, ..."; "On the night of 26 July 2023 ... On 28 July" and "In the
  early hours of ..." open a sentence alike), with or without a reference.
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

from datetime import date

from briefings.analysis.events.datepatterns import (
    ANCHORS,
    CAPITAL_AFTER,
    DETERMINER_BEFORE,
    FOUR_DIGITS,
    PREPOSITION_BEFORE,
    QUALIFIER_AFTER,
    RANGE_CUE,
    RANGE_JOIN,
)
from briefings.analysis.events.dateresolver import (
    DateResolver,
)
from briefings.model import EventDate
from briefings.text.folding import lower_in_place


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
    resolver = DateResolver(text, reference)
    found: list[tuple[int, int, EventDate]] = []
    reach = 0
    for last, (length, kind) in ANCHORS.iter_long(padded):
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
    if not QUALIFIER_AFTER.match(text, end) or end - start != 4:
        return False
    if PREPOSITION_BEFORE.search(text, max(0, start - 12), start):
        return False
    return bool(
        DETERMINER_BEFORE.search(text, max(0, start - 12), start) or CAPITAL_AFTER.match(text, end)
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
                and RANGE_JOIN.fullmatch(text, end, item[0]) is not None
                and RANGE_CUE.search(text, max(0, start - 10), start) is not None
            ):
                head = first.value
                if not FOUR_DIGITS.search(first.surface) and FOUR_DIGITS.search(item[2].surface):
                    head = item[2].value[:4] + head[4:]  # "from 3 May to 5 June 2025"
                value = EventDate(f"{head}/{item[2].value}", "range", text[start : item[1]])
                out[-1] = (start, item[1], value)
                continue
        out.append(item)
    return out
