"""Digest composition: stories of a time window, filtered, near-duplicates merged, ranked.

Pure and synchronous: the caller loads the stories (see :class:`Story`) and says which
window they are composed for (its end is the caller's clock's now, or a period's end).

Near-duplicates are merged (:mod:`briefings.service.near_duplicates`) into clusters; a
cluster's item takes its best-ranked story's headline, summary and actors, the union of
sources and the earliest arrival time.

**Ranking.** ``score = weight × (0.35 + 0.65 × recency)`` where ``recency`` halves every
``max(6 h, window / 4)`` of age and ``weight = 1 + top actor salience + 0.25 × min(events,
8) + 0.5 × (sources − 1)``. Ties go to the newer story, then to the smaller id.

**Filters** (:class:`DigestFilters`): include actors (a story must involve one of them),
exclude actors (a story involving any is dropped), event types (a story must report one)
and keywords (a story must contain one, whole words, case- and accent-insensitive).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from briefings.model import Analysis
from briefings.service.near_duplicates import near_duplicate_groups, words
from briefings.service.replies import ActorRef, Button, Digest, DigestItem, SourceLink
from briefings.store.records import DigestSettings

MAX_ITEMS = 10
MAX_ITEM_ACTORS = 6
EVENT_WEIGHT = 0.15
"""What each event an actor takes part in adds to its place on a story's actor line."""
EVENT_CAP = 4
"""The most events that count towards it."""
MAX_KEY_POINTS = 3
MAX_BUTTONS = 3


@dataclass(frozen=True, slots=True)
class StoryActor:
    """An actor of a story and its salience there (0-1)."""

    ref: ActorRef
    salience: float
    events: int = 0
    """How many of the story's events the actor takes part in."""

    @property
    def weight(self) -> float:
        """Its place on the story's actor line: salience, plus what it does in the story
        (an actor that drives three events outranks one named in passing)."""
        return self.salience + EVENT_WEIGHT * min(self.events, EVENT_CAP)


@dataclass(frozen=True, slots=True)
class Story:
    """One stored article as the digest needs it.

    ``received`` is when briefbot got it (aware): digest windows and recency use it, so a
    story that arrives late still makes the next digest once. ``published`` is the date
    the source gives, shown with its link. ``actors`` come by descending salience;
    ``event_types`` has one entry per event; ``text`` is the article's canonical text
    (for near-duplicates and keywords).
    """

    id: str
    headline: str
    tldr: str
    key_points: tuple[str, ...]
    actors: tuple[StoryActor, ...]
    event_types: tuple[str, ...]
    received: datetime
    text: str
    url: str | None = None
    source: str | None = None
    fingerprint: str | None = None
    published: date | None = None
    other_sources: tuple[SourceLink, ...] = ()
    """Other sources the store already found carrying the very same text."""

    @classmethod
    def from_analysis(cls, analysis: Analysis, received: datetime) -> Story:
        """A story from an analysis (tests and the console use it; the store builds its own).

        Args:
            analysis: the analysed article.
            received: when briefbot received it, an aware datetime.
        """
        article = analysis.article
        return cls(
            id=article.id,
            headline=article.title,
            tldr=analysis.summary.tldr,
            key_points=tuple(k.text for k in analysis.summary.key_points),
            actors=tuple(
                StoryActor(
                    ActorRef(a.id, a.name, a.actor.type),
                    a.salience,
                    sum(1 for e in analysis.events if a.id in (*e.actors, *e.recipients)),
                )
                for a in analysis.actors
            ),
            event_types=tuple(e.type for e in analysis.events),
            received=received,
            text=article.text,
            url=article.url,
            source=article.source,
            fingerprint=article.fingerprint,
            published=article.published,
        )


@dataclass(frozen=True, slots=True)
class DigestFilters:
    """What a channel or a query wants in its digest; empty fields filter nothing."""

    actors: frozenset[str] = frozenset()
    exclude_actors: frozenset[str] = frozenset()
    event_types: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()

    def accepts(self, story: Story) -> bool:
        """Whether a story passes every filter."""
        ids = {a.ref.id for a in story.actors}
        if self.actors and not ids & self.actors:
            return False
        if self.exclude_actors and ids & self.exclude_actors:
            return False
        if self.event_types and not self.event_types.intersection(story.event_types):
            return False
        if self.keywords:
            text = f" {' '.join(words(story.headline))} {' '.join(words(story.text))} "
            wanted = (" ".join(words(k)) for k in self.keywords)
            return any(f" {k} " in text for k in wanted if k)
        return True


def story_score(story: Story, *, end: datetime, window: timedelta, sources: int = 1) -> float:
    """The ranking score of a story at time ``end`` (see the module docstring).

    Args:
        story: the story.
        end: the end of the digest window.
        window: the window's length; it sets the recency half-life.
        sources: how many sources reported it.
    """
    half_life = max(timedelta(hours=6), window / 4).total_seconds()
    age = max(0.0, (end - story.received).total_seconds())
    recency = math.pow(0.5, age / half_life)
    top = story.actors[0].salience if story.actors else 0.0
    weight = 1.0 + top + 0.25 * min(len(story.event_types), 8) + 0.5 * (sources - 1)
    return weight * (0.35 + 0.65 * recency)


