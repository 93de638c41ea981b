"""The in-memory subscription index: this process's changes at once, another's within the bound."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from helpers.polling import eventually
from sqlalchemy import delete, event, func, insert, select

from briefings.store import Store
from briefings.store.subscription_index import CHANGES, record_change
from briefings.store.subscriptions import SUBSCRIPTIONS

NOW = datetime(2026, 12, 6, 9, tzinfo=UTC)
REFRESH = 0.2
"""The refresh interval the watching store uses here: the bound under test."""
SLACK = 2.0
"""What the bound may be exceeded by on a loaded machine (query time, scheduling)."""


@pytest.fixture
async def other(store: Store, store_target: tuple[str, str | None]) -> AsyncIterator[Store]:
    """A second store on the same database, as another bot process would hold."""
    url, schema = store_target
    opened = await Store.open(url, schema=schema, migrate=False)
    opened.subscriptions.index.refresh = REFRESH
    try:
        yield opened
    finally:
        await opened.close()


async def _within(bound: float, seen: Callable[[], Awaitable[bool]]) -> float:
    """How long ``seen`` took to hold, polled; fails after ``bound`` seconds."""
    started = time.monotonic()
    assert await eventually(seen, bound), f"not seen within {bound} s"
    return time.monotonic() - started


async def _subscribe(store: Store, subscriber: str, actor_id: str, **kw: object) -> None:
    await store.subscriptions.subscribe(
        platform="slack",
        workspace="T1",
        subscriber=subscriber,
        actor_id=actor_id,
        now=NOW,
        **kw,  # type: ignore[arg-type]
    )


async def _who(store: Store, actor_id: str) -> list[tuple[str, str]]:
    return [(s.subscriber, s.mode) for s in await store.subscriptions.for_actors([actor_id])]


async def test_this_process_changes_are_matched_at_once(store: Store) -> None:
    store.subscriptions.index.refresh = 3600.0  # never relies on a refresh
    assert await _who(store, "jnim") == []  # loads the index
    await _subscribe(store, "U1", "jnim")
    assert await _who(store, "jnim") == [("U1", "instant")]
    await _subscribe(store, "U1", "jnim", mode="daily", daily_time="07:30")
    assert await _who(store, "jnim") == [("U1", "daily")]
    (sub,) = await store.subscriptions.for_actors(["jnim"])
    assert sub.daily_time == "07:30"
    await store.subscriptions.unsubscribe(
        platform="slack", workspace="T1", subscriber="U1", actor_id="jnim"
    )
    assert await _who(store, "jnim") == []


async def test_a_lookup_asks_the_database_nothing_between_refreshes(store: Store) -> None:
    store.subscriptions.index.refresh = 3600.0
    await _subscribe(store, "U1", "jnim")
    await store.subscriptions.for_actors(["jnim"])
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    engine = store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(50):
            assert await _who(store, "jnim") == [("U1", "instant")]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert statements == 0


async def test_another_process_changes_are_matched_within_the_refresh_bound(
    store: Store, other: Store
) -> None:
    await _subscribe(store, "U0", "russia")
    assert await _who(other, "russia") == [("U0", "instant")]  # loaded before the changes
    await _subscribe(store, "U1", "jnim")
    took = await _within(REFRESH + SLACK, lambda: _has(other, "jnim", ("U1", "instant")))
    await _subscribe(store, "U1", "jnim", mode="daily")
    took = max(took, await _within(REFRESH + SLACK, lambda: _has(other, "jnim", ("U1", "daily"))))
    await store.subscriptions.unsubscribe(
        platform="slack", workspace="T1", subscriber="U1", actor_id="jnim"
    )
    took = max(took, await _within(REFRESH + SLACK, lambda: _none(other, "jnim")))
    assert await _who(other, "russia") == [("U0", "instant")]
    print(f"another store saw each change within {took:.3f} s (refresh {REFRESH} s)")


async def test_changes_both_ways_and_a_bulk_change(store: Store, other: Store) -> None:
    store.subscriptions.index.refresh = REFRESH
    await store.subscriptions.for_actors([])
    await other.subscriptions.for_actors([])
    await _subscribe(other, "U2", "cuba")
    await _within(REFRESH + SLACK, lambda: _has(store, "cuba", ("U2", "instant")))
    # Rows written straight into the table, recorded as a bulk change: everything reloads.
    async with store.engine.begin() as conn:
        await record_change(conn, None)
        await conn.execute(
            insert(SUBSCRIPTIONS),
            [
                {
                    "platform": "discord",
                    "workspace": "G1",
                    "subscriber": f"U{n}",
                    "subscriber_kind": "user",
                    "actor_id": "iran",
                    "mode": "instant",
                    "threshold": 0.0,
                    "created_at": NOW,
                }
                for n in range(3)
            ],
        )
    await _within(REFRESH + SLACK, lambda: _count(other, "iran", 3))
    await _within(REFRESH + SLACK, lambda: _count(store, "iran", 3))
    assert [s.subscriber for s in await other.subscriptions.for_actors(["iran", "cuba"])] == [
        "U2",
        "U0",
        "U1",
        "U2",
    ]


async def test_a_reader_behind_the_kept_changes_reloads_everything(
    store: Store, other: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefings.store.subscription_index as index_module

    await other.subscriptions.for_actors([])
    monkeypatch.setattr(index_module, "KEEP", 2)
    for n in range(5):
        await _subscribe(store, f"U{n}", "mali")
    async with store.engine.connect() as conn:
        kept = (await conn.execute(select(func.count()).select_from(CHANGES))).scalar_one()
    assert kept == 2
    await _within(REFRESH + SLACK, lambda: _count(other, "mali", 5))


async def test_the_change_log_is_kept_short(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefings.store.subscription_index as index_module

    monkeypatch.setattr(index_module, "KEEP", 3)
    async with store.engine.begin() as conn:
        await conn.execute(delete(CHANGES))
    for n in range(6):
        await _subscribe(store, f"U{n}", "chad")
    async with store.engine.connect() as conn:
        versions = (await conn.execute(select(CHANGES.c.version))).scalars().all()
    assert sorted(versions) == [4, 5, 6]


async def _has(store: Store, actor_id: str, entry: tuple[str, str]) -> bool:
    return entry in await _who(store, actor_id)


async def _none(store: Store, actor_id: str) -> bool:
    return await _who(store, actor_id) == []


async def _count(store: Store, actor_id: str, count: int) -> bool:
    return len(await _who(store, actor_id)) == count
