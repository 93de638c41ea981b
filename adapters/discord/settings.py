"""The Discord adapter's settings: one frozen, validated object the bot builds from its config."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from briefings.errors import BriefingError

DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"


class DiscordSettingsError(BriefingError):
    """A Discord setting is missing or malformed; the message names it."""


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    """Everything the Discord adapter needs, and nothing else.

    Attributes:
        token: the bot token (from the Developer Portal's "Bot" page).
        application_id: the application's id; read from Discord at login when ``None``.
        guild_ids: guilds to sync the slash commands to (instant); empty syncs them
            globally (may take up to an hour to show everywhere).
        sync_commands: sync the command tree at start. Turn off when another process
            (another shard group, a deploy step) does it.
        api_base_url: the REST base URL, ``/api/v10`` included; point several bot
            processes at one rate-limit proxy, or tests at a fake.
        gateway_url: the gateway websocket URL.
        shard_count: the total number of shards; set it (with ``shard_ids``) to run sharded.
        shard_ids: the shards this process runs; all of them when ``None``.
        manager_roles: role ids whose members may change a channel's digest even without
            the Manage Channels permission. A name (case-insensitive) is looked up once per
            guild, with a warning to put the id instead.
        admin_ids: user ids told about permanent delivery failures; they may also change
            any channel's digest.
        defer_after: seconds to wait for an answer before deferring the interaction
            (Discord allows 3 s for the first response).
        ephemeral: answer slash commands privately (with a "Share" button).
        crosspost_announcements: publish digests posted in announcement channels to the
            channels that follow them.
        max_ratelimit_timeout: a rate limit longer than this many seconds (at least 30)
            fails the delivery (to be retried from the outbox) instead of waiting.
        requests_per_second: this process's budget for Discord's global REST limit
            (50 requests/s per bot) while posting digests.
        guild_ready_timeout: seconds discord.py waits for further guilds before ``ready``.
        rate_window: the length in seconds of Discord's global rate-limit window (1; a
            benchmark against a fake with scaled-down limits scales it too).
        rate_margin: seconds a request may take to reach Discord, clocks' disagreement
            included; a request whose answer carries no rate-limit headers holds its
            slot of the global budget until ``rate_window`` after that (or after its
            answer, when that came sooner); one whose answer does, until ``rate_window``
            after Discord counted it (see :class:`~adapters.discord.pacing.Pacer`).
        nonce_window: seconds after a post began during which sending it again with the
            same nonces is trusted not to duplicate it (Discord checks ``enforce_nonce``
            "in the past few minutes"); an older post left in doubt is looked up in the
            channel's recent messages instead.
    """

    token: str
    application_id: int | None = None
    guild_ids: tuple[int, ...] = ()
    sync_commands: bool = True
    api_base_url: str = DISCORD_API_BASE
    gateway_url: str = DISCORD_GATEWAY
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    manager_roles: tuple[str, ...] = ()
    admin_ids: tuple[int, ...] = ()
    defer_after: float = 1.5
    ephemeral: bool = True
    crosspost_announcements: bool = True
    max_ratelimit_timeout: float = 30.0
    requests_per_second: float = 45.0
    guild_ready_timeout: float = 2.0
    nonce_window: float = 60.0
    rate_window: float = 1.0
    rate_margin: float = 0.05

    def __post_init__(self) -> None:
        if not self.token.strip():
            raise DiscordSettingsError("platforms.discord.token is empty: set it to the bot token")
        if not self.api_base_url.startswith(("http://", "https://")):
            raise DiscordSettingsError(
                f"platforms.discord.api_base_url must be an http(s) URL, not {self.api_base_url!r}"
            )
        if not self.gateway_url.startswith(("ws://", "wss://")):
            raise DiscordSettingsError(
                f"platforms.discord.gateway_url must be a ws(s) URL, not {self.gateway_url!r}"
            )
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise DiscordSettingsError(
                    "platforms.discord.shard_ids needs platforms.discord.shard_count"
                )
            bad = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if bad or not self.shard_ids:
                raise DiscordSettingsError(
                    f"platforms.discord.shard_ids must be a non-empty list of numbers in "
                    f"0..{self.shard_count - 1}, not {list(self.shard_ids)}"
                )
        if self.shard_count is not None and self.shard_count < 1:
            raise DiscordSettingsError("platforms.discord.shard_count must be at least 1")
        if not 0 < self.defer_after < 3:
            raise DiscordSettingsError(
                "platforms.discord.defer_after must be between 0 and 3 seconds"
            )
        if self.max_ratelimit_timeout < 30:
            raise DiscordSettingsError(
                "platforms.discord.max_ratelimit_timeout must be at least 30 (seconds)"
            )
        if self.requests_per_second <= 0:
            raise DiscordSettingsError("platforms.discord.requests_per_second must be positive")
        if not 0 < self.rate_window <= 60:
            raise DiscordSettingsError(
                "platforms.discord.rate_window must be between 0 and 60 seconds"
            )
        if not 0 <= self.rate_margin < self.rate_window:
            raise DiscordSettingsError(
                "platforms.discord.rate_margin must be at least 0 and less than rate_window"
            )
        if not 0 <= self.nonce_window <= 180:
            raise DiscordSettingsError(
                "platforms.discord.nonce_window must be between 0 and 180 seconds"
            )

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> DiscordSettings:
        """Settings from the ``[platforms.discord]`` table of the config file.

        Ids may be written as numbers or as strings of digits; lists become tuples.

        Args:
            options: the table's keys (secrets already interpolated), ``enabled`` removed.

        Raises:
            DiscordSettingsError: a key is unknown, missing or has the wrong type.
        """
        known = [f.name for f in fields(cls)]
        values: dict[str, Any] = {}
        for key, value in options.items():
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f" Did you mean {close[0]}?" if close else ""
                raise DiscordSettingsError(
                    f"platforms.discord.{key} is not a Discord setting.{hint} "
                    f"(known: {', '.join(known)})"
                )
            values[key] = _coerce(key, value)
        if "token" not in values:
            raise DiscordSettingsError("platforms.discord.token is missing")
        return cls(**values)

    @property
    def sharded(self) -> bool:
        """Whether the adapter runs an ``AutoShardedClient``."""
        return self.shard_count is not None


_STRINGS = {"token", "api_base_url", "gateway_url"}
_BOOLS = {"sync_commands", "ephemeral", "crosspost_announcements"}
_NUMBERS = {
    "defer_after",
    "max_ratelimit_timeout",
    "requests_per_second",
    "guild_ready_timeout",
    "nonce_window",
    "rate_window",
    "rate_margin",
}
_IDS = {"application_id", "shard_count"}
_ID_LISTS = {"guild_ids", "shard_ids", "admin_ids"}


def _error(key: str, text: str) -> DiscordSettingsError:
    return DiscordSettingsError(f"platforms.discord.{key} {text}")


def _id(key: str, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise _error(key, f"must be a number (an id), not {value!r}")


def _coerce(key: str, value: Any) -> Any:
    if key in _STRINGS:
        if not isinstance(value, str):
            raise _error(key, f"must be a string, not {value!r}")
        return value
    if key in _BOOLS:
        if not isinstance(value, bool):
            raise _error(key, f"must be true or false, not {value!r}")
        return value
    if key in _NUMBERS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _error(key, f"must be a number, not {value!r}")
        return float(value)
    if key in _IDS:
        return _id(key, value)
    if not isinstance(value, list | tuple):
        raise _error(key, f"must be a list, not {value!r}")
    if key in _ID_LISTS:
        return tuple(_id(key, v) for v in value)
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
        raise _error(key, "must be a list of role names or ids")
    return tuple(str(v) for v in value)
