"""Store records as answer parts: event entries, digest stories, focused search hits."""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefings.service.composition import Story, StoryActor
from briefings.service.replies import ActorRef, EventEntry, SourceLink
from briefings.store import ActorLabel, ArticleBrief, StoredEvent
from briefings.text.folding import plain

_QUERY_WORD = re.compile(r"(?<![-\w])[^\W_]+")
"""Words of a query or a trigger (a word right after "-" is an exclusion, not a word)."""


def _ref(label: ActorLabel) -> ActorRef:
    return ActorRef(label.id, label.name, label.type)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


def focus_events(
    events: Sequence[StoredEvent], query: str, headline: frozenset[int] = frozenset()
) -> list[StoredEvent]:
    """Search hits with one event per sentence, events triggered by a query word first.

    One sentence often holds several events ("... an energy blockade against Cuba ... and
    has threatened tariffs"); a search for "blockade" wants the blockade. Within a
    sentence, the events whose trigger is a query word are kept (else the best-ranked
    one); sentences whose kept event has such a trigger come first, each group in the
    store's ranking order.

    Args:
        events: the store's hits, best first.
        query: the user's query.
        headline: ids of events found by their story's headline: they count as
            triggered by the query.
    """
    wanted = {_stem(w) for w in _QUERY_WORD.findall(plain(query))} - {"or"}
    groups: dict[tuple[str, int], list[StoredEvent]] = {}
    for event in events:
        groups.setdefault((event.article_id, event.sentence), []).append(event)
    hits: list[StoredEvent] = []
    rest: list[StoredEvent] = []
    for members in groups.values():
        matching = [
            e
            for e in members
            if e.id in headline
            or {_stem(w) for w in _QUERY_WORD.findall(plain(e.trigger))} & wanted
        ]
        if matching:
            hits.extend(matching)
        else:
            rest.append(members[0])
    return hits + rest


def event_actor_ids(event: StoredEvent) -> set[str]:
    """The ids of every actor taking part in an event, acting or acted upon."""
    return {a.id for a in (*event.actors, *event.recipients)}


def entry(
    event: StoredEvent, actor_id: str | None = None, members: dict[str, str] | None = None
) -> EventEntry:
    """An event as answers show it.

    Args:
        event: the stored event.
        actor_id: whose timeline it is in, if any.
        members: that actor's family members (id → name); an event the actor itself
            takes no part in is marked with the member that does.
    """
    member = None
    if actor_id is not None and members:
        taking_part = [a.id for a in (*event.actors, *event.recipients)]
        if actor_id not in taking_part:
            member = next((members[i] for i in taking_part if i in members), None)
    return EventEntry(
        text=event.text,
        type=event.type,
        date=event.date.value if event.date else None,
        date_precision=event.date.precision if event.date else None,
        actors=tuple(map(_ref, event.actors)),
        recipients=tuple(map(_ref, event.recipients)),
        location=event.location,
        attribution=event.attribution,
        modality=event.modality,
        source=SourceLink(
            title=event.article_title,
            url=event.article_url,
            source=event.article_source,
            published=event.article_published or event.ref_date,
        ),
        member=member,
    )


def story(article: ArticleBrief) -> Story:
    """A stored article as the digest composes it."""
    return Story(
        id=article.id,
        headline=article.title,
        tldr=article.summary.tldr,
        key_points=tuple(k.text for k in article.summary.key_points),
        actors=tuple(
            StoryActor(ActorRef(a.id, a.name, a.type), a.salience, a.events) for a in article.actors
        ),
        event_types=event_types(article),
        received=article.fetched,
        text=article.text or article.title,
        url=article.url,
        source=article.source,
        fingerprint=article.fingerprint,
        published=article.published,
        other_sources=tuple(
            SourceLink(title=s.title, url=s.url, source=s.source, published=s.fetched.date())
            for s in article.sources
        ),
    )


def event_types(article: ArticleBrief) -> tuple[str, ...]:
    """One entry per event: the article's distinct types, padded to its event count."""
    types: Sequence[str] = article.event_types
    if not types:
        return ()
    return (*types, *(types[0] for _ in range(max(0, article.event_count - len(types)))))
