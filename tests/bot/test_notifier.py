"""Subscription delivery: threshold, one row per (subscriber, article), throttle, daily bundle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from fakes.clock import FakeClock
from fakes.platform import RecordingPlatform
from helpers.store_samples import make_analysis

from adapters.base import Target
from bot.drain import Drain
from bot.notifier import Notifier
from bot.sections import AdminTarget, DeliverySettings, NotificationSettings
from briefings.model import Analysis
from briefings.service.replies import Digest, Notice
from briefings.store import Delivery, Store

W = "W1"


def story(key: str, title: str, salience: dict[str, float]) -> Analysis:
    """An article ``https://example.org/<key>`` naming exactly these actors, this much."""
    return make_analysis(title, url=f"https://example.org/{key}", salience=salience)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    yield s
    await s.close()


async def _subscribe(
    store: Store, who: str, actor: str, mode: str = "instant", threshold: float = 0.0
) -> None:
    await store.subscriptions.subscribe(
        platform="chat",
        workspace=W,
        subscriber=who,
        actor_id=actor,
        mode=mode,  # type: ignore[arg-type]
        threshold=threshold,
        now=datetime(2026, 11, 1, tzinfo=UTC),
    )


class Rig:
    def __init__(self, store: Store, clock: FakeClock, **settings: object) -> None:
        self.platform = RecordingPlatform()
        self.disabled: list[Target] = []
        self.notifier = Notifier(
            store,
            clock=clock,
            settings=NotificationSettings(**settings),  # type: ignore[arg-type]
            admins=[AdminTarget("chat", W, "ADMIN")],
        )

        async def on_disabled(target: Target, reason: str, row: Delivery) -> None:
            self.disabled.append(target)
            await self.notifier.target_disabled(target, reason)

        self.drain = Drain(
            store.outbox,
            {"chat": self.platform},
            clock=clock,
            settings=DeliverySettings(),
            on_disabled=on_disabled,
        )


async def test_only_salient_enough_articles_notify(store: Store) -> None:
    clock = FakeClock()
    rig = Rig(store, clock, salience=0.2)
    await _subscribe(store, "U1", "jnim")
    await _subscribe(store, "U2", "jnim", threshold=0.6)
    passing = story("a1", "Mali junta meets donors", {"mali": 0.9, "jnim": 0.1})
    central = story("a2", "JNIM attacks a convoy", {"jnim": 0.5})
    strong = story("a3", "JNIM claims the siege", {"jnim": 0.8})
    keys = await rig.notifier.on_new([passing, central, strong], received=clock())
    assert keys == [
        "notify:chat:W1:U1:https://example.org/a2",
        "notify:chat:W1:U1:https://example.org/a3",
        "notify:chat:W1:U2:https://example.org/a3",
    ]


async def test_one_row_per_subscriber_and_article(store: Store) -> None:
    clock = FakeClock()
    rig = Rig(store, clock)
    await _subscribe(store, "U1", "jnim")
    await _subscribe(store, "U1", "mali")
    both = story("a1", "JNIM besieges Mali's capital", {"jnim": 0.7, "mali": 0.6})
    assert len(await rig.notifier.on_new([both], received=clock())) == 1
    assert await rig.notifier.on_new([both], received=clock()) == []  # a re-run adds nothing
    row = await store.outbox.get("notify:chat:W1:U1:https://example.org/a1")
    assert row is not None and row.payload["actors"] == {"jnim": "JNIM", "mali": "Mali"}


async def test_a_burst_becomes_one_message_and_messages_are_spaced(store: Store) -> None:
    clock = FakeClock()
    rig = Rig(store, clock, burst=60, min_interval=300)
    await _subscribe(store, "U1", "jnim")
    start = clock()
    for n in range(3):
        await rig.notifier.on_new(
            [story(f"b{n}", f"JNIM attack {n}", {"jnim": 0.9})], received=clock()
        )
        clock.advance(seconds=10)
    assert (await rig.drain.run_once()).claimed == 0  # the burst window is still open
    clock.set(start)
    clock.advance(seconds=60)
    assert (await rig.drain.run_once()).sent == 3
    assert len(rig.platform.posted) == 1
    burst = rig.platform.posted[0].reply
    assert isinstance(burst, Digest) and burst.title == "3 new articles on JNIM"
    assert rig.platform.posted[0].target == Target("chat", W, "U1", "user")

    clock.advance(seconds=40)  # start + 100 s: the next message waits for the interval
    await rig.notifier.on_new([story("c", "JNIM again", {"jnim": 0.9})], received=clock())
    row = await store.outbox.get("notify:chat:W1:U1:https://example.org/c")
    assert row is not None and (row.next_attempt_at - start).total_seconds() == 360
    clock.advance(seconds=200)
    assert (await rig.drain.run_once()).claimed == 0
    clock.set(start)
    clock.advance(seconds=360)
    assert (await rig.drain.run_once()).sent == 1
    assert len(rig.platform.posted) == 2


