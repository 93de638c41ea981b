"""The actor finder: gazetteer matching, context rules, discovery, mentions and salience.

Matching. One Aho-Corasick automaton (built once per :class:`Gazetteer`, kept in its cache)
holds every actor name, alias, code, former name, demonym, seat metonym, capital and place.
It runs case-sensitively over the text with curly quotes and dashes folded to ASCII (offsets
unchanged), keeps the longest leftmost matches, and accepts a match only on word boundaries;
"Iran's" is a mention "Iran". A name glued by a hyphen counts only in compounds of two names
("US-Israel") or with a backing suffix ("Iranian-backed"); "Barbados-flagged" does not.

A state's name names the state, except:

- as geography: after a locative word ("in", "from", "into", "off", "towards", "Place:"), after
  a place noun and "of" ("the Tigray Region of Ethiopia", "the people of Haiti"), in a list
  that began as geography ("from Bulgaria, Ukraine and Romania"), after a place and a comma
  ("Kabul, Afghanistan"), or as a possessive before a place noun, a named region or a named
  group ("Haiti's future", "Ethiopia's Tigray region", "Yemen's Houthi rebels") -> a place,
  not an actor;
- with an institution noun ("Mali's army", "US troops", "the government of Ethiopia",
  "regimes in Syria and Venezuela", "the government in Mogadishu", where a capital stands
  for its state) -> the state's military ``<state>-military`` or government
  ``<state>-government``;
- with a ministry ("Iran's foreign ministry") -> ``<state>-ministry-of-<portfolio>``;
- as part of a title ("President of Russia Vladimir Putin", "U.S. Secretary of State Rice")
  -> no mention (the person is the actor); an office with no name after it ("Mali's Defence
  Minister") -> an office-holder person ``<state>-<office>``;
- "the country's government" -> the government of the state named last before it;
- a minister named by office alone ("the Minister of Foreign Affairs", "the Defence
  Minister", no name after it, no state before or after it) -> an office holder of the
  article's main state (the state it names most, at least twice), unless the article
  names a person with that title.

A list inherits the reading of its first item ("regimes in Syria and Venezuela": both
governments; "in Syria and Iraq": both places) as long as each item ends like a list item
(a comma, "and", a dash, a preposition): "in Kursk, South Korea's agency said" starts anew.

A demonym names an actor only in these contexts (otherwise it is a nationality):

- before an institution noun: "Russian troops", "Malian junta", "Israeli soldiers",
  "Filipino service members" -> the state's military or government;
- before a ministry or an office: "the Russian Ministry of Defence", "an American defense
  official";
- glued to a backing suffix ("Russian-backed", "Iranian-led") or before a state action
  ("Ukrainian and EU involvement", "Russian invasion", "Iranian assistance") -> the state.

Never after "ethnic", "pro-", "anti-" ("ethnic Armenian soldiers", "pro-Russian junta"), and
never before other nouns ("Russian capitalists", "Russian imperialism", "Afghan civilians").
A capital names its state only in speaker or agent position ("Moscow said", "Washington has
warned"), never after a locative ("demonstrators in Lusaka have marched"); a seat of
power ("the Kremlin", "the White House") always names its government.

Discovered and derived ids: a discovered actor (an organisation-like span, a named person, an
acronym with no known expansion) gets ``x-`` + the slug of its name; a ministry
``<state>-ministry-of-<portfolio>``; an unnamed office holder ``<state>-<office>``.

Salience: each mention weighs 3 in the title, 2 in the dek, 1.5 in the first body
sentence, 1 elsewhere; times 1.5 when it is the first actor mention of its sentence and
starts in its first 40 characters (a proxy for subject position). An actor's salience is its
summed weight divided by the largest summed weight in the article (0..1, the top actor 1).

Cost: one automaton walk per article; each surface form carries a precomputed tuple (code,
target, kind, length, hyphen and acronym flags, place kind) so a hit is read by unpacking;
context patterns run only after a cheap exact test on the next character or word shows they
can match; derived ids and actors are computed once per finder; mentions are sorted once
(:mod:`briefings.analysis.actors.mentions`), their sentences found by walking the sentence starts,
and salience summed in the same pass.
``tests/test_actor_fast_paths.py`` checks each shortcut against the rule it stands for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefings.analysis.actors import contexts as cx
from briefings.analysis.actors import lexicon as lx
from briefings.analysis.actors.discovery import discover
from briefings.analysis.actors.findings import Discovery, Span
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.analysis.actors.matcher import (
    ACTOR,
    BLOCK,
    CAPITAL,
    DEMONYM,
    PLACE,
    SEAT,
    STATE,
    STATELIKE,
    Pattern,
    matcher_for,
)
from briefings.analysis.actors.mentions import Candidate, PlaceSpan, assemble
from briefings.model import ActorFindings, ActorInfo, Article, MentionKind, Sentence
from briefings.text.folding import fold_in_place, slug
from briefings.text.intervals import Containment

_NAMED = frozenset((ACTOR, SEAT))
_BACKED = cx.BACKED.match
_NEXT_WORD = cx.NEXT_WORD.match
_COORDINATION = cx.COORDINATION.match
_LIST_ITEM_END = cx.LIST_ITEM_END.match
_PLACE_NOUN_AFTER = cx.PLACE_NOUN_AFTER.match
_AGENT_VERB = cx.AGENT_VERB.match
_POSSESSIVE_PLACE = cx.POSSESSIVE_PLACE.match
_STATE_ACTION = cx.STATE_ACTION.match
_MINISTRY = cx.MINISTRY.match
_INSTITUTION = cx.INSTITUTION.match
_OFFICE = cx.OFFICE.match
_NAME_AFTER = cx.NAME_AFTER.match
_FACILITY_AFTER = cx.FACILITY_AFTER.match
_PLACE_COMMA = cx.PLACE_COMMA.search
_INSTITUTION_FIRST = cx.INSTITUTION_FIRST
_LEFT_CONTEXT = cx.left_context
_DROPPED = cx.dropped
# Cheap necessary conditions tested before three patterns: NEXT_WORD starts with a blank or
# an apostrophe; PLACE_NOUN_AFTER needs the first letter of a place noun ("region", "state",
# ...) or a blank; COORDINATION the first mark of a list joint ("(", ",", "and", "or", "&",
# "/") or nothing but blanks in sight.
_PLACE_NOUN_FIRST = frozenset("rRsSpPgGdDoOcCtTaAvVmM")
_COORDINATION_FIRST = frozenset(("(", ",", "a", "o", "&", "/", ""))
_BEFORE_NEXT_WORD = frozenset((" ", "\t", "'"))
_LOWER_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz")
_GEOGRAPHY = frozenset(("loc", "placeof"))
_CACHE_LIMIT = 10_000
"""Derived ministries and offices kept per finder (their keys come from article text)."""


@dataclass(slots=True)
class _Scan:
    """The state of one ``find`` call."""

    text: str
    norm: str
    cands: list[Candidate] = field(default_factory=list)
    places: list[PlaceSpan] = field(default_factory=list)
    covered: dict[int, Span] = field(default_factory=dict)
    derived: dict[str, ActorInfo] = field(default_factory=dict)
    linked: dict[str, list[str]] = field(default_factory=dict)


class ActorFinder:
    """Finds the actors of an article; build one per gazetteer and reuse it.

    Args:
        gazetteer: the actors and places to match (its automaton is built once and cached).
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._matcher = matcher_for(gazetteer)
        self._states = self._matcher.states
        self._get = gazetteer.get
        # Derived ids and actors depend only on the gazetteer: computed once per finder.
        self._inst_ids: dict[tuple[str, str], str] = {}
        self._ministries: dict[tuple[str, str], tuple[str, ActorInfo | None]] = {}
        self._offices: dict[tuple[str, str, str], tuple[str, ActorInfo | None]] = {}
        self._group_like: dict[str, bool] = {}

    def find(self, article: Article, sentences: Sequence[Sentence]) -> ActorFindings:
        """Actors, mentions (sorted by start) and places of one article.

        Args:
            article: the parsed article; offsets point into ``article.text``.
            sentences: its sentences, in order (mentions carry their index).
        """
        text = article.text
        scan = _Scan(text, fold_in_place(text))
        self._match(scan)
        if "country's" in scan.norm:
            self._countrys_government(scan)
        if "Minister" in scan.norm:
            self._unnamed_ministers(scan)
        found = discover(text, scan.norm, scan.covered, self._lookup_state)
        self._apply_discovery(scan, found)
        return self._assemble(scan, sentences)

    # ------------------------------------------------------------------ gazetteer pass
    def _lookup_state(self, state_id: str) -> ActorInfo | None:
        return self._states.get(state_id)

    def _match(self, scan: _Scan) -> None:
        norm = scan.norm
        size = len(norm)
        raw: list[tuple[int, Pattern]] = list(self._matcher.automaton.iter_long(norm))
        cands = scan.cands
        covered = scan.covered
        last_end = -1
        last_class = ""  # "place", "state", "gov-dist", "" (for list coordination)
        prev_accepted_end = -2
        count = len(raw)
        for i in range(count):
            last, p = raw[i]
            e = last + 1
            s = e - p[3]
            left = norm[s - 1] if s else " "
            right = norm[e] if e < size else " "
            if left.isalnum() or right.isalnum() or left == "_" or right == "$":
                continue
            code, target, kind, _length, statelike, short_acronym, place, place_kind = p
            if left == "-" and prev_accepted_end != s - 1 and (statelike or code == PLACE):
                continue
            backed = False
            if right == "-" and e + 1 < size and norm[e + 1].isalpha():
                if _BACKED(norm, e):
                    backed = True
                elif statelike and (i + 1 >= count or _start(raw[i + 1]) != e + 1):
                    continue
            if code == BLOCK or (short_acronym and not _has_lower(norm, s, e)):
                continue
            prev_accepted_end = e
            if code in _NAMED:
                if right == " " and _FACILITY_AFTER(norm, e):
                    continue  # "a Chadian military base": a place, not the army
                cands.append((s, -e, target, kind, code))
                covered[s] = (s, e, "actor", target)
                continue
            if code == PLACE:
                assert place is not None
                end = e
                after = norm[e + 1 : e + 2]
                if right == " " and (after in _PLACE_NOUN_FIRST or after.isspace()):
                    ext = _PLACE_NOUN_AFTER(norm, e)
                    if ext:
                        end = ext.end()
                scan.places.append((s, end, place.name, place_kind, place.country))
                covered[s] = (s, end, "place", place.country or "")
                last_end, last_class = end, "place"
                continue
            if code == CAPITAL:
                where, offset = _LEFT_CONTEXT(norm, s) if left == " " else ("", -1)
                if where in _GEOGRAPHY:
                    # "demonstrators in Lusaka have marched": a place, whatever follows
                    scan.places.append((s, e, scan.text[s:e], "city", target))
                    covered[s] = (s, e, "place", target)
                    last_end, last_class = e, "place"
                    continue
                if where == "gov":
                    # "the government in Mogadishu": the state's government, not a place
                    ident = self._inst(target, "government")
                    cands.append((offset, -e, ident, "descriptor", STATE))
                    covered[offset] = (offset, e, "state", ident)
                    last_end, last_class = e, "gov-dist"
                    continue
                if backed or _AGENT_VERB(norm, e):
                    cands.append((s, -e, target, "metonym", code))
                    covered[s] = (s, e, "state", target)
                    last_end, last_class = e, "state"
                else:
                    scan.places.append((s, e, scan.text[s:e], "city", target))
                    covered[s] = (s, e, "place", target)
                    last_end, last_class = e, "place"
                continue
            if code == DEMONYM:
                self._demonym(scan, target, s, e, backed)
                continue
            inherited = ""
            if (
                last_end >= 0
                and s - last_end < 130
                and norm[last_end : last_end + 8].lstrip()[:1] in _COORDINATION_FIRST
                and _COORDINATION(norm, last_end, s)
            ):
                inherited = last_class
                if inherited == "place" and not _LIST_ITEM_END(norm, e):
                    inherited = ""  # "in Kursk, South Korea's agency said": a new clause
            follow = raw[i + 1] if i + 1 < count else None
            last_end, last_class = self._state(
                scan, p, s, e, backed=backed, inherited=inherited, follow=follow
            )

    def _countrys_government(self, scan: _Scan) -> None:
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

    def _unnamed_ministers(self, scan: _Scan) -> None:
        """ "the Minister of Foreign Affairs" with no name after it -> an office holder of the
        article's main state (its most named one), unless a named person holds that office."""
        norm = scan.norm
        sid: str | None = None
        for m in cx.UNNAMED_MINISTER.finditer(norm):
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
            if cx.OF_STATE_AFTER.match(norm, end):
                continue  # the state is named: "the Minister of Foreign Affairs of Kenya"
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
            ident = f"{sid}-{slug(office.lower().replace('defense', 'defence'))}"
            if self._get(ident) is None and ident not in scan.derived:
                scan.derived[ident] = ActorInfo(
                    id=ident,
                    name=f"{adjective} {office}",
                    type="person",
                    country=sid,
                    description="office holder",
                )
            scan.cands.append((s, -end, ident, "descriptor", ACTOR))
            scan.covered[s] = (s, end, "actor", ident)

    def _main_state(self, scan: _Scan) -> str | None:
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

    def _state(
        self,
        scan: _Scan,
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
                ident = self._inst(sid, "government")
                scan.cands.append((s, -e, ident, kind, STATE))
                scan.covered[s] = (s, e, "state", ident)
                return e, "gov-dist"
            if (
                norm[s - 2 : s] == ", "
                and _PLACE_COMMA(norm, max(0, s - 70), s)
                and _LIST_ITEM_END(norm, e)
            ):
                return self._state_place(scan, sid, s, e)
            where, offset = _LEFT_CONTEXT(norm, s)
            if where:
                if where == "title":
                    return -1, ""
                if where == "gov":
                    ident = self._inst(sid, "government")
                    scan.cands.append((offset, -e, ident, "descriptor", STATE))
                    scan.covered[offset] = (offset, e, "state", ident)
                    return e, "gov-dist"
            if inherited == "place" or where in _GEOGRAPHY:
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
                        word[:1].isupper() and _PLACE_NOUN_AFTER(norm, nxt.end(2))
                    ):
                        # "Haiti's future", "Ethiopia's Tigray region": geography
                        return self._state_place(scan, sid, s, e)
                    if (
                        follow is not None
                        and follow[1][0] == ACTOR
                        and _start(follow) == nxt.start(2)
                        and self._is_group(follow[1][1])
                    ):
                        return self._state_place(scan, sid, s, e)
        scan.cands.append((s, -e, sid, kind, STATE))
        scan.covered[s] = (s, e, "state", sid)
        return e, "state"

    def _state_place(self, scan: _Scan, sid: str, s: int, e: int) -> tuple[int, str]:
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

    def _demonym(self, scan: _Scan, sid: str, s: int, e: int, backed: bool) -> None:
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
        self, scan: _Scan, sid: str, s: int, e: int, *, kind: MentionKind, code: int
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
                ident = self._inst(sid, "government" if m.group("gov") else "military")
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

    # ------------------------------------------------------------------ derived actors
    def _inst(self, sid: str, which: str) -> str:
        ident = self._inst_ids.get((sid, which))
        if ident is None:
            ident = f"{sid}-{which}"
            if self._get(ident) is None:
                ident = sid
            self._inst_ids[(sid, which)] = ident
        return ident

    def _ministry(self, scan: _Scan, sid: str, m: re.Match[str]) -> str:
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
                    parent=self._inst(sid, "government"),
                )
            if len(self._ministries) >= _CACHE_LIMIT:
                self._ministries.clear()
            cached = self._ministries[(sid, raw)] = (ident, info)
        ident, info = cached
        if info is not None and ident not in scan.derived:
            scan.derived[ident] = info
        return ident

    def _office(self, scan: _Scan, sid: str, s: int, e: int, m: re.Match[str]) -> str:
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

    # ------------------------------------------------------------------ discovery
    def _apply_discovery(self, scan: _Scan, found: Discovery) -> None:
        if found.absorbed:
            inside = Containment(found.absorbed).holds
            scan.cands = [c for c in scan.cands if not (c[4] in STATELIKE and inside(c[0], -c[1]))]
            scan.places = [pl for pl in scan.places if not inside(pl[0], pl[1])]
        if found.names:
            names = found.names

            lo, hi = min(a for a, _ in names), max(b for _, b in names)

            def in_name(s: int, e: int) -> bool:
                return lo <= s and e <= hi and any(a <= s and e <= b for a, b in names)

            scan.cands = [c for c in scan.cands if not in_name(c[0], -c[1])]
        for org in found.actors:
            info = self._get(org.actor_id) or scan.derived.get(org.actor_id)
            if info is None:
                info = ActorInfo(
                    id=org.actor_id,
                    name=org.name,
                    type=org.type,
                    aliases=tuple(org.aliases),
                    country=org.country,
                    parent=org.parent,
                    discovered=True,
                )
                scan.derived[org.actor_id] = info
        cands = scan.cands
        for men in found.mentions:
            cands.append((men.start, -men.end, men.actor_id, men.kind, ACTOR))
        places = scan.places
        for place in found.places:
            places.append((place.start, place.end, place.name, "other", None))
        for actor_id, forms in found.linked.items():
            scan.linked.setdefault(actor_id, []).extend(forms)

    # ------------------------------------------------------------------ output
    def _assemble(self, scan: _Scan, sentences: Sequence[Sentence]) -> ActorFindings:
        return assemble(
            scan.text,
            sentences,
            scan.cands,
            scan.places,
            info=lambda actor_id: self._get(actor_id) or scan.derived.get(actor_id),
            linked=scan.linked,
        )


_AND = frozenset(("and",))


def _occurrences(norm: str, form: str) -> list[int]:
    """Where ``form`` starts in ``norm``."""
    found = []
    at = norm.find(form)
    while at >= 0:
        found.append(at)
        at = norm.find(form, at + 1)
    return found


def _start(hit: tuple[int, Pattern]) -> int:
    """The start offset of an automaton hit (last offset, pattern)."""
    return hit[0] + 1 - hit[1][3]


_LOWER = re.compile(r"[a-z]")


def _has_lower(norm: str, s: int, e: int) -> bool:
    """Whether the line around an acronym has lower-case letters (it is not an all-caps line)."""
    start = max(norm.rfind("\n", 0, s) + 1, s - 40)
    end = norm.find("\n", e)
    end = min(e + 40, len(norm) if end < 0 else end)
    return _LOWER.search(norm, start, end) is not None
