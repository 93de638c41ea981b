"""The outbox, subscriptions and digest settings on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from briefings.store import DigestSettings, NewDelivery, Store

NOW = datetime(2026, 4, 27, 8, 0, tzinfo=UTC)


def message(key: str, target: str = "C1", **kwargs: object) -> NewDelivery:
    return NewDelivery(key, "slack", "T1", target, {"text": f"hello {key}"}, **kwargs)  # type: ignore[arg-type]


async def test_enqueue_is_insert_if_absent(store: Store) -> None:
    keys = await store.outbox.enqueue([message("a"), message("b")], now=NOW)
    assert keys == ["a", "b"]
    assert await store.outbox.enqueue([message("b"), message("c")], now=NOW) == ["c"]
    stored = await store.outbox.get("a")
    assert stored is not None
    assert (stored.state, stored.attempts, stored.payload) == ("pending", 0, {"text": "hello a"})
    assert stored.next_attempt_at == NOW and stored.created_at == NOW
    assert await store.outbox.counts() == {"pending": 3}
    assert await store.outbox.enqueue([], now=NOW) == []


async def test_claim_mark_and_retry(store: Store) -> None:
    later = NOW + timedelta(minutes=30)
    await store.outbox.enqueue(
        [message("a"), message("b"), message("c", not_before=later)], now=NOW
    )
    claimed = await store.outbox.claim_due(now=NOW, limit=10)
    assert [d.key for d in claimed] == ["a", "b"]
    assert {(d.state, d.attempts) for d in claimed} == {("claimed", 1)}
    # Leased: nobody else gets them now.
    assert await store.outbox.claim_due(now=NOW + timedelta(seconds=1)) == []
    a, b = claimed
    await store.outbox.mark_sent(a.id, now=NOW + timedelta(seconds=2))
    await store.outbox.mark_failed(b.id, "503 from Slack", retry_at=NOW + timedelta(minutes=1))
    assert await store.outbox.claim_due(now=NOW + timedelta(seconds=30)) == []
    retry = await store.outbox.claim_due(now=NOW + timedelta(minutes=1))
    assert [(d.key, d.attempts, d.last_error) for d in retry] == [("b", 2, "503 from Slack")]
    await store.outbox.mark_dead(retry[0].id, "gave up after 2 attempts")
    assert [d.key for d in await store.outbox.claim_due(now=later)] == ["c"]
    sent = await store.outbox.get("a")
    assert sent is not None and sent.state == "sent" and sent.sent_at is not None
    dead = await store.outbox.get("b")
    assert dead is not None and (dead.state, dead.last_error) == (
        "dead",
        "gave up after 2 attempts",
    )
    assert await store.outbox.counts() == {"sent": 1, "dead": 1, "claimed": 1}
    assert await store.outbox.purge(before=NOW + timedelta(seconds=1)) == 2
    assert await store.outbox.counts() == {"claimed": 1}


async def test_an_expired_lease_is_claimed_again(store: Store) -> None:
    await store.outbox.enqueue([message("a")], now=NOW)
    first = await store.outbox.claim_due(now=NOW, lease=timedelta(minutes=5))
    assert len(first) == 1
    assert await store.outbox.claim_due(now=NOW + timedelta(minutes=4)) == []
    again = await store.outbox.claim_due(now=NOW + timedelta(minutes=5))
    assert [(d.key, d.attempts) for d in again] == [("a", 2)]


async def test_claims_respect_the_limit_and_order(store: Store) -> None:
    await store.outbox.enqueue(
        [message(f"k{i}", not_before=NOW - timedelta(minutes=i)) for i in range(5)], now=NOW
    )
    claimed = await store.outbox.claim_due(now=NOW, limit=2)
    assert {d.key for d in claimed} == {"k4", "k3"}


async def test_disabled_targets_get_nothing(store: Store) -> None:
    await store.outbox.enqueue([message("a", "C1"), message("b", "C2")], now=NOW)
    killed = await store.outbox.disable_target("slack", "T1", "C1", "channel_not_found", now=NOW)
    assert killed == 1
    assert await store.outbox.disabled_reason("slack", "T1", "C1") == "channel_not_found"
    assert await store.outbox.enqueue([message("c", "C1")], now=NOW) == []
    assert [d.key for d in await store.outbox.claim_due(now=NOW)] == ["b"]
    dead = await store.outbox.get("a")
    assert dead is not None and dead.state == "dead"
    assert dead.last_error == "target disabled: channel_not_found"
    assert await store.outbox.enable_target("slack", "T1", "C1")
    assert not await store.outbox.enable_target("slack", "T1", "C1")
    assert await store.outbox.disabled_reason("slack", "T1", "C1") is None
    assert await store.outbox.enqueue([message("c", "C1")], now=NOW) == ["c"]


async def test_two_senders_never_claim_the_same_delivery(store: Store, other_store: Store) -> None:
    await store.outbox.enqueue([message(f"k{i}") for i in range(40)], now=NOW)
    claims = await asyncio.gather(
        *(s.outbox.claim_due(now=NOW, limit=7) for s in (store, other_store, store, other_store))
    )
    keys = [d.key for batch in claims for d in batch]
    assert len(keys) == 28
    assert len(set(keys)) == 28


@pytest.mark.parametrize("store_target", ["postgresql"], indirect=True)
async def test_claims_skip_rows_another_transaction_holds(store: Store) -> None:
    await store.outbox.enqueue([message(f"k{i}") for i in range(5)], now=NOW)
    async with store.engine.connect() as holder:
        await holder.begin()
        held = await holder.execute(
            text("SELECT key FROM deliveries ORDER BY id LIMIT 2 FOR UPDATE")
        )
        assert [r.key for r in held] == ["k0", "k1"]
        # Without SKIP LOCKED this would wait for the holder and time out.
        claimed = await asyncio.wait_for(store.outbox.claim_due(now=NOW, limit=10), timeout=10)
        assert [d.key for d in claimed] == ["k2", "k3", "k4"]
        await holder.rollback()
    rest = await store.outbox.claim_due(now=NOW, limit=10)
    assert [d.key for d in rest] == ["k0", "k1"]


async def test_subscriptions_crud(store: Store) -> None:
    subs = store.subscriptions
    first, created = await subs.subscribe(
        platform="slack", workspace="T1", subscriber="U1", actor_id="jnim", now=NOW
    )
    assert created and (first.mode, first.subscriber_kind, first.threshold) == (
        "instant",
        "user",
        0.0,
    )
    again, created = await subs.subscribe(
        platform="slack",
        workspace="T1",
        subscriber="U1",
        actor_id="jnim",
        mode="daily",
        now=NOW + timedelta(hours=1),
    )
    assert not created and again.id == first.id and again.mode == "daily"
    assert again.created_at == NOW
    await subs.subscribe(
        platform="slack",
        workspace="T1",
        subscriber="C9",
        actor_id="russia",
        subscriber_kind="channel",
        threshold=0.2,
        now=NOW,
    )
    await subs.subscribe(
        platform="discord", workspace="G1", subscriber="U7", actor_id="jnim", now=NOW
    )
    assert [
        s.actor_id for s in await subs.list_for(platform="slack", workspace="T1", subscriber="U1")
    ] == ["jnim"]
    matched = await subs.for_actors(["jnim", "russia", "cuba"])
    assert [(s.platform, s.subscriber, s.actor_id) for s in matched] == [
        ("slack", "U1", "jnim"),
        ("slack", "C9", "russia"),
        ("discord", "U7", "jnim"),
    ]
    assert [s.subscriber for s in await subs.for_actors(["jnim"], platform="discord")] == ["U7"]
    assert [s.subscriber for s in await subs.for_actors(["jnim"], mode="daily")] == ["U1"]
    assert await subs.for_actors([]) == []
    assert await subs.count() == 3
    assert len(await subs.all(mode="instant")) == 2
    assert await subs.unsubscribe(
        platform="slack", workspace="T1", subscriber="U1", actor_id="jnim"
    )
    assert not await subs.unsubscribe(
        platform="slack", workspace="T1", subscriber="U1", actor_id="jnim"
    )
    assert await subs.count() == 2
    with pytest.raises(ValueError, match="mode"):
        await subs.subscribe(
            platform="slack",
            workspace="T1",
            subscriber="U1",
            actor_id="x",
            mode="hourly",
            now=NOW,  # type: ignore[arg-type]
        )
    with pytest.raises(ValueError, match="threshold"):
        await subs.subscribe(
            platform="slack", workspace="T1", subscriber="U1", actor_id="x", threshold=2, now=NOW
        )


async def test_digest_settings_and_claims(store: Store) -> None:
    digests = store.digests
    settings = DigestSettings(
        "slack",
        "T1",
        "C1",
        time_of_day="07:30",
        days="mon-fri",
        timezone="America/New_York",
        actors=("jnim", "africa-corps"),
    )
    stored = await digests.put(settings, now=NOW)
    assert stored.actors == ("jnim", "africa-corps") and stored.days == "mon-fri"
    assert stored.created_at == NOW and stored.last_period is None
    assert await digests.get("slack", "T1", "C1") == stored
    assert await digests.get("slack", "T1", "nope") is None

    won = await digests.claim(
        "slack",
        "T1",
        "C1",
        "2026-04-27",
        owner="bot-a",
        now=NOW,
        deliveries=[message("digest:C1:2026-04-27")],
    )
    assert won
    lost = await digests.claim(
        "slack",
        "T1",
        "C1",
        "2026-04-27",
        owner="bot-b",
        now=NOW,
        deliveries=[message("digest:C1:2026-04-27-b")],
    )
    assert not lost
    assert await store.outbox.get("digest:C1:2026-04-27") is not None
    assert await store.outbox.get("digest:C1:2026-04-27-b") is None
    assert (await digests.get("slack", "T1", "C1")).last_period == "2026-04-27"

    changed = await digests.put(
        DigestSettings("slack", "T1", "C1", time_of_day="08:00", post_when_empty=True),
        now=NOW + timedelta(days=1),
    )
    assert changed.time_of_day == "08:00" and changed.actors == () and changed.post_when_empty
    assert changed.last_period == "2026-04-27" and changed.created_at == NOW
    assert changed.updated_at == NOW + timedelta(days=1)
    await digests.put(DigestSettings("discord", "G1", "C5", enabled=False), now=NOW)
    assert [s.channel for s in await digests.list()] == ["C5", "C1"]
    assert [s.channel for s in await digests.list(enabled_only=True)] == ["C1"]
    assert await digests.set_enabled("discord", "G1", "C5", True, now=NOW)
    assert [s.channel for s in await digests.list(platform="discord", enabled_only=True)] == ["C5"]
    assert await digests.delete("discord", "G1", "C5")
    assert not await digests.delete("discord", "G1", "C5")


async def test_concurrent_digest_claims_have_one_winner(store: Store, other_store: Store) -> None:
    await store.digests.put(DigestSettings("slack", "T1", "C1"), now=NOW)
    results = await asyncio.gather(
        *(
            s.digests.claim("slack", "T1", "C1", "2026-04-28", owner=f"p{i}", now=NOW)
            for i, s in enumerate((store, other_store, store, other_store))
        )
    )
    assert sorted(results) == [False, False, False, True]
