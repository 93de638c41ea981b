"""When and where: an event's date and place, drawn from its clause, sentence and article.

The rules are those of :mod:`briefings.analysis.events.extraction` (dates, location);
:class:`Circumstances` is a base of its per-article run and reads the run's state.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from briefings.analysis.events.datepatterns import MONTH_NAMES, WEEKDAYS
from briefings.analysis.events.frames import Frame
from briefings.analysis.events.participants import Participants
from briefings.analysis.events.tagging import Entry
from briefings.model import (
    EventDate,
    PlaceMention,
    Sentence,
)

_CONTINUES = re.compile(
    r"^[\"“‘']?(?:It|They|He|She|This|These|Then|Later|Afterwards|Subsequently|Shortly after"
    r"|The (?:[a-z-]+ )?(?:attack|attacks|offensive|assault|strike|strikes|missile|bombing|raid"
    r"|fighting|rebels|militants|group|insurgents|fighters|army|troops|soldiers|operation|siege|blast"
    r"|explosion|ambush|kidnapping|hijacking|incident|clashes))\b"
)
# "..., on 3 May and 9 June, respectively": each actor in order takes its own date.
_RESPECTIVELY = re.compile(r",?\s+respectively\b")
_PLACE_RANK = {"city": 0, "region": 1, "other": 2, "country": 3}
_ROUTE = re.compile(
    r"(?:[-–]\w+)?\s+(?:road|highway|motorway|route|corridor|axis|railway|pipeline)s?\b",
    re.IGNORECASE,
)
"""A place naming a route ("the Dakar road", "the Bamako-Dakar corridor") is not where an
event happens."""
# After "in", "at", "near": a capitalised name ("in the Catatumbo region" is not one).
_CAPITAL_PLACE = re.compile(r"(?:the\s+)?((?:[A-Z][\w'’-]*)(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*)")
_NOT_PLACES = frozenset((*MONTH_NAMES, *WEEKDAYS, "The", "A", "An", "This", "That", "Its", "Their"))
# "The offensive", "this attack": a definite event noun, maybe a back-reference.
_BACK_REFERENCE = re.compile(r"(?:^|[.;:]\s+|\b)(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]hese)\s+$")
# "after the offensive started on 20 September": the date is that of the new event.
_AFTER_THE = re.compile(
    r"\b(?:[Aa]fter|[Ss]ince|[Ff]ollowing|[Bb]efore|[Dd]uring|[Aa]mid)\s+the\s+$"
)
# "the attack", "this offensive": an event noun named again.
# ("\bThe", written as "T" then a look-behind: a pattern that starts with a letter is
# searched for that letter, much faster.)
_THE_EVENT = re.compile(r"[Tt](?<!\w[Tt])h(?:e|is|at)\s+([a-z]+)\b")


class Circumstances(Participants):
    """The date and place rules of one article's extraction (a base of its run).

    One chain of bases (run → speakers → circumstances → participants), not two: mypyc compiles
    single inheritance only.
    """

    triggers_seen: set[str]

    def _mentioned_again(self, frame: Frame, *, dated: bool) -> bool:
        """Whether "the <event noun>" repeats an event of the same word reported in an
        earlier sentence (a back-reference, not a new occurrence): when its sentence has no
        date, or when "after", "since", "during"... stands before it (the sentence's date
        is then that of what follows)."""
        if frame.speech or frame.end <= frame.start:
            return False
        word = self.text[frame.start : frame.end].lower()
        if word not in self.triggers_seen:
            return False
        lo = max(0, frame.start - 30)
        if dated:
            return _AFTER_THE.search(self.text, lo, frame.start) is not None
        return _BACK_REFERENCE.search(self.text, lo, frame.start) is not None

    dates: list[tuple[int, int, EventDate]]
    date_starts: list[int]
    deadlines: set[int]
    qualifiers: set[int]
    today: EventDate | None
    places: list[PlaceMention]
    place_starts: list[int]
    entries: dict[str, Entry]
    trigger_dates: dict[str, EventDate]
    type_dates: dict[str, EventDate]

    def _date_of_the(self, s0: int, s1: int) -> EventDate | None:
        """For a sentence with no date of its own: the date of an earlier event it names
        again ("condemned the attack", "since the kidnapping", "the day of the rebellion")."""
        for m in _THE_EVENT.finditer(self.text, s0, s1):
            word = m.group(1).lower()
            when = self.trigger_dates.get(word)
            if when is None:  # "struck" reported, "the attack" named: the same kind of event
                entry = self.entries.get(word)
                if entry is not None and entry.noun_type is not None:
                    when = self.type_dates.get(entry.noun_type)
            if when is not None:
                return when
        return None

    def _date(
        self,
        frame: Frame,
        own: list[tuple[int, int, EventDate]],
        asides: list[tuple[int, int]],
    ) -> EventDate | None:
        """The date of an event in a sentence with dates: the nearest in its clause, else
        (unless it is a statement) the nearest in the sentence."""
        usable = own
        if asides:
            mine = [a for a in asides if a[0] <= frame.start < a[1]]
            usable = [
                d
                for d in own
                if not any(a[0] <= d[0] < a[1] for a in asides if a not in mine)
                and (not mine or mine[0][0] <= d[0] < mine[0][1])
            ]
        if self.qualifiers and len(usable) > 1:
            for d in usable:  # "against the 2024 Mozambican general election": its own year
                if d[0] in self.qualifiers and 0 <= frame.start - d[1] <= 30:
                    between = self.text[d[1] : frame.start]
                    if not any(ch in between for ch in ",;:()"):
                        # "On 23 April 2023, X held 2023 local elections": the day within it
                        year = d[2].value
                        within = [o[2] for o in usable if o[2].value.startswith(year + "-")]
                        return within[0] if len(within) == 1 else d[2]
            plain = [d for d in usable if d[0] not in self.qualifiers]
            if plain:
                usable = plain
        cs, ce = frame.clause
        deadlines = self.deadlines
        pos = frame.start
        best: tuple[int, int, EventDate] | None = None
        nearest: tuple[int, int, EventDate] | None = None  # in the sentence, not a deadline
        best_gap = nearest_gap = -1
        for d in usable:
            if deadlines and d[0] in deadlines:
                continue
            gap = abs(d[0] - pos)
            if nearest is None or gap < nearest_gap:
                nearest, nearest_gap = d, gap
            if cs <= d[0] < ce and (best is None or gap < best_gap):
                best, best_gap = d, gap
        if best is not None:
            return best[2]
        if not frame.speech:  # a statement's date is its own, not what it reports
            if nearest is not None:
                return nearest[2]
            if usable:
                return min(usable, key=lambda d: abs(d[0] - pos))[2]
        return self.today if frame.present else None

    def _inherited(self, sentence: Sentence, previous: Sentence | None) -> EventDate | None:
        """The last date of the previous sentence when this one continues it."""
        if (
            previous is not None
            and previous.block == sentence.block
            and _CONTINUES.match(sentence.text)
        ):
            earlier = self._dates_in(previous.start, previous.end)
            if earlier:
                return earlier[-1][2]
        return None

    def _respective_dates(
        self, frame: Frame, n_actors: int, own: list[tuple[int, int, EventDate]], s1: int
    ) -> list[EventDate] | None:
        """One date per actor, in order, when the dates after the event end in
        "respectively" and are as many as its actors; else ``None``."""
        after = [d for d in own if d[0] >= frame.end]
        if len(after) != n_actors or n_actors < 2:
            return None
        if _RESPECTIVELY.match(self.text, after[-1][1], s1) is None:
            return None
        return [d[2] for d in after]

    def _dates_in(self, a: int, b: int) -> list[tuple[int, int, EventDate]]:
        starts = self.date_starts
        return self.dates[bisect_left(starts, a) : bisect_left(starts, b)]

    def _off_route(self, places: list[PlaceMention]) -> list[PlaceMention]:
        """The places that name no route (see ``_ROUTE``): where a sentence's events may be."""
        return [p for p in places if not _ROUTE.match(self.text, p.end)]

    def _location(
        self, frame: Frame, places: list[PlaceMention], frames: list[Frame]
    ) -> str | None:
        """The most specific place named in the event's clause, else in its sentence outside
        the other events' clauses (else :meth:`_named_place`), among the sentence's
        ``places`` that name no route (see :meth:`_off_route`)."""
        cs, ce = frame.clause
        start = frame.start
        best: PlaceMention | None = None
        best_key = (0, 0)
        for p in places:
            if cs <= p.start < ce:
                key = (_PLACE_RANK.get(p.kind, 2), abs(p.start - start))
                if best is None or key < best_key:
                    best, best_key = p, key
        if best is None:
            for p in places:
                if not any(f.clause[0] <= p.start < f.clause[1] for f in frames if f is not frame):
                    key = (_PLACE_RANK.get(p.kind, 2), abs(p.start - start))
                    if best is None or key < best_key:
                        best, best_key = p, key
        return best.name if best is not None else None

    def _named_place(self, frame: Frame) -> str | None:
        """A capitalised name after "in", "at", "near"... in the event's clause that names
        no actor or date."""
        cs, ce = frame.clause
        text = self.text
        for word in (" in ", " at ", " near ", " outside ", " inside "):
            at = text.find(word, cs, ce)
            while at >= 0:
                m = _CAPITAL_PLACE.match(text, at + len(word), ce)
                if m is not None:
                    j = bisect_left(self.mention_starts, m.start(1))
                    inside = j < len(self.mentions) and self.mentions[j].start < m.end(1)
                    name = m.group(1)
                    if not inside and name not in _NOT_PLACES and not self._dates_in(*m.span(1)):
                        return name
                at = text.find(word, at + 1, ce)
        return None

    def _places_in(self, a: int, b: int) -> list[PlaceMention]:
        starts = self.place_starts
        return self.places[bisect_left(starts, a) : bisect_left(starts, b)]
