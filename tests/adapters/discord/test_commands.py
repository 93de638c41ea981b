"""End to end: slash commands, autocomplete and buttons through discord.py and a fake Discord."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.discord_setup import NOW, Bot, running_bot, settings_for
from fakes.discord_world import DM, SEND_MESSAGES, FakeChannel, snowflake
from helpers.store_samples import make_analysis

from adapters.discord import DiscordAdapter, DiscordStartError
from adapters.discord.render import render, with_share
from briefings.chat.access import Caller
from briefings.chat.commands import Commands
from briefings.service.replies import Reply

EPHEMERAL = 64


def buttons(message: dict[str, Any]) -> list[str]:
    return [b["custom_id"] for row in message.get("components", []) for b in row["components"]]


def text_of(message: dict[str, Any]) -> str:
    parts = [message.get("content", "")]
    for embed in message["embeds"]:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def plain(embed: Any) -> dict[str, Any]:
    """An embed without the keys discord.py adds on its way out (``flags``, ``type``)."""
    return {k: v for k, v in embed.items() if k not in ("flags", "type")}


def assert_pings_nobody(message: dict[str, Any]) -> None:
    assert message["allowed_mentions"] == {"parse": []}
    assert message["mention_everyone"] is False
    assert message["mentions"] == [] and message["mention_roles"] == []


async def test_the_client_heartbeats_and_the_fake_acknowledges(bot: Bot) -> None:
    await bot.fake.until(lambda: bot.fake.heartbeats >= 1)
    await bot.fake.until(lambda: bot.adapter.client.latency < 1.0)
    assert bot.fake.identified == [[0, 1]]


async def test_the_eight_commands_are_synced_globally_with_their_options(bot: Bot) -> None:
    commands = {c["name"]: c for c in bot.fake.commands[None]}
    assert sorted(commands) == sorted(
        ["brief", "actor", "event", "subscribe", "unsubscribe", "subscriptions", "digest", "help"]
    )
    options = {o["name"]: o for o in commands["subscribe"]["options"]}
    assert options["actor"]["autocomplete"] is True and options["actor"]["required"] is True
    assert [c["value"] for c in options["mode"]["choices"]] == ["instant", "daily"]
    assert options["here"]["type"] == 5
    event_types = [c["value"] for c in commands["event"]["options"][1]["choices"]]
    assert "coerce" in event_types and len(event_types) <= 25


async def test_actor_answers_privately_at_once_with_subscribe_and_share(bot: Bot) -> None:
    interaction = await bot.fake.command(
        "actor", {"name": "wagner"}, user=bot.alice, channel=bot.text
    )
    [message] = await interaction.answer()
    assert not interaction.deferred
    assert interaction.callbacks[0]["type"] == 4
    assert message["flags"] & EPHEMERAL
    assert message["embeds"][0]["title"] == "Africa Corps"
    assert "Wagner" in text_of(message)
    assert buttons(message) == ["briefbot:subscribe:africa-corps", "briefbot:share:"]
    assert_pings_nobody(message)


async def test_brief_shows_the_digest_and_article_mentions_ping_nobody(bot: Bot) -> None:
    interaction = await bot.fake.command("brief", {"since": "7d"}, user=bot.alice, channel=bot.text)
    messages = await interaction.answer()
    text = "\n".join(text_of(m) for m in messages)
    assert "Mali" in text
    assert "@everyone" in text and "\\<@&123\\>" in text
    for message in messages:
        assert message["flags"] & EPHEMERAL
        assert_pings_nobody(message)


async def test_brief_filters_by_actor_and_reports_a_bad_window(bot: Bot) -> None:
    interaction = await bot.fake.command(
        "brief", {"since": "7d", "actors": "africa-corps"}, user=bot.alice, channel=bot.text
    )
    [message] = await interaction.answer()
    titles = [e.get("title", "") for e in message["embeds"]]
    assert any("Mali" in t for t in titles)
    assert not any("ceasefire" in t for t in titles)
    bad = await bot.fake.command("brief", {"since": "400d"}, user=bot.alice, channel=bot.text)
    [message] = await bad.answer()
    assert message["embeds"][0]["title"] == "Error"


async def test_event_search_with_type(bot: Bot) -> None:
    interaction = await bot.fake.command(
        "event", {"query": "siege", "type": "coerce"}, user=bot.alice, channel=bot.text
    )
    [message] = await interaction.answer()
    assert message["embeds"][0]["title"] == "Events: siege"
    assert "siege of Bamako" in text_of(message)


async def test_subscribe_list_and_unsubscribe(bot: Bot) -> None:
    fake, alice, text = bot.fake, bot.alice, bot.text
    sub = await fake.command(
        "subscribe", {"actor": "africa-corps", "mode": "daily"}, user=alice, channel=text
    )
    [message] = await sub.answer()
    assert "Africa Corps" in text_of(message)
    assert "briefbot:unsubscribe:africa-corps" in buttons(message)
    listing = await fake.command("subscriptions", user=alice, channel=text)
    [message] = await listing.answer()
    assert "**Africa Corps** (" in text_of(message) and ") — daily" in text_of(message)
    unsub = await fake.command("unsubscribe", {"actor": "wagner"}, user=alice, channel=text)
    [message] = await unsub.answer()
    assert "no longer follow Africa Corps" in text_of(message)
    again = await fake.command("subscriptions", user=alice, channel=text)
    [message] = await again.answer()
    assert "No subscriptions yet" in text_of(message)


async def test_subscribing_the_channel_needs_the_right_to_manage_it(bot: Bot) -> None:
    refused = await bot.fake.command(
        "subscribe", {"actor": "jnim", "here": True}, user=bot.alice, channel=bot.text
    )
    [message] = await refused.answer()
    assert message["embeds"][0]["title"] == "Not allowed"
    allowed = await bot.fake.command(
        "subscribe", {"actor": "jnim", "here": True}, user=bot.moderator, channel=bot.text
    )
    [message] = await allowed.answer()
    assert "This channel will now hear about JNIM" in text_of(message)


async def test_unknown_actor_offers_buttons_that_answer(bot: Bot) -> None:
    interaction = await bot.fake.command(
        "actor", {"name": "Hezbolahh"}, user=bot.alice, channel=bot.text
    )
    [message] = await interaction.answer()
    assert message["embeds"][0]["title"] == "Not found"
    assert "Did you mean: **Hezbollah**" in text_of(message)
    suggestion = next(b for b in buttons(message) if b.startswith("briefbot:actor:"))
    click = await bot.fake.click(message, suggestion, user=bot.alice)
    [profile] = await click.answer()
    assert profile["embeds"][0]["title"] == "Hezbollah"
    assert profile["flags"] & EPHEMERAL


async def test_help_lists_every_command_or_one(bot: Bot) -> None:
    everything = await bot.fake.command("help", user=bot.alice, channel=bot.text)
    [message] = await everything.answer()
    names = [f["name"] for f in message["embeds"][0]["fields"]]
    assert len(names) == 8 and all(n.startswith("/") for n in names)
    one = await bot.fake.command("help", {"command": "digest"}, user=bot.alice, channel=bot.text)
    [message] = await one.answer()
    usages = [f["name"] for f in message["embeds"][0]["fields"]]
    for sub in ("actors", "exclude", "types", "keywords", "empty", "now"):
        assert any(u.startswith(f"/digest {sub}") for u in usages), sub


async def test_actor_takes_only_and_all_as_options(bot: Bot) -> None:
    options = {"name": "Hezbollah", "only": True, "all": True}
    interaction = await bot.fake.command("actor", options, user=bot.alice, channel=bot.text)
    [message] = await interaction.answer()
    assert message["embeds"][0]["title"] == "Hezbollah"


async def test_digest_alone_shows_the_settings(bot: Bot) -> None:
    interaction = await bot.fake.command("digest", user=bot.alice, channel=bot.text)
    [message] = await interaction.answer()
    embed = message["embeds"][0]
    assert embed["title"] == "Digest settings"
    assert f"<#{bot.text.id}>" in embed["description"]


async def test_a_member_without_rights_is_told_why_and_nothing_changes(bot: Bot) -> None:
    interaction = await bot.fake.command(
        "digest", {"settings": "08:00 Europe/Berlin"}, user=bot.alice, channel=bot.text
    )
    [message] = await interaction.answer()
    assert message["embeds"][0]["title"] == "Not allowed"
    reason = message["embeds"][0]["description"]
    assert "Manage Channels" in reason and "Digest editors" in reason
    assert await bot.answers.digest_settings("discord", str(bot.guild.id), str(bot.text.id)) is None
    assert bot.control.changed == []


@pytest.mark.parametrize("who", ["manager", "moderator"])
async def test_the_manager_role_or_manage_channels_may_set_the_digest(bot: Bot, who: str) -> None:
    user = getattr(bot, who)
    interaction = await bot.fake.command(
        "digest", {"settings": "weekdays 07:30 Europe/Berlin"}, user=user, channel=bot.text
    )
    [message] = await interaction.answer()
    assert "runs weekdays at 07:30 Europe/Berlin" in text_of(message)
    saved = await bot.answers.digest_settings("discord", str(bot.guild.id), str(bot.text.id))
    assert saved is not None and saved.enabled and saved.timezone == "Europe/Berlin"
    assert len(bot.control.changed) == 1


async def test_digest_is_refused_when_the_bot_cannot_post_there(bot: Bot) -> None:
    bot.text.deny(bot.fake.bot_role(bot.guild), SEND_MESSAGES)
    interaction = await bot.fake.command(
        "digest", {"settings": "08:00 UTC"}, user=bot.moderator, channel=bot.text
    )
    [message] = await interaction.answer()
    assert message["embeds"][0]["title"] == "Not allowed"
    assert "needs Send Messages in this channel" in message["embeds"][0]["description"]
    assert bot.control.changed == []


async def test_digest_now_posts_the_digest_in_the_channel(bot: Bot) -> None:
    fake = bot.fake
    setup = await fake.command(
        "digest", {"settings": "08:00 UTC"}, user=bot.moderator, channel=bot.text
    )
    await setup.answer()
    now = await fake.command("digest", {"settings": "now"}, user=bot.moderator, channel=bot.text)
    [message] = await now.answer()
    assert "Posting this channel's digest now" in text_of(message)
    posted = [m for m in fake.posts(bot.text) if m["type"] == 0]
    assert posted and "Mali" in "\n".join(text_of(m) for m in posted)
    for message in posted:
        assert not message["flags"] & EPHEMERAL
        assert_pings_nobody(message)


async def offered(bot: Bot, command: str, option: str, typed: str) -> list[dict[str, Any]]:
    """The autocomplete choices Alice is offered for ``typed`` in ``command``'s ``option``."""
    asked = await bot.fake.command(
        command, {option: typed}, user=bot.alice, channel=bot.text, focused=option
    )
    await asked.answer()
    return asked.choices