def _actor_line(actors: Sequence[StoryActor]) -> list[StoryActor]:
    """The actors a story's line shows: by weight in the story, the first ones kept."""
    return sorted(actors, key=lambda a: -a.weight)[:MAX_ITEM_ACTORS]


def _source_link(story: Story) -> SourceLink:
    return SourceLink(
        title=story.headline,
        url=story.url,
        source=story.source,
        published=story.published or story.received.date(),
    )


@dataclass(slots=True)
class _Cluster:
    stories: list[Story]
    score: float = 0.0
    best: Story = field(init=False)

    def __post_init__(self) -> None:
        self.best = self.stories[0]


def compose_digest(
    stories: Iterable[Story],
    *,
    start: datetime,
    end: datetime,
    filters: DigestFilters | None = None,
    title: str | None = None,
    limit: int = MAX_ITEMS,
) -> Digest:
    """Compose the digest of the stories received in ``[start, end]`` (the last hours, or
    a scheduled period).

    Args:
        stories: candidate stories (any order; those outside the period are ignored).
        start: the period's first instant (aware).
        end: the period's last instant (aware); recency is measured from it.
        filters: what to keep; everything when omitted.
        title: the digest's title; "Briefing: last …" (the period's length) when omitted.
        limit: the most items to return.
    """
    window = max(end - start, timedelta(seconds=1))
    wanted = filters or DigestFilters()
    kept = [s for s in stories if start <= s.received <= end and wanted.accepts(s)]
    kept.sort(key=lambda s: (-s.received.timestamp(), s.id))
    clusters: list[_Cluster] = []
    for group in near_duplicate_groups(kept):
        members = [kept[i] for i in group]
        scored = sorted(
            members,
            key=lambda s: (-story_score(s, end=end, window=window), -s.received.timestamp(), s.id),
        )
        cluster = _Cluster(scored)
        origins = {_origin(s) for s in members}
        origins.update(o.source or o.url or o.title for s in members for o in s.other_sources)
        cluster.score = story_score(cluster.best, end=end, window=window, sources=len(origins))
        clusters.append(cluster)
    clusters.sort(key=lambda c: (-c.score, -c.best.received.timestamp(), c.best.id))
    items = tuple(_item(c) for c in clusters[: max(0, limit)])
    return Digest(
        title=title or f"Briefing: last {describe_window(window)}",
        start=start,
        end=end,
        items=items,
        buttons=_buttons(items),
    )


def story_item(story: Story) -> DigestItem:
    """One story as a digest item on its own, as a subscription message shows it."""
    return _item(_Cluster([story]))


def _origin(story: Story) -> str:
    return story.source or story.url or story.id


def _item(cluster: _Cluster) -> DigestItem:
    best = cluster.best
    ordered = sorted(cluster.stories, key=lambda s: (s.received, s.id))
    sources: list[SourceLink] = []
    seen: set[str] = set()
    for story in ordered:
        for link in (_source_link(story), *story.other_sources):
            key = link.url or f"{link.source}:{link.title}"
            if key not in seen:
                seen.add(key)
                sources.append(link)
    return DigestItem(
        story_id=best.id,
        headline=best.headline,
        tldr=best.tldr,
        key_points=best.key_points[:MAX_KEY_POINTS],
        actors=tuple(a.ref for a in _actor_line(best.actors)),
        sources=tuple(sources),
        event_count=max(len(s.event_types) for s in cluster.stories),
        published=ordered[0].received,
    )


def _buttons(items: Sequence[DigestItem]) -> tuple[Button, ...]:
    counts: dict[str, int] = {}
    refs: dict[str, ActorRef] = {}
    for item in items:
        for rank, ref in enumerate(item.actors[:3]):
            counts[ref.id] = counts.get(ref.id, 0) + 3 - rank
            refs[ref.id] = ref
    top = sorted(counts, key=lambda i: (-counts[i], refs[i].name))[:MAX_BUTTONS]
    return tuple(Button(f"Subscribe to {refs[i].name}", "subscribe", i) for i in top)


def describe_window(window: timedelta) -> str:
    """A window in words: "24 hours", "7 days", "90 minutes".

    Args:
        window: a positive duration.
    """
    seconds = int(window.total_seconds())
    if seconds % 86400 == 0 and seconds >= 2 * 86400:
        return f"{seconds // 86400} days"
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "hour" if hours == 1 else f"{hours} hours"
    minutes = max(1, seconds // 60)
    return f"{minutes} minutes"


def settings_filters(settings: DigestSettings) -> DigestFilters:
    """The digest filters a channel's settings ask for."""
    return DigestFilters(
        actors=frozenset(settings.actors),
        exclude_actors=frozenset(settings.exclude_actors),
        event_types=frozenset(settings.event_types),
        keywords=tuple(settings.keywords),
    )
