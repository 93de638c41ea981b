"""Groups described by the groups they are linked to ("groups linked to Islamic State")."""

from __future__ import annotations

import re
from collections.abc import Mapping

from briefings.analysis.actors.definitions import Definition
from briefings.analysis.actors.findings import Span
from briefings.text.cuefiles import alternation

_NAME = (
    r"(?:the[ \t]+)?(?:(?:al|el|an|ar|as|ash|at|az|ad)-)?[A-Z][\w'-]*"
    r"(?:[ \t]+(?:al[ \t-]+)?[A-Z][\w'-]*){0,4}"
)
_NOUNS = alternation("actor_cues.toml", "affiliate_nouns")
_LINKED = re.compile(
    rf"(?<![\w-])(?i:{_NOUNS})[ \t]+(?:linked|affiliated|tied)[ \t]+(?:to|with)[ \t]+"
    rf"(?P<names>{_NAME}(?:(?:,[ \t]+|,?[ \t]+(?:and|or)[ \t]+){_NAME})*)"
)
_ONE_NAME = re.compile(_NAME)


def affiliates(text: str, norm: str, covered: Mapping[int, Span]) -> list[Definition]:
    """Collective armed groups named by their affiliation ("militants linked to al-Shabaab",
    "cells affiliated with Jama'at Nusrat al-Islam"): the affiliate is the actor, and the
    groups it is linked to are named only to describe it there.

    Only when every name after "linked to" is a known non-state actor: "groups linked to
    Iran" stay Iran's proxies, read elsewhere.

    Args:
        text: the article text.
        norm: the same text folded (same offsets).
        covered: what the gazetteer pass found, by start offset.
    """
    found: list[Definition] = []
    if " linked " not in norm and " affiliated " not in norm and " tied " not in norm:
        return found
    for m in _LINKED.finditer(norm):
        starts = [n.start() for n in _ONE_NAME.finditer(norm, m.start("names"), m.end())]
        starts = [
            at + 4 if norm.startswith("the", at) and at + 4 in covered else at for at in starts
        ]
        if not starts or any(covered.get(at, (0, 0, ""))[2] != "actor" for at in starts):
            continue
        found.append(Definition(m.start(), m.end(), text[m.start() : m.end()], "armed_group"))
    return found
