"""How a state name or demonym reads where it stands, and the actors derived from it."""

from __future__ import annotations

import re
from collections.abc import Callable

from briefings.analysis.actors import contexts as cx
from briefings.analysis.actors import lexicon as lx
from briefings.analysis.actors.matcher import (
    ACTOR,
    DEMONYM,
    STATE,
    STATELIKE,
    Pattern,
)
from briefings.analysis.actors.scan import Scan, hit_start
from briefings.model import ActorInfo, MentionKind
from briefings.text.folding import slug

_NEXT_WORD = cx.NEXT_WORD.match
LIST_ITEM_END = cx.LIST_ITEM_END.match
PLACE_NOUN_AFTER = cx.PLACE_NOUN_AFTER.match
_POSSESSIVE_PLACE = cx.POSSESSIVE_PLACE.match
_STATE_ACTION = cx.STATE_ACTION.match
_GROUP_RUN = cx.GROUP_RUN.match
_MINISTRY = cx.MINISTRY.match
_INSTITUTION = cx.INSTITUTION.match
_OFFICE = cx.OFFICE.match
_NAME_AFTER = cx.NAME_AFTER.match
_PLACE_COMMA = cx.PLACE_COMMA.search
_INSTITUTION_FIRST = cx.INSTITUTION_FIRST
LEFT_CONTEXT = cx.left_context
_DROPPED = cx.dropped
_BEFORE_NEXT_WORD = frozenset((" ", "\t", "'"))
_LOWER_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz")
GEOGRAPHY = frozenset(("loc", "placeof"))
_CACHE_LIMIT = 10_000
"""Derived ministries and offices kept per finder (their keys come from article text)."""


