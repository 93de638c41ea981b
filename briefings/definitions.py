"""Name rules that need no head noun: acronym definitions, legal forms, rule heads, variants.

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
- **Spelling variants** of one name ("Abdel Karim" / "Abdul Karim") fold to one key.

All word lists come from ``data/actor_cues.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from briefings import actor_lexicon as lx
from briefings.model import ActorType

Span = tuple[int, int, str, str]

_CONNECT = frozenset(
    ("of", "the", "for", "and", "de", "du", "des", "la", "le", "el", "et", "in", "on")
)
_NOT_ACTOR_HEADS = lx.words(
    "Order Orders Act Acts Agreement Accord Accords Treaty Resolution Law Laws Convention "
    "Operation Plan Programme System Systems Index Summit Conference Talks Protocol Report "
    "Strategy Doctrine Declaration Charter Code Zone Day Prize Award Missile Missiles Vehicle "
    "Vehicles Rifle Weapon Weapons Drone Drones Aircraft Device Devices Scale Standard Time"
)
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


def _head_type(tokens: list[str]) -> ActorType:
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
            continue
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
        if known is not None and known[1] >= e:
            continue
        found.append(Definition(s, e, text[s:e], _head_type(name_words), acr))
    return found


_SUFFIX_ALT = "|".join(
    re.escape(s) for s in sorted(lx.CUES.get("legal_suffixes", ()), key=len, reverse=True)
)
_COMPANY = re.compile(
    rf"(?<![\w-])(?P<name>[A-Z][\w&'-]*(?:[ \t]+(?:of|and|&|de)?[ \t]*[A-Z][\w&'-]*){{0,5}})"
    rf",?[ \t]+(?P<suffix>{_SUFFIX_ALT})(?![\w])"
)


def companies(text: str, norm: str) -> list[Definition]:
    """Companies named with a legal suffix ("Trans-Sahel Logistics, S.A.").

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
    """
    found: list[Definition] = []
    for m in _COMPANY.finditer(norm):
        s = m.start("name")
        words = m.group("name").split()
        while words and words[0] in lx.SENTENCE_OPENERS:
            s = norm.index(words[1], s + len(words[0])) if len(words) > 1 else m.end("name")
            words = words[1:]
        if not words:
            continue
        e = m.end("suffix")
        found.append(Definition(s, e, text[s:e], "company"))
    return found


_RULE_HEAD = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][\w'-]+)[ \t]+(?P<head>"
    + "|".join(re.escape(h) for h in lx.CUES.get("rule_heads", ()))
    + r")(?![\w-])"
)


def rule_heads(text: str, norm: str, covered: Mapping[int, Span]) -> list[Definition]:
    """Governments named after a ruler or a house ("the Karimov regime").

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
        covered: what the gazetteer pass found (states and demonyms are read there).
    """
    found: list[Definition] = []
    for m in _RULE_HEAD.finditer(norm):
        s = m.start("name")
        word = m.group("name")
        if word in lx.NON_NAME or covered.get(s) is not None:
            continue
        if norm[max(0, s - 4) : s].lower() != "the ":
            continue  # "the Karimov regime"; "Karimov regime" alone may be a headline fragment
        found.append(Definition(s, m.end(), text[s : m.end()], "government"))
    return found


_ACR_HEADS: dict[str, str] = {
    str(noun): kind for kind, nouns in lx.CUES.get("acronym_heads", {}).items() for noun in nouns
}
_ALLCAPS_BEFORE = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][A-Z0-9-]{1,11})[ \t]+(?P<noun>"
    + "|".join(re.escape(n) for n in _ACR_HEADS)
    + r")(?![\w-])"
)
_NAMED_GANG = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*){0,3})[ \t]+"
    r"(?P<noun>gang|cartel|mafia|syndicate|crew|posse)(?![\w-])"
    r"(?![ \t]+(?:violence|leaders?|members?|coalition|alliance|wars?|crimes?|activity|"
    r"activities|territory|attacks?|killings?|networks?|rule|control)\b)"
)


def _at_sentence_start(norm: str, s: int) -> bool:
    before = norm[max(0, s - 3) : s].rstrip(" \t\"'")
    return not before or before[-1] in ".!?\n:"


_ALLCAPS_AFTER = re.compile(
    r"(?<![\w-])(?:party|militia|group|gang|movement)[ \t]+(?P<name>[A-Z][A-Z0-9-]{2,11})(?![\w-])"
)


def allcaps_names(text: str, norm: str, covered: Mapping[int, Span]) -> list[Definition]:
    """All-capitals names next to an organisation noun ("the FRELIMO party", "his party X"),
    and named gangs and cartels ("the Sun Valley gang").

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
        covered: what the gazetteer pass found (known names are skipped).
    """
    found: list[Definition] = []
    for m in _ALLCAPS_BEFORE.finditer(norm):
        s, e = m.span("name")
        if covered.get(s) is None and sum(map(str.isalpha, m.group("name"))) >= 2:
            kind = _ACR_HEADS[m.group("noun")]
            found.append(Definition(s, e, text[s:e], kind))  # type: ignore[arg-type]
    for m in _NAMED_GANG.finditer(norm):
        s = m.start("name")
        words = m.group("name").split()
        while words and (words[0] in lx.SENTENCE_OPENERS or words[0] in ("The", "A", "An")):
            s = norm.index(words[1], s + len(words[0])) if len(words) > 1 else m.end("name")
            words = words[1:]
        if len(words) == 1 and _at_sentence_start(norm, s):
            continue  # "Rampant gang crime …": a capitalised adjective, not a name
        if words and covered.get(s) is None:
            found.append(Definition(s, m.end(), text[s : m.end()], "armed_group"))
    for m in _ALLCAPS_AFTER.finditer(norm):
        s, e = m.span("name")
        if covered.get(s) is None:
            found.append(Definition(s, e, text[s:e], "organisation"))
    return found


_COLLECTIVE: dict[str, str] = {
    str(noun): kind for kind, nouns in lx.CUES.get("collective_nouns", {}).items() for noun in nouns
}
_COLLECTIVE_STOP = frozenset(str(w) for w in lx.CUES.get("collective_stop", ()))
_COLLECTIVE_RE = re.compile(
    r"(?<![\w-])(?P<mod>[A-Z][\w-]+|"
    + "|".join(re.escape(str(m)) for m in lx.CUES.get("collective_modifiers", ()))
    + r")[ \t]+(?P<noun>"
    + "|".join(re.escape(n) for n in _COLLECTIVE)
    + r")(?![\w-])"
)


def collectives(text: str, norm: str, covered: Mapping[int, Span]) -> list[Definition]:
    """Collective actors: a modifier and a plural group noun ("Syrian rebels", "coup soldiers").

    A modifier the gazetteer pass read already ("Chadian soldiers" is Chad's military,
    "Houthi fighters" the Houthis) or that names people of an ethnicity ("ethnic Serb
    protesters") makes no new actor.

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
        covered: what the gazetteer pass found, by start offset.
    """
    found: list[Definition] = []
    for m in _COLLECTIVE_RE.finditer(norm):
        s = m.start()
        mod = m.group("mod")
        if mod in _COLLECTIVE_STOP or (mod[0].isupper() and mod in lx.SENTENCE_OPENERS):
            continue
        if covered.get(s) is not None or lx.dropped(norm, s):
            continue
        kind = _COLLECTIVE[m.group("noun")]
        # An acronym names the body itself: "KFOR troops" are KFOR.
        e = s + len(mod) if mod.isupper() and len(mod) >= 2 else m.end()
        found.append(Definition(s, e, text[s:e], kind))  # type: ignore[arg-type]
    return found


_VARIANTS: dict[str, str] = {}
for _group in lx.CUES.get("name_variants", ()):
    for _form in _group:
        _VARIANTS[str(_form).lower().replace("-", " ")] = str(_group[0]).lower()
_VARIANT_RE = re.compile(
    r"(?<![\w])(?:"
    + "|".join(re.escape(v) for v in sorted(_VARIANTS, key=len, reverse=True))
    + r")(?![\w])"
)


def name_key(name: str) -> str:
    """A key that spellings of one person's name share ("Abdel Karim" = "Abdul Karim")."""
    low = lx.normalise(name).lower().replace("-", " ").replace(".", "")
    low = _VARIANT_RE.sub(lambda m: _VARIANTS[m.group()], low)
    return " ".join(low.split())