async def test_daily_subscriptions_arrive_as_one_bundle_at_the_daily_time(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 6, 0, tzinfo=UTC))
    rig = Rig(store, clock, daily_time=time(8, 0), timezone="Europe/Berlin")
    await _subscribe(store, "U1", "jnim", mode="daily")
    for n in range(2):
        await rig.notifier.on_new(
            [story(f"d{n}", f"JNIM story {n}", {"jnim": 0.9})], received=clock()
        )
        clock.advance(minutes=20)
    row = await store.outbox.get("notify:chat:W1:U1:https://example.org/d0")
    assert row is not None
    assert row.next_attempt_at == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    assert (await rig.drain.run_once()).claimed == 0
    clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=UTC))
    assert (await rig.drain.run_once()).sent == 2
    (message,) = rig.platform.posted
    assert isinstance(message.reply, Digest)
    assert message.reply.title == "Your daily update on JNIM: 2 new articles"


async def test_instant_wins_when_a_subscriber_has_both_modes(store: Store) -> None:
    clock = FakeClock()
    rig = Rig(store, clock)
    await _subscribe(store, "U1", "jnim", mode="daily")
    await _subscribe(store, "U1", "mali", mode="instant")
    await rig.notifier.on_new(
        [story("m", "JNIM and Mali", {"jnim": 0.8, "mali": 0.8})], received=clock()
    )
    row = await store.outbox.get("notify:chat:W1:U1:https://example.org/m")
    assert row is not None and row.payload["mode"] == "instant"


async def test_a_permanently_failing_target_is_disabled_and_admins_are_told(store: Store) -> None:
    clock = FakeClock()
    rig = Rig(store, clock, burst=0)
    rig.platform.gone.add("U9")
    await _subscribe(store, "U9", "jnim")
    await rig.notifier.on_new([story("x", "JNIM", {"jnim": 0.9})], received=clock())
    result = await rig.drain.run_once()
    assert result.dead == 1
    assert rig.disabled == [Target("chat", W, "U9", "user")]
    # The admin notice went through the outbox too.
    await rig.drain.run_once()
    (notice,) = rig.platform.to("ADMIN")
    assert isinstance(notice.reply, Notice)
    assert "stopped posting to chat user U9" in notice.reply.text
    # Later articles no longer queue anything for the disabled target.
    clock.advance(minutes=10)
    assert await rig.notifier.on_new([story("y", "JNIM", {"jnim": 0.9})], received=clock()) == []
    # Telling the admins twice about the same target sends once.
    assert await rig.notifier.target_disabled(Target("chat", W, "U9", "user"), "again") == []


async def test_admins_failures_are_only_logged(store: Store) -> None:
    rig = Rig(store, FakeClock())
    assert await rig.notifier.target_disabled(Target("chat", W, "ADMIN", "user"), "gone") == []


async def test_a_daily_subscription_is_bundled_at_its_own_time_and_zone(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 6, 0, tzinfo=UTC))
    rig = Rig(store, clock, daily_time=time(8, 0), timezone="Europe/Berlin")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    await store.subscriptions.subscribe(
        platform="chat", workspace=W, subscriber="U1", actor_id="jnim", mode="daily",
        daily_time="07:30", timezone="America/New_York", now=now,
    )  # fmt: skip
    await store.subscriptions.subscribe(
        platform="chat", workspace=W, subscriber="U2", actor_id="jnim", mode="daily",
        daily_time="18:15:30", now=now,
    )  # fmt: skip
    await _subscribe(store, "U3", "jnim", mode="daily")
    await rig.notifier.on_new([story("d", "JNIM story", {"jnim": 0.9})], received=clock())
    due = {}
    for who in ("U1", "U2", "U3"):
        row = await store.outbox.get(f"notify:chat:W1:{who}:https://example.org/d")
        assert row is not None
        due[who] = row.next_attempt_at
    assert due == {
        "U1": datetime(2026, 11, 23, 12, 30, tzinfo=UTC),  # 07:30 in New York (EST)
        "U2": datetime(2026, 11, 23, 17, 15, 30, tzinfo=UTC),  # 18:15:30 in Berlin (default)
        "U3": datetime(2026, 11, 23, 7, 0, tzinfo=UTC),  # 08:00 in Berlin: the defaults
    }
    clock.set(datetime(2026, 11, 23, 12, 30, tzinfo=UTC))
    assert (await rig.drain.run_once()).sent == 2
    assert {m.target.id for m in rig.platform.posted} == {"U1", "U3"}