async def test_actor_autocomplete_offers_at_most_25_names(bot: Bot) -> None:
    wag = await offered(bot, "actor", "name", "wagn")
    assert any(c["value"] == "africa-corps" and c["name"].startswith("Africa Corps (") for c in wag)
    assert len(await offered(bot, "actor", "name", "a")) == 25
    assert await offered(bot, "subscribe", "actor", "") == []


async def test_autocomplete_of_lists_and_digest_settings(bot: Bot) -> None:
    listing = await offered(bot, "brief", "actors", "JNIM, wagn")
    assert any(
        c["value"] == "JNIM, africa-corps" and c["name"].startswith("JNIM, Africa Corps (")
        for c in listing
    )

    async def values(typed: str) -> list[str]:
        return [c["value"] for c in await offered(bot, "digest", "settings", typed)]

    assert await values("07:30 europe/ber") == ["07:30 Europe/Berlin"]
    assert "weekdays 07:30 America/New_York" in await values("wee")
    assert "actors africa-corps" in await values("actors wagn")


async def test_the_subscribe_button_subscribes_whoever_clicks_it(bot: Bot) -> None:
    answer = await bot.fake.command("actor", {"name": "jnim"}, user=bot.alice, channel=bot.text)
    [message] = await answer.answer()
    click = await bot.fake.click(message, "briefbot:subscribe:jnim", user=bot.manager)
    [reply] = await click.answer()
    assert "You will now hear about JNIM" in text_of(reply)
    assert reply["flags"] & EPHEMERAL
    listing = await bot.fake.command("subscriptions", user=bot.manager, channel=bot.text)
    [message] = await listing.answer()
    assert "**JNIM**" in text_of(message)


