"""Who may change a channel's digest, and whether the bot can post there, as Discord says.

The command layer asks :class:`DiscordPolicy` through :class:`briefings.commands.Policy`.
While an interaction is being handled, its resolved permissions (the member's and the
bot's, overwrites included) are the truth: the client puts the interaction in a context
variable for the duration of the command, and the policy reads it from there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import discord

from adapters.discord.permissions import missing_permissions, words
from adapters.discord.settings import DiscordSettings
from briefings.commands import Caller, Permission

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

    Args:
        settings: the manager roles and admins come from here.
    """

    def __init__(self, settings: DiscordSettings) -> None:
        self._roles = {r.casefold() for r in settings.manager_roles}
        self._admins = set(settings.admin_ids)
        self._role_names = " or ".join(
            f"the {r} role" for r in settings.manager_roles if not r.isdigit()
        )

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
        for role in interaction.user.roles:
            if str(role.id) in self._roles or role.name.casefold() in self._roles:
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
