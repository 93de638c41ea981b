"""Digests and subscription DMs through the Slack adapter's publish, against the fake."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

import pytest
from fakes.slack_world import NOW, SlackWorld, running_world
from helpers.replies import BIG_DIGEST
from helpers.store_samples import make_analysis

from adapters.base import Adapter, DeliveryError, Target
from briefings.service.composition import DigestFilters


def channel(cid: str) -> Target:
    return Target("slack", "T0FAKE", cid)


async def test_the_adapter_meets_the_contract(world: SlackWorld) -> None:
    assert isinstance(world.adapter, Adapter)
    assert world.adapter.platform == "slack"


async def test_a_digest_is_posted_to_the_channel(world: SlackWorld) -> None:
    digest = await world.answers.brief(timedelta(days=1))
    sent = await world.adapter.publish(channel("C0NEWS"), digest, key="digest:C0NEWS:1")
    (post,) = world.fake.posted("C0NEWS")
    assert sent.message_ids == (post.ts,)
    assert post.blocks[0]["type"] == "header"
    assert "Mali's junta faces collapse" in post.all_text()
    assert "briefbot:share:" not in post.all_text()
    assert "briefbot:subscribe:" in post.all_text()


async def test_a_subscription_update_goes_to_the_subscribers_dm(world: SlackWorld) -> None:
    await world.ask("/subscribe", "JNIM", user="U0ALICE")
    await world.ask("/subscribe", "JNIM daily", user="U0BOSS")
    article = make_analysis(
        "JNIM takes a town",
        ["JNIM attacked positions held by the army near Gao."],
        url="https://news.example/gao",
        fetched=NOW - timedelta(minutes=1),
    )
    await world.store.save(article, now=NOW)
    matched = await world.answers.match(article, platform="slack")
    assert {s.subscriber for s in matched} == {"U0ALICE", "U0BOSS"}
    update = await world.answers.brief(
        timedelta(minutes=5), DigestFilters(actors=frozenset({"jnim"})), title="New on JNIM"
    )
    for sub in matched:
        target = Target("slack", sub.workspace, sub.subscriber, "user")
        await world.adapter.publish(target, update, key=f"sub:{sub.id}:{article.article.id}")
        await world.adapter.publish(target, update, key=f"sub:{sub.id}:again")
    opened = [c.args["users"] for c in world.fake.calls_of("conversations.open")]
    assert sorted(opened) == ["U0ALICE", "U0BOSS"]
    dms = world.fake.posted("D0ALICE")
    assert len(dms) == 2
    assert "JNIM takes a town" in dms[0].all_text()
    assert dms[0].blocks[0]["text"]["text"] == "New on JNIM"


async def test_a_long_digest_is_several_paced_messages(
    sqlite_template: Path, tmp_path: Path
) -> None:
    async with running_world(sqlite_template, tmp_path, "http", channel_interval=0.1) as world:
        world.fake.channel_interval = 0.1
        sent = await world.adapter.publish(channel("C0NEWS"), BIG_DIGEST, key="big")
        posts = world.fake.posted("C0NEWS")
        assert len(posts) == len(sent.message_ids) == 4
        assert all(len(p.blocks) <= 50 for p in posts)
        assert all(b.at - a.at >= 0.09 for a, b in itertools.pairwise(posts))
        assert world.fake.rate_limited == 0
        assert world.fake.rejected == []


async def test_a_rate_limited_post_is_retried_once_posted(world: SlackWorld) -> None:
    world.fake.fail("chat.postMessage", status=429, retry_after=0)
    digest = await world.answers.brief(timedelta(days=1))
    await world.adapter.publish(channel("C0NEWS"), digest, key="k")
    assert len(world.fake.calls_of("chat.postMessage")) == 2
    assert len(world.fake.posted("C0NEWS")) == 1


@pytest.mark.parametrize(("cid", "error"), [("C0OLD", "is_archived"), ("C0QUIET", "not_in")])
async def test_a_channel_that_cannot_receive_is_a_permanent_failure(
    world: SlackWorld, cid: str, error: str
) -> None:
    digest = await world.answers.brief(timedelta(days=1))
    with pytest.raises(DeliveryError) as info:
        await world.adapter.publish(channel(cid), digest, key="k")
    assert info.value.permanent
    assert error in str(info.value)
    assert not (await world.adapter.reachable(channel(cid))).ok
    assert (await world.adapter.reachable(channel("C0NEWS"))).ok
