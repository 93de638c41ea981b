"""The invite link: exactly the OAuth2 scopes and permission bits the Discord adapter uses."""

from __future__ import annotations

import discord

from adapters.discord.permissions import NAMES, needed_permissions

SCOPES = ("bot", "applications.commands")
"""``bot`` joins the server; ``applications.commands`` lets it register slash commands."""


def permissions() -> discord.Permissions:
    """The union of what posting needs in every kind of channel briefbot posts to."""
    names = {
        name
        for kind in (
            discord.ChannelType.text,
            discord.ChannelType.forum,
            discord.ChannelType.public_thread,
        )
        for name in needed_permissions(kind)
    }
    return discord.Permissions(**dict.fromkeys(sorted(names), True))


def invite_url(application_id: int, *, guild_id: int | None = None) -> str:
    """The URL that adds the bot to a server with exactly briefbot's scopes and permissions.

    Args:
        application_id: the application's id (the Developer Portal's "General Information").
        guild_id: preselect this server in the dialog.
    """
    guild = discord.Object(guild_id) if guild_id is not None else discord.utils.MISSING
    return discord.utils.oauth_url(
        application_id, permissions=permissions(), scopes=SCOPES, guild=guild
    )


def explain() -> list[str]:
    """One line per scope and permission, saying why briefbot asks for it."""
    perms = permissions()
    lines = [
        "scope bot: join the server as a bot user",
        "scope applications.commands: register /brief, /actor, /event, /subscribe, ...",
    ]
    why = {
        "view_channel": "see the channels it posts digests in",
        "send_messages": "post digests, and open forum posts",
        "send_messages_in_threads": "continue a long digest inside its forum post",
        "embed_links": "show digests and answers as embeds",
    }
    for name, label in NAMES.items():
        if getattr(perms, name):
            lines.append(f"permission {label} ({name}): {why[name]}")
    lines.append(f"permission bits: {perms.value}")
    return lines
