"""Posting through discord.py to a fake Discord: channels, forums, DMs, failures, rate limits."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
import pytest
from fakes.discord import RateLimits
from fakes.discord_setup import NOW, Bot, running_bot, settings_for
from fakes.discord_world import NEWS, SEND_MESSAGES, VIEW_CHANNEL, FakeChannel
from helpers.polling import eventually

from adapters.base import Adapter, DeliveryError, Target
from adapters.discord.channels import Channels
from adapters.discord.pacing import Pacer
from adapters.discord.poster import nonce
from adapters.discord.render import render, thread_name
from briefings.service.replies import Digest, DigestItem, Notice, SourceLink
from briefings.store import Store
from briefings.store.channels import ChannelKinds

EPHEMERAL = 64


def target(bot: Bot, channel: FakeChannel | int, kind: str = "channel") -> Target:
    cid = channel if isinstance(channel, int) else channel.id
    return Target("discord", str(bot.guild.id), str(cid), kind)  # type: ignore[arg-type]


async def digest(bot: Bot) -> Digest:
    return await bot.answers.brief(timedelta(days=1), title="Sahel watch")


def big_digest(stories: int = 24) -> Digest:
    items = tuple(
        DigestItem(
            f"s{i}",
            f"Story {i}",
            "Long summary. " * 150,
            ("A key point.",),
            (),
            (SourceLink("Source", f"https://news.example/{i}"),),
            1,
            None,
        )
        for i in range(stories)
    )
    return Digest("Sahel watch", NOW - timedelta(days=1), NOW, items)


def text_of(messages: list[dict[str, Any]]) -> str:
    out = []
    for message in messages:
        out.append(message["content"])
        for embed in message["embeds"]:
            out += [embed.get("title", ""), embed.get("description", "")]
            out += [f["value"] for f in embed.get("fields", [])]
    return "\n".join(out)


def assert_pings_nobody(message: dict[str, Any]) -> None:
    assert message["allowed_mentions"] == {"parse": []}
    assert message["mention_everyone"] is False
    assert message["mentions"] == [] and message["mention_roles"] == []


async def test_the_adapter_satisfies_the_contract(bot: Bot) -> None:
    assert isinstance(bot.adapter, Adapter)
    assert bot.adapter.platform == "discord"


async def test_a_digest_goes_to_a_text_channel_with_nonces_and_no_mentions(bot: Bot) -> None:
    reply = await digest(bot)
    sent = await bot.adapter.publish(target(bot, bot.text), reply, key="digest:1")
    posts = bot.fake.posts(bot.text)
    assert [p["id"] for p in posts] == list(sent.message_ids)
    assert len(posts) == len(render(reply))
    assert [p["nonce"] for p in posts] == [nonce("digest:1", i) for i in range(len(posts))]
    bodies = [r.body for r in bot.fake.requests if r.path == f"channels/{bot.text.id}/messages"]
    assert all(b["enforce_nonce"] is True for b in bodies)
    assert "@everyone" in text_of(posts)
    for post in posts:
        assert not post["flags"] & EPHEMERAL
        assert_pings_nobody(post)


async def test_the_same_delivery_twice_posts_once(bot: Bot) -> None:
    reply = await digest(bot)
    first = await bot.adapter.publish(target(bot, bot.text), reply, key="digest:again")
    second = await bot.adapter.publish(target(bot, bot.text), reply, key="digest:again")
    assert first == second
    assert len(bot.fake.posts(bot.text)) == len(first.message_ids)


async def test_announcement_posts_are_published_to_followers(bot: Bot) -> None:
    sent = await bot.adapter.publish(target(bot, bot.news), await digest(bot), key="news:1")
    assert [str(i) for i in bot.fake.crossposted] == list(sent.message_ids)
    assert all(p["flags"] & 1 for p in bot.fake.posts(bot.news))


async def test_a_forum_gets_one_post_per_digest(bot: Bot) -> None:
    reply = await digest(bot)
    sent = await bot.adapter.publish(target(bot, bot.forum), reply, key="forum:1")
    [thread] = bot.fake.threads(bot.forum)
    assert thread.name == thread_name(reply) == "Sahel watch — 2026-04-27"
    assert [p["id"] for p in bot.fake.posts(thread)] == list(sent.message_ids)
    for post in bot.fake.posts(thread):
        assert_pings_nobody(post)
    await bot.fake.until(lambda: bot.adapter.client.get_channel(thread.id) is not None)
    again = await bot.adapter.publish(target(bot, bot.forum), reply, key="forum:1")
    assert len(bot.fake.threads(bot.forum)) == 1
    assert again.message_ids[0] == str(thread.id)
    other = Digest("Red Sea watch", reply.start, reply.end, reply.items)
    await bot.adapter.publish(target(bot, bot.forum), other, key="forum:2")
    assert sorted(t.name for t in bot.fake.threads(bot.forum)) == [
        "Red Sea watch — 2026-04-27",
        "Sahel watch — 2026-04-27",
    ]


async def test_a_long_digest_continues_inside_its_forum_post(bot: Bot) -> None:
    reply = big_digest()
    sent = await bot.adapter.publish(target(bot, bot.forum), reply, key="forum:big")
    [thread] = bot.fake.threads(bot.forum)
    posts = bot.fake.posts(thread)
    assert len(posts) == len(render(reply)) == len(sent.message_ids) > 2
    assert [p["nonce"] for p in posts[1:]] == [nonce("forum:big", i) for i in range(1, len(posts))]
    assert bot.fake.posts(bot.forum) == []


async def test_a_subscription_update_goes_to_a_dm(bot: Bot) -> None:
    notice = Notice("info", "New on JNIM: @everyone look at this")
    sent = await bot.adapter.publish(target(bot, bot.alice.id, "user"), notice, key="dm:1")
    channel = bot.fake.dm_channel(bot.alice)
    assert channel is not None
    [post] = bot.fake.posts(channel)
    assert [post["id"]] == list(sent.message_ids)
    assert "New on JNIM" in text_of([post])
    assert_pings_nobody(post)
    assert (await bot.adapter.reachable(target(bot, bot.alice.id, "user"))).ok


async def test_a_user_who_refuses_dms_fails_permanently(bot: Bot) -> None:
    bot.alice.dms_closed = True
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.publish(target(bot, bot.alice.id, "user"), Notice("info", "x"), key="d")
    assert caught.value.permanent
    assert "direct messages" in str(caught.value)


async def test_a_deleted_channel_fails_permanently(bot: Bot) -> None:
    await bot.fake.delete_channel(bot.text)
    await bot.fake.until(lambda: bot.adapter.client.get_channel(bot.text.id) is None)
    reach = await bot.adapter.reachable(target(bot, bot.text))
    assert not reach.ok and "does not exist" in (reach.reason or "")
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.publish(target(bot, bot.text), await digest(bot), key="gone")
    assert caught.value.permanent


async def test_a_channel_deleted_behind_the_cache_fails_permanently(bot: Bot) -> None:
    await bot.fake.delete_channel(bot.text, tell=False)
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.publish(target(bot, bot.text), await digest(bot), key="stale")
    assert caught.value.permanent and "no longer exists" in str(caught.value)


async def test_missing_access_fails_permanently_and_reachable_says_why(bot: Bot) -> None:
    bot.text.deny(bot.fake.bot_role(bot.guild), VIEW_CHANNEL)
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.publish(target(bot, bot.text), await digest(bot), key="hidden")
    assert caught.value.permanent and "Missing Access" in str(caught.value)
    await bot.fake.update_channel(bot.text)
    await bot.fake.until(
        lambda: (
            not bot.adapter.client.get_channel(bot.text.id)
            .permissions_for(  # type: ignore[union-attr]
                bot.adapter.client.get_guild(bot.guild.id).me  # type: ignore[union-attr,arg-type]
            )
            .view_channel
        )
    )
    reach = await bot.adapter.reachable(target(bot, bot.text))
    assert not reach.ok and "View Channel" in (reach.reason or "")


async def test_missing_send_permission_fails_permanently_without_asking(bot: Bot) -> None:
    bot.news.deny(bot.fake.bot_role(bot.guild), SEND_MESSAGES)
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.publish(target(bot, bot.news), await digest(bot), key="mute")
    assert caught.value.permanent and "Missing Permissions" in str(caught.value)
    assert bot.fake.invalid_requests == 1
    await bot.fake.update_channel(bot.news)
    news = bot.adapter.client.get_channel(bot.news.id)
    guild = bot.adapter.client.get_guild(bot.guild.id)
    assert news is not None and guild is not None and guild.me is not None
    await bot.fake.until(lambda: not news.permissions_for(guild.me).send_messages)  # type: ignore[union-attr, arg-type]
    with pytest.raises(DeliveryError) as again:
        await bot.adapter.publish(target(bot, bot.news), await digest(bot), key="mute")
    assert again.value.permanent and "needs Send Messages" in str(again.value)
    assert bot.fake.invalid_requests == 1  # the cache answered: no second 403
    reach = await bot.adapter.reachable(target(bot, bot.news))
    assert not reach.ok and "Send Messages" in (reach.reason or "")
    assert (await bot.adapter.reachable(target(bot, bot.text))).ok


async def test_a_rate_limited_post_is_retried_and_delivered_once(bot: Bot) -> None:
    bot.fake.fail("POST", rf"^channels/{bot.text.id}/messages$", 429, retry_after=0.05)
    reply = await digest(bot)
    await bot.adapter.publish(target(bot, bot.text), reply, key="rl")
    assert bot.fake.rate_limited == 1
    assert len(bot.fake.posts(bot.text)) == len(render(reply))


async def test_a_long_rate_limit_fails_for_a_later_retry(bot: Bot) -> None:
    bot.fake.fail("POST", rf"^channels/{bot.text.id}/messages$", 429, retry_after=45.0)
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.publish(target(bot, bot.text), await digest(bot), key="rl-long")
    assert not caught.value.permanent
    assert caught.value.retry_after == pytest.approx(45.0)
    assert bot.fake.posts(bot.text) == []


async def test_a_server_error_fails_for_a_later_retry(bot: Bot) -> None:
    bot.fake.fail("POST", rf"^channels/{bot.text.id}/messages$", 503)
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.publish(target(bot, bot.text), await digest(bot), key="5xx")
    assert not caught.value.permanent and "503" in str(caught.value)


async def test_a_passing_500_is_retried_by_the_client(bot: Bot) -> None:
    bot.fake.fail("POST", rf"^channels/{bot.text.id}/messages$", 500)
    reply = await digest(bot)
    await bot.adapter.publish(target(bot, bot.text), reply, key="500")
    assert len(bot.fake.posts(bot.text)) == len(render(reply))


async def test_per_channel_limits_are_waited_out_in_order(
    tmp_path: Path, sqlite_template: Path
) -> None:
    async with running_bot(
        tmp_path, template=sqlite_template, rate_limits=RateLimits(per_channel=(2, 0.2))
    ) as bot:
        reply = big_digest()
        await bot.adapter.publish(target(bot, bot.text), reply, key="paced")
        posts = bot.fake.posts(bot.text)
        assert [p["nonce"] for p in posts] == [nonce("paced", i) for i in range(len(posts))]
        assert len(posts) == len(render(reply)) > 2
        assert bot.fake.rate_limited == 0
        assert bot.fake.violations == []


async def test_fanout_stays_under_the_global_limit(tmp_path: Path, sqlite_template: Path) -> None:
    async with running_bot(
        tmp_path,
        template=sqlite_template,
        rate_limits=RateLimits(global_per_second=5),
        # The fake counts a request when this test's own event loop gets to it: on a loaded
        # machine that can be long after it was sent, and the margin must cover it.
        settings=lambda fake: settings_for(fake, requests_per_second=5, rate_margin=0.25),
    ) as bot:
        fake = bot.fake
        channels = [await fake.create_channel(bot.guild, f"c{i}") for i in range(9)]
        await fake.until(lambda: all(bot.adapter.client.get_channel(c.id) for c in channels))
        await fake.until(lambda: fake.global_window_left() == 0)  # start-up traffic counted
        notice = Notice("info", "Hello")
        await asyncio.gather(
            *(bot.adapter.publish(target(bot, c), notice, key=f"fan:{c.id}") for c in channels)
        )
        assert all(len(bot.fake.posts(c)) == 1 for c in channels)
        assert bot.fake.rate_limited == 0


async def test_publishing_while_stopped_is_a_transient_failure(bot: Bot) -> None:
    await bot.adapter.stop()
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.publish(target(bot, bot.text), Notice("info", "x"), key="off")
    assert not caught.value.permanent


def test_nonces_are_short_stable_and_distinct() -> None:
    assert nonce("k", 0) == nonce("k", 0)
    assert len({nonce("k", i) for i in range(50)} | {nonce("j", 0)}) == 51
    assert all(len(nonce("x" * 500, i)) <= 25 for i in range(3))
    long = Digest("T" * 200, datetime(2026, 4, 26, tzinfo=UTC), NOW, ())
    assert len(thread_name(long)) == 100
    assert thread_name(Notice("ok", "done")) == "briefbot"


async def test_a_post_that_arrived_despite_an_error_is_not_repeated_on_retry(bot: Bot) -> None:
    bot.fake.fail("POST", rf"^channels/{bot.text.id}/messages$", 503, after_accept=True)
    reply = await digest(bot)
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.publish(target(bot, bot.text), reply, key="once")
    assert not caught.value.permanent
    assert len(bot.fake.posts(bot.text)) == 1  # it did arrive
    sent = await bot.adapter.publish(target(bot, bot.text), reply, key="once")
    posts = bot.fake.posts(bot.text)
    assert len(posts) == len(render(reply)) == len(sent.message_ids)
    assert [p["id"] for p in posts] == list(sent.message_ids)


async def test_the_process_holding_a_guild_shares_its_channel_kinds(
    tmp_path: Path, sqlite_template: Path
) -> None:
    async with running_bot(tmp_path, template=sqlite_template, share_kinds=True) as bot:
        kinds = ChannelKinds(bot.store.engine)
        ids = [str(c.id) for c in (bot.text, bot.news, bot.forum)]
        assert await eventually(lambda: _known(kinds, ids, 3))
        assert await kinds.recall("discord", ids) == dict(zip(ids, ["text", "news", "forum"]))
        late = await bot.fake.create_channel(bot.guild, "late-news", NEWS)
        assert await eventually(lambda: _known(kinds, [str(late.id)], 1))
        await bot.fake.delete_channel(late)
        assert await eventually(lambda: _known(kinds, [str(late.id)], 0))


async def test_ready_waits_until_the_channel_kinds_are_in_the_store() -> None:
    """The kinds of a guild are shared in a task of their own (discord.py dispatches
    guild events so): :meth:`Channels.shared` returns once they are in the store."""

    class SlowKinds:
        def __init__(self) -> None:
            self.gate = asyncio.Event()
            self.kinds: dict[str, str] = {}

        async def remember(self, platform: str, kinds: Mapping[str, str], *, now: Any) -> None:
            await self.gate.wait()
            self.kinds |= kinds

        async def recall(self, platform: str, channels: Sequence[str]) -> dict[str, str]:
            return {c: self.kinds[c] for c in channels if c in self.kinds}

        async def forget(self, platform: str, channel: str) -> None:
            self.kinds.pop(channel, None)

    store = SlowKinds()
    channels = Channels(Any, Pacer(50), store)  # type: ignore[arg-type]
    news = SimpleNamespace(id=7, type=discord.ChannelType.news)
    sharing = asyncio.ensure_future(channels.share_kinds([news]))
    await asyncio.sleep(0)  # the guild event's task has begun writing
    waiting = asyncio.ensure_future(channels.shared())
    for _ in range(5):
        await asyncio.sleep(0)
    assert not waiting.done() and store.kinds == {}
    store.gate.set()
    await asyncio.wait_for(waiting, timeout=5.0)
    assert store.kinds == {"7": "news"}
    await sharing
    await asyncio.wait_for(channels.shared(), timeout=1.0)  # nothing pending: at once


async def _known(kinds: ChannelKinds, ids: list[str], count: int) -> bool:
    return len(await kinds.recall("discord", ids)) == count


async def test_a_channel_another_process_knows_is_posted_to_without_a_fetch(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """A channel this process's gateway never told it of (another shard holds its guild)."""
    async with running_bot(tmp_path, template=sqlite_template, share_kinds=True) as bot:
        kinds = ChannelKinds(bot.store.engine)
        elsewhere = bot.fake.add_channel(bot.guild, "elsewhere", NEWS)  # no CHANNEL_CREATE
        unknown = bot.fake.add_channel(bot.guild, "unknown")
        assert bot.adapter.client.get_channel(elsewhere.id) is None
        await kinds.remember("discord", {str(elsewhere.id): "news"}, now=NOW)
        reply = await digest(bot)
        sent = await bot.adapter.publish(target(bot, elsewhere), reply, key="shared:1")
        fetches = [r for r in bot.fake.requests if r.method == "GET" and "channels/" in r.path]
        assert fetches == []
        assert [p["id"] for p in bot.fake.posts(elsewhere)] == list(sent.message_ids)
        assert [str(i) for i in bot.fake.crossposted] == list(sent.message_ids)  # news: published
        # a channel nobody described is fetched once, and its kind shared with the others
        await bot.adapter.publish(target(bot, unknown), reply, key="shared:2")
        await bot.adapter.publish(target(bot, unknown), reply, key="shared:3")
        fetches = [r for r in bot.fake.requests if r.method == "GET" and "channels/" in r.path]
        assert [r.path for r in fetches] == [f"channels/{unknown.id}"]
        assert await kinds.recall("discord", [str(unknown.id)]) == {str(unknown.id): "text"}


async def test_channel_kinds_are_kept_per_platform_and_updated(tmp_path: Path) -> None:
    store = await Store.open(str(tmp_path / "kinds.db"))
    try:
        kinds = ChannelKinds(store.engine)
        await kinds.remember("discord", {"1": "text", "2": "forum"}, now=NOW)
        await kinds.remember("slack", {"1": "im"}, now=NOW)
        await kinds.remember("discord", {"1": "news"}, now=NOW)
        assert await kinds.recall("discord", ["1", "2", "3"]) == {"1": "news", "2": "forum"}
        assert await kinds.recall("slack", ["1"]) == {"1": "im"}
        await kinds.forget("discord", "2")
        assert await kinds.recall("discord", ["2"]) == {}
        assert await kinds.recall("discord", []) == {}
        many = {str(n): "text" for n in range(1200)}  # more than one statement's worth
        await kinds.remember("discord", many, now=NOW)
        assert len(await kinds.recall("discord", list(many))) == 1200
    finally:
        await store.close()
