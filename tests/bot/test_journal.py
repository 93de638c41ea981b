"""The drain's journal: while held, its group commits share one database connection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from fakes.clock import FakeClock
from helpers.deliveries import notice
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from adapters.base import Sent
from bot.journal import Journal
from briefings.store import Delivery, Store


class Checkouts:
    """The DBAPI connections the store's pool hands out, in order."""

    def __init__(self, store: Store) -> None:
        self.connections: list[Any] = []
        event.listen(store.engine.sync_engine, "checkout", self._seen)

    def _seen(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        self.connections.append(dbapi_connection)


async def claimed(store: Store, clock: FakeClock, n: int) -> list[Delivery]:
    await store.outbox.enqueue([notice(f"k{i}", target=f"C{i}") for i in range(n)], now=clock())
    return await store.outbox.claim_due(now=clock(), limit=n)


async def post_each(journal: Journal, rows: list[Delivery], clock: FakeClock) -> None:
    """Record each row sending, then sent, one transaction after another."""
    for row in rows:
        assert await journal.begin([row], f"s-{row.key}", clock())
        await journal.sent([row], clock(), Sent((f"m-{row.key}",)))


async def test_a_held_journal_writes_every_transaction_on_one_connection(store: Store) -> None:
    clock = FakeClock()
    rows = await claimed(store, clock, 6)
    journal = Journal(store.outbox)
    checkouts = Checkouts(store)
    journal.hold()
    await post_each(journal, rows[:3], clock)
    assert len(checkouts.connections) == 1  # 6 transactions, one check-out
    await journal.release()
    assert store.engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    # Not held (a one-off pass): a connection each transaction, as before.
    await post_each(journal, rows[3:], clock)
    assert len(checkouts.connections) == 1 + 6
    for row in rows:
        done = await store.outbox.get(row.key)
        assert done is not None and done.state == "sent", row.key
        assert done.message_ids == (f"m-{row.key}",)


@pytest.fixture
async def pg_store(pg_url: str, pg_session_schema: str) -> AsyncIterator[Store]:
    """An open store on PostgreSQL (a server-side disconnect needs a server)."""
    opened = await Store.open(pg_url, schema=pg_session_schema, migrate=False)
    async with opened.engine.begin() as conn:
        await conn.execute(text("DELETE FROM deliveries"))
    try:
        yield opened
    finally:
        await opened.close()


async def test_a_held_connection_found_broken_is_replaced_and_the_record_written(
    pg_store: Store,
) -> None:
    store = pg_store
    clock = FakeClock()
    rows = await claimed(store, clock, 2)
    journal = Journal(store.outbox)
    checkouts = Checkouts(store)
    journal.hold()
    try:
        await post_each(journal, rows[:1], clock)
        kept = checkouts.connections[0]._connection.get_server_pid()
        # The server ends the kept connection (a restart while the drain was idle).
        url = make_url(str(store.engine.url)).set(drivername="postgresql")
        admin = await asyncpg.connect(url.render_as_string(hide_password=False))
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", kept)
        finally:
            await admin.close()
        await post_each(journal, rows[1:], clock)
    finally:
        await journal.release()
    assert len(checkouts.connections) == 2
    done = await store.outbox.get(rows[1].key)
    assert done is not None and done.state == "sent"


class Statements:
    """The journal's write statements the store's engine executes."""

    def __init__(self, store: Store) -> None:
        self.count = 0
        event.listen(store.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().startswith(("UPDATE deliveries SET state", "WITH began")):
            self.count += 1


async def test_a_held_journal_gathers_records_arriving_meanwhile_into_one_commit(
    store: Store,
) -> None:
    clock = FakeClock()
    rows = await claimed(store, clock, 2)
    journal = Journal(store.outbox, gather=0.5)
    statements = Statements(store)
    journal.hold()
    try:
        first = asyncio.ensure_future(journal.begin(rows[:1], "s-k0", clock()))
        for _ in range(3):  # the writer has started, and waits for more
            await asyncio.sleep(0)
        second = asyncio.ensure_future(journal.begin(rows[1:], "s-k1", clock()))
        assert await first and await second
    finally:
        await journal.release()
    assert statements.count == 1