async def test_buttons_keep_working_after_a_restart(bot: Bot) -> None:
    answer = await bot.fake.command("actor", {"name": "jnim"}, user=bot.alice, channel=bot.text)
    [message] = await answer.answer()
    await bot.adapter.stop()
    answers = bot.answers
    fresh = DiscordAdapter(
        settings_for(bot.fake), lambda policy: Commands(answers, policy), suggest=None
    )
    await fresh.start()
    try:
        click = await bot.fake.click(message, "briefbot:subscribe:jnim", user=bot.alice)
        [reply] = await click.answer()
        assert "You will now hear about JNIM" in text_of(reply)
    finally:
        await fresh.stop()


async def test_share_posts_the_answer_for_everyone(bot: Bot) -> None:
    answer = await bot.fake.command("actor", {"name": "jnim"}, user=bot.alice, channel=bot.text)
    [private] = await answer.answer()
    click = await bot.fake.click(private, "briefbot:share:", user=bot.alice)
    [shared] = await click.answer()
    assert not shared["flags"] & EPHEMERAL
    assert shared["content"] == f"Shared by <@{bot.alice.id}>"
    assert [e["title"] for e in shared["embeds"]] == [e["title"] for e in private["embeds"]]
    assert [e.get("description") for e in shared["embeds"]] == [
        e.get("description") for e in private["embeds"]
    ]
    assert buttons(shared) == ["briefbot:subscribe:jnim"]
    assert_pings_nobody(shared)


