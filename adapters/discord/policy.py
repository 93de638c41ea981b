"""Who may change a channel's digest, and whether the bot can post there, as Discord says.

The command layer asks :class:`DiscordPolicy` through :class:`briefings.chat.commands.Policy`.
While an interaction is being handled, its resolved permissions (the member's and the
bot's, overwrites included) are the truth: the client puts the interaction in a context
variable for the duration of the command, and the policy reads it from there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import discord

from adapters.discord.permissions import missing_permissions, words
from adapters.discord.settings import DiscordSettings
from briefings.chat.access import Caller, Permission

log = logging.getLogger(__name__)

_current: ContextVar[discord.Interaction | None] = ContextVar("briefbot_interaction", default=None)


@contextmanager
def handling(interaction: discord.Interaction) -> Iterator[None]:
    """Make ``interaction`` the one the policy answers about, for the ``with`` block."""
    token = _current.set(interaction)
    try:
        yield
    finally:
        _current.reset(token)


class DiscordPolicy:
    """Answers the command layer's permission questions for Discord.

    Manager roles are matched by id. A role *name* in the config is looked up once per
    guild (the first time a command there needs it), with a warning: a role created
    later under the same name matches nothing, and a name two roles share matches neither.

    Args:
        settings: the manager roles and admins come from here.
    """

    def __init__(self, settings: DiscordSettings) -> None:
        self._role_ids = {int(r) for r in settings.manager_roles if r.isdigit()}
        self._names = {r.casefold(): r for r in settings.manager_roles if not r.isdigit()}
        self._by_guild: dict[int, frozenset[int]] = {}
        self._admins = set(settings.admin_ids)
        self._role_names = " or ".join(f"the {r} role" for r in self._names.values())

    def _named_roles(self, guild: discord.Guild) -> frozenset[int]:
        """The ids of the roles the config names in ``guild``, looked up once."""
        known = self._by_guild.get(guild.id)
        if known is not None:
            return known
        found: set[int] = set()
        for folded, name in self._names.items():
            roles = [r for r in guild.roles if r.name.casefold() == folded]
            if len(roles) == 1:
                found.add(roles[0].id)
                log.warning(
                    "platforms.discord.manager_roles: the role name %r is role id %d in guild "
                    "%d; put the id in the config (a name can be copied by anyone who may "
                    "create roles)",
                    name,
                    roles[0].id,
                    guild.id,
                )
            elif roles:
                log.warning(
                    "platforms.discord.manager_roles: %d roles in guild %d are named %r; none "
                    "of them is taken as a manager role. Put the right role's id in the config",
                    len(roles),
                    guild.id,
                    name,
                )
        self._by_guild[guild.id] = frozenset(found)
        return self._by_guild[guild.id]

    def _interaction(self, caller: Caller) -> discord.Interaction | None:
        interaction = _current.get()
        if interaction is None or str(interaction.user.id) != caller.user:
            return None
        return interaction

    async def may_manage(self, caller: Caller) -> Permission:
        """Whether the caller may change ``caller.channel``'s settings (Manage Channels,
        a manager role, or being an admin)."""
        if caller.channel is None:
            return Permission(False, "Only a channel has settings: use this in the channel.")
        if caller.user.isdigit() and int(caller.user) in self._admins:
            return Permission(True)
        interaction = self._interaction(caller)
        if interaction is None or not isinstance(interaction.user, discord.Member):
            return Permission(False, "Use this command in the server channel it is about.")
        if interaction.permissions.manage_channels or interaction.permissions.administrator:
            return Permission(True)
        named = self._named_roles(interaction.user.guild) if self._names else frozenset()
        for role in interaction.user.roles:
            if role.id in self._role_ids or role.id in named:
                return Permission(True)
        needs = "the Manage Channels permission in this channel"
        if self._role_names:
            needs += f", or {self._role_names}"
        return Permission(False, f"Changing this channel's digest needs {needs}.")

    async def can_post(self, caller: Caller) -> Permission:
        """Whether the bot can post a digest in ``caller.channel``: it must see the channel,
        send messages and embed links there."""
        interaction = self._interaction(caller)
        if interaction is None or interaction.guild_id is None:
            return Permission(False, "briefbot can only post digests in a server channel.")
        channel = interaction.channel
        kind = channel.type if channel is not None else None
        missing = missing_permissions(interaction.app_permissions, kind)
        if missing:
            return Permission(
                False,
                f"briefbot cannot post here: it needs {words(missing)} in this channel. "
                "Ask someone who manages the server to allow it, then try again.",
            )
        return Permission(True)
