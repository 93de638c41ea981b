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
  names a person with that title; with a state after it and no name ("the Minister of
  Finance of Kenya") -> that state's office holder, the state's mention taken into it;
- a body a named group runs ("the Hamas-run health ministry", "the Houthi-led government")
  -> a government actor of its own, ``<group>-<body>``, whose parent is the group.

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
``tests/core/actors/test_fast_paths.py`` checks each shortcut against the rule it stands for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
from briefings.analysis.actors.mentions import assemble
from briefings.analysis.actors.offices import OfficeReader
from briefings.analysis.actors.scan import Scan, hit_start
from briefings.analysis.actors.states import (
    GEOGRAPHY,
    LEFT_CONTEXT,
    LIST_ITEM_END,
    PLACE_NOUN_AFTER,
    StateReader,
)
from briefings.model import ActorFindings, ActorInfo, Article, Sentence
from briefings.text.folding import fold_in_place
from briefings.text.intervals import Containment

_NAMED = frozenset((ACTOR, SEAT))
_BACKED = cx.BACKED.match
_COORDINATION = cx.COORDINATION.match
_AGENT_VERB = cx.AGENT_VERB.match
_TAIL_OF_A_NAME = re.compile(r"\b[A-Z][a-z]+ and $").search
# A capital right after a verb that acts on a government, before what it is accused of or
# asked ("Moscow accused Kyiv of terrorism", "Washington urged Beijing to ..."): the state.
_AGENT_OBJECT = re.compile(
    r"(?<![\w-])(?:accused|accuses|accusing|blamed|blames|urged|urges|warned|warns|pressed|"
    r"called\s+on|condemned|criticised|criticized|summoned|sanctioned)[ \t]+$"
)
_AGENT_OBJECT_AFTER = re.compile(r"[ \t]+(?:of|for|to|over|against)\b").match
_FACILITY_AFTER = cx.FACILITY_AFTER.match
# Cheap necessary conditions tested before three patterns: NEXT_WORD starts with a blank or
# an apostrophe; PLACE_NOUN_AFTER needs the first letter of a place noun ("region", "state",
# ...) or a blank; COORDINATION the first mark of a list joint ("(", ",", "and", "or", "&",
# "/") or nothing but blanks in sight.
_PLACE_NOUN_FIRST = frozenset("rRsSpPgGdDoOcCtTaAvVmM")
_COORDINATION_FIRST = frozenset(("(", ",", "a", "o", "&", "/", ""))


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
        self._reader = StateReader(self._states, self._get)
        self._offices = OfficeReader(self._states, self._get, self._reader.inst)

    def find(self, article: Article, sentences: Sequence[Sentence]) -> ActorFindings:
        """Actors, mentions (sorted by start) and places of one article.

        Args:
            article: the parsed article; offsets point into ``article.text``.
            sentences: its sentences, in order (mentions carry their index).
        """
        text = article.text
        scan = Scan(text, fold_in_place(text))
        self._match(scan)
        if "country's" in scan.norm:
            self._offices.countrys_government(scan)
        if "Minister" in scan.norm:
            self._offices.unnamed_ministers(scan)
        found = discover(text, scan.norm, scan.covered, self._lookup_state)
        self._apply_discovery(scan, found)
        return self._assemble(scan, sentences)

    # ------------------------------------------------------------------ gazetteer pass
    def _lookup_state(self, state_id: str) -> ActorInfo | None:
        return self._states.get(state_id)

    def _match(self, scan: Scan) -> None:
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
                elif statelike and (i + 1 >= count or hit_start(raw[i + 1]) != e + 1):
                    continue
            if code == BLOCK or (short_acronym and not _has_lower(norm, s, e)):
                continue
            prev_accepted_end = e
            if code in _NAMED:
                if right == " " and _FACILITY_AFTER(norm, e):
                    continue  # "a Chadian military base": a place, not the army
                if right == "-" and self._reader.group_run(scan, target, s, e):
                    continue  # "the Hamas-run health ministry": the ministry is the actor
                if right == " " and self._reader.ruled_by(scan, target, s, e):
                    continue  # "the Assad regime": the state's government is the actor
                if left == " " and self._kin(norm, target, s, e):
                    continue  # "Abdelrahim Dagalo" is not Mohamed Hamdan Dagalo: a new person
                if left == " " and self._ends_a_longer_name(norm, s, e, covered):
                    continue  # "the AU Peace and Security Council" is not the UN's
                cands.append((s, -e, target, kind, code))
                covered[s] = (s, e, "actor", target)
                continue
            if code == PLACE:
                assert place is not None
                end = e
                after = norm[e + 1 : e + 2]
                if right == " " and (after in _PLACE_NOUN_FIRST or after.isspace()):
                    ext = PLACE_NOUN_AFTER(norm, e)
                    if ext:
                        end = ext.end()
                scan.places.append((s, end, place.name, place_kind, place.country))
                covered[s] = (s, end, "place", place.country or "")
                last_end, last_class = end, "place"
                continue
            if code == CAPITAL:
                where, offset = LEFT_CONTEXT(norm, s) if left == " " else ("", -1)
                if where == "gov" and cands and cands[-1][0] < offset < -cands[-1][1]:
                    where = "loc"  # "the Houthi-led government in Sanaa": named already
                if where in GEOGRAPHY:
                    # "demonstrators in Lusaka have marched": a place, whatever follows
                    scan.places.append((s, e, scan.text[s:e], "city", target))
                    covered[s] = (s, e, "place", target)
                    last_end, last_class = e, "place"
                    continue
                if where == "gov":
                    # "the government in Mogadishu": the state's government, not a place
                    ident = self._reader.inst(target, "government")
                    cands.append((offset, -e, ident, "descriptor", STATE))
                    covered[offset] = (offset, e, "state", ident)
                    last_end, last_class = e, "gov-dist"
                    continue
                if backed or _AGENT_VERB(norm, e) or self._agent_object(norm, s, e):
                    cands.append((s, -e, target, "metonym", code))
                    covered[s] = (s, e, "state", target)
                    last_end, last_class = e, "state"
                else:
                    scan.places.append((s, e, scan.text[s:e], "city", target))
                    covered[s] = (s, e, "place", target)
                    last_end, last_class = e, "place"
                continue
            if code == DEMONYM:
                self._reader.demonym(scan, target, s, e, backed)
                continue
            inherited = ""
            if (
                last_end >= 0
                and s - last_end < 130
                and norm[last_end : last_end + 8].lstrip()[:1] in _COORDINATION_FIRST
                and _COORDINATION(norm, last_end, s)
            ):
                inherited = last_class
                if inherited == "place" and not LIST_ITEM_END(norm, e):
                    inherited = ""  # "in Kursk, South Korea's agency said": a new clause
            follow = raw[i + 1] if i + 1 < count else None
            last_end, last_class = self._reader.state(
                scan, p, s, e, backed=backed, inherited=inherited, follow=follow
            )

    @staticmethod
    def _agent_object(norm: str, s: int, e: int) -> bool:
        """A capital as the object of "accused", "urged", … before "of", "to", … ("Moscow
        accused Kyiv of terrorism"): the state, not the city."""
        return (
            _AGENT_OBJECT_AFTER(norm, e) is not None
            and _AGENT_OBJECT.search(norm, max(0, s - 16), s) is not None
        )

    @staticmethod
    def _ends_a_longer_name(norm: str, s: int, e: int, covered: dict[int, Span]) -> bool:
        """Whether a name at ``s``..``e`` ending in an organisation's head follows a
        capitalised word and "and" that no other match explains, inside a sentence: the end
        of another body's name ("the African Union Peace and Security Council" is not the
        UN Security Council; "Kenya and Security Council members" still name it)."""
        if not norm.startswith("and ", s - 4):
            return False
        if norm[norm.rfind(" ", s, e) + 1 : e] not in lx.ORG_HEADS:
            return False
        m = _TAIL_OF_A_NAME(norm, max(0, s - 24), s)
        if m is None or any(a <= m.start() < b for a, b, _k, _t in covered.values()):
            return False  # "groups linked to Islamic State and Al Qaeda": two known names
        i = m.start() - 1
        while i >= 0 and norm[i] in " \t":
            i -= 1
        return i >= 0 and norm[i] not in ".!?:;\n\"'("

    def _kin(self, norm: str, target: str, s: int, e: int) -> bool:
        """Whether a known person's one-word name at ``s``..``e`` follows a given name that
        is none of that person's ("Jill Biden" is not Joe Biden): another of the family."""
        if s < 3 or not norm[s - 2].isalpha() or norm.find(" ", s, e) >= 0:
            return False
        start = s - 2
        while start > 0 and (norm[start - 1].isalpha() or norm[start - 1] == "-"):
            start -= 1
        given = norm[start : s - 1]
        if not (given[:1].isupper() and given[1:].replace("-", "").isalpha()):
            return False
        if given in lx.NON_NAME or given.isupper():
            return False
        info = self._get(target)
        if info is None or info.type != "person":
            return False
        own = {word for form in (info.name, *info.aliases) for word in form.split()}
        return given not in own

    # ------------------------------------------------------------------ discovery
    def _apply_discovery(self, scan: Scan, found: Discovery) -> None:
        if found.absorbed:
            inside = Containment(found.absorbed).holds
            scan.cands = [c for c in scan.cands if not (c[4] in STATELIKE and inside(c[0], -c[1]))]
            scan.places = [pl for pl in scan.places if not inside(pl[0], pl[1])]
        if found.names:
            in_name = Containment(found.names).holds
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
    def _assemble(self, scan: Scan, sentences: Sequence[Sentence]) -> ActorFindings:
        return assemble(
            scan.text,
            sentences,
            scan.cands,
            scan.places,
            info=lambda actor_id: self._get(actor_id) or scan.derived.get(actor_id),
            linked=scan.linked,
        )


_LOWER = re.compile(r"[a-z]")


def _has_lower(norm: str, s: int, e: int) -> bool:
    """Whether the line around an acronym has lower-case letters (it is not an all-caps line)."""
    start = max(norm.rfind("\n", 0, s) + 1, s - 40)
    end = norm.find("\n", e)
    end = min(e + 40, len(norm) if end < 0 else end)
    return _LOWER.search(norm, start, end) is not None
