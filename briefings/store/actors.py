"""Reading actors: their timelines, mention counts, related actors, articles and names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from briefings.store import briefs, queries
from briefings.store.records import (
    ActorStats,
    ArticleBrief,
    CoActor,
    DayCount,
    KnownActor,
    StoredEvent,
    TimeBasis,
)


@dataclass(frozen=True, slots=True)
class ActorOverview:
    """What a profile shows of an actor, read in one go (see :meth:`Actors.overview`)."""

    days: tuple[DayCount, ...]
    related: tuple[CoActor, ...]
    timeline: tuple[StoredEvent, ...]
    articles: tuple[queries.ArticleLink, ...]


class Actors:
    """The store's actors, read for profiles and name resolution.

    Args:
        engine: the store's engine for reads.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def timeline(
        self,
        actor_id: str,
        *,
        since: datetime | date | None = None,
        limit: int = 20,
        basis: TimeBasis = "published",
    ) -> list[StoredEvent]:
        """The events an actor takes part in (acting or acted upon), latest first.

        Events are ordered by the first day of their own date, or by their article's date
        when they carry none, so "in the 1980s" sorts among the 1980s.

        Args:
            actor_id: the actor.
            since: only events reported on or after this time (see ``basis``).
            limit: at most this many events.
            basis: what ``since`` compares with (see :meth:`Store.search_events`).
        """
        async with self.engine.connect() as conn:
            return await queries.actor_timeline(
                conn, actor_id, since=since, basis=basis, limit=limit
            )

    async def stats(
        self,
        actor_id: str,
        *,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        related: int = 10,
        sample: int = 500,
    ) -> ActorStats:
        """An actor's mentions per day and the actors it most often acts with or against.

        Mentions come from per-day counts kept up to date on every save (by the
        articles' reference dates), so the cost does not grow with the number of
        articles. Related actors are counted over the actor's latest ``sample`` events
        reported in the window.

        Args:
            actor_id: the actor.
            since: the first day counted.
            until: the last day counted (mentions only).
            related: how many related actors to return.
            sample: how many of the latest events to count related actors over.
        """
        first = _day(since)
        last = _day(until)
        async with self.engine.connect() as conn:
            days = await queries.actor_days(conn, actor_id, first, last)
            co = await queries.co_actors(conn, actor_id, first, sample, related)
        return _stats(actor_id, days, co)

    async def articles(
        self, actor_id: str, *, since: date | datetime | None = None, limit: int = 10
    ) -> list[ArticleBrief]:
        """The latest articles naming an actor (its sources), newest first.

        Args:
            actor_id: the actor.
            since: only articles whose reference date is on or after this day.
            limit: at most this many.
        """
        first = _day(since)
        async with self.engine.connect() as conn:
            return await briefs.actor_articles(conn, actor_id, first, limit)

    async def overview(
        self,
        actor_id: str,
        *,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        days: int = 90,
        related: int = 10,
        sample: int = 500,
        timeline: int = 20,
        articles: int = 10,
        members: Sequence[str] = (),
    ) -> ActorOverview:
        """An actor's latest days with mentions, related actors, timeline and latest
        articles (as links), as :meth:`stats`, :meth:`timeline` and
        :meth:`articles` give them, over one connection.

        Args:
            actor_id: the actor.
            since: only what was reported on or after this day.
            until: the last day of the mentions series.
            days: how many of the latest days with mentions.
            related: how many related actors (see :meth:`stats` for ``sample``).
            sample: how many of the latest events to count related actors over.
            timeline: how many of the latest events.
            articles: how many of the latest articles.
            members: further actors whose events join the timeline (a state's
                institutions); the rest is the actor's own.
        """
        first = _day(since)
        last = _day(until)
        async with self.engine.connect() as conn:
            counts = await queries.actor_days(conn, actor_id, first, last, latest=days)
            co = await queries.co_actors(conn, actor_id, first, sample, related)
            events = await queries.actor_timeline(
                conn, [actor_id, *members], since=since, basis="published", limit=timeline
            )
            links = await queries.actor_links(conn, actor_id, first, articles)
        return ActorOverview(tuple(counts), tuple(co), tuple(events), tuple(links))

    async def known(self) -> list[KnownActor]:
        """Every actor with every name it goes by, by id (for name resolution)."""
        async with self.engine.connect() as conn:
            return await queries.known_actors(conn)

    async def get(self, actor_id: str) -> KnownActor | None:
        """One actor by id."""
        async with self.engine.connect() as conn:
            found = await queries.known_actors(conn, [actor_id])
        return found[0] if found else None

    async def named(self, name: str) -> list[KnownActor]:
        """Actors with a name, alias, demonym or former name equal to ``name``, normalised
        (case, accents, punctuation and a leading "the" ignored)."""
        async with self.engine.connect() as conn:
            return await queries.actors_named(conn, name)


def _stats(actor_id: str, days: list[DayCount], co: list[CoActor]) -> ActorStats:
    """Assemble :class:`ActorStats` from per-day counts and related actors."""
    return ActorStats(
        actor_id=actor_id,
        days=tuple(days),
        articles=sum(d.articles for d in days),
        mentions=sum(d.mentions for d in days),
        first_day=days[0].day if days else None,
        last_day=days[-1].day if days else None,
        related=tuple(co),
    )


def _day(value: date | datetime | None) -> date | None:
    """The day a ``since``/``until`` bound falls on (None stays None)."""
    return value.date() if isinstance(value, datetime) else value
