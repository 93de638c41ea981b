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
  ("Kabul, Afghanistan"), or as a possessive before a place noun or a named group ("Haiti's
  future", "Yemen's Houthi rebels") -> a place, not an actor;
- with an institution noun ("Mali's army", "US troops", "the government of Ethiopia",
  "regimes in Syria and Venezuela") -> the state's military ``<state>-military`` or
  government ``<state>-government``;
- with a ministry ("Iran's foreign ministry") -> ``<state>-ministry-of-<portfolio>``;
- as part of a title ("President of Russia Vladimir Putin", "U.S. Secretary of State Rice")
  -> no mention (the person is the actor); an office with no name after it ("Mali's Defence
  Minister") -> an office-holder person ``<state>-<office>``;
- "the country's government" -> the government of the state named last before it.

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
warned"); a seat of power ("the Kremlin", "the White House") always names its government.

Discovered and derived ids: a discovered actor (an organisation-like span, a named person, an
acronym with no known expansion) gets ``x-`` + the slug of its name; a ministry
``<state>-ministry-of-<portfolio>``; an unnamed office holder ``<state>-<office>``.

Salience: each mention weighs 3 in the title, 2 in the dek, 1.5 in the first body
sentence, 1 elsewhere; times 1.5 when it is the first actor mention of its sentence and
starts in its first 40 characters (a proxy for subject position). An actor's salience is its
summed weight divided by the largest summed weight in the article (0..1, the top actor 1).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefings import actor_lexicon as lx
from briefings.discovery import Discovery, Span, discover
from briefings.gazetteer import Gazetteer
from briefings.gazetteer_build import slugify
from briefings.matcher import (
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
from briefings.model import (
    ActorFindings,
    ActorInfo,
    Article,
    ArticleActor,
    Mention,
    MentionKind,
    PlaceMention,
    Sentence,
)

_Cand = tuple[int, int, str, MentionKind, int]
"""A mention candidate before discovery may absorb it: (start, -end, actor id, kind, code);
plain tuples sort by offset, longest first."""


@dataclass(slots=True)
class _Scan:
    """The state of one ``find`` call."""

    finder: ActorFinder
    article: Article
    sentences: Sequence[Sentence]
    norm: str = ""
    cands: list[_Cand] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    covered: dict[int, Span] = field(default_factory=dict)
    derived: dict[str, ActorInfo] = field(default_factory=dict)
    linked: dict[str, list[str]] = field(default_factory=dict)
    starts: list[int] = field(default_factory=list)


class ActorFinder:
    """Finds the actors of an article; build one per gazetteer and reuse it.

    Args:
        gazetteer: the actors and places to match (its automaton is built once and cached).
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._matcher = matcher_for(gazetteer)

    def find(self, article: Article, sentences: Sequence[Sentence]) -> ActorFindings:
        """Actors, mentions (sorted by start) and places of one article.

        Args:
            article: the parsed article; offsets point into ``article.text``.
            sentences: its sentences, in order (mentions carry their index).
        """
        scan = _Scan(self, article, sentences)
        scan.norm = lx.normalise(article.text)
        scan.starts = [s.start for s in sentences]
        self._match(scan)
        if "country's" in scan.norm:
            self._countrys_government(scan)
        found = discover(article.text, scan.norm, scan.covered, self._lookup_state)
        self._apply_discovery(scan, found)
        return self._assemble(scan)

    # ------------------------------------------------------------------ gazetteer pass
    def _lookup_state(self, state_id: str) -> ActorInfo | None:
        return self._matcher.states.get(state_id)

    def _match(self, scan: _Scan) -> None:
        norm = scan.norm
        size = len(norm)
        raw = [
            (end + 1 - p.length, end + 1, p) for end, p in self._matcher.automaton.iter_long(norm)
        ]
        last_end = -1
        last_class = ""  # "place", "state", "gov-dist", "" (for list coordination)
        prev_accepted_end = -2
        count = len(raw)
        for i in range(count):
            s, e, p = raw[i]
            left = norm[s - 1] if s else " "
            right = norm[e] if e < size else " "
            if left.isalnum() or right.isalnum() or left == "_" or right == "$":
                continue
            code = p.code
            statelike = code in STATELIKE or p.institutional
            nxt_start = raw[i + 1][0] if i + 1 < count else -1
            if left == "-" and prev_accepted_end != s - 1 and (statelike or code == PLACE):
                continue
            backed = False
            if right == "-" and e + 1 < size and norm[e + 1].isalpha():
                if lx.BACKED.match(norm, e):
                    backed = True
                elif nxt_start != e + 1 and statelike:
                    continue
            if code == BLOCK or (
                p.kind == "acronym" and p.length <= 3 and not _has_lower(norm, s, e)
            ):
                continue
            prev_accepted_end = e
            if code in (ACTOR, SEAT):
                self._cand(scan, p.target, s, e, p.kind, code=code)
                continue
            if code == PLACE:
                assert p.place is not None
                end = e
                if right == " ":
                    ext = lx.PLACE_NOUN_AFTER.match(norm, e)
                    if ext:
                        end = ext.end()
                self._place(scan, s, end, p.place.name, kind=p.place.kind, country=p.place.country)
                last_end, last_class = end, "place"
                continue
            inherited = ""
            if last_end >= 0 and s - last_end < 130 and lx.COORDINATION.match(norm, last_end, s):
                inherited = last_class
                if inherited == "place" and not lx.LIST_ITEM_END.match(norm, e):
                    inherited = ""  # "in Kursk, South Korea's agency said": a new clause
            if code == CAPITAL:
                if backed or lx.AGENT_VERB.match(norm, e):
                    self._cand(scan, p.target, s, e, "metonym", code=code)
                    last_end, last_class = e, "state"
                else:
                    self._place(
                        scan, s, e, p.target, kind="city", country=p.target, surface_name=True
                    )
                    last_end, last_class = e, "place"
                continue
            if code == DEMONYM:
                self._demonym(scan, p, s, e, backed)
                continue
            last_end, last_class = self._state(
                scan, p, s, e, backed=backed, inherited=inherited, raw=raw, i=i
            )

    def _countrys_government(self, scan: _Scan) -> None:
        """ "the country's government" -> the government of the state named last before it."""
        named = [(c[0], c[2]) for c in scan.cands if c[4] == STATE]
        named += [(p.start, p.country) for p in scan.places if p.kind == "country" and p.country]
        named.sort()
        for m in lx.COUNTRYS_GOVERNMENT.finditer(scan.norm):
            before = [sid for start, sid in named if start < m.start()]
            sid = before[-1] if before else None
            if sid is not None and sid not in self._matcher.states:
                info = self.gazetteer.get(sid) or scan.derived.get(sid)
                sid = info.country if info is not None else None
            if sid is not None and sid in self._matcher.states:
                ident = self._inst(sid, "government")
                self._cand(scan, ident, m.start() + 4, m.end(), "descriptor", code=ACTOR)

    def _state(
        self,
        scan: _Scan,
        p: Pattern,
        s: int,
        e: int,
        *,
        backed: bool,
        inherited: str,
        raw: list[tuple[int, int, Pattern]],
        i: int,
    ) -> tuple[int, str]:
        norm, sid = scan.norm, p.target
        if backed:
            self._cand(scan, sid, s, e, p.kind, code=p.code)
            return e, "state"
        where, offset = lx.left_context(norm, s)
        if where == "title":
            return -1, ""
        if where == "gov":
            self._cand(scan, self._inst(sid, "government"), offset, e, "descriptor", code=p.code)
            return e, "gov-dist"
        if inherited == "place" or where in ("loc", "placeof"):
            self._place(scan, s, e, self._matcher.states[sid].name, kind="country", country=sid)
            return e, "place"
        if inherited == "gov-dist":
            self._cand(scan, self._inst(sid, "government"), s, e, p.kind, code=p.code)
            return e, "gov-dist"
        nxt = lx.NEXT_WORD.match(norm, e)
        if nxt is not None:
            if nxt.group(2).lower() in lx.INSTITUTION_FIRST and self._institution(
                scan, sid, s, e, kind=p.kind, code=p.code
            ):
                return e, "state"
            if nxt.group(1):
                if lx.POSSESSIVE_PLACE.match(norm, e):
                    self._place(
                        scan, s, e, self._matcher.states[sid].name, kind="country", country=sid
                    )
                    return e, "place"
                follow = raw[i + 1] if i + 1 < len(raw) else None
                if follow is not None and follow[2].code == ACTOR and follow[0] == nxt.start(2):
                    target = self.gazetteer.get(follow[2].target)
                    if target is not None and target.type in ("armed_group", "organisation"):
                        self._place(
                            scan, s, e, self._matcher.states[sid].name, kind="country", country=sid
                        )
                        return e, "place"
        self._cand(scan, sid, s, e, p.kind, code=p.code)
        return e, "state"

    def _demonym(self, scan: _Scan, p: Pattern, s: int, e: int, backed: bool) -> None:
        norm, sid = scan.norm, p.target
        if backed:
            self._cand(scan, sid, s, e, "demonym", code=p.code)
            return
        if lx.left_context(norm, s)[0] == "drop":
            return
        nxt = lx.NEXT_WORD.match(norm, e)
        if nxt is None:
            return
        if nxt.group(2).lower() in lx.INSTITUTION_FIRST and self._institution(
            scan, sid, s, e, kind="demonym", code=p.code
        ):
            return
        if lx.STATE_ACTION.match(norm, e):
            self._cand(scan, sid, s, e, "demonym", code=p.code)

    def _institution(
        self, scan: _Scan, sid: str, s: int, e: int, *, kind: MentionKind, code: int
    ) -> bool:
        """Ministry, government, military or office after a state name or demonym."""
        norm = scan.norm
        m = lx.MINISTRY.match(norm, e)
        if m:
            self._cand(scan, self._ministry(scan, sid, m), s, m.end(), "name", code=code)
            return True
        m = lx.INSTITUTION.match(norm, e)
        if m:
            which = "government" if m.group("gov") else "military"
            self._cand(scan, self._inst(sid, which), s, m.end(), kind, code=code)
            return True
        m = lx.OFFICE.match(norm, e)
        if m:
            if lx.NAME_AFTER.match(norm, m.end()):
                return True  # a title: the named person is the actor
            self._cand(scan, self._office(scan, sid, s, e, m), s, m.end(), "descriptor", code=code)
            return True
        return False

    # ------------------------------------------------------------------ derived actors
    def _inst(self, sid: str, which: str) -> str:
        ident = f"{sid}-{which}"
        return ident if self.gazetteer.get(ident) is not None else sid

    def _ministry(self, scan: _Scan, sid: str, m: re.Match[str]) -> str:
        portfolio = m.group("of") or m.group("pre") or ""
        portfolio = " ".join(portfolio.split()).title()
        portfolio = portfolio.replace("Defense", "Defence")
        if portfolio == "Foreign":
            portfolio = "Foreign Affairs"
        ident = f"{sid}-ministry-of-{slugify(portfolio)}"
        known = self.gazetteer.get(ident)
        if known is not None:
            return ident
        if ident not in scan.derived:
            state = self._matcher.states[sid]
            adjective = state.demonyms[0] if state.demonyms else state.name
            scan.derived[ident] = ActorInfo(
                id=ident,
                name=f"{adjective} Ministry of {portfolio}",
                type="government",
                country=sid,
                parent=self._inst(sid, "government"),
            )
        return ident

    def _office(self, scan: _Scan, sid: str, s: int, e: int, m: re.Match[str]) -> str:
        office = " ".join(m.group("office").split())
        ident = f"{sid}-{slugify(office.lower().replace('defense', 'defence'))}"
        if ident not in scan.derived and self.gazetteer.get(ident) is None:
            state = self._matcher.states[sid]
            surface = scan.norm[s:e]
            if surface in state.demonyms:
                name = f"{surface} {office}"
            else:
                name = f"{office} of {state.name}"
            scan.derived[ident] = ActorInfo(
                id=ident, name=name, type="person", country=sid, description="office holder"
            )
        return ident

    # ------------------------------------------------------------------ recording
    @staticmethod
    def _cand(
        scan: _Scan,
        actor_id: str,
        s: int,
        e: int,
        kind: MentionKind,
        *,
        code: int,
    ) -> None:
        scan.cands.append((s, -e, actor_id, kind, code))
        scan.covered[s] = (s, e, "actor" if code in (ACTOR, SEAT) else "state", actor_id)

    @staticmethod
    def _place(
        scan: _Scan,
        s: int,
        e: int,
        name: str,
        *,
        kind: str,
        country: str | None,
        surface_name: bool = False,
    ) -> None:
        surface = scan.article.text[s:e]
        sentence = max(0, bisect.bisect_right(scan.starts, s) - 1)
        pk = kind if kind in ("country", "city", "region") else "other"
        scan.places.append(
            PlaceMention(
                name=surface if surface_name else name,
                surface=surface,
                start=s,
                end=e,
                sentence=sentence,
                country=country,
                kind=pk,  # type: ignore[arg-type]
            )
        )
        scan.covered[s] = (s, e, "place", country or "")

    # ------------------------------------------------------------------ discovery
    def _apply_discovery(self, scan: _Scan, found: Discovery) -> None:
        if found.absorbed:
            spans = found.absorbed

            def inside(s: int, e: int) -> bool:
                return any(a <= s and e <= b for a, b in spans)

            scan.cands = [c for c in scan.cands if not (c[4] in STATELIKE and inside(c[0], -c[1]))]
            scan.places = [pl for pl in scan.places if not inside(pl.start, pl.end)]
        for org in found.actors:
            info = self.gazetteer.get(org.actor_id) or scan.derived.get(org.actor_id)
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
        for men in found.mentions:
            scan.cands.append((men.start, -men.end, men.actor_id, men.kind, ACTOR))
        for place in found.places:
            self._place(scan, place.start, place.end, place.name, kind="other", country=None)
        for actor_id, forms in found.linked.items():
            scan.linked.setdefault(actor_id, []).extend(forms)

    # ------------------------------------------------------------------ output
    def _assemble(self, scan: _Scan) -> ActorFindings:
        text = scan.article.text
        starts = scan.starts
        scan.cands.sort()
        mentions: list[Mention] = []
        by_actor: dict[str, list[Mention]] = {}
        previous: _Cand | None = None
        for cand in scan.cands:
            if previous is not None and cand[:3] == previous[:3]:
                continue
            previous = cand
            start, neg_end, actor_id, kind, _code = cand
            end = -neg_end
            sentence = bisect.bisect_right(starts, start) - 1
            mention = Mention(actor_id, text[start:end], start, end, max(sentence, 0), kind)
            mentions.append(mention)
            group = by_actor.get(actor_id)
            if group is None:
                by_actor[actor_id] = [mention]
            else:
                group.append(mention)
        weights = _salience(scan, mentions)
        top = max(weights.values(), default=1.0) or 1.0
        known = self.gazetteer.get
        derived = scan.derived
        linked = scan.linked
        actors: list[ArticleActor] = []
        for actor_id, ms in by_actor.items():
            info = known(actor_id) or derived.get(actor_id)
            if info is None:
                continue
            forms = linked.get(actor_id)
            actors.append(
                ArticleActor(
                    actor=info,
                    mentions=tuple(ms),
                    salience=round(weights[actor_id] / top, 3),
                    linked_aliases=tuple(dict.fromkeys(forms)) if forms else (),
                )
            )
        actors.sort(key=_actor_order)
        places = sorted(scan.places, key=_place_order)
        return ActorFindings(actors=tuple(actors), mentions=tuple(mentions), places=tuple(places))


def _actor_order(a: ArticleActor) -> tuple[float, int]:
    return -a.salience, a.mentions[0].start


def _place_order(p: PlaceMention) -> int:
    return p.start


_LOWER = re.compile(r"[a-z]")


def _has_lower(norm: str, s: int, e: int) -> bool:
    """Whether the line around an acronym has lower-case letters (it is not an all-caps line)."""
    start = max(norm.rfind("\n", 0, s) + 1, s - 40)
    end = norm.find("\n", e)
    end = min(e + 40, len(norm) if end < 0 else end)
    return _LOWER.search(norm, start, end) is not None


def _salience(scan: _Scan, mentions: Sequence[Mention]) -> dict[str, float]:
    sentences = scan.sentences
    first_body = next((s.index for s in sentences if s.kind not in ("title", "subtitle")), -1)
    weights: dict[str, float] = {}
    first_in_sentence: set[int] = set()
    for m in mentions:
        sent = sentences[m.sentence] if m.sentence < len(sentences) else None
        if sent is None:
            w = 1.0
        elif sent.kind == "title":
            w = 3.0
        elif sent.kind == "subtitle":
            w = 2.0
        elif sent.index == first_body:
            w = 1.5
        else:
            w = 1.0
        if m.sentence not in first_in_sentence:
            first_in_sentence.add(m.sentence)
            if sent is not None and m.start - sent.start < 40:
                w *= 1.5
        weights[m.actor_id] = weights.get(m.actor_id, 0.0) + w
    return weights
