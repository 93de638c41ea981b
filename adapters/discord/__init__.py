"""briefbot on Discord: slash commands, embeds, buttons, and posting digests, through discord.py."""

from __future__ import annotations

from adapters.discord.adapter import DiscordAdapter, DiscordStartError
from adapters.discord.embeds import Outgoing, render
from adapters.discord.policy import DiscordPolicy
from adapters.discord.settings import DiscordSettings, DiscordSettingsError

__all__ = [
    "DiscordAdapter",
    "DiscordPolicy",
    "DiscordSettings",
    "DiscordSettingsError",
    "DiscordStartError",
    "Outgoing",
    "render",
]
