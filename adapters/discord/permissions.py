"""The permissions briefbot needs in a Discord channel, and naming the missing ones."""

from __future__ import annotations

import discord

NAMES = {  # permission attribute → its name in Discord's settings
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "embed_links": "Embed Links",
}


def needed_permissions(channel_type: discord.ChannelType | None) -> tuple[str, ...]:
    """The permissions the bot needs to post a digest in a channel of this type.

    A forum post is opened with Send Messages and continued (a long digest) with Send
    Messages in Threads.
    """
    if channel_type in (discord.ChannelType.forum, discord.ChannelType.media):
        return ("view_channel", "send_messages", "send_messages_in_threads", "embed_links")
    if channel_type in (
        discord.ChannelType.public_thread,
        discord.ChannelType.private_thread,
        discord.ChannelType.news_thread,
    ):
        return ("view_channel", "send_messages_in_threads", "embed_links")
    return ("view_channel", "send_messages", "embed_links")


def missing_permissions(
    permissions: discord.Permissions, channel_type: discord.ChannelType | None
) -> list[str]:
    """The names (as Discord's settings show them) of the needed permissions that are missing.

    Args:
        permissions: the bot's resolved permissions in the channel.
        channel_type: the channel's type.
    """
    return [
        NAMES[name] for name in needed_permissions(channel_type) if not getattr(permissions, name)
    ]


def words(names: list[str]) -> str:
    """Names joined for a sentence: "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
