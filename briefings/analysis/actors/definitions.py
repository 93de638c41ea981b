"""Name rules that need no head noun: acronyms, legal forms, rule heads, all-capitals names.

- **Acronym definitions**: a capitalised span right before a bracketed acronym whose letters
  are the initials of the span's words ("Border Security Apparatus (BSA)", "Office of
  Foreign Assets Control (OFAC)", "Democratic Forces for the Liberation of Rwanda (FDLR)",
  where a translated name may hold its initials in another order) names an organisation,
  whatever its head noun. Documents and operations ("Executive Order (EO)") are not actors.
- **Legal forms**: a capitalised span followed by a legal suffix ("Trans-Sahel Logistics,
  S.A.", "Nile Freight Ltd") names a company.
- **Rule heads**: a capitalised name before "administration", "regime", "monarchy", …
  ("the Karimov regime") names a government body.
- **All-capitals names before an organisation noun** ("the ruling FRELIMO party", "the BSA
  militia") name an organisation of that kind.

All word lists come from ``data/actor_cues.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from briefings.analysis.actors import lexicon as lx
from briefings.analysis.actors.anchors import (
    ACR_HEADS,
    ACR_NOUNS,
    GANG_NOUNS,
    NOUNS_BEFORE_NAME,
    RULE_HEADS,
    SUFFIXES,
    names_before,
    words_at,
)
from briefings.analysis.actors.findings import sentence_initial
from briefings.model import ActorType
from briefings.text.cuefiles import word_set

Span = tuple[int, int, str, str]


_CONNECT = frozenset(
    ("of", "the", "for", "and", "de", "du", "des", "la", "le", "el", "et", "in", "on")
)


_NOT_ACTOR_HEADS = word_set("actor_cues.toml", "not_actor_heads")


_BEFORE_ACRONYM = re.compile(r"\((?P<acr>[A-Z][A-Za-z0-9&.-]{1,11})\)")


_WORD = re.compile(r"[\w'&.-]+")


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)$")


@dataclass(frozen=True, slots=True)
class Definition:
    """A name defined by the text itself, with the type it suggests."""

    start: int
    end: int
    name: str
    type: ActorType
    acronym: str | None = None
    redefines: bool = False
    """Whether the acronym names another known actor elsewhere: here it names this one."""


def head_type(tokens: list[str]) -> ActorType:
    for tok in reversed(tokens):
        kind = lx.ORG_HEADS.get(tok)
        if kind is not None:
            if kind == "military":
                return "armed_group"
            return kind  # type: ignore[return-value]
    return "organisation"


def _fits(acronym: str, initials: list[str]) -> bool:
    letters = [c for c in acronym if c.isupper() or c.isdigit()]
    if letters == initials:
        return True
    return len(letters) >= 4 and sorted(letters) == sorted(initials)


def acronym_definitions(text: str, norm: str, covered: Mapping[int, Span]) -> list[Definition]:
    """Organisations defined by a bracketed acronym whose letters fit their words' initials.

    Args:
        text: the article text (names are taken from it).
        norm: the same text folded (same offsets).
        covered: what the gazetteer pass found, by start offset (known names are skipped).
    """
    found: list[Definition] = []
    for m in _BEFORE_ACRONYM.finditer(norm):
        acr = m.group("acr")
        if sum(map(str.isupper, acr)) < 2 or "." in acr:
            continue  # not an acronym
        # An acronym the gazetteer knows is redefined only by a long form it does not know
        # ("Armed Forces of the Philippines (AFP)" is not the news agency).
        redefined = m.start() + 1 in covered
        line_start = norm.rfind("\n", 0, m.start()) + 1
        window_start = max(line_start, m.start() - 160)
        words = [(w.group(), w.start()) for w in _WORD.finditer(norm, window_start, m.start())]
        if not words or norm[words[-1][1] + len(words[-1][0]) : m.start()].strip():
            continue
        # Walk back over capitalised words and connectors, as long as they may belong to it.
        taken: list[tuple[str, int]] = []
        for word, at in reversed(words):
            if word[:1].isupper() or _ORDINAL.match(word) or word in _CONNECT:
                taken.append((word, at))
                if len(taken) > 12:
                    break
                continue
            break
        taken.reverse()
        best: tuple[int, int] | None = None
        for i, (word, _at) in enumerate(taken):
            if word in _CONNECT or word.endswith("'s"):
                continue
            initials = [
                part[0] for w, _ in taken[i:] if w not in _CONNECT for part in w.split("-") if part
            ]
            initials = [c.upper() for c in initials if c.isalnum()]
            if _fits(acr, initials):
                best = (taken[i][1], taken[-1][1] + len(taken[-1][0]))
                break
        if best is None:
            continue
        s, e = best
        name_words = norm[s:e].split()
        if name_words[-1] in _NOT_ACTOR_HEADS or name_words[-1] in lx.PLACE_HEADS:
            continue
        known = covered.get(s)
        if known is not None and (known[1] >= e or redefined):
            continue
        found.append(Definition(s, e, text[s:e], head_type(name_words), acr, redefined))
    return found


# The look-behinds of these name patterns stand after their first letter ("[A-Z](?<![\w-][A-Z])"
# is "(?<![\w-])[A-Z]"): a pattern that starts with a character class lets a search skip to
# the places where that letter stands instead of trying the assertion at every offset.
_COMPANY_END = re.compile(
    r"(?P<name>[A-Z](?<![\w-][A-Z])[\w&'-]*(?:[ \t]+(?:(?:of|and|&|de)[ \t]+)?[A-Z][\w&'-]*){0,5})"
    r",?[ \t]+$"
)


def companies(text: str, norm: str) -> list[Definition]:
    """Companies named with a legal suffix ("Trans-Sahel Logistics, S.A.").

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
    """
    found: list[Definition] = []
    for at, suffix, m in names_before(norm, SUFFIXES, _COMPANY_END, 100):
        s = m.start("name")
        words = m.group("name").split()
        last = max((i for i, w in enumerate(words) if w in _SUFFIX_WORDS), default=-1)
        if last >= 0:  # "Orion Holdings LLC and Kestrel Group Inc": the name after the LLC
            for w in words[: last + 1]:
                s = norm.index(w, s) + len(w)
            words = words[last + 1 :]
            while words and words[0] in _JOINERS:
                words = words[1:]
            if words:
                s = norm.index(words[0], s)
        while words:
            if len(words) > 2 and words[1] in _JOINERS:
                if words[1] != "of" or not _plural(words[0]) or not sentence_initial(norm, s):
                    break  # "Bank of Nardia PLC": a head noun before "of" is the name's
                s = norm.index(words[2], s + len(words[0]))  # "Shares of Orion Holdings LLC"
                words = words[2:]
            elif words[0] in lx.SENTENCE_OPENERS:
                s = norm.index(words[1], s + len(words[0])) if len(words) > 1 else m.end("name")
                words = words[1:]
            else:
                break
        if not words:
            continue  # "Pacific Tankers Pte Ltd": the second form of one company
        e = at + len(suffix)
        while (more := _MORE_SUFFIX.match(norm, e)) is not None:
            e = more.end()  # "Pte. Ltd.", "Sdn Bhd", "Co., Ltd.": one company's forms
        found.append(Definition(s, e, text[s:e], "company"))
    return found


def _plural(word: str) -> bool:
    """A word that reads as a plural ("Shares", "Trucks"; not "Press", "Corpus", "Genesis")."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


