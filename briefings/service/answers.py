"""The answering service: actor profiles, event search, briefs and subscriptions.

One :class:`Answers` object serves every adapter, the scheduler and the CLI. It reads the
store, resolves names (:mod:`briefings.service.names`) over the gazetteer and the actors the
store has discovered, composes digests (:mod:`briefings.service.composition`) and returns the
neutral
frozen replies of :mod:`briefings.service.replies`. Every time it needs comes from the injected
clock.

Time filters: ``since`` in profiles and event searches compares with an article's
reference date (its publication date, else the day it was fetched), so an archive ingested
today still reads as the news of its own days. Briefs cover what *arrived* in their window
(the fetch time), so a late story still makes the next digest, once.

Cost: every answer is a handful of indexed queries with bounded result sizes; mentions per
day come pre-aggregated from the store, related actors are counted in SQL over the actor's
latest events, and :meth:`Answers.match` answers from the store's in-memory subscription
index (no database round trip), so its cost follows the article's actors, not the number
of subscriptions.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.errors import BriefingError
from briefings.model import Analysis
from briefings.service import ranking
from briefings.service.composition import (
    DigestFilters,
    compose_digest,
    settings_filters,
)
from briefings.service.directory import ActorDirectory
from briefings.service.entries import entry, event_actor_ids, focus_events, story
from briefings.service.following import Following
from briefings.service.names import Resolution, Resolver
from briefings.service.profiles import Profiles, as_datetime
from briefings.service.replies import (
    ActorRef,
    Digest,
    EventList,
)
from briefings.service.schedules import Clock
from briefings.store import (
    DigestSettings,
    Store,
    StoredEvent,
    Subscription,
)

HEADLINE_HITS = 5
"""The most stories whose headline matches a search that add their events."""
HEADLINE_EVENTS = 40
"""The most events those stories add (their first ones)."""
EVENTS_LIMIT = 20
SEARCH_OVERFETCH = 3
"""Searches ask the store for this many times the hits shown (one event per sentence)."""
BRIEF_CANDIDATES = 2000
"""The most articles a brief considers (the newest in its window)."""


class EmptyQueryError(BriefingError):
    """A search was asked for without words to look for."""


class Answers:
    """The answering service over a store: stories, searches and channel digests here; names
    in :attr:`directory`, subscriptions in :attr:`following`, profiles in :attr:`profiles`.

    Args:
        store: the open store.
        gazetteer: the bundled actors, for names and profiles.
        clock: returns the current time (aware, UTC).
    """

    def __init__(self, store: Store, gazetteer: Gazetteer, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self.directory = ActorDirectory(store, gazetteer, clock)
        self.following = Following(store, self.directory, clock)
        self.profiles = Profiles(store, gazetteer, self.directory, clock)

    # Names (see :class:`~briefings.service.directory.ActorDirectory`) ------------------

    async def refresh(self) -> Resolver:
        """Rebuild the name index from the gazetteer and the store's actors now."""
        return await self.directory.refresh()

    async def resolver(self) -> Resolver:
        """The name index, rebuilt when older than ``refresh_every``."""
        return await self.directory.resolver()

    async def resolve_actor(self, text: str, *, context: DigestFilters | None = None) -> Resolution:
        """Resolve a name typed by a user (:meth:`ActorDirectory.resolve_actor`)."""
        return await self.directory.resolve_actor(text, context=context)

    async def family(self, actor_id: str) -> tuple[ActorRef, ...]:
        """The members of an actor's family, nearest first."""
        return await self.directory.family(actor_id)

    async def ancestors(self, actor_id: str) -> tuple[str, ...]:
        """The ids up an actor's parent chain, nearest first."""
        return await self.directory.ancestors(actor_id)

    async def actor(self, actor_id: str) -> ActorRef | None:
        """The actor an id names, or None."""
        return await self.directory.actor(actor_id)

    async def suggest_actors(self, prefix: str, limit: int = 25) -> tuple[ActorRef, ...]:
        """Actors whose names start like ``prefix`` (autocomplete)."""
        return await self.directory.suggest_actors(prefix, limit)

    async def search_events(
        self,
        query: str,
        since: datetime | date | None = None,
        actor: str | ActorRef | None = None,
        type: str | None = None,
        *,
        limit: int = EVENTS_LIMIT,
    ) -> EventList:
        """Events matching ``query``, most relevant first, each dated and with its source.

        An event matches by its own words, by its article's headline, and scores more when
        its type is one the query names ("blockade" → coerce) and when it is recent (see
        :mod:`briefings.service.ranking`).

        Args:
            query: words to look for (``"quoted phrases"``, ``-word`` and ``OR`` work).
            since: only events reported on or after this day; all time when None.
            actor: only events this actor takes part in (a name or a resolved actor).
            type: only events of this type (``coerce``, ``assault``, …).
            limit: the most events to return.

        Raises:
            EmptyQueryError: the query holds no words.
            ActorNotFoundError: ``actor`` names no actor.
            AmbiguousActorError: ``actor`` names several.
        """
        if not any(c.isalnum() for c in query):
            raise EmptyQueryError("Search for what? Give a word or two, e.g. `siege Bamako`.")
        actor_id = (await self.directory.require(actor)).id if actor is not None else None
        found = await self.store.search_events(
            query, since=since, actor=actor_id, type=type, limit=limit * SEARCH_OVERFETCH
        )
        headlines = await self.store.search_headlines(
            query, since=since, actor=actor_id, limit=HEADLINE_HITS
        )
        types = ranking.named_types(query)
        extra: list[StoredEvent] = []
        if headlines:
            by_story: dict[str, list[StoredEvent]] = {}
            for event in await self.store.article_events(headlines, limit=HEADLINE_EVENTS):
                if not ranking.headline_matches(event.article_title, query):
                    continue
                if type is not None and event.type != type:
                    continue
                if actor_id is not None and actor_id not in event_actor_ids(event):
                    continue
                by_story.setdefault(event.article_id, []).append(event)
            for events in by_story.values():
                extra += ranking.headline_events(events, types)
        ranked = ranking.rank(found, extra, types, self.clock().date())
        chosen = focus_events(ranked, query, frozenset(e.id for e in extra))
        entries = tuple(entry(e) for e in chosen[:limit])
        return EventList(query=query, since=as_datetime(since), entries=entries)

    # Briefs ----------------------------------------------------------------------------

    async def brief(
        self,
        window: timedelta,
        filters: DigestFilters | None = None,
        *,
        title: str | None = None,
        limit: int = 10,
        notes: tuple[str, ...] = (),
    ) -> Digest:
        """The digest of what arrived in the last ``window``.

        Args:
            window: how far back to look from now.
            filters: actors (include / exclude), event types and keywords.
            title: the digest's title ("Briefing: last 24 hours" by default).
            limit: the most items.
            notes: what the request was taken to mean (shown with the digest).
        """
        end = self.clock()
        digest = await self.brief_period(end - window, end, filters, title=title, limit=limit)
        return replace(digest, notes=notes) if notes else digest

    async def brief_period(
        self,
        start: datetime,
        end: datetime,
        filters: DigestFilters | None = None,
        *,
        title: str | None = None,
        limit: int = 10,
    ) -> Digest:
        """The digest of what arrived in ``[start, end)`` (a scheduled digest's period).

        Args:
            start: the period's start.
            end: the period's end.
            filters: what to keep.
            title: the digest's title.
            limit: the most items.
        """
        include = sorted(filters.actors) if filters is not None and filters.actors else None
        found = await self.store.articles_between(
            start, end, actor_ids=include, basis="fetched", limit=BRIEF_CANDIDATES, with_text=True
        )
        stories = [story(a) for a in found]
        return compose_digest(
            stories, start=start, end=end, filters=filters, title=title, limit=limit
        )

    async def match(self, analysis: Analysis, *, platform: str | None = None) -> list[Subscription]:
        """The subscriptions an analysed article triggers (:meth:`Following.match`)."""
        return await self.following.match(analysis, platform=platform)

    # Channel digests -------------------------------------------------------------------

    async def digest_settings(
        self, platform: str, workspace: str, channel: str
    ) -> DigestSettings | None:
        """A channel's digest settings, or None when it has none.

        Args:
            platform: the platform.
            workspace: the workspace or guild.
            channel: the channel id.
        """
        return await self.store.digests.get(platform, workspace, channel)

    async def save_digest_settings(self, settings: DigestSettings) -> DigestSettings:
        """Create or replace a channel's digest settings; returns them as stored.

        Args:
            settings: the settings.
        """
        return await self.store.digests.put(settings, now=self.clock())

    async def channel_digest(
        self, settings: DigestSettings, start: datetime, end: datetime, *, limit: int = 10
    ) -> Digest:
        """A channel's digest for a period, with the channel's filters.

        Args:
            settings: the channel's settings.
            start: the period's start.
            end: the period's end.
            limit: the most items.
        """
        return await self.brief_period(start, end, settings_filters(settings), limit=limit)
