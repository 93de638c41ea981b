"""Unnamed sources that speak as a group: "Western diplomats objected", "senior officials said".

A source noun ("officials", "sources", "analysts", "witnesses", …) with a modifier that
designates the group ("Other", "senior", "security", a capitalised name the gazetteer does
not know) names a collective actor when it speaks: it is the subject of a verb of saying
("Other experts, meanwhile, objected", "security sources said") or stands after "according
to". "sources close to the presidency" is designated by what follows it. A bare source
("officials said", "according to residents") designates no one and makes no actor, and
neither does a source noun that speaks of no one ("sources of income").

All word lists come from ``data/actor_cues.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from briefings.analysis.actors import lexicon as lx
from briefings.analysis.actors.anchors import SOURCES, words_at
from briefings.analysis.actors.definitions import Definition, Span, word_before
from briefings.model import ActorType
from briefings.text.cuefiles import alternation, word_set

_MODIFIERS = word_set("actor_cues.toml", "source_modifiers") | word_set(
    "actor_cues.toml", "unnamed_modifiers"
)


_VERBS = alternation("actor_cues.toml", "source_verbs")


# After the noun: optional "close to …", an aside, then a verb of saying.
_SPEAKS = re.compile(
    r"(?P<close>[ \t]+close[ \t]+to[ \t]+(?:the[ \t]+)?[\w'-]+(?:[ \t]+[\w'-]+){0,3}?)?"
    r"(?:,?[ \t]+(?:however|though|too|meanwhile),)?"
    r"(?:[ \t]+(?:have|had|also|later|however|have[ \t]+long|widely))?"
    rf"[ \t]+(?:{_VERBS})(?![\w-])"
)


_ACCORDING = re.compile(r"(?i:according)[ \t]+to[ \t]+(?:the[ \t]+)?$")


def sources(text: str, norm: str, covered: Mapping[int, Span]) -> list[Definition]:
    """Designated unnamed sources that speak ("Western diplomats objected").

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
        covered: what the gazetteer pass found, by start offset.
    """
    found: list[Definition] = []
    for at, noun in words_at(norm, tuple(SOURCES)):
        e = at + len(noun)
        speaks = _SPEAKS.match(norm, e)
        s, mod = word_before(norm, at)
        if speaks is not None and speaks.group("close"):
            e = speaks.end("close")  # "sources close to the presidency"
        elif not _designates(norm, s, mod) or covered.get(s) is not None:
            continue
        if speaks is None and _ACCORDING.search(norm, max(0, s - 20), s) is None:
            continue
        if speaks is not None and speaks.group("close") and not _designates(norm, s, mod):
            s = at
        kind: ActorType = SOURCES[noun]  # type: ignore[assignment]
        found.append(Definition(s, e, text[s:e], kind))
    return found


def _designates(norm: str, s: int, mod: str) -> bool:
    """Whether ``mod`` before a source noun designates the group ("Other", "Western")."""
    if not mod:
        return False
    low = mod.lower() if mod[:1].isupper() and mod[1:].islower() else mod
    if low in _MODIFIERS:
        return True
    if not (mod[:1].isupper() and mod[1:2].isalpha()) or mod in lx.SENTENCE_OPENERS:
        return False
    if mod.isupper():
        return False  # "ISW analysts" speak for ISW, the organisation itself
    prev = word_before(norm, s)[1]
    return not (prev[:1].isupper() and prev not in lx.SENTENCE_OPENERS)
