"""The drain's journal: ``sending`` and ``sent`` records of posts, written in group commits."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

from adapters.base import Sent
from briefings.store.outbox import BeginSend, Outbox, SentRows
from briefings.store.records import Delivery


class Journal:
    """The drain's records of sends, written by one task in group commits.

    Posts run side by side; each records ``sending`` before its post and ``sent`` after.
    Rather than a transaction (and a database connection) each, the records waiting at a
    moment are written together in one transaction, and each caller resumes once its
    record is committed — so the order "recorded sending, then posted" still holds.
    """

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._begin: list[tuple[BeginSend, asyncio.Future[bool]]] = []
        self._sent: list[tuple[SentRows, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

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
            begin, self._begin = self._begin, []
            sent, self._sent = self._sent, []
            try:
                held = await self._outbox.record(
                    begin=[op for op, _ in begin], sent=[op for op, _ in sent]
                )
            except BaseException as exc:
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
