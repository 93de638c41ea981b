"""Governments and offices named without a state: "the country's government", "the Minister"."""

from __future__ import annotations

import re
from collections.abc import Callable

from briefings.analysis.actors import contexts as cx
from briefings.analysis.actors import lexicon as lx
from briefings.analysis.actors.matcher import ACTOR, STATE, STATELIKE
from briefings.analysis.actors.scan import Scan
from briefings.model import ActorInfo
from briefings.text.folding import slug

_NAME_AFTER = cx.NAME_AFTER.match
_AND = frozenset(("and",))
_OFFICE_WORD = "Minister"
_RUN_AFTER_MINISTER = frozenset(" \t-_")


def office_id(sid: str, office: str) -> str:
    """The id of the holder of ``office`` ("Defense Minister") in state ``sid``."""
    return f"{sid}-{slug(office.lower().replace('defense', 'defence'))}"


class OfficeReader:
    """The article-wide passes after the gazetteer's: a government or an office the text
    names without its state takes the state it means; one per gazetteer, reused.

    Args:
        states: the state actors of the gazetteer, by id.
        get: looks any actor of the gazetteer up by id.
        inst: the id of a state's institution ("government") (see ``StateReader.inst``).
    """

    def __init__(
        self,
        states: dict[str, ActorInfo],
        get: Callable[[str], ActorInfo | None],
        inst: Callable[[str, str], str],
    ) -> None:
        self._states = states
        self._get = get
        self._inst = inst

    def countrys_government(self, scan: Scan) -> None:
        """ "the country's government" -> the government of the state named last before it."""
        named = [(c[0], c[2]) for c in scan.cands if c[4] == STATE]
        named += [(pl[0], pl[4]) for pl in scan.places if pl[3] == "country" and pl[4]]
        named.sort()
        states = self._states
        for m in cx.COUNTRYS_GOVERNMENT.finditer(scan.norm):
            before = [sid for start, sid in named if start < m.start()]
            sid = before[-1] if before else None
            if sid is not None and sid not in states:
                info = self._get(sid) or scan.derived.get(sid)
                sid = info.country if info is not None else None
            if sid is not None and sid in states:
                ident = self._inst(sid, "government")
                s = m.start() + 4
                scan.cands.append((s, -m.end(), ident, "descriptor", ACTOR))
                scan.covered[s] = (s, m.end(), "actor", ident)

    def unnamed_ministers(self, scan: Scan) -> None:
        """ "the Minister of Foreign Affairs" with no name after it -> an office holder of the
        article's main state (its most named one), unless a named person holds that office."""
        norm = scan.norm
        sid: str | None = None
        for m in unnamed_minister_matches(norm):
            s, end = m.start("office"), m.end("office")
            if norm.startswith("Minister", s):
                words = norm[s:end].split()
                keep = 2 + (words[2:3] == ["the"])
                while keep < len(words) and words[keep] in lx.PORTFOLIOS | _AND:
                    keep += 1
                if keep == 2 + (words[2:3] == ["the"]):
                    continue
                end = s + len(" ".join(words[:keep]))
            office = norm[s:end]
            of_state = cx.OF_STATE_AFTER.match(norm, end)
            if of_state is not None:
                self._minister_of_state(scan, s, end, of_state.end() - 1)
                continue
            if _NAME_AFTER(norm, end) or any(
                _NAME_AFTER(norm, at + len(office)) for at in _occurrences(norm, office)
            ):
                continue  # a title: the named person is the office holder
            if sid is None:
                sid = self._main_state(scan)
                if sid is None:
                    return
            state = self._states[sid]
            adjective = state.demonyms[0] if state.demonyms else state.name
            office = " ".join(office.split())
            self._office_holder(scan, sid, office, f"{adjective} {office}", span=(s, end))

    def _minister_of_state(self, scan: Scan, s: int, end: int, at: int) -> None:
        """ "the Minister of Finance of Kenya" -> Kenya's office holder, the state's mention
        taken into the office's; nothing when a name follows (the person holds it)."""
        named = scan.titled.get(at)
        taken = [c for c in scan.cands if c[0] == at and c[4] == STATE and c[2] in self._states]
        if named is None and taken:
            named = (taken[0][2], -taken[0][1])
        if named is None or _NAME_AFTER(scan.norm, named[1]):
            return
        sid, state_end = named
        if taken:  # "the Minister of Finance of Kenya met": the minister acts, not Kenya
            scan.cands[:] = [c for c in scan.cands if c not in taken]
            scan.covered.pop(at, None)
        office = " ".join(scan.norm[s:end].split())
        name = f"{office} of {self._states[sid].name}"
        self._office_holder(scan, sid, office, name, span=(s, state_end))

    def _office_holder(
        self, scan: Scan, sid: str, office: str, name: str, *, span: tuple[int, int]
    ) -> None:
        """A mention over ``span`` of the holder of ``office`` in state ``sid``."""
        s, e = span
        ident = office_id(sid, office)
        if self._get(ident) is None and ident not in scan.derived:
            scan.derived[ident] = ActorInfo(
                id=ident, name=name, type="person", country=sid, description="office holder"
            )
        scan.cands.append((s, -e, ident, "descriptor", ACTOR))
        scan.covered[s] = (s, e, "actor", ident)

    def _main_state(self, scan: Scan) -> str | None:
        """The state the article names most (as an actor, an institution or a place)."""
        counts: dict[str, int] = {}
        for c in scan.cands:
            if c[4] in STATELIKE:
                info = self._get(c[2]) or scan.derived.get(c[2])
                sid = c[2] if c[2] in self._states else (info.country if info else None)
                if sid in self._states:
                    counts[sid] = counts.get(sid, 0) + 1
        for pl in scan.places:
            if pl[3] == "country" and pl[4] in self._states:
                counts[pl[4]] = counts.get(pl[4], 0) + 1
        if not counts:
            return None
        best = max(counts.values())
        return next(sid for sid, n in counts.items() if n == best) if best >= 2 else None


def unnamed_minister_matches(norm: str) -> list[re.Match[str]]:
    """What ``cx.UNNAMED_MINISTER.finditer(norm)`` gives, read only around "Minister".

    Every match holds "Minister" (case kept). Before its first "Minister" a match holds only
    "the", blanks and a portfolio: letters and white space. So no match starts before the
    stretch of letters and white space that ends at the text's first "Minister", and the
    pattern reads nothing past the first character after the text's last "Minister" that is
    neither a word character, a hyphen nor a blank: the search runs between those two.
    """
    first = norm.find(_OFFICE_WORD)
    if first < 0:
        return []
    start = first
    while start > 0 and (norm[start - 1].isalpha() or norm[start - 1].isspace()):
        start -= 1
    stop = norm.rfind(_OFFICE_WORD) + len(_OFFICE_WORD)
    size = len(norm)
    while stop < size and (norm[stop].isalnum() or norm[stop] in _RUN_AFTER_MINISTER):
        stop += 1
    return list(cx.UNNAMED_MINISTER.finditer(norm, start, min(stop + 1, size)))


def _occurrences(norm: str, form: str) -> list[int]:
    """Where ``form`` starts in ``norm``."""
    found = []
    at = norm.find(form)
    while at >= 0:
        found.append(at)
        at = norm.find(form, at + 1)
    return found