_SUFFIX_WORDS = frozenset(SUFFIXES)


_JOINERS = frozenset(("and", "&", "of", "de"))


_MORE_SUFFIX = re.compile(
    r"\.?,?[ \t]+(?:"
    + "|".join(re.escape(s) for s in sorted(SUFFIXES, key=len, reverse=True))
    + r")(?![\w-])"
)


_RULER_END = re.compile(r"[Tt](?<![\w-][Tt])he[ \t]+(?P<name>[A-Z][\w'-]+)[ \t]+$")


def rule_heads(text: str, norm: str, covered: Mapping[int, Span]) -> list[Definition]:
    """Governments named after a ruler or a house ("the Karimov regime").

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
        covered: what the gazetteer pass found (states and demonyms are read there).
    """
    found: list[Definition] = []
    for at, head, m in names_before(norm, RULE_HEADS, _RULER_END, 40):
        s = m.start("name")
        if m.group("name") in lx.NON_NAME or covered.get(s) is not None:
            continue
        e = at + len(head)
        found.append(Definition(s, e, text[s:e], "government"))
    return found


_ALLCAPS_END = re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z0-9-]{1,11}[ \t]+$")


_GANG_COMPOUND = re.compile(
    r"[ \t]+(?:violence|leaders?|members?|coalition|alliance|wars?|crimes?|activity|"
    r"activities|territory|attacks?|killings?|networks?|rule|control)\b"
)


