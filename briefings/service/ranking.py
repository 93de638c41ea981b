"""Event search ranking: the words of an event, of its article's headline and of its type.

``event blockade`` should find "JNIM tightens its fuel blockade of Bamako" even when no
sentence of that story says "blockade": its headline does, and a blockade is a coerce
event. A hit therefore scores for its own words (the store's full-text relevance, scaled
to the best hit), for a headline that holds the query's words, for an event type the
query's words name (:data:`TYPE_WORDS`), and for being recent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from briefings.store import StoredEvent
from briefings.text.folding import plain

TYPE_WORDS: dict[str, frozenset[str]] = {
    "assault": frozenset(
        [
            "attack",
            "assault",
            "offensive",
            "ambush",
            "shell",
            "shelling",
            "strike",
            "airstrike",
            "drone",
            "raid",
            "fight",
            "fighting",
            "clash",
            "bombing",
            "bomb",
            "kill",
            "massacre",
            "battle",
        ]
    ),
    "coerce": frozenset(
        [
            "blockade",
            "siege",
            "embargo",
            "seize",
            "seizure",
            "arrest",
            "detain",
            "ban",
            "curfew",
            "expel",
            "closure",
            "crackdown",
        ]
    ),
    "sanction": frozenset(["sanction", "tariff", "freeze", "penalty", "blacklist"]),
    "threaten": frozenset(["threat", "threaten", "warn", "warning", "ultimatum"]),
    "accuse": frozenset(["accuse", "accusation", "allege", "allegation", "blame"]),
    "aid": frozenset(["aid", "assistance", "humanitarian", "relief", "convoy", "donation"]),
    "withdraw": frozenset(["withdraw", "withdrawal", "retreat", "pullout", "redeployment"]),
    "cooperate": frozenset(
        ["agreement", "deal", "ceasefire", "truce", "alliance", "treaty", "cooperate"]
    ),
    "consult": frozenset(["talks", "meeting", "summit", "negotiation", "mediation", "visit"]),
    "protest": frozenset(["protest", "demonstration", "rally", "march"]),
}
"""Words that name an event type, as a user searches for it."""

HEADLINE_WEIGHT = 0.6
"""What a headline holding every query word adds (a full-text hit scores up to 1)."""
TYPE_WEIGHT = 0.5
"""What an event of a type the query names adds."""
RECENCY_WEIGHT = 0.3
"""What the newest story adds; it fades linearly over :data:`RECENCY_DAYS`."""
RECENCY_DAYS = 365

_WORD = re.compile(r"(?<![-\w])[^\W_]+")
_ENDINGS = ("ings", "ing", "ed", "es", "s")


def stem(word: str) -> str:
    """A crude stem, enough to match "blockades" with "blockade" and "attacked" with
    "attack"."""
    for ending in _ENDINGS:
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def query_words(query: str) -> frozenset[str]:
    """The stems of a query's words (not ``-excluded`` ones, not ``OR``)."""
    return frozenset(stem(w) for w in _WORD.findall(plain(query)) if w != "or")


def named_types(query: str) -> frozenset[str]:
    """The event types the query's words name (``blockade`` → ``coerce``)."""
    words = query_words(query)
    return frozenset(kind for kind, names in TYPE_WORDS.items() if words & {stem(n) for n in names})


def headline_matches(title: str, query: str) -> bool:
    """Whether a headline holds every word of the query (stemmed)."""
    wanted = query_words(query)
    return bool(wanted) and wanted <= {stem(w) for w in _WORD.findall(plain(title))}


def headline_events(events: Sequence[StoredEvent], types: frozenset[str]) -> list[StoredEvent]:
    """The events of a matching headline's story worth showing: those of a type the query
    names when there are any, else the story's first event.

    Args:
        events: the story's events, in sentence order.
        types: the types the query names.
    """
    typed = [e for e in events if e.type in types]
    if typed:
        return typed
    return list(events[:1])


def rank(
    text_hits: Sequence[StoredEvent],
    headline_hits: Iterable[StoredEvent],
    types: frozenset[str],
    today: date,
) -> list[StoredEvent]:
    """Every hit once, best first (see the module docstring for the score).

    Args:
        text_hits: the store's full-text hits, with their scores.
        headline_hits: events of stories whose headline matches the query.
        types: the event types the query names.
        today: the day recency counts from.
    """
    top = max((e.score or 0.0 for e in text_hits), default=0.0) or 1.0
    scores: dict[int, float] = {}
    events: dict[int, StoredEvent] = {}
    for event in text_hits:
        events[event.id] = event
        scores[event.id] = (event.score or 0.0) / top
    for event in headline_hits:
        events.setdefault(event.id, event)
        scores[event.id] = scores.get(event.id, 0.0) + HEADLINE_WEIGHT
    for ident, event in events.items():
        if event.type in types:
            scores[ident] += TYPE_WEIGHT
        age = max(0, (today - event.ref_date).days)
        scores[ident] += RECENCY_WEIGHT * max(0.0, 1.0 - age / RECENCY_DAYS)
    ordered = sorted(events, key=lambda i: (scores[i], events[i].ref_date, i), reverse=True)
    return [events[i] for i in ordered]
