"""DM channels kept in the store: opened once between processes, none after a restart, a
gone one opened again; through slack_sdk and discord.py against the fakes, on both backends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest
from fakes.discord_setup import Bot, running_bot
from fakes.slack import BOT_TOKEN, FakeSlack

from adapters.base import DeliveryError, Target
from adapters.discord.poster import Pacer as DiscordPacer
from adapters.discord.poster import Poster as DiscordPoster
from adapters.slack.kit import Message, mrkdwn
from adapters.slack.poster import Pacer, Poster, make_client
from briefings.replies import Notice
from briefings.store import DirectChannels, Store

TEAM = "T0FAKE"


# -- the directory itself ---------------------------------------------------------------


async def test_the_first_channel_stored_wins_and_every_process_sees_it(store: Store) -> None:
    one, other = DirectChannels(store.engine), DirectChannels(store.engine)
    assert await one.get("slack", TEAM, "U1") is None
    assert await one.add("slack", TEAM, "U1", "D1") == "D1"
    assert await other.add("slack", TEAM, "U1", "D2") == "D1"
    assert await other.get("slack", TEAM, "U1") == "D1"
    assert await DirectChannels(store.engine).get("slack", TEAM, "U1") == "D1"
    assert await one.get("discord", TEAM, "U1") is None
    assert await one.get("slack", "T0OTHER", "U1") is None


async def test_two_processes_storing_at_once_keep_one_channel(store: Store) -> None:
    processes = [DirectChannels(store.engine) for _ in range(4)]
    stored = await asyncio.gather(
        *(
            p.add("slack", TEAM, f"U{u}", f"D{u}-{n}")
            for u in range(5)
            for n, p in enumerate(processes)
        )
    )
    for u in range(5):
        mine = {s for s in stored if s.startswith(f"D{u}-")}
        assert len(mine) == 1
        assert await DirectChannels(store.engine).get("slack", TEAM, f"U{u}") in mine


async def test_a_lookup_after_the_first_sees_what_another_process_stored(store: Store) -> None:
    one, other = DirectChannels(store.engine), DirectChannels(store.engine)
    assert await one.get("slack", TEAM, "U1") is None  # loads the workspace's rows
    await other.add("slack", TEAM, "U1", "D1")
    assert await one.get("slack", TEAM, "U1") == "D1"


async def test_forgetting_keeps_a_channel_stored_meanwhile(store: Store) -> None:
    one, other = DirectChannels(store.engine), DirectChannels(store.engine)
    await one.add("slack", TEAM, "U1", "D1")
    await other.forget("slack", TEAM, "U1", "D1")
    assert await DirectChannels(store.engine).get("slack", TEAM, "U1") is None
    await one.forget("slack", TEAM, "U1", "D1")
    assert await one.add("slack", TEAM, "U1", "D2") == "D2"
    await other.forget("slack", TEAM, "U1", "D1")  # an old id: the new one stays
    assert await DirectChannels(store.engine).get("slack", TEAM, "U1") == "D2"


# -- Slack ----------------------------------------------------------------------------


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    for n in range(6):
        fake.add_user(f"U0USER{n}", f"user{n}")
    yield fake
    await fake.stop()


def slack_poster(fake: FakeSlack, store: Store) -> Poster:
    """A poster as one bot process makes it: its own client and directory, one store."""
    pacer = Pacer(0.0)
    client = make_client(BOT_TOKEN, fake.api_url, pacer, 3)
    return Poster(client, pacer, directory=DirectChannels(store.engine))


def slack_user(n: int) -> Target:
    return Target("slack", TEAM, f"U0USER{n}", "user")


def msg(text: str) -> Message:
    return Message(text, ({"type": "section", "text": mrkdwn(text)},))


def slack_opens(fake: FakeSlack) -> list[str]:
    return [c.args["users"] for c in fake.calls_of("conversations.open")]


async def test_two_slack_processes_open_each_dm_once(slack: FakeSlack, store: Store) -> None:
    one, other = slack_poster(slack, store), slack_poster(slack, store)
    for n in range(6):
        await one.post(slack_user(n), [msg(f"a{n}")], key=f"a{n}")
        await other.post(slack_user(n), [msg(f"b{n}")], key=f"b{n}")
    for n in reversed(range(6)):
        await other.post(slack_user(n), [msg(f"c{n}")], key=f"c{n}")
    assert sorted(slack_opens(slack)) == [f"U0USER{n}" for n in range(6)]
    for n in range(6):
        assert [p.text for p in slack.posted(f"D0USER{n}")] == [f"a{n}", f"b{n}", f"c{n}"]


async def test_a_restarted_slack_process_opens_no_dm(slack: FakeSlack, store: Store) -> None:
    first = slack_poster(slack, store)
    await asyncio.gather(*(first.post(slack_user(n), [msg("a")], key=f"a{n}") for n in range(6)))
    assert len(slack_opens(slack)) == 6
    restarted = slack_poster(slack, store)
    await asyncio.gather(
        *(restarted.post(slack_user(n), [msg("b")], key=f"b{n}") for n in range(6))
    )
    assert len(slack_opens(slack)) == 6
    assert all(len(slack.posted(f"D0USER{n}")) == 2 for n in range(6))


async def test_a_gone_slack_dm_is_forgotten_and_opened_again(
    slack: FakeSlack, store: Store
) -> None:
    await DirectChannels(store.engine).add("slack", TEAM, "U0USER1", "D0STALE")
    poster = slack_poster(slack, store)
    sent = await poster.post(slack_user(1), [msg("hello")], key="k")
    assert slack_opens(slack) == ["U0USER1"]
    [post] = slack.posted("D0USER1")
    assert sent.message_ids == (post.ts,)
    assert await DirectChannels(store.engine).get("slack", TEAM, "U0USER1") == "D0USER1"
    # Found in the history of the channel opened again, too.
    await DirectChannels(store.engine).forget("slack", TEAM, "U0USER1", "D0USER1")
    await DirectChannels(store.engine).add("slack", TEAM, "U0USER1", "D0STALE")
    found = await slack_poster(slack, store).find(slack_user(1), "k", 1, since=post_time())
    assert found.parts == (post.ts,)
    assert slack_opens(slack) == ["U0USER1", "U0USER1"]


async def test_a_dm_gone_twice_fails_as_before(slack: FakeSlack, store: Store) -> None:
    await DirectChannels(store.engine).add("slack", TEAM, "U0USER1", "D0STALE")
    slack.fail("chat.postMessage", error="channel_not_found", times=2)
    with pytest.raises(DeliveryError) as caught:
        await slack_poster(slack, store).post(slack_user(1), [msg("x")], key="k")
    assert caught.value.permanent
    assert slack_opens(slack) == ["U0USER1"]


def post_time() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=1)


# -- Discord --------------------------------------------------------------------------


@pytest.fixture
async def bot(tmp_path: Path, store: Store) -> AsyncIterator[Bot]:
    async with running_bot(tmp_path, store=store) as running:
        yield running


@pytest.fixture
async def clients(bot: Bot) -> AsyncIterator[list[discord.Client]]:
    """Other bot processes' clients: logged in to the fake, each with its own cache."""
    made: list[discord.Client] = []
    yield made
    for client in made:
        await client.close()


