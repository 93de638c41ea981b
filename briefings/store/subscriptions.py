"""Subscriptions: users and channels following actors; looked up by actor in memory."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from briefings.store.records import SubscriberKind, Subscription, SubscriptionMode
from briefings.store.schema import Base
from briefings.store.subscription_index import (
    COLUMNS,
    REFRESH,
    SubscriptionIndex,
    record_change,
    subscription,
)
from briefings.store.tables import dialect_insert

SUBSCRIPTIONS: Table = Base.metadata.tables["subscriptions"]
MODES: tuple[SubscriptionMode, ...] = ("instant", "daily")


class Subscriptions:
    """Subscriptions, unique per (platform, workspace, subscriber, actor).

    Lookups by actor answer from an in-memory index
    (:mod:`briefings.store.subscription_index`): this process's changes show at once,
    other processes' within ``refresh`` seconds.

    Args:
        engine: the store's engine for reads.
        writer: the store's engine for writes.
        refresh: seconds the index is trusted before checking for other processes' changes.
    """

    def __init__(
        self, engine: AsyncEngine, writer: AsyncEngine, *, refresh: float = REFRESH
    ) -> None:
        self._engine = engine
        self._writer = writer
        self.index = SubscriptionIndex(engine, refresh=refresh)

    async def subscribe(
        self,
        *,
        platform: str,
        workspace: str,
        subscriber: str,
        actor_id: str,
        now: datetime,
        mode: SubscriptionMode = "instant",
        subscriber_kind: SubscriberKind = "user",
        threshold: float = 0.0,
        daily_time: str | None = None,
        timezone: str | None = None,
        exact: bool = False,
    ) -> tuple[Subscription, bool]:
        """Subscribe, or change the mode and threshold of an existing subscription.

        Args:
            platform: ``slack``, ``discord`` or ``console``.
            workspace: the Slack workspace or Discord guild id.
            subscriber: the user or channel id that receives the updates.
            actor_id: the actor followed.
            now: the current time (the creation time of a new subscription).
            mode: ``instant`` (one message per article) or ``daily`` (one bundle a day).
            subscriber_kind: ``user`` (direct messages) or ``channel``.
            threshold: the least salience (0-1) the actor must have in an article.
            daily_time: when a daily bundle goes out (``HH:MM[:SS]``); None for the default.
            timezone: the IANA zone of ``daily_time``; None for the default.
            exact: the actor itself only, not the members of its family.

        Returns:
            The subscription and whether it is new.

        Raises:
            ValueError: for an unknown mode or kind, or a threshold outside 0-1.
        """
        if mode not in MODES:
            raise ValueError(f"unknown subscription mode {mode!r}: use instant or daily")
        if subscriber_kind not in ("user", "channel"):
            raise ValueError(f"unknown subscriber kind {subscriber_kind!r}: use user or channel")
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold {threshold} is outside 0-1")
        key = (
            SUBSCRIPTIONS.c.platform == platform,
            SUBSCRIPTIONS.c.workspace == workspace,
            SUBSCRIPTIONS.c.subscriber == subscriber,
            SUBSCRIPTIONS.c.actor_id == actor_id,
        )
        async with self._writer.begin() as conn:
            await record_change(conn, (platform, workspace, subscriber, actor_id))
            existed = (await conn.execute(select(SUBSCRIPTIONS.c.id).where(*key))).first()
            stmt = dialect_insert(conn.dialect.name, SUBSCRIPTIONS)
            stmt = stmt.on_conflict_do_update(
                index_elements=["platform", "workspace", "subscriber", "actor_id"],
                set_={
                    "mode": stmt.excluded.mode,
                    "threshold": stmt.excluded.threshold,
                    "subscriber_kind": stmt.excluded.subscriber_kind,
                    "daily_time": stmt.excluded.daily_time,
                    "timezone": stmt.excluded.timezone,
                    "exact": stmt.excluded.exact,
                },
            )
            await conn.execute(
                stmt,
                {
                    "platform": platform,
                    "workspace": workspace,
                    "subscriber": subscriber,
                    "subscriber_kind": subscriber_kind,
                    "actor_id": actor_id,
                    "mode": mode,
                    "threshold": threshold,
                    "created_at": now,
                    "daily_time": daily_time,
                    "timezone": timezone,
                    "exact": exact,
                },
            )
            row = (await conn.execute(select(*COLUMNS).where(*key))).one()
        await self.index.changed([(platform, workspace, subscriber, actor_id)])
        return subscription(row), existed is None

    async def unsubscribe(
        self, *, platform: str, workspace: str, subscriber: str, actor_id: str
    ) -> bool:
        """Remove a subscription; whether there was one."""
        async with self._writer.begin() as conn:
            await record_change(conn, (platform, workspace, subscriber, actor_id))
            result = await conn.execute(
                delete(SUBSCRIPTIONS).where(
                    SUBSCRIPTIONS.c.platform == platform,
                    SUBSCRIPTIONS.c.workspace == workspace,
                    SUBSCRIPTIONS.c.subscriber == subscriber,
                    SUBSCRIPTIONS.c.actor_id == actor_id,
                )
            )
            removed = bool(result.rowcount)
        await self.index.changed([(platform, workspace, subscriber, actor_id)])
        return removed

    async def list_for(
        self, *, platform: str, workspace: str, subscriber: str
    ) -> list[Subscription]:
        """A subscriber's subscriptions, oldest first."""
        async with self._engine.connect() as conn:
            result = await conn.execute(
                select(*COLUMNS)
                .where(
                    SUBSCRIPTIONS.c.platform == platform,
                    SUBSCRIPTIONS.c.workspace == workspace,
                    SUBSCRIPTIONS.c.subscriber == subscriber,
                )
                .order_by(SUBSCRIPTIONS.c.created_at, SUBSCRIPTIONS.c.id)
            )
            return [subscription(r) for r in result]

    async def for_actors(
        self,
        actor_ids: Iterable[str],
        *,
        platform: str | None = None,
        mode: SubscriptionMode | None = None,
    ) -> list[Subscription]:
        """Every subscription to any of these actors, by id, from the in-memory index.

        No database round trip, except a check for other processes' changes at most once
        per ``refresh`` seconds (and loading the index the first time).

        Args:
            actor_ids: the actors of an article.
            platform: only this platform's subscriptions, when given.
            mode: only subscriptions in this mode, when given.
        """
        return await self.index.lookup(actor_ids, platform=platform, mode=mode)

    async def all(self, *, mode: SubscriptionMode | None = None) -> list[Subscription]:
        """Every subscription (for an in-memory matcher), optionally in one mode only."""
        query = select(*COLUMNS).order_by(SUBSCRIPTIONS.c.id)
        if mode is not None:
            query = query.where(SUBSCRIPTIONS.c.mode == mode)
        async with self._engine.connect() as conn:
            return [subscription(r) for r in await conn.execute(query)]

    async def count(self) -> int:
        """How many subscriptions there are."""
        async with self._engine.connect() as conn:
            return int(
                (await conn.execute(select(func.count()).select_from(SUBSCRIPTIONS))).scalar_one()
            )
