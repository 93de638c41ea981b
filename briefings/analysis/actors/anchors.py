"""The nouns the name-definition rules anchor on, and one index of where they stand."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import ahocorasick

from briefings.analysis.actors import lexicon as lx


def words_at(norm: str, nouns: tuple[str, ...]) -> list[tuple[int, str]]:
    """Where ``nouns`` stand as whole words after a blank or a line break, sorted by offset."""
    index = _noun_index(norm)
    hits = [(at, noun) for noun in nouns for at in index.get(noun, ())]
    hits.sort()
    return hits


def names_before(
    norm: str, nouns: tuple[str, ...], pattern: re.Pattern[str], reach: int
) -> Iterator[tuple[int, str, re.Match[str]]]:
    """Each of ``nouns`` standing as a whole word whose ``reach`` characters before it end in
    ``pattern`` (a name, a group noun …): the noun's offset, the noun and that match."""
    for at, noun in words_at(norm, nouns):
        m = pattern.search(norm, max(0, at - reach), at)
        if m is not None:
            yield at, noun, m


_LAST_INDEX: list[tuple[str, dict[str, list[int]]]] = []
"""The noun index of the text read last (the rules of one article share one pass)."""


def _noun_index(norm: str) -> dict[str, list[int]]:
    if _LAST_INDEX and _LAST_INDEX[0][0] is norm:
        return _LAST_INDEX[0][1]
    index: dict[str, list[int]] = {}
    size = len(norm)
    for last, noun in _noun_automaton().iter(norm):
        # the key matched holds the blank before the noun: norm[at - 1] is " ", "\t" or "\n"
        at = last - len(noun) + 1
        after = norm[last + 1] if last + 1 < size else " "
        if at >= 3 and not (after.isalnum() or after in "_-"):
            index.setdefault(noun, []).append(at)
    _LAST_INDEX[:] = [(norm, index)]
    return index


_BLANKS = (" ", "\t", "\n")


@cache
def _noun_automaton() -> ahocorasick.Automaton:
    """One automaton over every noun the rules below anchor on (built once): one walk per
    text beats a search per noun or one regular expression of alternatives. Each noun is
    added after each blank that may precede it, so the walk reports only nouns that start a
    word, and mostly stays at its root (three ways out) between them."""
    automaton = ahocorasick.Automaton()
    for noun in (
        *SUFFIXES,
        *RULE_HEADS,
        *ACR_NOUNS,
        *GANG_NOUNS,
        *NOUNS_BEFORE_NAME,
        *COLLECTIVE_NOUNS,
        *SELF_NAMING,
        *SOURCES,
    ):
        for blank in _BLANKS:
            automaton.add_word(blank + noun, noun)
    automaton.make_automaton()
    return automaton


SUFFIXES = tuple(str(s) for s in lx.CUES.get("legal_suffixes", ()))


RULE_HEADS = tuple(str(h) for h in lx.CUES.get("rule_heads", ()))


ACR_HEADS: dict[str, str] = {
    str(noun): kind for kind, nouns in lx.CUES.get("acronym_heads", {}).items() for noun in nouns
}


# Nouns are rarer than capitals: each search is anchored on the noun, then the words before
# it are read from a short window.
ACR_NOUNS = tuple(ACR_HEADS)


GANG_NOUNS = ("gang", "cartel", "mafia", "syndicate", "crew", "posse")


NOUNS_BEFORE_NAME = ("party", "militia", "group", "gang", "movement")


PROXY_NOUNS = frozenset(("groups", "forces", "militias", "fighters", "rebels", "factions"))


COLLECTIVE: dict[str, str] = {
    str(noun): kind for kind, nouns in lx.CUES.get("collective_nouns", {}).items() for noun in nouns
}


# Two-word collectives: noun -> (the words that must stand before it, type).
COMPOUNDS: dict[str, tuple[frozenset[str], str]] = {}
for _kind, _phrases in lx.CUES.get("collective_compounds", {}).items():
    for _phrase in _phrases:
        _mod, _, _noun = str(_phrase).rpartition(" ")
        _mods = COMPOUNDS.get(_noun, (frozenset(), str(_kind)))[0]
        COMPOUNDS[_noun] = (_mods | {_mod}, str(_kind))


# Crowds name an actor even bare ("demonstrators", "Protesters"), as one collective.
CROWDS = frozenset(
    form
    for noun, kind in COLLECTIVE.items()
    if kind == "other"
    for form in (noun, noun.capitalize())
)


COLLECTIVE_NOUNS = (
    tuple(COLLECTIVE)
    + tuple(n for n in COMPOUNDS if n not in COLLECTIVE)
    + tuple(n for n in PROXY_NOUNS if n not in COLLECTIVE)
    + tuple(sorted(c for c in CROWDS if c[0].isupper()))
)


SELF_NAMING = ("known", "calling", "calls", "call", "dubbed")


# Nouns of people who speak unnamed ("analysts", "sources"), with the type of their group.
SOURCES: dict[str, str] = {
    form: str(kind)
    for kind, nouns in lx.CUES.get("source_nouns", {}).items()
    for noun in nouns
    for form in (str(noun), str(noun).capitalize())
}
