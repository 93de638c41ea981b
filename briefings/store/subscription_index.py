"""The in-memory subscription index: actor id → subscriptions, kept in step with the database.

:meth:`Subscriptions.for_actors <briefings.store.subscriptions.Subscriptions.for_actors>`
(and so ``Answers.match`` and the notifier) answers from this index, one dictionary
lookup per actor id of an article, without a database round trip, so its cost follows the
article's actors and the subscriptions they trigger, never the number of subscriptions.

**Staying right.** Every change to ``subscriptions`` appends a row to
``subscription_changes`` (the key it touched, under a version one higher than the last) in
the same transaction. Versions commit in order: SQLite has one writer at a time, and on
PostgreSQL the transaction takes an advisory lock before it reads the last version, so a
reader that has seen version *v* has seen every change up to *v*.

- A change made through this process's store is applied at once, after its transaction
  commits: the changed key is read back from the database and replaced in the index.
- A change made by another process is seen within :attr:`SubscriptionIndex.refresh`
  seconds (one by default): a lookup that finds the index last checked longer ago than
  that first asks for the changes after the last version seen (one indexed range query,
  nearly always empty) and reads back the keys they name. A gap (changes pruned, as only
  the last :data:`KEEP` are kept) or a bulk change (a row with no key) reloads everything.

Every read that updates the index runs under one lock and is applied whole, so the index
for a key is always the database's state at some moment after every change already
applied to it: a later read can never be overtaken by an earlier one, and a change can
at worst be seen one refresh interval late, never lost. Polling was chosen over
PostgreSQL LISTEN/NOTIFY because it works the same on SQLite (several processes on one
file), needs no dedicated connection to watch and re-establish, and cannot miss a
notification sent while a connection was down; its cost, one small query per interval
and process, is negligible.

**Memory.** Per actor, a list of the store's frozen, slotted :class:`Subscription`
records in id order, with the values many share (platform, workspace, actor, threshold,
time, zone) kept once: about 25 MB at 100,000 subscriptions. Loading them takes about a
second at that size (the first lookup of a process, or after a bulk change).
"""

from __future__ import annotations

import asyncio
import time
import zlib
from bisect import insort
from collections.abc import Iterable, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Table,
    Text,
    and_,
    delete,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from briefings.store.records import Subscription, SubscriptionMode
from briefings.store.schema import Base

SUBSCRIPTIONS: Table = Base.metadata.tables["subscriptions"]
CHANGES = Table(
    "subscription_changes",
    Base.metadata,
    Column("version", BigInteger, primary_key=True, autoincrement=False),
    Column("platform", Text, nullable=True),
    Column("workspace", Text, nullable=True),
    Column("subscriber", Text, nullable=True),
    Column("actor_id", Text, nullable=True),
)
"""One row per change to ``subscriptions``: the key changed, or no key for a bulk change."""

COLUMNS = tuple(
    SUBSCRIPTIONS.c[name]
    for name in (
        "id",
        "platform",
        "workspace",
        "subscriber",
        "subscriber_kind",
        "actor_id",
        "mode",
        "threshold",
        "created_at",
        "daily_time",
        "timezone",
        "exact",
    )
)
"""The columns :func:`subscription` reads, in its order."""

KEEP = 10_000
"""How many of the latest changes are kept; a reader further behind reloads everything."""

REFRESH = 1.0
"""Seconds a lookup may trust the index before asking for other processes' changes."""

CHANGE_LOCK = zlib.crc32(b"briefbot:subscription-changes")
"""The PostgreSQL advisory lock a transaction holds while it records a change."""

Key = tuple[str, str, str, str]
"""A subscription's identity: platform, workspace, subscriber, actor id."""

_BY_ID = attrgetter("id")


