"""The drain's journal: ``sending`` and ``sent`` records of posts, written in group commits."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.base import Sent
from briefings.store.outbox import Outbox
from briefings.store.records import Delivery
from briefings.store.sends import BeginSend, SentRows

GATHER = 0.004
"""Seconds a running drain's journal waits before a group commit, for the records of posts
answering meanwhile to join it (fewer, larger transactions; a post starts that much later)."""


class Journal:
    """The drain's records of sends, written by one task in group commits.

    Posts run side by side; each records ``sending`` before its post and ``sent`` after.
    Rather than a transaction (and a database connection) each, the records waiting at a
    moment are written together in one transaction, and each caller resumes once its
    record is committed — so the order "recorded sending, then posted" still holds.

    Between :meth:`hold` and :meth:`release` (while the drain runs) the journal keeps one
    connection for its transactions instead of checking one out (and pinging it) for each,
    and gathers records for ``gather`` seconds before each transaction. A transaction that
    finds the connection broken (the database restarted while the drain was idle) is written
    again at once on a fresh one (the records are idempotent); any failure gives it up.

    Args:
        outbox: the store's outbox.
        gather: while held, how long records wait for others to join their transaction.
    """

    def __init__(self, outbox: Outbox, *, gather: float = GATHER) -> None:
        self._outbox = outbox
        self._gather = gather
        self._begin: list[tuple[BeginSend, asyncio.Future[bool]]] = []
        self._sent: list[tuple[SentRows, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._holding = False
        self._conn: AsyncConnection | None = None

    def hold(self) -> None:
        """Keep one connection for the transactions to come, and gather records before
        each, until :meth:`release`."""
        self._holding = True

    async def release(self) -> None:
        """Finish the transaction in flight and give the kept connection back."""
        self._holding = False
        if self._writer is not None and not self._writer.done():
            await asyncio.wait([self._writer])
        await self._drop()

    async def begin(self, rows: Sequence[Delivery], key: str, now: datetime) -> bool:
        """Record ``rows`` ``sending`` under ``key``; False when they are no longer held."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._begin.append(((rows, key, now), future))
        self._kick()
        return await future

    async def sent(self, rows: Sequence[Delivery], now: datetime, sent: Sent) -> None:
        """Record ``rows`` sent with the platform's message ids."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._sent.append((([r.id for r in rows], now, sent.message_ids), future))
        self._kick()
        await future

    def _kick(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="outbox journal")

    async def _write(self) -> None:
        while self._begin or self._sent:
            if self._holding:
                await asyncio.sleep(self._gather)
            begin, self._begin = self._begin, []
            sent, self._sent = self._sent, []
            try:
                held = await self._record([op for op, _ in begin], [op for op, _ in sent])
            except BaseException as exc:
                await self._drop()  # it may be broken: the next transaction takes another
                for _, future in (*begin, *sent):
                    if not future.done():
                        future.set_exception(exc)
                if not isinstance(exc, Exception):
                    raise
                continue
            for (_, future), ok in zip(begin, held, strict=True):
                if not future.done():
                    future.set_result(ok)
            for _, future in sent:
                if not future.done():
                    future.set_result(True)

    async def _record(self, begin: list[BeginSend], sent: list[SentRows]) -> list[bool]:
        """One transaction: on the kept connection while holding, else on a new one."""
        if not self._holding:
            return await self._outbox.record(begin=begin, sent=sent)
        if self._conn is not None:
            try:
                return await self._outbox.record(begin=begin, sent=sent, conn=self._conn)
            except DBAPIError as exc:
                if not exc.connection_invalidated:
                    raise
                await self._drop()
        self._conn = await self._outbox.connect()
        return await self._outbox.record(begin=begin, sent=sent, conn=self._conn)

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()
