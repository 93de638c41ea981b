"""Timelines that keep the news: one entry per occurrence, dated first, the salient kept.

A sentence often yields several events: "The group claimed it attacked the convoy" is a
statement by the group and the assault it reports. A timeline shows the occurrence once,
as its most telling event (the assault), attributed to whoever reported it. Entries with
a date of their own come first, latest first; undated ones follow, ordered by their
article's date. When the timeline must be cut, the most salient occurrences stay:
violence before words, the actor acting before the actor acted upon, dated before
undated, newer before older.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from briefings.store import StoredEvent

TYPE_WEIGHT: dict[str, float] = {
    "assault": 6.0,
    "coerce": 5.0,
    "withdraw": 4.5,
    "sanction": 4.0,
    "threaten": 4.0,
    "aid": 3.0,
    "accuse": 3.0,
    "cooperate": 3.0,
    "protest": 3.0,
    "consult": 2.0,
    "statement": 1.0,
    "other": 0.5,
}
"""How much an event type says about what happened (words weigh least)."""

_REPORTING = frozenset(("statement", "other"))
"""Types that report or frame another event in the same sentence rather than stand alone."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One thing that happened: the event shown, and every event of its sentence."""

    event: StoredEvent
    events: tuple[StoredEvent, ...]


def occurrences(events: Iterable[StoredEvent]) -> list[Occurrence]:
    """The events grouped one per sentence, each shown as its most telling event.

    A sentence's statement that reports another event gives way to that event, which
    takes the speaker as its attribution when it has none, and the statement's date when
    it lacks one.

    Args:
        events: stored events, any order; the first of each sentence keeps its place.
    """
    groups: dict[tuple[str, int], list[StoredEvent]] = {}
    for event in events:
        groups.setdefault((event.article_id, event.sentence), []).append(event)
    out: list[Occurrence] = []
    for members in groups.values():
        best = max(members, key=lambda e: (TYPE_WEIGHT.get(e.type, 0.0), -members.index(e)))
        best = _attributed(best, members)
        out.append(Occurrence(best, tuple(members)))
    return out


def _attributed(best: StoredEvent, members: Sequence[StoredEvent]) -> StoredEvent:
    if best.type in _REPORTING:
        return best
    speakers = [e for e in members if e.type == "statement" and e is not best and e.actors]
    changes: dict[str, object] = {}
    if best.attribution is None and speakers:
        said = speakers[0]
        changes["attribution"] = said.attribution or ", ".join(a.name for a in said.actors)
        if best.modality == "reported" and said.modality != "reported":
            changes["modality"] = said.modality
    if best.date is None:
        dated = next((e for e in members if e.date is not None), None)
        if dated is not None:
            changes["date"] = dated.date
            changes["sort_date"] = dated.sort_date
    return replace(best, **changes) if changes else best  # type: ignore[arg-type]


def salience(occurrence: Occurrence, actor_ids: frozenset[str]) -> float:
    """How much an occurrence matters in the timeline of these actors (higher first).

    Args:
        occurrence: the occurrence.
        actor_ids: the actor whose timeline it is (with its family members).
    """
    event = occurrence.event
    score = TYPE_WEIGHT.get(event.type, 0.0)
    if any(a.id in actor_ids for a in event.actors):
        score += 2.0
    if event.date is not None:
        score += 1.0
    if event.modality != "reported":
        score -= 0.5
    return score


def order_key(occurrence: Occurrence) -> tuple[int, int, str, int]:
    """Sort key: dated events by their own date, latest first; then undated ones by their
    article's date, latest first, in the article's order."""
    event = occurrence.event
    if event.date is not None:
        return (0, -event.sort_date.toordinal(), "", -event.id)
    return (1, -event.ref_date.toordinal(), event.article_id, event.sentence)


def cut(
    found: Sequence[Occurrence], actor_ids: frozenset[str], limit: int
) -> tuple[list[Occurrence], int]:
    """The ``limit`` most salient occurrences in timeline order, and how many were left out.

    Ties in salience go to the newer occurrence.

    Args:
        found: every occurrence.
        actor_ids: the actor whose timeline it is (with its family members).
        limit: the most entries to keep.
    """
    ranked = sorted(
        found,
        key=lambda o: (salience(o, actor_ids), o.event.sort_date, o.event.id),
        reverse=True,
    )
    kept = ranked[:limit]
    return sorted(kept, key=order_key), len(found) - len(kept)
