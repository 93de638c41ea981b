"""Saving analyses: idempotent by identity and fingerprint, in batches, one transaction each."""

from __future__ import annotations

import asyncio
import functools
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.model import ActorInfo, Analysis, Article
from briefings.store.records import SaveOutcome
from briefings.store.rows import (
    EVENT_COLUMNS,
    LINK_COLUMNS,
    MENTION_COLUMNS,
    Batch,
    Codec,
    FirstMentions,
    actor_values,
    article_values,
    fetched_time,
    first_mentions,
    gather,
)
from briefings.store.tables import (
    ACTOR_DAYS,
    ALIASES,
    ARTICLES,
    EVENT_ACTORS,
    EVENTS,
    MENTIONS,
    SOURCES,
    chunks,
    dialect_insert,
    insert_tuples,
    upsert_actors,
)

SAVE_LOCK = zlib.crc32(b"briefbot:save")
"""The PostgreSQL advisory lock held by a transaction that saves analyses."""

THREAD_SENTENCES = 1_000
"""An article with this many sentences has its rows built in a thread, so that storing a
very long article does not hold up the event loop; shorter ones are built in place."""
THREAD_TEXT = 100_000
"""Likewise, the characters from which an article's fingerprint is taken in a thread."""

_FTS_INSERT = {
    "articles": "INSERT INTO articles_fts(rowid, title, subtitle, text)"
    " SELECT pk, title, subtitle, text FROM articles WHERE pk IN ({marks})",
    "events": "INSERT INTO events_fts(rowid, text, location, actor_keys)"
    " SELECT id, text, location, actor_keys FROM events WHERE article_pk IN ({marks})",
}
"""How new rows of a batch enter the SQLite full-text indexes."""

_ADD_DAYS = (
    "ON CONFLICT (actor_id, day) DO UPDATE SET"
    " articles = actor_days.articles + excluded.articles,"
    " mentions = actor_days.mentions + excluded.mentions"
)


@dataclass(slots=True)
class _Plan:
    """What to do with one analysis of a batch."""

    analysis: Analysis
    fingerprint: str
    outcome: SaveOutcome = "new"
    pk: int | None = None
    duplicate_of: str | None = None
    write: bool = False
    firsts: FirstMentions | None = None

    def first_mentions(self) -> FirstMentions:
        """The article's first mentions, taken once for its article row and its mentions."""
        if self.firsts is None:
            self.firsts = first_mentions(self.analysis)
        return self.firsts


