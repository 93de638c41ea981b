"""Authorisation by role on Discord: a role copied by name gives no rights (fake gateway)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fakes.discord import FakeDiscord
from fakes.discord_setup import Bot, running_bot, settings_for
from fakes.discord_world import FakeGuild, FakeRole
from helpers.polling import eventually

from adapters.discord.settings import DiscordSettings


async def _digest(bot: Bot, user: object) -> str:
    interaction = await bot.fake.command(
        "digest", {"settings": "weekdays 07:30 Europe/Berlin"}, user=user, channel=bot.text
    )
    [message] = await interaction.answer()
    return str(message["embeds"][0].get("title"))


async def _impostor(bot: Bot, name: str) -> FakeRole:
    """A role someone who may create roles makes under the manager role's name, given to
    alice; the bot hears of it through the gateway as on Discord."""
    guild: FakeGuild = bot.guild
    role = guild.add_role(name)
    user, roles = guild.members[bot.alice.id]
    guild.members[bot.alice.id] = (user, (*roles, role.id))
    await bot.fake._session_for(guild).dispatch(
        "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.payload()}
    )
    client_guild = bot.adapter.client.get_guild(guild.id)
    assert client_guild is not None
    assert await eventually(lambda: client_guild.get_role(role.id) is not None)
    return role


async def test_a_role_copied_by_name_later_gives_no_rights(
    sqlite_template: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "adapters.discord.policy")
    async with running_bot(tmp_path, template=sqlite_template) as bot:
        assert await _digest(bot, bot.manager) != "Not allowed"  # the name is looked up now
        assert "put the id in the config" in caplog.text
        await _impostor(bot, "digest EDITORS")
        assert await _digest(bot, bot.alice) == "Not allowed"
        assert await _digest(bot, bot.manager) != "Not allowed"


async def test_two_roles_sharing_the_name_match_neither(
    sqlite_template: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(tmp_path, template=sqlite_template) as bot:
        await _impostor(bot, "Digest editors")  # there before the first lookup
        assert await _digest(bot, bot.alice) == "Not allowed"
        assert await _digest(bot, bot.manager) == "Not allowed"
        assert "none of them is taken as a manager role" in caplog.text


async def test_manager_roles_by_id(sqlite_template: Path, tmp_path: Path) -> None:
    def by_id(fake: FakeDiscord) -> DiscordSettings:
        (guild,) = fake.guilds.values()
        editors = next(r for r in guild.roles.values() if r.name == "Digest editors")
        return settings_for(fake, manager_roles=(str(editors.id),))

    async with running_bot(tmp_path, template=sqlite_template, settings=by_id) as bot:
        await _impostor(bot, "Digest editors")
        assert await _digest(bot, bot.alice) == "Not allowed"
        assert await _digest(bot, bot.manager) != "Not allowed"
