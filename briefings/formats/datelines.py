"""Reading publication dates from date lines, metadata values and feed fields."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_LABEL = r"(?:Published|Updated|Last updated|Posted|Date|Dated|First published)(?: on)?:?\s+"
_PREFIX = rf"^(?:{_LABEL})?" + _WEEKDAY
_LABELLED = re.compile(rf"^{_LABEL}", re.IGNORECASE)
_DECORATION = re.compile(r"[*_]+")
_TAIL = r"(?:[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}.{0,30})?$"
_DATE_LINE = (
    re.compile(_PREFIX + r"(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})" + r"(?:[T\s].{0,40})?$"),
    re.compile(
        _PREFIX + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TAIL
    ),
    re.compile(
        _PREFIX
        + r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        + _MONTH
        + r",?\s+(?P<year>\d{4})"
        + _TAIL
    ),
)
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def _make(year: str, month: int | None, day: str) -> date | None:
    if month is None:
        return None
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


def parse_date_line(line: str) -> date | None:
    """The date a standalone date line states ("April 27, 2026", "Updated 27 Apr 2026").

    Returns None when the line is anything else than a date (with an optional
    "Published"/"Updated"/"Date" prefix, weekday and time; Markdown emphasis such as
    ``**Date:**`` is ignored).
    """
    if len(line) > 80:
        return None
    if "*" in line or "_" in line:
        line = _DECORATION.sub("", line).strip()
    for pattern in _DATE_LINE:
        m = pattern.match(line)
        if m is None:
            continue
        groups = m.groupdict()
        if groups.get("mnum"):
            return _make(groups["year"], int(groups["mnum"]), groups["day"])
        return _make(groups["year"], _MONTHS.get(groups["month"].lower()), groups["day"])
    return None


def parse_labelled_date_line(line: str) -> date | None:
    """The date of a line that says what it is ("Published: 2026-02-18", "Date: 18 Feb
    2026"); None for a bare date or anything else."""
    if len(line) > 80:
        return None
    if not _LABELLED.match(_DECORATION.sub("", line).lstrip()):
        return None
    return parse_date_line(line)


def parse_date_value(value: str | None) -> date | None:
    """A date from a metadata value: ISO date or datetime, RFC 2822, or a date line."""
    if not value:
        return None
    value = value.strip()
    m = _ISO_DAY.match(value)
    if m:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            return _make(m.group(1), int(m.group(2)), m.group(3))
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return parse_date_line(value)