class Writer:
    """Saves batches of analyses on one backend; remembers which actors it has stored.

    Args:
        dialect: ``sqlite`` or ``postgresql``.
    """

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.codec = Codec(dialect)
        self._actors: dict[str, bool] = {}
        self._names: set[tuple[str, tuple[str, ...]]] = set()
        self._pending_actors: dict[str, bool] = {}
        self._pending_names: set[tuple[str, tuple[str, ...]]] = set()

    def committed(self) -> None:
        """Keep what the last batch stored in the caches (call after its commit)."""
        self._actors.update(self._pending_actors)
        self._names |= self._pending_names
        self.rolled_back()

    def rolled_back(self) -> None:
        """Forget what the last batch meant to store (call after a rollback)."""
        self._pending_actors = {}
        self._pending_names = set()

    async def save(
        self, conn: AsyncConnection, analyses: Sequence[Analysis], now: datetime
    ) -> list[SaveOutcome]:
        """Save a batch inside the caller's transaction; one outcome per analysis, in order.

        An id that comes back within the batch starts a new run, so the batch means the
        same as saving its analyses one after the other. Saves are serialised across
        processes -- by SQLite's write lock, by an advisory lock on PostgreSQL -- so two
        writers never both take the same story for new.
        """
        if self.dialect == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SAVE_LOCK})
        outcomes: list[SaveOutcome] = []
        run: list[_Plan] = []
        ids: set[str] = set()
        for analysis in analyses:
            if analysis.article.id in ids:
                outcomes += await self._save_run(conn, run, now)
                run, ids = [], set()
            article = analysis.article
            if len(article.text) < THREAD_TEXT:
                run.append(_Plan(analysis, article.fingerprint))
            else:  # a long text's fingerprint takes a while: off the event loop
                run.append(_Plan(analysis, await asyncio.to_thread(_fingerprint, article)))
            ids.add(analysis.article.id)
        if run:
            outcomes += await self._save_run(conn, run, now)
        return outcomes

    async def _save_run(
        self, conn: AsyncConnection, plans: list[_Plan], now: datetime
    ) -> list[SaveOutcome]:
        await self._plan(conn, plans)
        writes = [p for p in plans if p.write]
        updates = [p for p in writes if p.pk is not None]
        batch = Batch()
        if updates:
            await self._clear(conn, [p.pk for p in updates if p.pk is not None], batch)
            await conn.execute(
                update(ARTICLES).where(ARTICLES.c.pk == bindparam("b_pk")),
                [
                    {
                        "b_pk": p.pk,
                        **article_values(
                            p.analysis,
                            p.fingerprint,
                            now,
                            stored=False,
                            firsts=p.first_mentions(),
                        ),
                    }
                    for p in updates
                ],
            )
        fresh = sorted((p for p in writes if p.pk is None), key=lambda p: p.analysis.article.id)
        if fresh:
            await conn.execute(
                ARTICLES.insert(),
                [
                    article_values(
                        p.analysis, p.fingerprint, now, stored=True, firsts=p.first_mentions()
                    )
                    for p in fresh
                ],
            )
            pks = await self._pks(conn, [p.analysis.article.id for p in fresh])
            for p in fresh:
                p.pk = pks[p.analysis.article.id]
            await self._index(conn, "articles", sorted(pks.values()))
        await self._add_sources(conn, plans, now)
        for p in writes:
            assert p.pk is not None
            rows = functools.partial(
                gather,
                p.pk,
                p.analysis,
                now,
                batch,
                codec=self.codec,
                needs_aliases=self._needs_names,
                firsts=p.first_mentions(),
            )
            if len(p.analysis.sentences) < THREAD_SENTENCES:
                rows()
            else:  # a long article's rows are built off the event loop (saves are serialised)
                await asyncio.to_thread(rows)
        await self._store_actors(conn, batch, now)
        await insert_tuples(conn, MENTIONS, MENTION_COLUMNS, batch.mentions)
        if batch.events:
            await insert_tuples(conn, EVENTS, EVENT_COLUMNS, batch.events)
            await self._index(conn, "events", sorted({p.pk for p in writes if p.pk is not None}))
            await self._link_events(conn, batch)
        await self._count_days(conn, batch)
        return [p.outcome for p in plans]

    async def _index(self, conn: AsyncConnection, table: str, pks: Sequence[int]) -> None:
        """Add new rows to the SQLite full-text index in bulk (PostgreSQL's is generated)."""
        if self.dialect != "sqlite" or not pks:
            return
        sql = _FTS_INSERT[table]
        for part in chunks(pks):
            marks = ", ".join("?" for _ in part)
            await conn.exec_driver_sql(sql.format(marks=marks), tuple(part))

    def _needs_names(self, info: ActorInfo, linked: tuple[str, ...]) -> bool:
        key = (info.id, linked)
        if key in self._names or key in self._pending_names:
            return False
        self._pending_names.add(key)
        return True

    async def _plan(self, conn: AsyncConnection, plans: list[_Plan]) -> None:
        """Decide each analysis's outcome from what the store already holds."""
        ids = [p.analysis.article.id for p in plans]
        prints = list({p.fingerprint for p in plans})
        by_id: dict[str, tuple[int, str]] = {}
        sources: dict[str, str] = {}
        by_print: dict[str, str] = {}
        for part in chunks(ids):
            result = await conn.execute(
                select(ARTICLES.c.pk, ARTICLES.c.id, ARTICLES.c.fingerprint).where(
                    ARTICLES.c.id.in_(part)
                )
            )
            by_id.update((row.id, (row.pk, row.fingerprint)) for row in result)
            result = await conn.execute(
                select(SOURCES.c.id, SOURCES.c.fingerprint).where(SOURCES.c.id.in_(part))
            )
            sources.update((row.id, row.fingerprint) for row in result)
        for part in chunks(prints):
            result = await conn.execute(
                select(ARTICLES.c.id, ARTICLES.c.fingerprint)
                .where(ARTICLES.c.fingerprint.in_(part))
                .order_by(ARTICLES.c.pk)
            )
            for row in result:
                by_print.setdefault(row.fingerprint, row.id)
        gone_sources: list[str] = []
        for plan in plans:
            art_id = plan.analysis.article.id
            if art_id in by_id:
                pk, stored = by_id[art_id]
                if stored == plan.fingerprint:
                    plan.outcome = "unchanged"
                else:
                    plan.outcome, plan.pk, plan.write = "updated", pk, True
                    if by_print.get(stored) == art_id:
                        del by_print[stored]
                    by_print.setdefault(plan.fingerprint, art_id)
                continue
            if sources.get(art_id) == plan.fingerprint:
                plan.outcome = "unchanged"
                continue
            if art_id in sources:
                gone_sources.append(art_id)
            owner = by_print.get(plan.fingerprint)
            if owner is not None:
                plan.outcome, plan.duplicate_of = "duplicate", owner
            else:
                plan.outcome, plan.write = "new", True
                by_print[plan.fingerprint] = art_id
        for part in chunks(gone_sources):
            await conn.execute(delete(SOURCES).where(SOURCES.c.id.in_(part)))

    async def _pks(self, conn: AsyncConnection, ids: Sequence[str]) -> dict[str, int]:
        pks: dict[str, int] = {}
        for part in chunks(ids):
            result = await conn.execute(
                select(ARTICLES.c.id, ARTICLES.c.pk).where(ARTICLES.c.id.in_(part))
            )
            pks.update((row.id, row.pk) for row in result)
        return pks

    async def _clear(self, conn: AsyncConnection, pks: list[int], batch: Batch) -> None:
        """Delete the analysis of changed articles, counting its mentions out of the days."""
        for part in chunks(pks):
            result = await conn.execute(
                select(MENTIONS.c.actor_id, MENTIONS.c.ref_date, MENTIONS.c.count.label("n")).where(
                    MENTIONS.c.article_pk.in_(part)
                )
            )
            for row in result:
                day = batch.days[(row.actor_id, row.ref_date)]
                day[0] -= 1
                day[1] -= row.n
            events = select(EVENTS.c.id).where(EVENTS.c.article_pk.in_(part))
            await conn.execute(delete(EVENT_ACTORS).where(EVENT_ACTORS.c.event_id.in_(events)))
            await conn.execute(delete(EVENTS).where(EVENTS.c.article_pk.in_(part)))
            await conn.execute(delete(MENTIONS).where(MENTIONS.c.article_pk.in_(part)))

    async def _add_sources(self, conn: AsyncConnection, plans: list[_Plan], now: datetime) -> None:
        """Record duplicates as other sources of the stories they repeat."""
        dups = [p for p in plans if p.outcome == "duplicate" and p.duplicate_of is not None]
        if not dups:
            return
        owners = await self._pks(conn, list({p.duplicate_of for p in dups if p.duplicate_of}))
        values = []
        for p in dups:
            art = p.analysis.article
            assert p.duplicate_of is not None
            values.append(
                {
                    "id": art.id,
                    "article_pk": owners[p.duplicate_of],
                    "url": art.url,
                    "source": art.source,
                    "title": art.title,
                    "fingerprint": p.fingerprint,
                    "fetched": fetched_time(art.fetched, now),
                    "stored_at": now,
                }
            )
        stmt = dialect_insert(self.dialect, SOURCES).on_conflict_do_nothing(index_elements=["id"])
        await conn.execute(stmt, values)

    async def _store_actors(self, conn: AsyncConnection, batch: Batch, now: datetime) -> None:
        todo = [
            info
            for actor_id, info in sorted(batch.actors.items())
            if actor_id not in self._actors or (self._actors[actor_id] and not info.discovered)
        ]
        if todo:
            await conn.execute(upsert_actors(self.dialect), [actor_values(a, now) for a in todo])
            self._pending_actors.update((info.id, info.discovered) for info in todo)
        if batch.aliases:
            stmt = dialect_insert(self.dialect, ALIASES).on_conflict_do_nothing(
                index_elements=["norm", "actor_id"]
            )
            await conn.execute(stmt, [v for _, v in sorted(batch.aliases.items())])

    async def _link_events(self, conn: AsyncConnection, batch: Batch) -> None:
        """Insert the actor links of the events just inserted (whose ids the backend chose)."""
        pks = sorted({pk for pk, _ in batch.links})
        links: list[tuple[Any, ...]] = []
        for part in chunks(pks):
            result = await conn.execute(
                select(EVENTS.c.id, EVENTS.c.article_pk, EVENTS.c.seq).where(
                    EVENTS.c.article_pk.in_(part)
                )
            )
            for event_id, pk, seq in result:
                who = batch.links.get((pk, seq))
                if who:
                    sort_value, ref_value = batch.event_dates[(pk, seq)]
                    links.extend(
                        (event_id, actor, role, sort_value, ref_value) for actor, role in who
                    )
        await insert_tuples(conn, EVENT_ACTORS, LINK_COLUMNS, links)

    async def _count_days(self, conn: AsyncConnection, batch: Batch) -> None:
        """Add the batch's mentions to the per-day counts (and take replaced ones out)."""
        day = self.codec.day
        deltas = [
            (actor_id, day(when), n[0], n[1])
            for (actor_id, when), n in sorted(batch.days.items())
            if n[0] or n[1]
        ]
        await insert_tuples(
            conn,
            ACTOR_DAYS,
            ("actor_id", "day", "articles", "mentions"),
            deltas,
            conflict=_ADD_DAYS,
        )
        emptied = [(actor_id, when) for (actor_id, when), n in batch.days.items() if n[0] < 0]
        for part in chunks(emptied, 100):
            await conn.execute(
                delete(ACTOR_DAYS).where(
                    ACTOR_DAYS.c.articles <= 0,
                    or_(
                        *(and_(ACTOR_DAYS.c.actor_id == a, ACTOR_DAYS.c.day == d) for a, d in part)
                    ),
                )
            )


def _fingerprint(article: Article) -> str:
    return article.fingerprint
