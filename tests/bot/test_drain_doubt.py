"""The drain after a crash: rows left in doubt are looked up before anything is sent again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from fakes.clock import FakeClock
from fakes.platform import Posted, RecordingPlatform
from helpers.deliveries import notice, notify

from adapters.base import DeliveryError, Found, Reachability, Sent, Target
from bot.bundles import carrier_keys, group_of, send_key
from bot.drain import Drain
from bot.faults import Faults, FaultSpecError
from bot.sections import DeliverySettings
from briefings.service.replies import Reply
from briefings.store import Delivery, Store

LEASE = 60.0


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    yield s
    await s.close()


class CountingPlatform(RecordingPlatform):
    """A recording platform that counts look-ups."""

    def __init__(self) -> None:
        super().__init__()
        self.looked: list[str] = []

    async def find(self, target: Target, reply: Reply, *, key: str, since: object) -> Found:
        self.looked.append(key)
        return await super().find(target, reply, key=key, since=since)  # type: ignore[arg-type]


def drain(
    store: Store, platform: RecordingPlatform, clock: FakeClock, owner: str = "p2", **kw: object
) -> Drain:
    settings = DeliverySettings(lease=LEASE, backoff=1, **kw)  # type: ignore[arg-type]
    return Drain(
        store.outbox, {platform.name: platform}, clock=clock, settings=settings, owner=owner
    )


async def crashed_while_sending(
    store: Store, clock: FakeClock, platform: RecordingPlatform | None, keys: list[str]
) -> list[Delivery]:
    """What a process killed mid-post leaves: rows claimed and recorded ``sending`` (their
    message on ``platform`` when one is given, as if it was killed after the post)."""
    rows = await store.outbox.claim_due(
        now=clock(), lease=timedelta(seconds=LEASE), owner="p1", limit=len(keys)
    )
    assert sorted(r.key for r in rows) == sorted(keys)
    carrier = rows[0]
    assert await store.outbox.begin_send(rows, send_key(carrier), now=clock())
    if platform is not None:
        reply: Reply = group_of(rows).reply(clock())
        target = Target("chat", carrier.workspace, carrier.target, carrier.target_kind)
        platform.posted.append(Posted(target, reply, send_key(carrier)))
    return rows


async def test_a_post_that_landed_before_the_crash_is_recorded_not_repeated(store: Store) -> None:
    clock, platform = FakeClock(), CountingPlatform()
    await store.outbox.enqueue([notice("a"), notice("b", "C2")], now=clock())
    await crashed_while_sending(store, clock, platform, ["a"])  # killed after posting "a"
    d = drain(store, platform, clock)
    first = await d.run_once()
    assert (first.claimed, first.sent) == (1, 1)  # "b"; "a" is still leased to p1
    clock.advance(seconds=LEASE)
    result = await d.run_once()
    assert (result.claimed, result.found, result.sent) == (1, 1, 0)
    assert platform.looked == ["a"]
    assert [p.key for p in platform.posted] == ["a", "b"]
    row = await store.outbox.get("a")
    assert row is not None and (row.state, row.message_ids) == ("sent", ("m1",))


async def test_a_post_that_never_landed_is_sent_once_under_a_new_key(store: Store) -> None:
    clock, platform = FakeClock(), CountingPlatform()
    await store.outbox.enqueue([notice("a")], now=clock())
    await crashed_while_sending(store, clock, None, ["a"])  # killed before the post
    clock.advance(seconds=LEASE)
    result = await drain(store, platform, clock).run_once()
    assert (result.claimed, result.sent, result.found) == (1, 1, 0)
    assert platform.looked == ["a"]
    assert [p.key for p in platform.posted] == ["a~2"]
    assert carrier_keys("a~2") == ("a~2", "a") and carrier_keys("a") == ("a",)


async def test_rows_claimed_but_not_sending_are_resent_without_a_look_up(store: Store) -> None:
    clock, platform = FakeClock(), CountingPlatform()
    await store.outbox.enqueue([notice("a")], now=clock())
    await store.outbox.claim_due(now=clock(), lease=timedelta(seconds=LEASE), owner="p1")
    clock.advance(seconds=LEASE)
    assert (await drain(store, platform, clock).run_once()).sent == 1
    assert platform.looked == []


async def test_a_bundle_is_settled_by_the_holder_of_its_first_row(store: Store) -> None:
    clock, platform = FakeClock(), CountingPlatform()
    await store.outbox.enqueue([notify(f"n{i}", f"s{i}") for i in range(3)], now=clock())
    rows = await crashed_while_sending(store, clock, platform, ["n0", "n1", "n2"])
    clock.advance(seconds=LEASE)
    # The lease ran out; the rows end up split: p2 gets the first two, p3 the last.
    p3 = drain(store, platform, clock, owner="p3", batch=1)
    held = await store.outbox.claim_due(
        now=clock(), lease=timedelta(seconds=LEASE), owner="p3", limit=3
    )
    assert [r.key for r in held] == ["n0", "n1", "n2"]
    for row in held[:2]:  # p3 gives the first two back, keeps n2 in doubt
        await store.outbox.mark_failed(row.id, "handed back", retry_at=clock())
    await store.outbox.mark_failed(held[2].id, "x", retry_at=clock() + timedelta(seconds=1))
    p2 = drain(store, platform, clock, owner="p2", batch=2)
    settled = await p2.run_once()  # holds n0 (the carrier) and n1
    assert (settled.claimed, settled.found) == (2, 2)
    clock.advance(seconds=1)
    follower = await p3.run_once()  # n2 follows its carrier: sent, never looked up
    assert (follower.claimed, follower.found) == (1, 1)
    assert platform.looked == [send_key(rows[0])]
    assert len(platform.posted) == 1
    states = {k: (await store.outbox.get(k)) for k in ("n0", "n1", "n2")}
    assert {k: r.state for k, r in states.items() if r} == dict.fromkeys(states, "sent")


async def test_a_follower_waits_while_its_carrier_is_unsettled(store: Store) -> None:
    clock, platform = FakeClock(), CountingPlatform()
    await store.outbox.enqueue([notify("n0", "s0"), notify("n1", "s1")], now=clock())
    await crashed_while_sending(store, clock, None, ["n0", "n1"])
    clock.advance(seconds=LEASE)
    rows = await store.outbox.claim_due(now=clock(), lease=timedelta(seconds=LEASE), limit=2)
    await store.outbox.mark_failed(rows[1].id, "handed back", retry_at=clock())
    # p3 holds n1 while n0 is still held (unsettled) elsewhere.
    p3 = drain(store, platform, clock, owner="p3")
    result = await p3.run_once()
    assert (result.claimed, result.released) == (1, 1)
    waiting = await store.outbox.get("n1")
    assert waiting is not None and waiting.in_doubt and waiting.next_attempt_at > clock()
    # The carrier's holder finds nothing and sends it again alone, under a new key;
    # the follower then sees its carrier moved on and is sent on its own.
    clock.advance(seconds=LEASE)
    p2 = drain(store, platform, clock, owner="p2")
    result = await p2.run_once()
    assert result.sent == 2 and len(platform.posted) == 1
    assert len(platform.posted[0].reply.items) == 2  # type: ignore[union-attr]


class BlindPlatform:
    """A platform that cannot look its posts up (like the console)."""

    def __init__(self) -> None:
        self.inner = RecordingPlatform()

    @property
    def platform(self) -> str:
        return "chat"

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        return await self.inner.publish(target, reply, key=key)

    async def reachable(self, target: Target) -> Reachability:
        return Reachability(True)


async def test_a_platform_that_cannot_look_gets_it_again(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    clock, blind = FakeClock(), BlindPlatform()
    await store.outbox.enqueue([notice("a")], now=clock())
    await crashed_while_sending(store, clock, blind.inner, ["a"])
    clock.advance(seconds=LEASE)
    settings = DeliverySettings(lease=LEASE)
    d = Drain(store.outbox, {"chat": blind}, clock=clock, settings=settings)  # type: ignore[dict-item]
    assert (await d.run_once()).sent == 1
    assert len(blind.inner.posted) == 2
    assert "cannot look deliveries up" in caplog.text


class RefusingPlatform(CountingPlatform):
    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        if not self.posted and not getattr(self, "refused", False):
            self.refused = True
            raise DeliveryError("429", permanent=False, retry_after=1, unsent=True)
        return await super().publish(target, reply, key=key)


async def test_a_refused_post_is_retried_without_a_look_up(store: Store) -> None:
    clock, platform = FakeClock(), RefusingPlatform()
    await store.outbox.enqueue([notice("a")], now=clock())
    d = drain(store, platform, clock)
    assert (await d.run_once()).failed == 1
    clock.advance(seconds=1)
    assert (await d.run_once()).sent == 1
    assert platform.looked == []


class GatedPlatform(RecordingPlatform):
    def __init__(self) -> None:
        super().__init__()
        self.inside = 0
        self.most = 0
        self.gate = asyncio.Event()

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        self.inside += 1
        self.most = max(self.most, self.inside)
        if self.most >= 3:
            self.gate.set()
        await asyncio.wait_for(self.gate.wait(), 5)
        self.inside -= 1
        return await super().publish(target, reply, key=key)


async def test_targets_are_posted_side_by_side_and_each_in_order(store: Store) -> None:
    clock, platform = FakeClock(), GatedPlatform()
    rows = [notice(f"{c}{i}", c) for i in range(3) for c in ("C1", "C2", "C3")]
    await store.outbox.enqueue(rows, now=clock())
    result = await drain(store, platform, clock, concurrency=3).run_once()
    assert result.sent == 9 and platform.most == 3
    for channel in ("C1", "C2", "C3"):
        assert [p.key for p in platform.to(channel)] == [f"{channel}{i}" for i in range(3)]


async def test_fault_points_are_passed_in_order(store: Store) -> None:
    clock, platform = FakeClock(), RecordingPlatform()
    await store.outbox.enqueue([notice("a")], now=clock())
    passed: list[str] = []
    d = Drain(store.outbox, {"chat": platform}, clock=clock, faults=passed.append, owner="p1")
    await d.run_once()
    assert passed == ["after_claim", "before_send", "after_send", "after_record"]
    assert Faults.parse("kill_after_send:3") == Faults("after_send", 3)
    with pytest.raises(FaultSpecError):
        Faults.parse("kill_somewhere:1")
    quiet = Faults("after_send", 2)
    quiet("after_send")  # the first pass is survived
    quiet("before_send")
    assert quiet.passed == 1
