"""A running briefbot-on-Discord for end-to-end tests and the benchmark.

It builds a fake Discord world (a guild with text, announcement and forum channels, a
manager role and a few members), a SQLite store with analysed articles, the real command
layer and answering service, and the real :class:`DiscordAdapter` pointed at the fake.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.store_samples import MALI, NOW, make_analysis

from adapters.discord import DiscordAdapter, DiscordSettings
from briefings.chat.access import Policy
from briefings.chat.commands import Commands
from briefings.model import Analysis
from briefings.service.answers import Answers
from briefings.store import Store, upgrade
from briefings.store.channels import ChannelKinds
from fakes.discord import FakeDiscord, RateLimits
from fakes.discord_world import FORUM, MANAGE_CHANNELS, NEWS, FakeChannel, FakeGuild, FakeUser
from fakes.world import Control, gazetteer

if TYPE_CHECKING:  # discord itself is imported through adapters.discord (see its __init__)
    import discord
    from discord import app_commands

EVERYONE = "@everyone @here <@&123> <@456>"
"""Mention syntax inside article text: it must never ping anyone."""


@dataclass
class Bot:
    """Everything an end-to-end test touches."""

    fake: FakeDiscord
    adapter: DiscordAdapter
    store: Store
    answers: Answers
    control: Control
    guild: FakeGuild
    text: FakeChannel
    news: FakeChannel
    forum: FakeChannel
    alice: FakeUser
    """A member without Manage Channels."""
    manager: FakeUser
    """A member with the configured manager role."""
    moderator: FakeUser
    """A member with Manage Channels."""
    errors: list[tuple[str, BaseException]] = field(default_factory=list)


async def stored_articles(store: Store, extra: Sequence[Analysis] = ()) -> None:
    """Store the reference story's sentences, a story with mention syntax, and ``extra``."""
    analyses = [
        make_analysis(
            "Pro-Russian regime in Mali begins to collapse",
            MALI,
            url="https://news.example/mali-collapse",
            source="Sahel Monitor",
            fetched=NOW - timedelta(hours=3),
        ),
        make_analysis(
            f"Mediators call on {EVERYONE} to back a Bamako ceasefire",
            [f"JNIM declared a siege of Bamako, and mediators urged {EVERYONE} to talk."],
            url="https://wire.example/bamako-ceasefire",
            source=f"Wire {EVERYONE}",
            fetched=NOW - timedelta(hours=1),
        ),
        *extra,
    ]
    await store.save_many(analyses, now=NOW)


def settings_for(fake: FakeDiscord, **overrides: Any) -> DiscordSettings:
    base: dict[str, Any] = {
        "token": fake.token,
        "api_base_url": fake.api_base,
        "gateway_url": fake.gateway_url,
        "guild_ready_timeout": 0.05,
        "manager_roles": ("Digest editors",),
    }
    return DiscordSettings(**(base | overrides))


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    *,
    template: Path | None = None,
    settings: Callable[[FakeDiscord], DiscordSettings] | None = None,
    rate_limits: RateLimits | None = None,
    extra_articles: Sequence[Analysis] = (),
    wrap: Callable[[Commands], Any] | None = None,
    store: Store | None = None,
    share_kinds: bool = False,
) -> AsyncIterator[Bot]:
    """Start the fake, the store and the adapter; stop them all afterwards.

    Args:
        tmp_path: where the SQLite store lives.
        template: a migrated SQLite database to copy (faster than migrating).
        settings: builds the adapter's settings for the fake (default: :func:`settings_for`).
        rate_limits: the fake's rate limits.
        extra_articles: more analysed articles to store.
        wrap: wraps the command layer (e.g. to slow it down).
        store: an open store to use as it is (then nothing is ingested).
        share_kinds: share channel kinds through the store, as the running bot does.
    """
    fake = FakeDiscord(rate_limits=rate_limits)
    guild = fake.add_guild("Sahel Watch")
    text = fake.add_channel(guild, "sahel-watch")
    news = fake.add_channel(guild, "announcements", NEWS)
    forum = fake.add_channel(guild, "briefs", FORUM)
    editors = guild.add_role("Digest editors")
    mods = guild.add_role("Moderators", MANAGE_CHANNELS)
    alice = guild.add_member(fake.add_user("alice"))
    manager = guild.add_member(fake.add_user("maria"), editors)
    moderator = guild.add_member(fake.add_user("mo"), mods)
    await fake.start()
    own_store = store is None
    if store is None:
        path = tmp_path / "discord.db"
        if template is not None:
            shutil.copyfile(template, path)
        else:
            await upgrade(str(path))
        store = await Store.open(f"sqlite+aiosqlite:///{path}", migrate=False)
        await stored_articles(store, extra_articles)
    answers = Answers(store, gazetteer(), lambda: NOW)
    control = Control(answers, "discord")

    def commands(policy: Policy) -> Any:
        layer = Commands(answers, policy, control)
        return wrap(layer) if wrap is not None else layer

    adapter = DiscordAdapter(
        (settings or settings_for)(fake),
        commands,
        suggest=answers.suggest_actors,
        channel_kinds=ChannelKinds(store.engine) if share_kinds else None,
    )
    control.adapter = adapter
    bot = Bot(
        fake, adapter, store, answers, control, guild, text, news, forum, alice, manager, moderator
    )

    async def record(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        bot.errors.append((str(interaction.data), error))

    adapter.tree.error(record)
    try:
        await adapter.start()
        yield bot
    finally:
        await adapter.stop()
        await fake.close()
        if own_store:
            await store.close()