async def record_change(conn: AsyncConnection, key: Key | None) -> int:
    """Record a change to ``subscriptions`` in the transaction that makes it; its version.

    Call it in the writing transaction before the change itself (PostgreSQL: it takes the
    advisory lock that orders changes). ``key`` None means anything may have changed.
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOCK})
    last = (await conn.execute(select(func.max(CHANGES.c.version)))).scalar_one_or_none()
    version = int(last or 0) + 1
    platform, workspace, subscriber, actor_id = key or (None, None, None, None)
    await conn.execute(
        CHANGES.insert().values(
            version=version,
            platform=platform,
            workspace=workspace,
            subscriber=subscriber,
            actor_id=actor_id,
        )
    )
    if version > KEEP:
        await conn.execute(delete(CHANGES).where(CHANGES.c.version <= version - KEEP))
    return version


def subscription(row: Sequence[Any], shared: dict[Any, Any] | None = None) -> Subscription:
    """A row of :data:`COLUMNS` as a record.

    Args:
        row: the row.
        shared: equal values seen before (strings, thresholds, times), to reuse instead of
            keeping a copy per subscription.
    """
    same = shared.setdefault if shared is not None else _itself
    id_, platform, workspace, subscriber, kind, actor_id, mode, threshold, created, daily, tz = row[
        :11
    ]
    return Subscription(
        id=id_,
        platform=same(platform, platform),
        workspace=same(workspace, workspace),
        subscriber=subscriber,
        subscriber_kind="channel" if kind == "channel" else "user",
        actor_id=same(actor_id, actor_id),
        mode="daily" if mode == "daily" else "instant",
        threshold=same(threshold, threshold),
        created_at=same(created, created),
        daily_time=same(daily, daily),
        timezone=same(tz, tz),
        exact=bool(row[11]),
    )


def _itself(value: Any, _default: Any) -> Any:
    return value


class SubscriptionIndex:
    """Every subscription in memory, by actor id (see the module docstring).

    Args:
        engine: the store's engine for reads.
        refresh: seconds a lookup trusts the index before checking for other processes'
            changes; a change another process commits is matched at most this late.
    """

    def __init__(self, engine: AsyncEngine, *, refresh: float = REFRESH) -> None:
        self._engine = engine
        self.refresh = refresh
        self._by_actor: dict[str, list[Subscription]] = {}
        self._shared: dict[Any, Any] = {}
        self._seen: int | None = None
        self._checked = 0.0
        self._lock = asyncio.Lock()

    async def lookup(
        self,
        actor_ids: Iterable[str],
        *,
        platform: str | None = None,
        mode: SubscriptionMode | None = None,
    ) -> list[Subscription]:
        """Every subscription to any of these actors, by id; checks for changes if due."""
        if self._seen is None or time.monotonic() - self._checked >= self.refresh:
            await self._sync(force=False)
        by_actor = self._by_actor
        found: list[Subscription] = []
        for actor_id in dict.fromkeys(actor_ids):
            subs = by_actor.get(actor_id)
            if subs is None:
                continue
            if platform is None and mode is None:
                found.extend(subs)
            else:
                found.extend(
                    s
                    for s in subs
                    if (platform is None or s.platform == platform)
                    and (mode is None or s.mode == mode)
                )
        found.sort(key=_BY_ID)
        return found

    async def sync(self) -> None:
        """Catch up with the database now (after writing ``subscriptions`` directly)."""
        await self._sync(force=True)

    async def changed(self, keys: Sequence[Key]) -> None:
        """Read these keys back after this process changed them, and replace them."""
        if not keys:
            return
        async with self._lock:
            if self._seen is None:
                return  # not loaded yet: the first lookup loads everything
            try:
                async with self._engine.connect() as conn:
                    await self._reload(conn, keys)
            except BaseException as exc:
                # The change is committed and logged: the next lookup catches up with it.
                self._checked = float("-inf")
                if not isinstance(exc, Exception):
                    raise

    def __len__(self) -> int:
        return sum(map(len, self._by_actor.values()))

    async def _sync(self, *, force: bool) -> None:
        async with self._lock:
            if not force and (
                self._seen is not None and time.monotonic() - self._checked < self.refresh
            ):
                return  # another task caught up while this one waited
            started = time.monotonic()
            async with self._engine.connect() as conn:
                if self._seen is None:
                    await self._load(conn)
                else:
                    await self._catch_up(conn, self._seen)
            self._checked = started

    async def _load(self, conn: AsyncConnection) -> None:
        version = (await conn.execute(select(func.max(CHANGES.c.version)))).scalar_one_or_none()
        by_actor: dict[str, list[Subscription]] = {}
        shared: dict[Any, Any] = {}
        result = await conn.stream(select(*COLUMNS).order_by(SUBSCRIPTIONS.c.id))
        async for part in result.partitions(5000):
            for row in part:
                sub = subscription(row, shared)
                subs = by_actor.get(sub.actor_id)
                if subs is None:
                    by_actor[sub.actor_id] = [sub]
                else:
                    subs.append(sub)
        self._by_actor = by_actor
        # Only the few values most subscriptions share are worth remembering for later.
        self._shared = {k: v for k, v in shared.items() if not isinstance(k, datetime)}
        self._seen = int(version or 0)

    async def _catch_up(self, conn: AsyncConnection, seen: int) -> None:
        rows = (
            await conn.execute(
                select(CHANGES).where(CHANGES.c.version > seen).order_by(CHANGES.c.version)
            )
        ).all()
        if not rows:
            return
        if rows[0].version != seen + 1 or any(r.actor_id is None for r in rows):
            await self._load(conn)
            return
        keys: list[Key] = list(
            dict.fromkeys((r.platform, r.workspace, r.subscriber, r.actor_id) for r in rows)
        )
        await self._reload(conn, keys)
        self._seen = rows[-1].version

    async def _reload(self, conn: AsyncConnection, keys: Sequence[Key]) -> None:
        fresh: list[Subscription] = []
        for start in range(0, len(keys), 200):
            part = keys[start : start + 200]
            query = select(*COLUMNS).where(
                or_(
                    *(
                        and_(
                            SUBSCRIPTIONS.c.platform == p,
                            SUBSCRIPTIONS.c.workspace == w,
                            SUBSCRIPTIONS.c.subscriber == s,
                            SUBSCRIPTIONS.c.actor_id == a,
                        )
                        for p, w, s, a in part
                    )
                )
            )
            shared = dict(self._shared)
            fresh.extend(subscription(r, shared) for r in await conn.execute(query))
        for platform, workspace, subscriber, actor_id in keys:
            subs = self._by_actor.get(actor_id)
            if subs is not None:
                subs[:] = [
                    s
                    for s in subs
                    if (s.platform, s.workspace, s.subscriber) != (platform, workspace, subscriber)
                ]
                if not subs:
                    del self._by_actor[actor_id]
        for sub in fresh:
            insort(self._by_actor.setdefault(sub.actor_id, []), sub, key=_BY_ID)
