"""The outbox drain against a real SQLite store, a recording platform and a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.clock import FakeClock
from fakes.platform import RecordingPlatform
from helpers.deliveries import notice, notify, recording_drain, reply_row
from helpers.polling import eventually

from adapters.base import Sent, Target
from bot.metrics import Metrics
from briefings.service.replies import Digest, Notice, Reply
from briefings.store import NewDelivery, Store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    yield s
    await s.close()


async def test_a_delivery_is_sent_once_and_marked(store: Store) -> None:
    clock, platform, metrics = FakeClock(), RecordingPlatform(), Metrics()
    drain, _ = recording_drain(store, platform, clock, metrics=metrics)
    await store.outbox.enqueue([notice("k1")], now=clock())
    await store.outbox.enqueue([notice("k1")], now=clock())  # same key: nothing new
    result = await drain.run_once()
    assert (result.claimed, result.sent) == (1, 1)
    assert (await drain.run_once()).claimed == 0
    assert [(p.target.id, p.key) for p in platform.posted] == [("C1", "k1")]
    assert platform.posted[0].reply == Notice("info", "hello")
    row = await store.outbox.get("k1")
    assert row is not None and row.state == "sent" and row.sent_at == clock()
    assert b'briefbot_deliveries_total{state="sent"} 1.0' in metrics.render()
    assert b"briefbot_post_latency_seconds_count" in metrics.render()


async def test_a_transient_failure_is_retried_with_backoff(store: Store) -> None:
    clock, platform = FakeClock(), RecordingPlatform(busy=2)
    drain, _ = recording_drain(store, platform, clock)
    await store.outbox.enqueue([notice("k1")], now=clock())
    assert (await drain.run_once()).failed == 1
    row = await store.outbox.get("k1")
    assert row is not None and row.state == "failed" and row.last_error == "rate limited"
    assert (row.next_attempt_at - clock()).total_seconds() == 30
    clock.advance(seconds=29)
    assert (await drain.run_once()).claimed == 0
    clock.advance(seconds=1)
    assert (await drain.run_once()).failed == 1
    row = await store.outbox.get("k1")
    assert row is not None and (row.next_attempt_at - clock()).total_seconds() == 60
    clock.advance(seconds=60)
    assert (await drain.run_once()).sent == 1
    assert len(platform.posted) == 1


async def test_retry_after_wins_over_a_shorter_backoff(store: Store) -> None:
    clock, platform = FakeClock(), RecordingPlatform(busy=1, retry_after=120)
    drain, _ = recording_drain(store, platform, clock)
    await store.outbox.enqueue([notice("k1")], now=clock())
    await drain.run_once()
    row = await store.outbox.get("k1")
    assert row is not None and (row.next_attempt_at - clock()).total_seconds() == 120


async def test_a_delivery_that_keeps_failing_is_given_up(store: Store) -> None:
    clock, platform = FakeClock(), RecordingPlatform(busy=10)
    drain, _ = recording_drain(store, platform, clock)
    await store.outbox.enqueue([notice("k1")], now=clock())
    for _ in range(3):
        await drain.run_once()
        clock.advance(seconds=600)
    row = await store.outbox.get("k1")
    assert row is not None and row.state == "dead"
    assert row.last_error == "gave up after 3 attempts: rate limited"


async def test_a_permanent_failure_disables_the_target(store: Store) -> None:
    clock, platform = FakeClock(), RecordingPlatform(gone={"C9"})
    drain, disabled = recording_drain(store, platform, clock)
    await store.outbox.enqueue([notice("a", "C9"), notice("b", "C1")], now=clock())
    await store.outbox.enqueue([notice("c", "C9")], now=clock())
    result = await drain.run_once()
    assert (result.sent, result.dead) == (1, 2)
    assert disabled == [(Target("chat", "W1", "C9"), "channel C9 not found")]
    assert [p.target.id for p in platform.posted] == ["C1"]
    for key in ("a", "c"):
        row = await store.outbox.get(key)
        assert row is not None and row.state == "dead", key
    assert await store.outbox.disabled_reason("chat", "W1", "C9") == "channel C9 not found"
    assert await store.outbox.enqueue([notice("d", "C9")], now=clock()) == []


async def test_subscription_rows_of_one_target_become_one_message(store: Store) -> None:
    clock, platform = FakeClock(), RecordingPlatform()
    drain, _ = recording_drain(store, platform, clock)
    rows = [notify(f"n{i}", f"s{i}") for i in range(3)] + [notify("x", "s9", target="U2")]
    await store.outbox.enqueue(rows, now=clock())
    result = await drain.run_once()
    assert (result.claimed, result.sent) == (4, 4)
    assert [p.target.id for p in platform.posted] == ["U1", "U2"]
    bundle = platform.posted[0].reply
    assert isinstance(bundle, Digest)
    assert bundle.title == "3 new articles on JNIM"
    assert [i.story_id for i in bundle.items] == ["s0", "s1", "s2"]
    single = platform.posted[1].reply
    assert isinstance(single, Digest) and single.title == "New on JNIM"


async def test_other_platforms_wait_and_unreadable_payloads_die(store: Store) -> None:
    clock, platform = FakeClock(), RecordingPlatform()
    drain, _ = recording_drain(store, platform, clock)
    await store.outbox.enqueue(
        [
            reply_row("p", "pigeon", "W", "C", Notice("ok", "x")),
            NewDelivery("q", "chat", "W", "C", {"kind": "reply", "reply": {"type": "Nope"}}),
        ],
        now=clock(),
    )
    result = await drain.run_once()
    assert (result.claimed, result.dead) == (1, 1)
    p, q = await store.outbox.get("p"), await store.outbox.get("q")
    # A platform this process does not serve is left for a process that does.
    assert p is not None and (p.state, p.attempts) == ("pending", 0)
    assert q is not None and q.state == "dead" and "unknown reply type" in (q.last_error or "")


class SlowPlatform(RecordingPlatform):
    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        self.entered.set()
        await self.release.wait()
        return await super().publish(target, reply, key=key)


async def test_stopping_finishes_the_post_in_flight_and_requeues_the_rest(store: Store) -> None:
    clock, platform = FakeClock(), SlowPlatform()
    drain, _ = recording_drain(store, platform, clock)
    await store.outbox.enqueue([notice("a"), notice("b"), notice("c")], now=clock())
    task = asyncio.create_task(drain.run_once())
    await asyncio.wait_for(platform.entered.wait(), 5)
    stopping = asyncio.create_task(drain.stop())
    platform.release.set()
    result = await task
    await stopping
    assert (result.sent, result.released) == (1, 2)
    states = [(await store.outbox.get(k)) for k in "abc"]
    assert [s.state for s in states if s] == ["sent", "failed", "failed"]
    assert all(s.next_attempt_at == clock() for s in states[1:] if s)
    assert (await drain.run_once()).claimed == 0  # a stopped drain claims nothing


async def test_the_run_loop_wakes_up_and_stops(store: Store) -> None:
    clock, platform = FakeClock(), RecordingPlatform()
    drain, _ = recording_drain(store, platform, clock)
    loop = asyncio.create_task(drain.run())
    await store.outbox.enqueue([notice("a")], now=clock())
    drain.wake()
    assert await eventually(lambda: bool(platform.posted), 30)
    assert len(platform.posted) == 1
    await drain.stop()
    await asyncio.wait_for(loop, 5)
