"""Slack adapter settings: tokens, transport mode, command prefix and admins, validated once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from briefings.chat.grammar import COMMAND_NAMES
from briefings.errors import BriefingError

SlackMode = Literal["http", "socket"]

COMMANDS = COMMAND_NAMES
"""The slash commands briefbot registers, without the prefix: every command the grammar knows."""

_PREFIX = re.compile(r"[a-z0-9_-]{0,16}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


class SlackSettingsError(BriefingError):
    """A Slack setting is missing or malformed; the message names the key."""


def _error(key: str, text: str) -> SlackSettingsError:
    return SlackSettingsError(f"platforms.slack.{key} {text}")


def check_prefix(prefix: str) -> str:
    """Check a command prefix: up to 16 lowercase letters, digits, ``-`` or ``_``.

    Args:
        prefix: what goes before every command name.
    """
    if not _PREFIX.fullmatch(prefix):
        raise _error(
            "command_prefix", f"may hold up to 16 of a-z, 0-9, '-' and '_', not {prefix!r}"
        )
    return prefix


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
        workspace_rate: posts per second across the workspace (None: only the per-channel
            pace); spreads a fan-out to many channels evenly under Slack's limit.
        reconcile: look a post whose outcome is unknown (5xx, dropped connection) up in
            the channel's history before sending it again; needs the ``*:history`` scopes.
        header_timeout: HTTP mode: seconds a new connection has to send a request head.
        idle_timeout: HTTP mode: seconds an idle kept-alive connection stays open.
        request_timeout: HTTP mode: seconds a request (body and answer) may take.
        max_connections: HTTP mode: connections open at once; more are refused with 503.
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
    workspace_rate: float | None = None
    reconcile: bool = True
    header_timeout: float = 10.0
    idle_timeout: float = 30.0
    request_timeout: float = 60.0
    max_connections: int = 256

    def __post_init__(self) -> None:
        if not self.bot_token.startswith("xoxb-"):
            raise _error("bot_token", "must be a bot token starting with 'xoxb-'")
        if self.mode not in ("http", "socket"):
            raise _error("mode", f"must be 'http' or 'socket', not {self.mode!r}")
        if self.mode == "socket" and not (self.app_token or "").startswith("xapp-"):
            raise _error("app_token", "(an app-level token starting with 'xapp-') is needed")
        if self.mode == "http" and not self.signing_secret:
            raise _error("signing_secret", "is needed in HTTP mode")
        if not self.path.startswith("/"):
            raise _error("path", f"must start with '/', not {self.path!r}")
        if not 0 <= self.port <= 65535:
            raise _error("port", f"must be 0-65535, not {self.port}")
        if not self.api_base_url.startswith(("https://", "http://")):
            raise _error("api_base_url", "must be an http(s) URL")
        if not self.api_base_url.endswith("/"):
            object.__setattr__(self, "api_base_url", self.api_base_url + "/")
        check_prefix(self.command_prefix)
        for admin in self.admins:
            if not _USER_ID.fullmatch(admin):
                raise _error("admins", f"holds {admin!r}, which is not a user id")
        if not 0.1 <= self.ack_budget <= 2.8:
            raise _error("ack_budget", "must be between 0.1 and 2.8 seconds")
        if self.channel_interval < 0:
            raise _error("channel_interval", "must not be negative")
        if self.workspace_rate is not None and self.workspace_rate <= 0:
            raise _error("workspace_rate", "must be positive")
        if self.rate_limit_retries < 0:
            raise _error("rate_limit_retries", "must not be negative")
        for key in ("header_timeout", "idle_timeout", "request_timeout"):
            if getattr(self, key) <= 0:
                raise _error(key, "must be positive")
        if self.max_connections < 1:
            raise _error("max_connections", "must be at least 1")

    def command(self, name: str) -> str:
        """The slash command for a command name, with the prefix: ``/bb-brief``."""
        return f"/{self.command_prefix}{name}"

    def commands(self) -> dict[str, str]:
        """Every registered slash command, mapped to its unprefixed name."""
        return {self.command(name): name for name in COMMANDS}

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> SlackSettings:
        """Settings from the ``[platforms.slack]`` table of the config file.

        Args:
            options: the table's keys (secrets already interpolated), ``enabled`` removed.

        Raises:
            SlackSettingsError: a key is unknown, missing or has the wrong type.
        """
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in options.items():
            if key not in known:
                close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                hint = f" Did you mean {close[0]}?" if close else ""
                raise _error(key, f"is not a Slack setting.{hint} (known: {', '.join(known)})")
            values[key] = _coerce(key, value)
        if "bot_token" not in values:
            raise _error("bot_token", "is missing")
        return cls(**values)


_TYPES: dict[str, tuple[type, ...]] = {
    "bot_token": (str,),
    "mode": (str,),
    "app_token": (str,),
    "signing_secret": (str,),
    "path": (str,),
    "host": (str,),
    "port": (int,),
    "public_url": (str,),
    "api_base_url": (str,),
    "command_prefix": (str,),
    "admins": (list, tuple),
    "app_name": (str,),
    "ephemeral": (bool,),
    "ack_budget": (int, float),
    "channel_interval": (int, float),
    "rate_limit_retries": (int,),
    "workspace_rate": (int, float),
    "reconcile": (bool,),
    "header_timeout": (int, float),
    "idle_timeout": (int, float),
    "request_timeout": (int, float),
    "max_connections": (int,),
}


def _type_ok(value: object, expected: tuple[type, ...]) -> bool:
    numeric = int in expected or float in expected
    return isinstance(value, expected) and not (isinstance(value, bool) and numeric)


def _coerce(key: str, value: Any) -> Any:
    expected = _TYPES[key]
    if not _type_ok(value, expected):
        names = " or ".join(t.__name__ for t in expected)
        raise _error(key, f"must be a {names}, not {value!r}")
    if key == "admins":
        if not all(isinstance(a, str) for a in value):
            raise _error("admins", "must be a list of user ids")
        return tuple(value)
    if float in expected:
        return float(value)
    return value
