"""Finding a delivery on the platform after a crash: Slack metadata, Discord nonces and history.

Each test posts (part of) a delivery with one adapter, then asks a *new* adapter — a
restarted process, with nothing in memory — what the platform holds, and completes it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.discord_setup import Bot, running_bot, settings_for
from fakes.slack import BOT_TOKEN, FakeSlack
from fakes.slack_world import SlackWorld
from helpers.replies import BIG_DIGEST

from adapters.base import DeliveryError, Found, Reconciling, Target
from adapters.discord.render import render as discord_render
from adapters.slack.adapter import SlackAdapter
from adapters.slack.settings import SlackSettings
from briefings.chat.access import Policy
from briefings.service.replies import Notice

NEWS = Target("slack", "T0FAKE", "C0NEWS")
ALICE = Target("slack", "T0FAKE", "U0ALICE", "user")


def started() -> datetime:
    return datetime.now(UTC)


def fresh_slack(fake: FakeSlack, world: SlackWorld) -> SlackAdapter:
    """Another Slack adapter on the same workspace: what a restarted process has."""
    settings = SlackSettings(
        bot_token=BOT_TOKEN, mode="http", signing_secret="x", api_base_url=fake.api_url
    )

    def commands(policy: Policy) -> object:
        return world.control

    return SlackAdapter(settings, commands)  # type: ignore[arg-type]


async def test_slack_finds_a_post_after_a_restart(world: SlackWorld) -> None:
    since = started()
    sent = await world.adapter.publish(NEWS, BIG_DIGEST, key="digest:1")
    other = fresh_slack(world.fake, world)
    assert isinstance(other, Reconciling)
    try:
        found = await other.find(NEWS, BIG_DIGEST, key="digest:1", since=since)
        assert found == Found(sent.message_ids) and found.complete
        nothing = await other.find(NEWS, BIG_DIGEST, key="digest:2", since=since)
        assert nothing.empty and not nothing.complete
        history = world.fake.calls_of("conversations.history")
        assert all(c.args["include_all_metadata"] in (True, "true", "1") for c in history)
        assert all(float(c.args["oldest"]) < since.timestamp() for c in history)
    finally:
        await other.stop()


async def test_slack_completes_a_delivery_cut_off_between_parts(world: SlackWorld) -> None:
    since = started()
    world.fake.fail("chat.postMessage", status=500, after=2)  # parts 1-2 land, 3 fails
    with pytest.raises(DeliveryError):
        await world.adapter.publish(NEWS, BIG_DIGEST, key="digest:cut")
    assert len(world.fake.posted("C0NEWS")) == 2
    other = fresh_slack(world.fake, world)
    try:
        found = await other.find(NEWS, BIG_DIGEST, key="digest:cut", since=since)
        assert [p is not None for p in found.parts] == [True, True, False, False]
        sent = await other.complete(NEWS, BIG_DIGEST, key="digest:cut", found=found)
    finally:
        await other.stop()
    posts = world.fake.posted("C0NEWS")
    assert [p.ts for p in posts] == list(sent.message_ids)
    parts = [p.raw["metadata"]["event_payload"]["part"] for p in posts]
    assert parts == [0, 1, 2, 3]


async def test_slack_pages_through_a_busy_history_and_finds_dms(world: SlackWorld) -> None:
    since = started()
    note = Notice("info", "New on JNIM")
    await world.adapter.publish(ALICE, note, key="notify:alice")
    for n in range(450):  # later traffic: the delivery is three pages back
        await world.adapter.publish(ALICE, Notice("info", f"other {n}"), key=f"other:{n}")
    other = fresh_slack(world.fake, world)
    try:
        found = await other.find(ALICE, note, key="notify:alice", since=since)
    finally:
        await other.stop()
    assert found.complete
    pages = [c for c in world.fake.calls_of("conversations.history") if c.args.get("cursor")]
    assert len(pages) == 2


@pytest.fixture
async def discord_bot(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[Bot]:
    async with running_bot(tmp_path, template=sqlite_template) as running:
        yield running
        assert running.fake.violations == []


def discord_target(bot: Bot, kind: str = "channel") -> Target:
    if kind == "user":
        return Target("discord", str(bot.guild.id), str(bot.alice.id), "user")
    return Target("discord", str(bot.guild.id), str(bot.text.id))


async def test_discord_inside_the_nonce_window_sends_again_with_the_same_nonces(
    discord_bot: Bot,
) -> None:
    bot = discord_bot
    since = started()
    target = discord_target(bot)
    first = await bot.adapter.publish(target, BIG_DIGEST, key="digest:d1")
    found = await bot.adapter.find(target, BIG_DIGEST, key="digest:d1", since=since)
    assert found.idempotent and not found.empty and not found.complete
    again = await bot.adapter.complete(target, BIG_DIGEST, key="digest:d1", found=found)
    assert again.message_ids == first.message_ids
    assert len(bot.fake.posts(bot.text)) == len(discord_render(BIG_DIGEST))


@pytest.mark.parametrize("kind", ["channel", "user"])
async def test_discord_after_the_window_compares_recent_messages(
    tmp_path: Path, sqlite_template: Path, kind: str
) -> None:
    async with running_bot(
        tmp_path, template=sqlite_template, settings=lambda f: settings_for(f, nonce_window=0.0)
    ) as bot:
        bot.fake.nonce_window = 0.0  # Discord has forgotten the nonces
        target = discord_target(bot, kind)
        since = started() - timedelta(minutes=10)
        parts = discord_render(BIG_DIGEST)
        assert len(parts) >= 3
        bot.fake.fail("POST", r"messages$", 503, after_accept=True)  # part 1 lands, unknown
        with pytest.raises(DeliveryError):
            await bot.adapter.publish(target, BIG_DIGEST, key="digest:d2")
        await bot.adapter.publish(target, Notice("info", "unrelated"), key="other")
        found = await bot.adapter.find(target, BIG_DIGEST, key="digest:d2", since=since)
        assert not found.idempotent
        assert [p is not None for p in found.parts] == [True] + [False] * (len(parts) - 1)
        sent = await bot.adapter.complete(target, BIG_DIGEST, key="digest:d2", found=found)
        channel = bot.text if kind == "channel" else bot.fake.dm_channel(bot.alice)
        assert channel is not None
        posts = bot.fake.posts(channel)
        assert len(posts) == len(parts) + 1  # each part once, plus the unrelated notice
        assert sent.message_ids[0] == found.parts[0]
        assert set(sent.message_ids) <= {p["id"] for p in posts}
        again = await bot.adapter.find(target, BIG_DIGEST, key="digest:d2", since=since)
        assert again.complete and again.parts == sent.message_ids
        fresh = await bot.adapter.find(target, Notice("info", "never"), key="n", since=since)
        assert fresh.empty
        opened = [r for r in bot.fake.requests if r.path == "users/@me/channels"]
        assert len(opened) == (1 if kind == "user" else 0)