class StateReader:
    """Reads what a state name or demonym means where it stands, and derives the actors it
    implies (a country's government, ministries, offices); one per gazetteer, reused.

    Args:
        states: the state actors of the gazetteer, by id.
        get: looks any actor of the gazetteer up by id.
    """

    def __init__(
        self, states: dict[str, ActorInfo], get: Callable[[str], ActorInfo | None]
    ) -> None:
        self._states = states
        self._get = get
        # Derived ids and actors depend only on the gazetteer: computed once per finder.
        self._inst_ids: dict[tuple[str, str], str] = {}
        self._ministries: dict[tuple[str, str], tuple[str, ActorInfo | None]] = {}
        self._offices: dict[tuple[str, str, str], tuple[str, ActorInfo | None]] = {}
        self._group_like: dict[str, bool] = {}

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
                ident = self.inst(sid, "government")
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
        ident = f"{sid}-{slug(office.lower().replace('defense', 'defence'))}"
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

    def state(
        self,
        scan: Scan,
        p: Pattern,
        s: int,
        e: int,
        *,
        backed: bool,
        inherited: str,
        follow: tuple[int, Pattern] | None,
    ) -> tuple[int, str]:
        norm = scan.norm
        sid, kind = p[1], p[2]
        if not backed:
            if inherited == "gov-dist":
                ident = self.inst(sid, "government")
                scan.cands.append((s, -e, ident, kind, STATE))
                scan.covered[s] = (s, e, "state", ident)
                return e, "gov-dist"
            if (
                norm[s - 2 : s] == ", "
                and _PLACE_COMMA(norm, max(0, s - 70), s)
                and LIST_ITEM_END(norm, e)
            ):
                return self._state_place(scan, sid, s, e)
            where, offset = LEFT_CONTEXT(norm, s)
            if where:
                if where == "title":
                    scan.titled[s] = (sid, e)
                    if _NAME_AFTER(norm, e):
                        return -1, ""  # "President of Kenya William Ruto": the person acts
                    # "the President of Kenya met ...": no one named holds the office, so
                    # the state stands for it (a minister's office is named in a later pass)
                if where == "gov":
                    ident = self.inst(sid, "government")
                    scan.cands.append((offset, -e, ident, "descriptor", STATE))
                    scan.covered[offset] = (offset, e, "state", ident)
                    return e, "gov-dist"
            if inherited == "place" or where in GEOGRAPHY:
                return self._state_place(scan, sid, s, e)
            nxt = _NEXT_WORD(norm, e) if norm[e : e + 1] in _BEFORE_NEXT_WORD else None
            if nxt is not None:
                possessive, word = nxt.groups()
                if word.lower() in _INSTITUTION_FIRST and self._institution(
                    scan, sid, s, e, kind=kind, code=STATE
                ):
                    return e, "state"
                if possessive:
                    if _POSSESSIVE_PLACE(norm, e) or (
                        word[:1].isupper() and PLACE_NOUN_AFTER(norm, nxt.end(2))
                    ):
                        # "Haiti's future", "Ethiopia's Tigray region": geography
                        return self._state_place(scan, sid, s, e)
                    if (
                        follow is not None
                        and follow[1][0] == ACTOR
                        and hit_start(follow) == nxt.start(2)
                        and self._is_group(follow[1][1])
                    ):
                        return self._state_place(scan, sid, s, e)
        scan.cands.append((s, -e, sid, kind, STATE))
        scan.covered[s] = (s, e, "state", sid)
        return e, "state"

    def _state_place(self, scan: Scan, sid: str, s: int, e: int) -> tuple[int, str]:
        scan.places.append((s, e, self._states[sid].name, "country", sid))
        scan.covered[s] = (s, e, "place", sid)
        return e, "place"

    def _is_group(self, actor_id: str) -> bool:
        """Whether an actor is an armed group or an organisation ("Yemen's Houthi rebels")."""
        known = self._group_like.get(actor_id)
        if known is None:
            target = self._get(actor_id)
            known = target is not None and target.type in ("armed_group", "organisation")
            self._group_like[actor_id] = known
        return known

    def group_run(self, scan: Scan, group: str, s: int, e: int) -> bool:
        """ "the Hamas-run health ministry" -> a government body of the group's, named as
        written; whether the words after ``e`` named one."""
        m = _GROUP_RUN(scan.norm, e)
        if m is None or not self._is_group(group):
            return False
        body = " ".join(scan.norm[m.start() + 1 : m.end()].split()[1:])
        ident = f"{group}-{slug(body)}"
        if self._get(ident) is None and ident not in scan.derived:
            scan.derived[ident] = ActorInfo(
                id=ident,
                name=" ".join(scan.text[s : m.end()].split()),
                type="government",
                parent=group,
                description="body run by a group",
            )
        scan.cands.append((s, -m.end(), ident, "descriptor", ACTOR))
        scan.covered[s] = (s, m.end(), "actor", ident)
        return True

    def ruled_by(self, scan: Scan, person: str, s: int, e: int) -> bool:
        """ "the Biden administration", "the Assad regime" -> the government of the known
        leader's state, named as written; whether the word after ``e`` made it one."""
        m = cx.RULED_BY.match(scan.norm, e)
        if m is None:
            return False
        info = self._get(person)
        if info is None or info.type != "person" or info.country not in self._states:
            return False
        ident = self.inst(info.country, "government")
        scan.cands.append((s, -m.end(), ident, "descriptor", STATE))
        scan.covered[s] = (s, m.end(), "state", ident)
        return True

    def demonym(self, scan: Scan, sid: str, s: int, e: int, backed: bool) -> None:
        norm = scan.norm
        if not backed:
            if _DROPPED(norm, s):
                return
            nxt = _NEXT_WORD(norm, e) if norm[e : e + 1] in _BEFORE_NEXT_WORD else None
            if nxt is None:
                return
            possessive, word = nxt.groups()
            if word.lower() in _INSTITUTION_FIRST and self._institution(
                scan, sid, s, e, kind="demonym", code=DEMONYM
            ):
                return
            # STATE_ACTION needs a blank, then a lower-case word ("and", an adjective, the noun).
            if possessive or word[0] not in _LOWER_ASCII or not _STATE_ACTION(norm, e):
                return
        scan.cands.append((s, -e, sid, "demonym", DEMONYM))
        scan.covered[s] = (s, e, "state", sid)

    def _institution(
        self, scan: Scan, sid: str, s: int, e: int, *, kind: MentionKind, code: int
    ) -> bool:
        """Ministry, government, military or office after a state name or demonym."""
        norm = scan.norm
        m = _MINISTRY(norm, e)
        if m:
            ident = self._ministry(scan, sid, m)
            kind = "name"
        else:
            m = _INSTITUTION(norm, e)
            if m:
                ident = self.inst(sid, "government" if m.group("gov") else "military")
            else:
                m = _OFFICE(norm, e)
                if not m:
                    return False
                if _NAME_AFTER(norm, m.end()):
                    return True  # a title: the named person is the actor
                ident = self._office(scan, sid, s, e, m)
                kind = "descriptor"
        scan.cands.append((s, -m.end(), ident, kind, code))
        scan.covered[s] = (s, m.end(), "state", ident)
        return True

    def inst(self, sid: str, which: str) -> str:
        ident = self._inst_ids.get((sid, which))
        if ident is None:
            ident = f"{sid}-{which}"
            if self._get(ident) is None:
                ident = sid
            self._inst_ids[(sid, which)] = ident
        return ident

    def _ministry(self, scan: Scan, sid: str, m: re.Match[str]) -> str:
        raw = m.group("of") or m.group("pre") or ""
        cached = self._ministries.get((sid, raw))
        if cached is None:
            portfolio = " ".join(raw.split()).title()
            portfolio = portfolio.replace("Defense", "Defence")
            if portfolio == "Foreign":
                portfolio = "Foreign Affairs"
            ident = f"{sid}-ministry-of-{slug(portfolio)}"
            info: ActorInfo | None = None
            if self._get(ident) is None:
                state = self._states[sid]
                adjective = state.demonyms[0] if state.demonyms else state.name
                info = ActorInfo(
                    id=ident,
                    name=f"{adjective} Ministry of {portfolio}",
                    type="government",
                    country=sid,
                    parent=self.inst(sid, "government"),
                )
            if len(self._ministries) >= _CACHE_LIMIT:
                self._ministries.clear()
            cached = self._ministries[(sid, raw)] = (ident, info)
        ident, info = cached
        if info is not None and ident not in scan.derived:
            scan.derived[ident] = info
        return ident

    def _office(self, scan: Scan, sid: str, s: int, e: int, m: re.Match[str]) -> str:
        raw = m.group("office")
        surface = scan.norm[s:e]
        cached = self._offices.get((sid, raw, surface))
        if cached is None:
            office = " ".join(raw.split())
            ident = f"{sid}-{slug(office.lower().replace('defense', 'defence'))}"
            info: ActorInfo | None = None
            if self._get(ident) is None:
                state = self._states[sid]
                if surface in state.demonyms:
                    name = f"{surface} {office}"
                else:
                    name = f"{office} of {state.name}"
                info = ActorInfo(
                    id=ident, name=name, type="person", country=sid, description="office holder"
                )
            if len(self._offices) >= _CACHE_LIMIT:
                self._offices.clear()
            cached = self._offices[(sid, raw, surface)] = (ident, info)
        ident, info = cached
        if info is not None and ident not in scan.derived:
            scan.derived[ident] = info
        return ident


_AND = frozenset(("and",))
_OFFICE_WORD = "Minister"
_RUN_AFTER_MINISTER = frozenset(" \t-_")


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
