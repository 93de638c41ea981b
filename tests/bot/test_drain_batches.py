"""The running drain claims its next batch before the last post of a batch has answered."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fakes.clock import FakeClock
from fakes.platform import RecordingPlatform
from helpers.deliveries import notice
from helpers.polling import eventually

from adapters.base import Sent, Target
from bot.drain import Drain
from bot.sections import DeliverySettings
from briefings.service.replies import Reply
from briefings.store import NewDelivery, Store


class HeldPlatform(RecordingPlatform):
    """Records posts; the post under a held key waits until it is let go."""

    def __init__(self, *held: str) -> None:
        super().__init__()
        self.held = set(held)
        self.waiting: set[str] = set()
        self.go = asyncio.Event()

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        if key in self.held:
            self.waiting.add(key)
            await self.go.wait()
        return await super().publish(target, reply, key=key)

    def keys(self) -> list[str]:
        return [p.key for p in self.posted]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    yield s
    await s.close()


def drain(store: Store, platform: RecordingPlatform, clock: FakeClock, *, batch: int) -> Drain:
    settings = DeliverySettings(batch=batch, concurrency=8, poll=0.05)
    return Drain(store.outbox, {platform.name: platform}, clock=clock, settings=settings)


@asynccontextmanager
async def running(d: Drain, platform: HeldPlatform) -> AsyncIterator[None]:
    """The drain's run loop, stopped (and the held posts let go) however the test ends."""
    loop = asyncio.create_task(d.run())
    try:
        yield
    finally:
        platform.go.set()
        await d.stop()
        await asyncio.wait_for(loop, 30)


def two_to_c1() -> list[NewDelivery]:
    """Six notices, two of them to C1 ("a", then "c" in the next batch of four)."""
    firsts = [notice(key, target=f"C{n}") for key, n in (("a", 1), ("b", 2), ("x", 4), ("y", 5))]
    return [*firsts, notice("c", target="C1"), notice("d", target="C3")]


async def test_the_next_batch_goes_out_while_a_slow_post_of_the_last_is_in_flight(
    store: Store,
) -> None:
    clock, platform = FakeClock(), HeldPlatform("k0")
    await store.outbox.enqueue([notice(f"k{i}", target=f"C{i}") for i in range(8)], now=clock())
    async with running(drain(store, platform, clock, batch=4), platform):
        # k0 (first batch) hangs; k1-k3 answer, and the second batch k4-k7 is posted too.
        assert await eventually(lambda: len(platform.posted) == 7, 30), platform.keys()
        assert platform.waiting == {"k0"}
        assert sorted(platform.keys()) == [f"k{i}" for i in range(1, 8)]
        platform.go.set()
        assert await eventually(lambda: len(platform.posted) == 8, 30)
    rows = [await store.outbox.get(f"k{i}") for i in range(8)]
    assert [r.state for r in rows if r] == ["sent"] * 8


async def test_a_targets_messages_stay_in_order_across_batches(store: Store) -> None:
    clock, platform = FakeClock(), HeldPlatform("a")
    await store.outbox.enqueue(two_to_c1(), now=clock())
    async with running(drain(store, platform, clock, batch=4), platform):
        # "a" hangs; the second batch is claimed, and its "d" goes out, but C1's "c" waits.
        assert await eventually(lambda: "d" in platform.keys(), 30), platform.keys()
        assert "c" not in platform.keys()
        platform.go.set()
        assert await eventually(lambda: len(platform.posted) == 6, 30)
    assert [p.key for p in platform.to("C1")] == ["a", "c"]


async def test_a_target_disabled_in_one_batch_gets_nothing_from_the_next(store: Store) -> None:
    clock, platform = FakeClock(), HeldPlatform("a")
    platform.gone.add("C1")
    await store.outbox.enqueue(two_to_c1(), now=clock())

    async def settled() -> bool:
        c = await store.outbox.get("c")
        return c is not None and c.state == "dead"

    async with running(drain(store, platform, clock, batch=4), platform):
        assert await eventually(lambda: "d" in platform.keys(), 30), platform.keys()
        platform.go.set()
        assert await eventually(settled, 30)
    a, c = await store.outbox.get("a"), await store.outbox.get("c")
    assert a is not None and "permanent failure" in (a.last_error or "")
    assert c is not None and c.last_error == "target disabled"
    assert platform.to("C1") == []
