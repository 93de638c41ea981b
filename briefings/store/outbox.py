"""The outbox: messages to send, each once, surviving restarts, retries and extra processes.

A delivery is enqueued with a unique key (enqueueing the same key again does nothing),
claimed by one sender at a time (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: one
writer at a time), then recorded ``sending`` under a send key *before* it is posted and
``sent`` with the platform's message ids *after*; or failed (with the time of the next
attempt) or dead. A claim is a lease: a sender that dies leaves its rows ``claimed`` or
``sending`` until the lease runs out, when another sender may claim them again. A row
claimed again with a send key is *in doubt* (the platform may have its message): the
sender must look it up before posting anything (see :mod:`bot.reconciliation`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from briefings.store.deliveries import DELIVERIES, DISABLED, delivery, enqueue_rows
from briefings.store.records import Delivery, DeliveryState, NewDelivery
from briefings.store.sends import BeginSend, SentRows, record_sends
from briefings.store.tables import dialect_insert

DEFAULT_LEASE = timedelta(minutes=5)
"""How long a claimed delivery stays with its sender before others may claim it."""

_DUE_STATES = ("pending", "failed", "claimed", "sending")


class Outbox:
    """The deliveries table as a queue.

    Args:
        engine: the store's engine for reads.
        writer: the store's engine for writes (``BEGIN IMMEDIATE`` on SQLite).
    """

    def __init__(self, engine: AsyncEngine, writer: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer
        postgres = writer.dialect.name == "postgresql"
        self._recorder = (
            writer.execution_options(isolation_level="AUTOCOMMIT") if postgres else writer
        )
        """Where :meth:`record` writes (see :mod:`briefings.store.sends`): on PostgreSQL one
        statement, which needs no transaction of its own."""

    async def enqueue(self, deliveries: Sequence[NewDelivery], *, now: datetime) -> list[str]:
        """Queue deliveries; a key already queued (or sent) is left alone.

        Args:
            deliveries: the messages to queue.
            now: the current time; a delivery without ``not_before`` is due from then.

        Returns:
            The keys that were newly queued, in the order given.
        """
        async with self._writer.begin() as conn:
            return await enqueue_rows(conn, deliveries, now)

    async def claim_due(
        self,
        *,
        now: datetime,
        limit: int = 50,
        lease: timedelta = DEFAULT_LEASE,
        platforms: Collection[str] | None = None,
        owner: str | None = None,
    ) -> list[Delivery]:
        """Claim up to ``limit`` due deliveries for this sender, oldest first.

        A delivery is due when it is pending, failed or in an expired lease and its next
        attempt time has come. Claimed rows count one more attempt (the attempt number
        fences the claim: see :meth:`begin_send`), are leased until ``now + lease`` and
        turn ``claimed`` — or stay ``sending`` when they carry a send key, i.e. are in doubt.

        Args:
            now: the current time.
            limit: how many to claim at most.
            lease: how long this sender holds them.
            platforms: only rows of these platforms (those this process serves); all
                when None.
            owner: this sender's name, recorded with the claim.
        """
        due = (
            select(DELIVERIES.c.id)
            .where(DELIVERIES.c.state.in_(_DUE_STATES), DELIVERIES.c.next_attempt_at <= now)
            .order_by(DELIVERIES.c.next_attempt_at, DELIVERIES.c.id)
            .limit(limit)
        )
        if platforms is not None:
            due = due.where(DELIVERIES.c.platform.in_(sorted(platforms)))
        async with self._writer.begin() as conn:
            if conn.dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)
            stmt = (
                update(DELIVERIES)
                .where(DELIVERIES.c.id.in_(due.scalar_subquery()))
                .values(
                    state=case((DELIVERIES.c.send_key.is_(None), "claimed"), else_="sending"),
                    attempts=DELIVERIES.c.attempts + 1,
                    next_attempt_at=now + lease,
                    claimed_by=owner,
                )
                .returning(*DELIVERIES.c)
            )
            claimed = [delivery(r) for r in await conn.execute(stmt)]
        return sorted(claimed, key=lambda d: d.id)

    async def begin_send(self, rows: Sequence[Delivery], send_key: str, *, now: datetime) -> bool:
        """Record rows as ``sending`` under ``send_key``, before their message is posted.

        Only rows still held by this claim (same id and attempt number) change.

        Args:
            rows: the rows of one message, as claimed.
            send_key: the message's idempotency key (Slack metadata, Discord nonce).
            now: when the post begins (also the end of a bundled message's window).

        Returns:
            Whether all of them were recorded (False: do not post).
        """
        if not rows:
            return True
        (held,) = await self.record(begin=[(rows, send_key, now)])
        return held

    async def connect(self) -> AsyncConnection:
        """A write connection for a run of :meth:`record` calls (a busy sender's journal):
        one check-out, and one liveness ping, rather than one a transaction. The caller
        closes it."""
        return await self._recorder.connect()

    async def record(
        self,
        *,
        begin: Sequence[BeginSend] = (),
        sent: Sequence[SentRows] = (),
        conn: AsyncConnection | None = None,
    ) -> list[bool]:
        """Record several sends in one transaction (a sender's group commit).

        Args:
            begin: messages about to be posted: their rows as claimed, send key and time
                (see :meth:`begin_send`).
            sent: messages posted: their rows' ids, the time and the platform's ids.
            conn: a connection from :meth:`connect` to record on; a new one when None.

        Returns:
            For each of ``begin``, whether all its rows were still held and are now
            ``sending`` (False: do not post it; rows of it that were still held are left
            ``sending`` under the unused key, so whoever settles them finds nothing and
            sends them again).
        """
        if conn is None:
            async with self._recorder.connect() as new:
                return await record_sends(new, begin, sent)
        return await record_sends(conn, begin, sent)

    async def mark_sent(
        self, delivery_id: int, *, now: datetime, message_ids: Sequence[str] = ()
    ) -> None:
        """Record a delivery as sent, with the platform's ids of its message(s)."""
        await self.mark_all_sent([delivery_id], now=now, message_ids=message_ids)

    async def mark_all_sent(
        self, delivery_ids: Sequence[int], *, now: datetime, message_ids: Sequence[str] = ()
    ) -> None:
        """Record the rows of one message as sent, in one transaction.

        Args:
            delivery_ids: the rows.
            now: the current time.
            message_ids: the platform's ids of the message(s) that carried them.
        """
        await self.record(sent=[(delivery_ids, now, message_ids)])

    async def mark_failed(
        self, delivery_id: int, error: str, *, retry_at: datetime, in_doubt: bool = True
    ) -> None:
        """Record a failed attempt; the delivery is due again at ``retry_at``.

        Args:
            delivery_id: the row.
            error: what went wrong.
            retry_at: when to try again.
            in_doubt: whether the attempt may have posted something (a timeout, a 5xx);
                False forgets the send key, so the next attempt posts without a look-up.
        """
        values: dict[str, Any] = {"state": "failed", "last_error": error}
        if not in_doubt:
            values["send_key"] = None
        await self._set(delivery_id, next_attempt_at=retry_at, **values)

    async def mark_dead(self, delivery_id: int, error: str) -> None:
        """Give a delivery up for good (a permanent failure, or too many attempts)."""
        await self._set(delivery_id, state="dead", last_error=error)

    async def take_back(self, owner: str, *, now: datetime) -> int:
        """Make the rows a previous run of ``owner`` held due now; how many.

        A process with a stable, unique name calls this at start: what its earlier run
        left claimed or sending is reconciled at once instead of after the lease.
        """
        async with self._writer.begin() as conn:
            result = await conn.execute(
                update(DELIVERIES)
                .where(
                    DELIVERIES.c.claimed_by == owner,
                    DELIVERIES.c.state.in_(("claimed", "sending")),
                )
                .values(next_attempt_at=now)
            )
            return int(result.rowcount)

    async def batch(self, send_key: str) -> list[Delivery]:
        """Every row that went out in the message sent under ``send_key``, oldest first."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(DELIVERIES)
                .where(DELIVERIES.c.send_key == send_key)
                .order_by(DELIVERIES.c.id)
            )
            return [delivery(r) for r in rows]

    async def _set(self, delivery_id: int, **values: Any) -> None:
        async with self._writer.begin() as conn:
            await conn.execute(
                update(DELIVERIES).where(DELIVERIES.c.id == delivery_id).values(**values)
            )

    async def get(self, key: str) -> Delivery | None:
        """The delivery with this key, if any."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(DELIVERIES).where(DELIVERIES.c.key == key))).first()
        return delivery(row) if row is not None else None

    async def counts(self) -> dict[DeliveryState, int]:
        """How many deliveries are in each state."""
        async with self._engine.connect() as conn:
            result = await conn.execute(
                select(DELIVERIES.c.state, func.count()).group_by(DELIVERIES.c.state)
            )
            return {row[0]: int(row[1]) for row in result}

    async def purge(self, *, before: datetime) -> int:
        """Delete sent and dead deliveries created before ``before``; how many."""
        async with self._writer.begin() as conn:
            result = await conn.execute(
                delete(DELIVERIES).where(
                    DELIVERIES.c.state.in_(("sent", "dead")), DELIVERIES.c.created_at < before
                )
            )
            return int(result.rowcount)

    async def disable_target(
        self, platform: str, workspace: str, target: str, reason: str, *, now: datetime
    ) -> int:
        """Stop posting to a target; its queued deliveries die. Returns how many died."""
        async with self._writer.begin() as conn:
            stmt = dialect_insert(conn.dialect.name, DISABLED)
            await conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["platform", "workspace", "target"],
                    set_={"reason": stmt.excluded.reason, "disabled_at": stmt.excluded.disabled_at},
                ),
                {
                    "platform": platform,
                    "workspace": workspace,
                    "target": target,
                    "reason": reason,
                    "disabled_at": now,
                },
            )
            result = await conn.execute(
                update(DELIVERIES)
                .where(
                    DELIVERIES.c.platform == platform,
                    DELIVERIES.c.workspace == workspace,
                    DELIVERIES.c.target == target,
                    DELIVERIES.c.state.in_(_DUE_STATES),
                )
                .values(state="dead", last_error=f"target disabled: {reason}")
            )
            return int(result.rowcount)

    async def enable_target(self, platform: str, workspace: str, target: str) -> bool:
        """Allow posting to a target again; whether it was disabled."""
        async with self._writer.begin() as conn:
            result = await conn.execute(
                delete(DISABLED).where(
                    DISABLED.c.platform == platform,
                    DISABLED.c.workspace == workspace,
                    DISABLED.c.target == target,
                )
            )
            return bool(result.rowcount)

    async def disabled_reason(self, platform: str, workspace: str, target: str) -> str | None:
        """Why a target is disabled, or None when it is not."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(DISABLED.c.reason).where(
                        DISABLED.c.platform == platform,
                        DISABLED.c.workspace == workspace,
                        DISABLED.c.target == target,
                    )
                )
            ).first()
        return row[0] if row is not None else None
