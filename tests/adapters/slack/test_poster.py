"""The Slack poster against the loopback fake: pacing, DMs, 429s, errors and no duplicates."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator

import pytest
from fakes.slack import BOT_TOKEN, FakeSlack

from adapters.base import DeliveryError, Target
from adapters.slack.kit import Message, mrkdwn
from adapters.slack.poster import Pacer, Poster, make_client


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    await slack.start()
    slack.add_channel("C0NEWS", "news")
    slack.add_channel("C0GONE", "gone", is_archived=True)
    slack.add_channel("C0OUT", "out", is_member=False)
    slack.add_user("U0ALICE", "alice")
    slack.add_user("U0BOB", "bob")
    slack.add_user("U0OLD", "old", deleted=True)
    yield slack
    await slack.stop()


def poster_for(fake: FakeSlack, interval: float = 0.0, rate: float | None = None) -> Poster:
    pacer = Pacer(interval, rate)
    return Poster(make_client(BOT_TOKEN, fake.api_url, pacer, 3), pacer)


def msg(text: str) -> Message:
    return Message(text, ({"type": "section", "text": mrkdwn(text)},))


def channel(cid: str) -> Target:
    return Target("slack", "T0FAKE", cid)


async def test_posts_every_part_in_order_with_the_key_in_metadata(fake: FakeSlack) -> None:
    poster = poster_for(fake)
    sent = await poster.post(channel("C0NEWS"), [msg("one"), msg("two")], key="k1")
    assert len(sent.message_ids) == 2
    posted = fake.posted("C0NEWS")
    assert [p.text for p in posted] == ["one", "two"]
    meta = posted[1].raw["metadata"]
    assert meta == {"event_type": "briefbot_delivery", "event_payload": {"key": "k1", "part": 1}}
    assert posted[0].raw["unfurl_links"] is False


async def test_dm_opens_the_conversation_once_per_user(fake: FakeSlack) -> None:
    poster = poster_for(fake)
    user = Target("slack", "T0FAKE", "U0ALICE", "user")
    await poster.post(user, [msg("a")], key="d1")
    await poster.post(user, [msg("b")], key="d2")
    await poster.post(Target("slack", "T0FAKE", "U0BOB", "user"), [msg("c")], key="d3")
    assert [c.args["users"] for c in fake.calls_of("conversations.open")] == ["U0ALICE", "U0BOB"]
    assert [p.text for p in fake.posted("D0ALICE")] == ["a", "b"]


async def test_posts_to_one_channel_are_paced(fake: FakeSlack) -> None:
    fake.channel_interval = 0.15
    poster = poster_for(fake, interval=0.15)
    await poster.post(channel("C0NEWS"), [msg("1"), msg("2"), msg("3")], key="p")
    times = [p.at for p in fake.posted("C0NEWS")]
    assert len(times) == 3
    assert all(b - a >= 0.15 * 0.9 for a, b in itertools.pairwise(times))
    assert fake.rate_limited == 0


@pytest.mark.parametrize(
    ("cid", "error"),
    [("C0MISSING", "channel_not_found"), ("C0GONE", "is_archived"), ("C0OUT", "not_in_channel")],
)
async def test_permanent_errors(fake: FakeSlack, cid: str, error: str) -> None:
    with pytest.raises(DeliveryError) as info:
        await poster_for(fake).post(channel(cid), [msg("x")], key="e")
    assert info.value.permanent
    assert error in str(info.value)


async def test_deactivated_account_is_permanent(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", error="account_inactive")
    with pytest.raises(DeliveryError) as info:
        await poster_for(fake).post(channel("C0NEWS"), [msg("x")], key="e")
    assert info.value.permanent
    with pytest.raises(DeliveryError) as info:
        await poster_for(fake).post(Target("slack", "T", "U0OLD", "user"), [msg("x")], key="e")
    assert info.value.permanent


async def test_a_429_is_retried_after_retry_after(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=0)
    started = time.monotonic()
    sent = await poster_for(fake).post(channel("C0NEWS"), [msg("x")], key="r")
    assert len(sent.message_ids) == 1
    assert len(fake.calls_of("chat.postMessage")) == 2
    assert len(fake.posted("C0NEWS")) == 1
    assert time.monotonic() - started < 2.5


async def test_429_past_the_retries_is_transient_with_retry_after(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=0, times=4)
    with pytest.raises(DeliveryError) as info:
        await poster_for(fake).post(channel("C0NEWS"), [msg("x")], key="r")
    assert not info.value.permanent
    assert info.value.retry_after == 0
    assert fake.posted("C0NEWS") == []


async def test_a_5xx_whose_post_arrived_is_not_posted_again(fake: FakeSlack) -> None:
    poster = poster_for(fake)
    fake.fail("chat.postMessage", status=503, after_accept=True, channel="C0NEWS")
    with pytest.raises(DeliveryError) as info:
        await poster.post(channel("C0NEWS"), [msg("one"), msg("two")], key="u")
    assert not info.value.permanent
    assert [p.text for p in fake.posted("C0NEWS")] == ["one"]
    sent = await poster.post(channel("C0NEWS"), [msg("one"), msg("two")], key="u")
    assert [p.text for p in fake.posted("C0NEWS")] == ["one", "two"]
    assert sent.message_ids == tuple(p.ts for p in fake.posted("C0NEWS"))
    assert len(fake.calls_of("conversations.history")) == 1


async def test_a_failed_second_part_is_resumed_not_restarted(fake: FakeSlack) -> None:
    poster = poster_for(fake)
    fake.fail("chat.postMessage", error="internal_error", channel="C0NEWS", after=1)
    with pytest.raises(DeliveryError) as info:
        await poster.post(channel("C0NEWS"), [msg("one"), msg("two")], key="v")
    assert "internal_error" in str(info.value)
    assert [p.text for p in fake.posted("C0NEWS")] == ["one"]
    await poster.post(channel("C0NEWS"), [msg("one"), msg("two")], key="v")
    assert [p.text for p in fake.posted("C0NEWS")] == ["one", "two"]
    assert fake.calls_of("conversations.history") == []


async def test_reachable(fake: FakeSlack) -> None:
    poster = poster_for(fake)
    assert (await poster.reachable(channel("C0NEWS"))).ok
    for cid, words in [("C0GONE", "archived"), ("C0OUT", "invite"), ("C0NONE", "invite")]:
        result = await poster.reachable(channel(cid))
        assert not result.ok
        assert words in (result.reason or "")
    assert not (await poster.reachable(Target("slack", "T", "U0OLD", "user"))).ok
    assert (await poster.reachable(Target("slack", "T", "U0BOB", "user"))).ok


async def test_a_fan_out_keeps_to_the_workspace_rate_without_429s(fake: FakeSlack) -> None:
    fake.limit_workspace(40.0, burst=5)
    channels = [f"C0F{n:02d}" for n in range(20)]
    for cid in channels:
        fake.add_channel(cid, cid.lower())
    poster = poster_for(fake, rate=40.0)
    started = time.monotonic()
    await asyncio.gather(*(poster.post(channel(c), [msg(c)], key=c) for c in channels))
    assert time.monotonic() - started >= (20 - 5) / 40.0
    assert fake.rate_limited == 0
    assert sorted(p.channel for p in fake.posted()) == channels
