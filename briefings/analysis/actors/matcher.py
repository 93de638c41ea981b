"""The actor automaton: every name, alias, code, demonym, metonym and place of a gazetteer.

One Aho-Corasick automaton per :class:`~briefings.analysis.actors.gazetteer.Gazetteer`, built on
first use and kept in the gazetteer's cache. Its values say what a surface form is (an actor's name,
a state's name, a demonym, a capital, a seat of power, a place, or a blocker such as "Latin
American" that hides a demonym); the finder decides in context what a match means. Forms are folded
like the text (curly quotes, dashes, accents) and a leading "the" is dropped; a form that starts in
lower case ("al-Qaeda") is also added capitalised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from briefings.analysis.actors.gazetteer import Gazetteer, PlaceInfo
from briefings.model import ActorInfo, MentionKind
from briefings.text.folding import fold_in_place

# Pattern codes.
ACTOR, STATE, DEMONYM, CAPITAL, SEAT, PLACE, BLOCK = range(7)
STATELIKE = (STATE, DEMONYM, CAPITAL)
_BLOCKERS = (
    "Latin American",
    "African American",
    "Native American",
    "North American",
    "South American",
    "Central American",
    "Arab American",
    "Pan-African",
    "Indian Ocean",
    "Turkish Cypriot",
    "English Channel",
)


class Pattern(NamedTuple):
    """What a surface form is, with everything the finder needs precomputed at build time."""

    code: int
    target: str
    kind: MentionKind
    length: int
    statelike: bool
    """A state, demonym or capital, or a state's government or military: hyphen rules apply."""
    short_acronym: bool
    """An acronym of at most three letters: only on lines that are not all capitals."""
    place: PlaceInfo | None = None
    place_kind: str = "other"
    """The place's kind as a :class:`~briefings.model.PlaceMention` kind."""


@dataclass(slots=True)
class Matcher:
    automaton: ahocorasick.Automaton
    states: dict[str, ActorInfo]


def _surface_kind(form: str, default: MentionKind) -> MentionKind:
    letters = [c for c in form if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in form:
        return "acronym"
    return default


def _variants(form: str) -> list[str]:
    form = fold_in_place(form).strip()  # the text is folded the same way
    if form[:4] in ("the ", "The "):
        form = form[4:]
    if not form or "(" in form:
        return []
    out = [form]
    if form[0].islower():
        out.append(form[0].upper() + form[1:])
    return out


def _place_kind(place: PlaceInfo | None) -> str:
    if place is None or place.kind not in ("country", "city", "region"):
        return "other"
    return place.kind


def build_matcher(gaz: Gazetteer) -> Matcher:
    """The automaton of every surface form of ``gaz`` (prefer :func:`matcher_for`)."""
    table: dict[str, Pattern] = {}

    def add(
        form: str,
        code: int,
        target: str,
        kind: MentionKind,
        *,
        institutional: bool = False,
        place: PlaceInfo | None = None,
    ) -> None:
        for variant in _variants(form):
            if variant not in table:
                kind_here = _surface_kind(variant, kind)
                table[variant] = Pattern(
                    code,
                    target,
                    kind_here,
                    len(variant),
                    code in STATELIKE or institutional,
                    kind_here == "acronym" and len(variant) <= 3,
                    place,
                    _place_kind(place),
                )

    states = {a.id: a for a in gaz.actors if a.type == "state"}
    for name in _BLOCKERS:
        add(name, BLOCK, "", "name")
    for st in states.values():
        add(st.name, STATE, st.id, "name")
    for st in states.values():
        for form in st.aliases:
            add(form, STATE, st.id, "alias")
    for actor in gaz.actors:
        if actor.type == "state":
            continue
        inst = actor.type in ("government", "military") and actor.parent in states
        add(actor.name, ACTOR, actor.id, "name", institutional=inst)
        for form in (*actor.aliases, *actor.former_names):
            add(form, ACTOR, actor.id, "alias", institutional=inst)
    for st in states.values():
        for form in st.demonyms:
            add(form, DEMONYM, st.id, "demonym")
    for actor in gaz.actors:
        for form in gaz.metonyms(actor.id):
            add(form, SEAT, actor.id, "metonym")
    for st in states.values():
        capital = gaz.capital(st.id)
        if capital:
            add(capital, CAPITAL, st.id, "metonym")
    for place in gaz.places:
        add(place.surface, PLACE, place.name, "name", place=place)
    automaton = ahocorasick.Automaton()
    for form, pattern in table.items():
        automaton.add_word(form, pattern)
    automaton.make_automaton()
    return Matcher(automaton, states)


def matcher_for(gaz: Gazetteer) -> Matcher:
    """The gazetteer's automaton, built on first use and cached on the gazetteer."""
    cached = gaz.cache.get("actor-matcher")
    if isinstance(cached, Matcher):
        return cached
    built = build_matcher(gaz)
    gaz.cache["actor-matcher"] = built
    return built