class Slow:
    """The command layer, held back until the test releases it."""

    def __init__(self, layer: Commands) -> None:
        self.layer = layer
        self.release = asyncio.Event()

    async def handle(self, caller: Caller, name: str, text: str = "") -> Reply:
        await self.release.wait()
        return await self.layer.handle(caller, name, text)

    async def press(self, caller: Caller, action: str, value: str) -> Reply:
        return await self.layer.press(caller, action, value)


async def test_a_slow_answer_is_deferred_then_followed_up(
    tmp_path: Path, sqlite_template: Path
) -> None:
    slow: list[Slow] = []

    def wrap(layer: Commands) -> Slow:
        slow.append(Slow(layer))
        return slow[0]

    async with running_bot(
        tmp_path,
        template=sqlite_template,
        settings=lambda fake: settings_for(fake, defer_after=0.05),
        wrap=wrap,
    ) as bot:
        interaction = await bot.fake.command(
            "actor", {"name": "jnim"}, user=bot.alice, channel=bot.text
        )
        await interaction.wait(lambda i: i.deferred)
        assert interaction.messages == []
        assert interaction.callbacks[0] == {"type": 5, "data": {"flags": EPHEMERAL}}
        slow[0].release.set()
        [message] = await interaction.answer()
        assert message["flags"] & EPHEMERAL
        assert message["embeds"][0]["title"] == "JNIM"
        assert bot.fake.violations == [] and bot.errors == []


