"""briefbot on Discord: slash commands, embeds, buttons, and posting digests, through discord.py."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    # discord.py's voice support imports audioop, deprecated since Python 3.11; briefbot
    # uses no voice, and test runs turn warnings into errors.
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord  # noqa: F401

from adapters.discord.adapter import DiscordAdapter, DiscordStartError
from adapters.discord.policy import DiscordPolicy
from adapters.discord.render import Outgoing, render
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
