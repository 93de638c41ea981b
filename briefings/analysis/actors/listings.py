"""People in sanctions lists: "OMAR, Khalid Yusuf (a.k.a. …); DOB 12 Mar 1979; nationality …".

A line (or bullet) that opens with a surname in capitals, a comma and given names, and
goes on with a person's particulars (a date or place of birth, a nationality, a passport,
an alias), names a person: "Khalid Yusuf Omar", whose mention is the listed form. The
states and places among the particulars ("nationality Somalia", "born in Mosul, Iraq") are
no actors of the story.
"""

from __future__ import annotations

import re

from briefings.analysis.actors.definitions import Definition

_GIVEN = r"[A-Z][^\W\d_]*[a-z][^\W\d_]*(?:[-'\u2019][^\W\d_]+)?"
"""A given name: capitalised, not in capitals ("Khalid", "Jean-Pierre", "Zoë")."""

_ENTRY = re.compile(
    r"[ \t]*(?:[►•▶‣*–-]|\d{1,3}[.)])?[ \t]*"
    r"(?P<surname>[A-Z][A-Z'\u2019-]+(?:[ \t]+[A-Z][A-Z'\u2019-]+){0,2}),[ \t]+"
    rf"(?P<given>{_GIVEN}(?:[ \t]+(?:{_GIVEN}|[A-Z]\.|bin|ibn|al|el|de|van|von)){{0,4}})"
    r"(?=[ \t]*[(;,.]|[ \t]*$)",
    re.MULTILINE,
)
"""An entry, matched at a line's start."""

_LINE_OPENING = re.compile(r"\n[ \t]*(?:[►•▶‣*–-]|\d{1,3}[.)])?[ \t]*[A-Z][A-Z'\u2019-]+[ ,]")
"""A line opening with a word in capitals: where an entry may stand (a search for a line
break runs much faster than one anchored at every line's start)."""

_PARTICULARS = re.compile(
    r"\b(?:DOB|D\.O\.B|[Bb]orn|POB|[Nn]ationality|[Cc]itizen(?:ship)?|[Pp]assport|a\.k\.a|AKA|"
    r"[Aa]lias|[Gg]ender|[Tt]itle)\b"
)


_SENTENCE_END = re.compile(r"(?<!a\.k\.a)(?<![A-Z][a-z])(?<![A-Z])\.[ \t]+(?=[A-Z][a-z])")
"""A full stop that ends the entry's sentence (not "a.k.a. Abu", "St. Louis", "Jr. Ali")."""


def listed_people(text: str, norm: str) -> tuple[list[Definition], list[tuple[int, int]]]:
    """The people a sanctions-style list names, and the spans of their particulars.

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
    """
    people: list[Definition] = []
    particulars: list[tuple[int, int]] = []
    starts = [0] if _ENTRY.match(norm) else []
    starts += [m.start() + 1 for m in _LINE_OPENING.finditer(norm)]
    for start in starts:
        m = _ENTRY.match(norm, start)
        if m is None:
            continue
        line_end = norm.find("\n", m.end())
        if line_end < 0:
            line_end = len(norm)
        stop = _SENTENCE_END.search(norm, m.end(), line_end)
        if stop is not None:  # the list's last entry runs on into prose
            line_end = stop.start() + 1
        if _PARTICULARS.search(norm, m.end(), line_end) is None:
            continue
        s, e = m.start("surname"), m.end("given")
        name = f"{text[m.start('given') : e]} {_surname(text[s : m.end('surname')])}"
        people.append(Definition(s, e, name, "person"))
        particulars.append((e, line_end))
    return people, particulars


def _surname(capitals: str) -> str:
    """A surname listed in capitals, in the case it is written in prose ("AL-TIKRITI" is
    "Al-Tikriti", "O'NEILL" is "O'Neill")."""
    return re.sub(r"[^\W\d_]+", lambda w: w.group(0).capitalize(), capitals)
