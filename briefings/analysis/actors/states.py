"""How a state name or demonym reads where it stands, and the actors derived from it."""

from __future__ import annotations

import re
from collections.abc import Callable

from briefings.analysis.actors import contexts as cx
from briefings.analysis.actors.matcher import (
    ACTOR,
    DEMONYM,
    STATE,
    Pattern,
)
from briefings.analysis.actors.offices import office_id
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
            ident = office_id(sid, office)
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
