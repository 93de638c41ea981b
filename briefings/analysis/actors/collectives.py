"""Actors named by a group noun: collectives, crowds, proxies and self-given group names.

- **Collectives**: a modifier and a plural group noun ("Syrian rebels", "coup soldiers",
  "local authorities") or a bare crowd ("demonstrators") name a collective actor.
- **Proxies**: "Iran-backed groups", "Russian-aligned militias" are groups of their own.
- **Self-given names**: a group noun before "known as", "calling itself", "dubbed" ("a
  militia known as the Sons of the Desert") introduces the group's name.

All word lists come from ``data/actor_cues.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from briefings.analysis.actors import contexts as cx
from briefings.analysis.actors import lexicon as lx
from briefings.analysis.actors.anchors import (
    COLLECTIVE,
    COLLECTIVE_NOUNS,
    COMPOUNDS,
    CROWDS,
    PROXY_NOUNS,
    SELF_NAMING,
    names_before,
    words_at,
)
from briefings.analysis.actors.definitions import Definition, Span, head_type, word_before
from briefings.text.cuefiles import word_set

_PROXY = re.compile(
    r"^[A-Z][\w.]*-(?:backed|aligned|allied|sponsored|supported|funded|armed|trained)$"
)


def proxy(name: str) -> bool:
    """Whether ``name`` is a backed group ("Iran-backed groups"), whose backer is an actor too."""
    first, _, rest = name.partition(" ")
    return bool(rest) and _PROXY.search(first) is not None


_COLLECTIVE_STOP = word_set("actor_cues.toml", "collective_stop")


_CROWD_OPENERS = word_set("actor_cues.toml", "crowd_openers")


_COLLECTIVE_MODS = word_set("actor_cues.toml", "collective_modifiers")


_UNNAMED = word_set("actor_cues.toml", "unnamed_modifiers")


_LEVELS = word_set("actor_cues.toml", "government_levels")


def _lower(word: str) -> str:
    """A capitalised word in lower case ("Coalition" opening a sentence), else the word."""
    return word.lower() if word[:1].isupper() and word[1:].islower() else word


def _collective_modifier(mod: str) -> bool:
    """Whether a word before a group noun names the group ("Syrian", "coup", not "Some")."""
    low = _lower(mod)
    if mod in _COLLECTIVE_MODS or low in _COLLECTIVE_MODS or low in _UNNAMED:
        return True
    if not (mod[:1].isupper() and mod[1:2].isalpha()):
        return False
    return mod not in _COLLECTIVE_STOP and mod not in lx.SENTENCE_OPENERS


def collectives(text: str, norm: str, covered: Mapping[int, Span]) -> list[Definition]:
    """Collective actors: a modifier and a plural group noun ("Syrian rebels", "coup soldiers",
    "Iran-backed groups", "unidentified gunmen", "coalition patrol boats", "suicide bombers").

    A crowd ("demonstrators", "protesters") is a collective actor even without a modifier.
    A modifier the gazetteer pass read already ("Chadian soldiers" is Chad's military,
    "Houthi fighters" the Houthis) or that names people of an ethnicity ("ethnic Serb
    protesters") makes no new actor. One modifier makes one actor of each type ("Tuareg
    fighters" and "Tuareg rebels", "coalition forces" and "coalition patrol boats"), named by
    its first phrase. An unnamed collective ("unknown attackers") is also what its noun
    names bare later on ("the attackers", "18 were attackers").

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
        covered: what the gazetteer pass found, by start offset.
    """
    found: list[Definition] = []
    names: dict[tuple[str, str], str] = {}  # (modifier, type or noun) -> the actor's name
    unnamed: dict[str, str] = {}  # noun -> the unnamed collective it names bare
    # Anchored on the noun (rarer than capitals), then the word before it is read.
    for at, noun in words_at(norm, COLLECTIVE_NOUNS):
        s, mod = word_before(norm, at)
        if noun in CROWDS and (
            not mod or not (mod[:1].isupper() or mod in _COLLECTIVE_MODS) or mod in _CROWD_OPENERS
        ):
            # a crowd needs no modifier: "demonstrators in the capital have mounted protests"
            e = at + len(noun)
            found.append(Definition(at, e, text[at:e], "other"))
            continue
        compound = COMPOUNDS.get(noun)
        if compound is not None and noun not in COLLECTIVE:
            if _lower(mod) not in compound[0]:
                continue  # "Russian bombers" are aircraft
        elif not mod or not _accepted(norm, s, mod, noun) or _ends_a_name(norm, s, mod, covered):
            if noun in unnamed and covered.get(at) is None and _bare(mod):
                e = at + len(noun)
                found.append(Definition(at, e, unnamed[noun], COLLECTIVE[noun]))  # type: ignore[arg-type]
            continue
        proxy = _PROXY.search(mod) is not None
        span = covered.get(s)
        if span is not None and span[2] == "state" and noun[:1].isupper():
            span = None  # "Georgian Armenians": a people, not the state
        if (span is not None and not proxy) or cx.dropped(norm, s):
            continue
        if noun not in COLLECTIVE and noun not in COMPOUNDS and not proxy:
            continue  # "groups", "factions": a collective only as somebody's proxies
        if proxy and noun in PROXY_NOUNS:
            kind = "armed_group"
        else:
            kind = COLLECTIVE[noun] if noun in COLLECTIVE else COMPOUNDS[noun][1]
        # An acronym names the body itself: "KFOR troops" are KFOR.
        e = s + len(mod) if mod.isupper() and len(mod) >= 2 else at + len(noun)
        low = _lower(mod)
        key = (low, noun if low in _UNNAMED else kind)
        prev_s, prev = word_before(norm, s)
        if low not in _UNNAMED and _lower(prev) in _UNNAMED:
            s, low = prev_s, _lower(prev)  # "unidentified suicide bombers"
        name = names.setdefault(key, text[s:e])
        if low in _UNNAMED:
            unnamed.setdefault(noun, name)
        found.append(Definition(s, e, name, kind))  # type: ignore[arg-type]
    return found


def _ends_a_name(norm: str, s: int, mod: str, covered: Mapping[int, Span]) -> bool:
    """Whether ``mod`` ends a name the gazetteer pass read ("United Nations peacekeepers"
    are the United Nations', as "KFOR troops" are KFOR's)."""
    end, at = s + len(mod), s
    for _ in range(4):
        at, word = word_before(norm, at)
        if not word[:1].isupper():
            return False
        span = covered.get(at)
        if span is not None and span[1] == end:
            return True
    return False


def _bare(mod: str) -> bool:
    """Whether the word before a group noun leaves it bare ("the", "24", "were")."""
    return not mod[:1].isupper() or mod in lx.SENTENCE_OPENERS or mod in _COLLECTIVE_STOP


def _accepted(norm: str, s: int, mod: str, noun: str) -> bool:
    """Whether ``mod`` before ``noun`` makes a collective (not the end of a longer name,
    a level of government before "authorities", a naming modifier otherwise)."""
    prev = word_before(norm, s)[1]
    if mod[:1].isupper() and prev[:1].isupper() and prev not in lx.SENTENCE_OPENERS:
        return False  # the end of a longer name ("Africa Corps fighters"), read elsewhere
    if COLLECTIVE.get(noun) == "government":
        return mod.lower() in _LEVELS  # "Kenyan authorities" are Kenya's, read elsewhere
    return _collective_modifier(mod)


_SELF_NAMED = re.compile(
    r"(?:[ \t]+as|[ \t]+(?:itself|themselves))?,?[ \t]+(?:the[ \t]+)?"
    r"(?P<name>[A-Z][\w'-]*(?:[ \t]+(?:(?:of|the|for|and|de|del|al)[ \t]+)*[A-Z][\w'-]*){0,6})"
)


_GROUP_BEFORE = re.compile(
    r"(?<![\w-])(?P<noun>militia|gang|cell|faction|brigade|outfit|unit|group|movement|"
    r"coalition|alliance|network|organi[sz]ation),?(?:[ \t]+(?:which|that|now|once|locally|"
    r"also|widely|later))?[ \t]+$"
)


_ARMED_NOUNS = word_set("actor_cues.toml", "armed_nouns")


def self_named(text: str, norm: str, covered: Mapping[int, Span]) -> list[Definition]:
    """Groups the text introduces by the name they go by ("a militia known as the Sons of
    the Desert", "a group calling itself Dawn Brigade").

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
        covered: what the gazetteer pass found (known names are skipped).
    """
    found: list[Definition] = []
    for at, verb, group in names_before(norm, SELF_NAMING, _GROUP_BEFORE, 40):
        m = _SELF_NAMED.match(norm, at + len(verb))
        if m is None or (verb == "known" and not m.group().lstrip(" \t").startswith("as")):
            continue
        if verb.startswith("call") and not ("itself" in m.group() or "themselves" in m.group()):
            continue
        s, e = m.span("name")
        words = norm[s:e].split()
        if (words[0] in lx.SENTENCE_OPENERS and len(words) == 1) or covered.get(s) is not None:
            continue
        kind = head_type(words)
        if kind == "organisation" and group.group("noun") in _ARMED_NOUNS:
            kind = "armed_group"
        found.append(Definition(s, e, text[s:e], kind))
    return found