_NAME_END = re.compile(r"[A-Z](?<![\w'-][A-Z])[\w'-]*(?:[ \t]+[A-Z][\w'-]*){0,3}[ \t]+$")


_ALLCAPS_AFTER = re.compile(r"[ \t]+(?P<name>[A-Z][A-Z0-9-]{2,11})(?![\w-])")


def _at_sentence_start(norm: str, s: int) -> bool:
    before = norm[max(0, s - 3) : s].rstrip(" \t\"'")
    return not before or before[-1] in ".!?\n:"


def word_before(norm: str, at: int) -> tuple[int, str]:
    """The word that ends one blank before ``at`` and its start ("" when none)."""
    end = at - 1
    if end < 1 or norm[end] not in " \t":
        return at, ""
    start = end
    while start > 0 and (norm[start - 1].isalnum() or norm[start - 1] in "-_"):
        start -= 1
    return start, norm[start:end]


def allcaps_names(text: str, norm: str, covered: Mapping[int, Span]) -> list[Definition]:
    """All-capitals names next to an organisation noun ("the FRELIMO party", "his party X"),
    and named gangs and cartels ("the Sun Valley gang").

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
        covered: what the gazetteer pass found (known names are skipped).
    """
    found: list[Definition] = []
    for _at, noun, name in names_before(norm, ACR_NOUNS, _ALLCAPS_END, 16):
        s = name.start()
        word = name.group().rstrip()
        if word_before(norm, s)[1][:1].isupper():
            continue  # inside a longer name: "the Wagner PMC group"
        if covered.get(s) is None and sum(map(str.isalpha, word)) >= 2:
            kind = ACR_HEADS[noun]
            found.append(Definition(s, s + len(word), text[s : s + len(word)], kind))  # type: ignore[arg-type]
    for at, noun, name in names_before(norm, GANG_NOUNS, _NAME_END, 60):
        end = at + len(noun)
        if _GANG_COMPOUND.match(norm, end):
            continue  # "gang violence": the noun modifies another
        s = name.start()
        words = name.group().split()
        while words and (words[0] in lx.SENTENCE_OPENERS or words[0] in ("The", "A", "An")):
            s = norm.index(words[1], s + len(words[0])) if len(words) > 1 else at
            words = words[1:]
        if len(words) == 1 and _at_sentence_start(norm, s):
            continue  # "Rampant gang crime …": a capitalised adjective, not a name
        if words and covered.get(s) is None:
            found.append(Definition(s, end, text[s:end], "armed_group"))
    for at, noun in words_at(norm, NOUNS_BEFORE_NAME):
        m = _ALLCAPS_AFTER.match(norm, at + len(noun))
        if m is None:
            continue
        s, e = m.span("name")
        if covered.get(s) is None:
            found.append(Definition(s, e, text[s:e], "organisation"))
    return found


# "Iran-backed groups", "Russian-aligned militias": proxies, a group of their own beside
# their backer (whom the gazetteer pass reads from the same word).
