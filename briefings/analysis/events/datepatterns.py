"""Date words and patterns of news text: month and number names, candidate regexes, helpers."""

from __future__ import annotations

import re
from datetime import date

import ahocorasick

from briefings.model import EventDate

MONTH_NAMES = (
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
)
MONTHS: dict[str, int] = {}
for _i, _name in enumerate(MONTH_NAMES, start=1):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["Sept"] = 9

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
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH = "|".join(MONTH_NAMES)
_WEEKDAY = "|".join(WEEKDAYS)
_MON = rf"(?:{_MONTH}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_NUM = r"(?:\d{1,3}|" + "|".join(k for k in _NUMBERS if len(k) > 2) + r"|a|an)"

# Anchored patterns, tried only where the anchor automaton found a candidate word.
AT_DIGIT = re.compile(
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
AT_MONTH = re.compile(
    rf"(?P<mon>{_MON})\b(?:\.(?=\s*\d))?(?:\s+(?P<day>{_DAY})\b(?:\s*(?:-|–)\s*{_DAY}\b)?)?"
    rf"(?:,?\s+(?P<year>{_YEAR})\b)?"
)
AT_PERIOD = re.compile(
    rf"(?P<rel>[Pp]ast|[Ll]ast|[Pp]revious|[Pp]receding)\s+(?:(?P<n>{_NUM})\s+)?"
    r"(?P<unit>days?|weeks?|months?|years?|decades?)\b"
    r"|[Ll]ast\s+(?P<night>night)\b"
    rf"|[Ll]ast\s+(?P<wd>{_WEEKDAY})\b"
)
AT_WORD = re.compile(
    r"(?P<word>[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]his\s+(?:morning|afternoon|evening)"
    r"|(?:[Ee]arlier\s+)?[Tt]his\s+(?:week|month|year))\b"
    rf"|(?P<wd>{_WEEKDAY})\b"
)
AT_CHAIN = re.compile(
    r"(?P<chain>the\s+(?:next|following|previous)\s+(?:day|morning|evening)"
    rf"|the\s+day\s+(?:after|before)|(?P<cn>{_NUM})\s+days?\s+(?:later|afterwards))\b"
    rf"|(?P<ago>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b",
    re.IGNORECASE,
)
# After a yearless date: the next date, joined by "and"/"to"..., gives the year of both.
SHARED_YEAR = re.compile(
    rf"\s*(?:and|or|to|until|through|-|–)\s*(?:(?:early|mid|late)[\s-]+)?"
    rf"(?:{_DAY}\s+(?:of\s+)?)?(?P<mon>{_MON})\b\.?"
    rf"(?:\s+{_DAY}\b)?,?\s+(?P<year>{_YEAR})\b"
)
# Before a month named alone: the cue that makes it a date ("in May", "late August").
MONTH_CUE = re.compile(
    r"(?:\b(?:in|since|until|till|by|during|from|through|throughout|before|after|of|last|this"
    r"|next|around|as\s+of)\s+(?:the\s+)?(?:(?:first|second|latter|last)\s+half\s+of\s+"
    r"|(?:beginning|start|middle|end)\s+of\s+)?(?P<part1>(?:early|mid|late)[\s-]+)?"
    r"|(?P<part2>\b(?:[Ee]arly|[Mm]id|[Ll]ate)[\s-]+))$",
    re.IGNORECASE,  # "In May Hamas attacked" opens a sentence
)
# Before a date that sets the time of what follows: a sentence or clause opening, with
# "On", "In", "By"... ("In March 2022, the army advanced", "; on 2 May 2021 ...").
OPENS_TEXT = re.compile(
    r"(?:^|[.;!?\n]\s*)(?:(?:[Oo]n|[Ii]n|[Bb]y|[Dd]uring|[Ee]arly|[Ll]ate)\s+(?:the\s+)?"
    r"(?:(?:early|late|mid)[\s-]+)?"
    r"(?:(?:night|morning|evening|afternoon|eve|weekend|(?:early\s+)?hours)\s+of\s+)?)?$"
)
RANGE_CUE = re.compile(r"\b(?:[Bb]etween|[Ff]rom)\s+$")
FOUR_DIGITS = re.compile(r"\d{4}")
# A year as a qualifier: a word follows it, and no preposition comes before it.
QUALIFIER_AFTER = re.compile(r" [A-Za-z]")
CAPITAL_AFTER = re.compile(rf" (?!(?:{_MONTH}|The|A|An|In|On|At|It|They|He|She|We|I)\b)[A-Z]")
DETERMINER_BEFORE = re.compile(r"(?:\b(?:the|its|their|his|her|our|a|an|this|that)|['’]s) $")
PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|from|during|of|before|after|between|through|to|and|or"
    r"|early|late|mid|around|as of|for|than|[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Dd]uring"
    r"|[Bb]efore|[Aa]fter|[Bb]etween)[\s-]+$"
)
# Between two dates: "from <date> to <date>" makes them one range.
RANGE_JOIN = re.compile(r"\s*(?:to|until|till|through|and|–|-)\s*$")
NUMBER_BEFORE = re.compile(
    r"(?:\$|€|£|\d[.,]?|more than |fewer than |less than |up to |at least |some |about "
    r"|nearly |almost |over |around )$"
)


def _build_anchors() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    keys: dict[str, str] = {}
    for name in MONTHS:
        keys[name.lower()] = "month"
        keys["mid-" + name.lower()] = "month"
    for digit in "0123456789":
        keys[digit] = "digit"
    for word in ("past", "last", "previous", "preceding"):
        keys[word] = "period"
    for word in ("yesterday", "today", "tonight", "this", "earlier"):
        keys[word] = "word"
    for day in WEEKDAYS:
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


ANCHORS = _build_anchors()


def shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + delta
    return total // 12, total % 12 + 1


def number_of(text: str | None) -> int | None:
    if text is None:
        return 1
    if text.isdigit():
        return int(text)
    return _NUMBERS.get(text.lower())


def date_range(first: date, last: date) -> EventDate:
    return EventDate(f"{first.isoformat()}/{last.isoformat()}", "range")


def day_number(text: str) -> int:
    """The day of month in "6", "06", "6th", "21st" (the ordinal suffix dropped)."""
    return int(text.rstrip("stndrhST"))


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