async def discord_process(
    bot: Bot, clients: list[discord.Client], nonce_window: float = 60.0
) -> DiscordPoster:
    """A poster as another bot process makes it: its own client and directory."""
    client = discord.Client(intents=discord.Intents.none())
    clients.append(client)
    await client.login(bot.fake.token)
    directory = DirectChannels(bot.store.engine)
    return DiscordPoster(client, DiscordPacer(50), nonce_window=nonce_window, directory=directory)


def discord_user(bot: Bot, user: discord.abc.Snowflake | int) -> Target:
    uid = user if isinstance(user, int) else user.id
    return Target("discord", str(bot.guild.id), str(uid), "user")


def discord_opens(bot: Bot) -> int:
    return sum(
        1 for r in bot.fake.requests if r.method == "POST" and r.path == "users/@me/channels"
    )


async def test_two_discord_processes_open_each_dm_once(
    bot: Bot, clients: list[discord.Client]
) -> None:
    one, other = await discord_process(bot, clients), await discord_process(bot, clients)
    users = [bot.alice, bot.manager, bot.moderator]
    for n, user in enumerate(users):
        await one.publish(discord_user(bot, user), Notice("info", f"a{n}"), key=f"a{n}")
        await other.publish(discord_user(bot, user), Notice("info", f"b{n}"), key=f"b{n}")
    assert discord_opens(bot) == 3
    for user in users:
        channel = bot.fake.dm_channel(user)
        assert channel is not None
        assert len(bot.fake.posts(channel)) == 2


async def test_a_restarted_discord_process_opens_no_dm(
    bot: Bot, clients: list[discord.Client]
) -> None:
    first = await discord_process(bot, clients)
    users = [bot.alice, bot.manager, bot.moderator]
    for n, user in enumerate(users):
        await first.publish(discord_user(bot, user), Notice("info", "a"), key=f"a{n}")
    restarted = await discord_process(bot, clients)
    for n, user in enumerate(users):
        await restarted.publish(discord_user(bot, user), Notice("info", "b"), key=f"b{n}")
    assert discord_opens(bot) == 3
    assert all(len(bot.fake.posts(bot.fake.dm_channel(u) or 0)) == 2 for u in users)


async def test_a_gone_discord_dm_is_forgotten_and_opened_again(
    bot: Bot, clients: list[discord.Client]
) -> None:
    directory = DirectChannels(bot.store.engine)
    stale = str(bot.alice.id + 1)
    await directory.add("discord", str(bot.guild.id), str(bot.alice.id), stale)
    poster = await discord_process(bot, clients)
    sent = await poster.publish(discord_user(bot, bot.alice), Notice("info", "hi"), key="k")
    assert discord_opens(bot) == 1
    channel = bot.fake.dm_channel(bot.alice)
    assert channel is not None
    assert [p["id"] for p in bot.fake.posts(channel)] == list(sent.message_ids)
    stored = await DirectChannels(bot.store.engine).get(
        "discord", str(bot.guild.id), str(bot.alice.id)
    )
    assert stored == str(channel.id)
    # Looked up in the history of the channel opened again, too.
    await directory.forget("discord", str(bot.guild.id), str(bot.alice.id), stored)
    await directory.add("discord", str(bot.guild.id), str(bot.alice.id), stale)
    late = await discord_process(bot, clients, nonce_window=0.0)
    notice = Notice("info", "hi")
    found = await late.find(discord_user(bot, bot.alice), notice, key="k", since=post_time())
    assert found.parts == sent.message_ids
    assert discord_opens(bot) == 2
