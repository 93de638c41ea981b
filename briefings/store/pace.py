"""A posting pace shared by every bot process on one database: the next free slot per scope.

A scope is anything a platform limits, such as a Slack workspace (``slack:T0123``) or one
channel in it. Its row holds the earliest time the next post may go out. Booking a post
locks the rows of its scopes (PostgreSQL: ``SELECT … FOR UPDATE``; SQLite: the write lock),
takes the latest of their times as the post's slot and moves each scope on by its step, in
one transaction: processes queue for slots through the database, with no protocol of
their own. A scope left idle builds up at most ``burst`` steps of credit, so a quiet
workspace may post a short burst at once and then falls back to the steady pace.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam, case, column, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from briefings.store.engine import writer
from briefings.store.schema import Base, UTCDateTime
from briefings.store.tables import dialect_insert

PACE: Table = Base.metadata.tables["post_pace"]

_BOOK_ONE = text(
    "INSERT INTO post_pace (scope, next_at) VALUES (:scope, :first)"
    " ON CONFLICT (scope) DO UPDATE"
    " SET next_at = GREATEST(post_pace.next_at, :floor) + :span"
    " RETURNING next_at - :span"
).columns(column("slot", UTCDateTime()))

Scope = tuple[str, float]
"""A scope's name and its step: the least time, in seconds, between two of its posts."""


class Pace:
    """The ``post_pace`` table as a shared rate limiter.

    Args:
        engine: the store's engine.
        burst: how many steps of unused time a scope may bank.
    """

    def __init__(self, engine: AsyncEngine, *, burst: int = 2) -> None:
        self._writer = writer(engine)
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._postgres = engine.dialect.name == "postgresql"
        self.burst = burst

    async def book(self, scopes: Sequence[Scope], *, now: datetime, count: int = 1) -> datetime:
        """Book the next ``count`` slots free in every one of ``scopes``.

        Args:
            scopes: (name, step in seconds) of each limit the posts count against.
            now: the current time (UTC; the processes' clocks should agree).
            count: how many posts to book at once (the n-th may go out n-1 steps after
                the first).

        Returns:
            When the first post may be sent: ``now`` or earlier means at once.
        """
        if not scopes:
            return now
        if len(scopes) == 1 and self._postgres:
            name, step = scopes[0]
            return await self._book_one(name, step, now=now, count=count)
        steps = {name: timedelta(seconds=step) for name, step in scopes}
        names = sorted(steps)
        async with self._writer.begin() as conn:
            seed = dialect_insert(conn.dialect.name, PACE).on_conflict_do_nothing(
                index_elements=["scope"]
            )
            await conn.execute(
                seed, [{"scope": n, "next_at": now - self.burst * steps[n]} for n in names]
            )
            query = select(PACE.c.scope, PACE.c.next_at).where(PACE.c.scope.in_(names))
            if conn.dialect.name == "postgresql":
                query = query.order_by(PACE.c.scope).with_for_update()
            booked: dict[str, datetime] = {
                row.scope: row.next_at for row in await conn.execute(query)
            }
            slot: datetime = max(max(booked[n], now - self.burst * steps[n]) for n in names)
            await conn.execute(
                update(PACE)
                .where(PACE.c.scope == bindparam("name"))
                .values(next_at=bindparam("at")),
                [{"name": n, "at": slot + count * steps[n]} for n in names],
            )
        return slot

    async def _book_one(self, name: str, step: float, *, now: datetime, count: int) -> datetime:
        """One scope on PostgreSQL: the same booking as one upsert (one round trip)."""
        gap = timedelta(seconds=step)
        floor = now - self.burst * gap
        span = count * gap
        async with self._autocommit.connect() as conn:
            slot: datetime = (
                await conn.execute(
                    _BOOK_ONE, {"scope": name, "floor": floor, "span": span, "first": floor + span}
                )
            ).scalar_one()
        return slot

    async def hold(self, scope: str, *, until: datetime) -> None:
        """Give no slot of ``scope`` before ``until`` (the platform answered 429 to one
        process: every process waits it out).

        Args:
            scope: the scope's name.
            until: the earliest time of its next slot.
        """
        async with self._writer.begin() as conn:
            stmt = dialect_insert(conn.dialect.name, PACE)
            await conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["scope"],
                    set_={
                        "next_at": case(
                            (PACE.c.next_at < stmt.excluded.next_at, stmt.excluded.next_at),
                            else_=PACE.c.next_at,
                        )
                    },
                ),
                {"scope": scope, "next_at": until},
            )

    async def purge(self, *, before: datetime) -> int:
        """Forget scopes whose next slot is older than ``before`` (idle ones); how many."""
        async with self._writer.begin() as conn:
            result = await conn.execute(PACE.delete().where(PACE.c.next_at < before))
            return int(result.rowcount)
