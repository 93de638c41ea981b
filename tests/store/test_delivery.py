"""Outbox records for exactly-once delivery, and the shared posting pace, on both backends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from briefings.store import NewDelivery, Store
from briefings.store.pace import Pace

NOW = datetime(2026, 4, 27, 8, 0, tzinfo=UTC)


def message(key: str, platform: str = "slack", target: str = "C1") -> NewDelivery:
    return NewDelivery(key, platform, "T1", target, {"text": key})


async def test_a_send_is_recorded_before_and_after(store: Store) -> None:
    await store.outbox.enqueue([message("a"), message("b")], now=NOW)
    a, b = await store.outbox.claim_due(now=NOW, owner="p1")
    assert (a.state, a.claimed_by, a.send_key, a.in_doubt) == ("claimed", "p1", None, False)
    assert await store.outbox.begin_send([a, b], "a", now=NOW)
    sending = await store.outbox.get("b")
    assert sending is not None
    assert (sending.state, sending.send_key, sending.sending_at) == ("sending", "a", NOW)
    assert sending.in_doubt
    assert [d.key for d in await store.outbox.batch("a")] == ["a", "b"]
    await store.outbox.mark_all_sent([a.id, b.id], now=NOW, message_ids=["m1", "m2"])
    sent = await store.outbox.get("a")
    assert sent is not None
    assert (sent.state, sent.message_ids, sent.in_doubt) == ("sent", ("m1", "m2"), False)


async def test_a_row_left_sending_comes_back_in_doubt(store: Store) -> None:
    await store.outbox.enqueue([message("a"), message("b")], now=NOW)
    a, b = await store.outbox.claim_due(now=NOW, lease=timedelta(seconds=30), owner="p1")
    assert await store.outbox.begin_send([a], "a", now=NOW)
    # p1 dies here. After the lease, p2 gets both: "a" in doubt, "b" provably unsent.
    assert await store.outbox.claim_due(now=NOW + timedelta(seconds=29), owner="p2") == []
    again = await store.outbox.claim_due(now=NOW + timedelta(seconds=30), owner="p2")
    assert [(d.key, d.state, d.send_key, d.attempts) for d in again] == [
        ("a", "sending", "a", 2),
        ("b", "claimed", None, 2),
    ]
    # The old claim is fenced off: p1 cannot start sending what p2 now holds.
    assert not await store.outbox.begin_send([b], "b", now=NOW)
    assert await store.outbox.begin_send([again[1]], "b#2", now=NOW)


async def test_a_failure_keeps_the_doubt_unless_nothing_was_posted(store: Store) -> None:
    await store.outbox.enqueue([message("a"), message("b")], now=NOW)
    a, b = await store.outbox.claim_due(now=NOW)
    await store.outbox.begin_send([a], "a", now=NOW)
    await store.outbox.begin_send([b], "b", now=NOW)
    await store.outbox.mark_failed(a.id, "HTTP 503", retry_at=NOW)
    await store.outbox.mark_failed(b.id, "429", retry_at=NOW, in_doubt=False)
    again = {d.key: d for d in await store.outbox.claim_due(now=NOW)}
    assert (again["a"].state, again["a"].in_doubt) == ("sending", True)
    assert (again["b"].state, again["b"].in_doubt) == ("claimed", False)


async def test_a_restarted_process_takes_its_rows_back_at_once(store: Store) -> None:
    await store.outbox.enqueue([message("a"), message("b"), message("c")], now=NOW)
    claimed = await store.outbox.claim_due(now=NOW, limit=2, owner="worker-1")
    await store.outbox.begin_send(claimed[:1], "a", now=NOW)
    assert await store.outbox.take_back("worker-2", now=NOW) == 0
    assert await store.outbox.take_back("worker-1", now=NOW + timedelta(seconds=1)) == 2
    again = await store.outbox.claim_due(now=NOW + timedelta(seconds=1), owner="worker-1")
    assert [(d.key, d.state) for d in again] == [
        ("a", "sending"),
        ("b", "claimed"),
        ("c", "claimed"),
    ]


async def test_claims_take_only_the_platforms_served(store: Store) -> None:
    await store.outbox.enqueue(
        [message("s1"), message("d1", "discord"), message("c1", "console")], now=NOW
    )
    got = await store.outbox.claim_due(now=NOW, platforms={"discord", "console"})
    assert sorted(d.key for d in got) == ["c1", "d1"]
    assert [d.key for d in await store.outbox.claim_due(now=NOW, platforms=["slack"])] == ["s1"]


async def test_pace_spaces_posts_per_scope_and_banks_a_short_burst(store: Store) -> None:
    pace = Pace(store.engine, burst=2)
    ws = ("slack:T1", 0.5)
    slots = [await pace.book([ws], now=NOW) for _ in range(5)]
    # A fresh scope lets `burst` posts go at once (their slots lie in the past), then paces.
    assert [s - NOW for s in slots] == [
        timedelta(seconds=-1),
        timedelta(seconds=-0.5),
        timedelta(0),
        timedelta(seconds=0.5),
        timedelta(seconds=1),
    ]
    # A post counts against every scope it names: the later slot wins.
    busy = ("slack:T1:C1", 10.0)
    both = await pace.book([ws, busy], now=NOW)
    assert both == NOW + timedelta(seconds=1.5)
    after = await pace.book([busy], now=NOW)
    assert after == NOW + timedelta(seconds=11.5)
    assert await pace.purge(before=NOW + timedelta(seconds=5)) == 1


async def test_pace_is_shared_by_concurrent_bookers(store: Store, other_store: Store) -> None:
    paces = [Pace(store.engine, burst=0), Pace(other_store.engine, burst=0)]
    slots = await asyncio.gather(
        *(paces[i % 2].book([("slack:T9", 0.1)], now=NOW) for i in range(20))
    )
    assert sorted(slots) == [NOW + timedelta(seconds=0.1 * i) for i in range(20)]


async def test_pace_books_several_slots_at_once(store: Store) -> None:
    pace = Pace(store.engine, burst=0)
    first = await pace.book([("slack:T2", 0.25)], now=NOW, count=4)
    after = await pace.book([("slack:T2", 0.25)], now=NOW)
    assert (first, after) == (NOW, NOW + timedelta(seconds=1))
    both = await pace.book([("slack:T2", 0.25), ("slack:T2:C1", 1.0)], now=NOW, count=2)
    assert both == NOW + timedelta(seconds=1.25)
    assert await pace.book([("slack:T2:C1", 1.0)], now=NOW) == NOW + timedelta(seconds=3.25)


async def test_a_hold_pushes_every_later_slot_back(store: Store) -> None:
    pace = Pace(store.engine, burst=0)
    assert await pace.book([("slack:T3", 0.5)], now=NOW) == NOW
    await pace.hold("slack:T3", until=NOW + timedelta(seconds=10))
    await pace.hold("slack:T3", until=NOW + timedelta(seconds=4))  # an earlier hold: no-op
    assert await pace.book([("slack:T3", 0.5)], now=NOW) == NOW + timedelta(seconds=10)
    await pace.hold("slack:T4", until=NOW + timedelta(seconds=3))
    assert await pace.book([("slack:T4", 0.5)], now=NOW) == NOW + timedelta(seconds=3)
