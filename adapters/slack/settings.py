"""Slack adapter settings: tokens, transport mode, command prefix and admins, validated once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from briefings.errors import BriefingError

SlackMode = Literal["http", "socket"]

COMMANDS = (
    "brief",
    "actor",
    "event",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "digest",
    "help",
)
"""The slash commands briefbot registers, without the prefix."""

_PREFIX = re.compile(r"[a-z0-9_-]{0,16}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


class SlackSettingsError(BriefingError):
    """A Slack setting is missing or malformed; the message names the key."""


@dataclass(frozen=True, slots=True)
class SlackSettings:
    """Everything the Slack adapter needs, and nothing else.

    Attributes:
        bot_token: the bot token (``xoxb-…``), used for every Web API call.
        mode: ``socket`` (an outbound websocket; needs ``app_token``) or ``http`` (Slack
            posts signed requests to ``path``; needs ``signing_secret`` and a public URL).
        app_token: the app-level token (``xapp-…``) with ``connections:write``; Socket Mode.
        signing_secret: the app's signing secret; HTTP mode.
        path: the HTTP path Slack posts commands and interactions to.
        host: the address the HTTP server listens on.
        port: the port the HTTP server listens on (0 picks a free one).
        public_url: the public base URL in front of ``path`` (for the manifest only).
        api_base_url: the Web API base URL (a proxy, an Enterprise endpoint, a test fake).
        command_prefix: put before every command name, so two bots can share a workspace
            (``bb-`` gives ``/bb-brief``).
        admins: user ids that may change any channel's digest, besides workspace admins.
        app_name: the app's name in the manifest.
        ephemeral: answer commands only to the caller (with a "Share in channel" button).
        ack_budget: seconds to wait for an answer before acknowledging empty and
            answering later through ``response_url`` (Slack allows 3).
        channel_interval: the least time between two posts to one channel, in seconds.
        rate_limit_retries: how many times a post answered 429 is retried.
    """

    bot_token: str
    mode: SlackMode = "socket"
    app_token: str | None = None
    signing_secret: str | None = None
    path: str = "/slack/events"
    host: str = "0.0.0.0"
    port: int = 3000
    public_url: str | None = None
    api_base_url: str = "https://slack.com/api/"
    command_prefix: str = ""
    admins: tuple[str, ...] = ()
    app_name: str = "briefbot"
    ephemeral: bool = True
    ack_budget: float = 2.0
    channel_interval: float = 1.0
    rate_limit_retries: int = 3

    def __post_init__(self) -> None:
        if not self.bot_token.startswith("xoxb-"):
            raise SlackSettingsError("slack.bot_token must be a bot token starting with 'xoxb-'")
        if self.mode not in ("http", "socket"):
            raise SlackSettingsError(f"slack.mode must be 'http' or 'socket', not {self.mode!r}")
        if self.mode == "socket" and not (self.app_token or "").startswith("xapp-"):
            raise SlackSettingsError(
                "slack.app_token (an app-level token starting with 'xapp-') is needed in "
                "Socket Mode"
            )
        if self.mode == "http" and not self.signing_secret:
            raise SlackSettingsError("slack.signing_secret is needed in HTTP mode")
        if not self.path.startswith("/"):
            raise SlackSettingsError(f"slack.path must start with '/', not {self.path!r}")
        if not 0 <= self.port <= 65535:
            raise SlackSettingsError(f"slack.port must be 0-65535, not {self.port}")
        if not self.api_base_url.startswith(("https://", "http://")):
            raise SlackSettingsError("slack.api_base_url must be an http(s) URL")
        if not self.api_base_url.endswith("/"):
            object.__setattr__(self, "api_base_url", self.api_base_url + "/")
        if not _PREFIX.fullmatch(self.command_prefix):
            raise SlackSettingsError(
                "slack.command_prefix may hold up to 16 lowercase letters, digits, '-' or '_', "
                f"not {self.command_prefix!r}"
            )
        for admin in self.admins:
            if not _USER_ID.fullmatch(admin):
                raise SlackSettingsError(f"slack.admins holds {admin!r}, which is not a user id")
        if not 0.1 <= self.ack_budget <= 2.8:
            raise SlackSettingsError("slack.ack_budget must be between 0.1 and 2.8 seconds")
        if self.channel_interval < 0:
            raise SlackSettingsError("slack.channel_interval must not be negative")
        if self.rate_limit_retries < 0:
            raise SlackSettingsError("slack.rate_limit_retries must not be negative")

    def command(self, name: str) -> str:
        """The slash command for a command name, with the prefix: ``/bb-brief``."""
        return f"/{self.command_prefix}{name}"

    def commands(self) -> dict[str, str]:
        """Every registered slash command, mapped to its unprefixed name."""
        return {self.command(name): name for name in COMMANDS}