async def test_a_long_answer_continues_in_followups(tmp_path: Path, sqlite_template: Path) -> None:
    places = ("Gao", "Kidal", "Timbuktu", "Mopti", "Segou", "Sikasso", "Kayes", "Menaka")
    stories = [
        make_analysis(
            f"JNIM story number {i} from {places[i % 8]}",
            [
                f"On April {i % 20 + 1}, JNIM attacked an army post near {places[i % 8]}, "
                f"in report {i}, the {i}th of its kind. "
                + " ".join(
                    f"Witness {i}-{j} saw convoy {j * i} near {places[j % 8]}." for j in range(25)
                )
            ],
            url=f"https://news.example/{i}",
            source=f"Monitor {i}",
            fetched=NOW - timedelta(hours=1, minutes=i),
        )
        for i in range(12)
    ]
    async with running_bot(tmp_path, template=sqlite_template, extra_articles=stories) as bot:
        expected = with_share(render(await bot.answers.brief(timedelta(hours=24))))
        assert len(expected) >= 2
        interaction = await bot.fake.command(
            "brief", {"since": "24h"}, user=bot.alice, channel=bot.text
        )
        messages = await interaction.answer(count=len(expected))
        assert [[plain(e) for e in m["embeds"]] for m in messages] == [
            [plain(e) for e in m.embeds] for m in expected
        ]
        assert all(m["flags"] & EPHEMERAL for m in messages)
        assert len(interaction.callbacks) == 1 and not interaction.deferred
        assert bot.fake.violations == [] and bot.errors == []


async def test_guild_sync_registers_the_commands_in_each_guild(
    tmp_path: Path, sqlite_template: Path
) -> None:
    guilds: list[int] = []

    def settings(fake: Any) -> Any:
        guilds.append(next(iter(fake.guilds)))
        return settings_for(fake, guild_ids=tuple(guilds))

    async with running_bot(tmp_path, template=sqlite_template, settings=settings) as bot:
        assert None not in bot.fake.commands
        assert len(bot.fake.commands[bot.guild.id]) == 8
        interaction = await bot.fake.command("help", user=bot.alice, channel=bot.text)
        assert interaction.payload["data"]["guild_id"] == str(bot.guild.id)
        [message] = await interaction.answer()
        assert message["embeds"][0]["title"] == "briefbot commands"


async def test_sharded_settings_run_an_auto_sharded_client(
    tmp_path: Path, sqlite_template: Path
) -> None:
    def settings(fake: Any) -> Any:
        guild_id = next(iter(fake.guilds))
        return settings_for(fake, shard_count=2, shard_ids=((guild_id >> 22) % 2,))

    async with running_bot(tmp_path, template=sqlite_template, settings=settings) as bot:
        assert type(bot.adapter.client).__name__ == "AutoShardedClient"
        shard = (bot.guild.id >> 22) % 2
        assert bot.fake.identified == [[shard, 2]]
        interaction = await bot.fake.command("help", user=bot.alice, channel=bot.text)
        [message] = await interaction.answer()
        assert message["embeds"][0]["title"] == "briefbot commands"


async def test_a_refused_token_stops_the_start_with_a_clear_error(
    tmp_path: Path, sqlite_template: Path
) -> None:
    with pytest.raises(DiscordStartError, match="token"):
        async with running_bot(
            tmp_path,
            template=sqlite_template,
            settings=lambda fake: settings_for(fake, token="not-the-token"),
        ):
            pass


async def test_commands_work_in_a_direct_message(bot: Bot) -> None:
    fake = bot.fake
    dm = FakeChannel(snowflake(), "", DM, recipient=bot.alice)
    fake.channels[dm.id] = dm
    listing = await fake.command("subscriptions", user=bot.alice, channel=dm)
    [message] = await listing.answer()
    assert "No subscriptions yet" in text_of(message)
    digest = await fake.command("digest", {"settings": "08:00 UTC"}, user=bot.alice, channel=dm)
    [message] = await digest.answer()
    assert message["embeds"][0]["title"] in ("Error", "Not allowed")
    assert "channel" in message["embeds"][0]["description"]


async def test_public_answers_when_ephemeral_is_off(tmp_path: Path, sqlite_template: Path) -> None:
    async with running_bot(
        tmp_path,
        template=sqlite_template,
        settings=lambda fake: settings_for(fake, ephemeral=False),
    ) as bot:
        interaction = await bot.fake.command(
            "actor", {"name": "jnim"}, user=bot.alice, channel=bot.text
        )
        [message] = await interaction.answer()
        assert not message["flags"] & EPHEMERAL
        assert buttons(message) == ["briefbot:subscribe:jnim"]
        assert_pings_nobody(message)
        assert bot.fake.violations == [] and bot.errors == []
