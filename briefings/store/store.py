"""The store: one object over the database for saving analyses and answering questions."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Unpack

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from briefings.model import ActorInfo, Analysis
from briefings.store import briefs, queries, search
from briefings.store.actors import Actors
from briefings.store.digests import Digests
from briefings.store.engine import (
    create_engine,
    current_revision,
    display_url,
    head_revision,
    schema_too_new,
    unavailable,
    unknown_revisions,
    upgrade_engine,
    writer,
)
from briefings.store.errors import StoreError
from briefings.store.outbox import Outbox
from briefings.store.records import (
    ArticleBrief,
    SaveOutcome,
    StoredArticle,
    StoredEvent,
    TimeBasis,
)
from briefings.store.rows import actor_values, alias_values
from briefings.store.subscriptions import Subscriptions
from briefings.store.tables import (
    ACTORS,
    ALIASES,
    ARTICLES,
    EVENTS,
    MENTIONS,
    SOURCES,
    dialect_insert,
    upsert_actors,
)
from briefings.store.writer import Writer

_RETRIES = 3
"""How often a batch is retried after losing a race with another writer (PostgreSQL)."""


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """How much the store holds."""

    articles: int
    sources: int
    events: int
    actors: int
    mentions: int


class Store:
    """Articles, their analysis, actors, subscriptions, digest settings and the outbox.

    Open it with :meth:`open`; it runs the migrations first unless told not to. Every
    method that depends on the time takes it as an argument.

    Attributes:
        subscriptions: users and channels following actors.
        digests: channel digest settings and claims.
        outbox: deliveries waiting to be sent.
        actors: actors' timelines, counts, related actors and names.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._writer_engine = writer(engine)
        self._writer = Writer(engine.dialect.name)
        self._lock = asyncio.Lock()
        self.subscriptions = Subscriptions(engine, self._writer_engine)
        self.digests = Digests(engine, self._writer_engine)
        self.outbox = Outbox(engine, self._writer_engine)
        self.actors = Actors(engine)

    @classmethod
    async def open(cls, url: str, *, schema: str | None = None, migrate: bool = True) -> Store:
        """Open the database at ``url``, bringing its schema up to date first.

        Args:
            url: a SQLite file or URL, or a PostgreSQL URL (see
                :func:`briefings.store.engine.normalise_url`).
            schema: PostgreSQL only: the schema to use.
            migrate: run the migrations (default); when False the schema must be current.

        Raises:
            DatabaseURLError: the URL is unusable.
            DatabaseUnavailableError: the database cannot be reached.
            StoreError: ``migrate`` is False and the schema is not current.
        """
        engine = create_engine(url, schema=schema)
        try:
            if migrate:
                await upgrade_engine(engine, schema=schema)
            else:
                await _check_revision(engine)
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine)

    async def close(self) -> None:
        """Close every connection."""
        await self.engine.dispose()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        """The database URL, password masked."""
        return display_url(self.engine.url)

    # Writing ---------------------------------------------------------------------------

    async def save(self, analysis: Analysis, *, now: datetime) -> SaveOutcome:
        """Save one analysed article (see :meth:`save_many`)."""
        return (await self.save_many([analysis], now=now))[0]

    async def save_many(self, analyses: Sequence[Analysis], *, now: datetime) -> list[SaveOutcome]:
        """Save analysed articles in one transaction; one outcome per analysis, in order.

        An article's identity is its id (URL, else source path). The same id with the
        same fingerprint is ``unchanged``; with another fingerprint it is ``updated``:
        its mentions and events are replaced. A new id whose fingerprint an article
        already has is a ``duplicate``: recorded as another source of that story, not
        as a new article. Otherwise the article is ``new``.

        Args:
            analyses: what :class:`briefings.analysis.pipeline.Analyzer` made of the articles.
            now: the current time: when the articles were stored, and their fetch time
                when they carry none.
        """
        if not analyses:
            return []
        async with self._lock:
            for attempt in range(_RETRIES):
                try:
                    async with self._writer_engine.begin() as conn:
                        outcomes = await self._writer.save(conn, analyses, now)
                except (IntegrityError, DBAPIError) as exc:
                    self._writer.rolled_back()
                    if attempt + 1 == _RETRIES or not _is_race(exc):
                        raise
                    continue
                except BaseException:
                    self._writer.rolled_back()
                    raise
                self._writer.committed()
                return outcomes
        raise AssertionError("unreachable")

    async def sync_actors(self, actors: Iterable[ActorInfo], *, now: datetime) -> int:
        """Store the gazetteer's actors and their names; gazetteer facts win over discovered.

        Args:
            actors: the actors to store (e.g. every actor of the gazetteer).
            now: the current time.

        Returns:
            How many actors were given.
        """
        infos = sorted({a.id: a for a in actors}.values(), key=lambda a: a.id)
        if not infos:
            return 0
        async with self._writer_engine.begin() as conn:
            await conn.execute(upsert_actors(self.dialect), [actor_values(a, now) for a in infos])
            names = sorted(
                (row for a in infos for row in alias_values(a)),
                key=lambda r: (r["norm"], r["actor_id"]),
            )
            if names:
                await conn.execute(
                    dialect_insert(self.dialect, ALIASES).on_conflict_do_nothing(
                        index_elements=["norm", "actor_id"]
                    ),
                    names,
                )
        return len(infos)

    # Reading ---------------------------------------------------------------------------

    async def get_article(self, article_id: str) -> StoredArticle | None:
        """Everything stored about an article, by its id or the id of another source of it.

        The article, its sentences and summary are rebuilt from what was stored; nothing
        is analysed again.
        """
        async with self.engine.connect() as conn:
            return await briefs.get_article(conn, article_id)

    async def articles_between(
        self,
        start: datetime,
        end: datetime,
        *,
        actor_ids: Sequence[str] | None = None,
        basis: TimeBasis = "fetched",
        limit: int | None = None,
        with_text: bool = False,
    ) -> list[ArticleBrief]:
        """The stored articles of a time window, newest first, with their analysis.

        Args:
            start: the window's start (inclusive).
            end: the window's end (exclusive for ``fetched``).
            actor_ids: only articles naming at least one of these actors.
            basis: ``fetched`` (default: when briefbot got the article, for digests of
                what is new) or ``published`` (the article's reference date; whole days,
                both ends inclusive).
            limit: at most this many articles.
            with_text: include each article's canonical text (for near-duplicate checks).
        """
        async with self.engine.connect() as conn:
            return await briefs.articles_between(
                conn, start, end, actor_ids=actor_ids, basis=basis, limit=limit, with_text=with_text
            )

    async def search_events(
        self, query: str, *, limit: int = 20, **filters: Unpack[search.FilterOptions]
    ) -> list[StoredEvent]:
        """Events whose text (or location) matches ``query``, most relevant first.

        See :mod:`briefings.store.search` for the query language and the ranking.

        Args:
            query: the words to look for.
            limit: at most this many events.
            filters: ``since``, ``basis``, ``actor`` and ``type`` (see
                :class:`~briefings.store.search.FilterOptions`).
        """
        async with self.engine.connect() as conn:
            return await search.search_events(conn, query, search.Filters(**filters), limit)

    async def search_articles(
        self, query: str, *, limit: int = 20, **filters: Unpack[search.FilterOptions]
    ) -> list[ArticleBrief]:
        """Articles whose title, subtitle or text match ``query``, most relevant first.

        Args:
            query: the words to look for.
            limit: at most this many articles.
            filters: as for :meth:`search_events`.
        """
        async with self.engine.connect() as conn:
            hits = await search.search_articles(conn, query, search.Filters(**filters), limit)
            return await briefs.briefs_by_pk(conn, [pk for pk, _ in hits], dict(hits))

    async def search_headlines(
        self, query: str, *, limit: int = 10, **filters: Unpack[search.FilterOptions]
    ) -> list[str]:
        """Ids of the newest articles whose headline matches ``query``.

        Args:
            query: the words to look for (see :mod:`briefings.store.querytext`).
            limit: at most this many articles.
            filters: as for :meth:`search_events`.
        """
        async with self.engine.connect() as conn:
            return await search.search_headlines(conn, query, search.Filters(**filters), limit)

    async def article_events(
        self, article_ids: Sequence[str], *, limit: int = 200
    ) -> list[StoredEvent]:
        """The events of these articles (by article id), in the order of ``article_ids``,
        then by sentence.

        Args:
            article_ids: the articles.
            limit: at most this many events.
        """
        async with self.engine.connect() as conn:
            return await queries.article_events(conn, article_ids, limit=limit)

    async def counts(self) -> StoreCounts:
        """How many articles, other sources, events, actors and mentions are stored."""
        async with self.engine.connect() as conn:
            values = []
            for table in (ARTICLES, SOURCES, EVENTS, ACTORS, MENTIONS):
                total = await conn.execute(select(func.count()).select_from(table))
                values.append(int(total.scalar_one()))
        return StoreCounts(*values)


def _is_race(exc: BaseException) -> bool:
    """Whether a failed batch lost a race with another writer and may simply be retried."""
    if isinstance(exc, IntegrityError):
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None) or getattr(
        getattr(exc, "orig", None), "pgcode", None
    )
    return code in ("40001", "40P01")


async def _check_revision(engine: AsyncEngine) -> None:
    try:
        async with engine.connect() as conn:
            found = await current_revision(conn)
            unknown = await conn.run_sync(unknown_revisions)
    except (OSError, DBAPIError) as exc:
        raise unavailable(engine, exc) from exc
    if unknown:
        raise schema_too_new(engine, unknown)
    wanted = head_revision()
    if found != wanted:
        raise StoreError(
            f"the database {display_url(engine.url)} is at schema revision {found or 'none'}, "
            f"this briefbot needs {wanted}: run 'briefbot db upgrade'"
        )
