"""The Slack app manifest: exactly the scopes, commands, interactivity and mode briefbot uses."""

from __future__ import annotations

from typing import Any

import yaml

from adapters.slack.settings import COMMANDS, SlackMode, SlackSettingsError, check_prefix

COMMAND_INFO: dict[str, tuple[str, str]] = {
    "brief": ("The stories of the last day or week", "[24h|7d] [NAME [only], …]"),
    "actor": ("What briefbot knows about an actor", "NAME [only] [all]"),
    "event": ("Find events: who did what to whom, when", "QUERY [type:TYPE] [7d]"),
    "subscribe": (
        "Get a DM when an actor is in the news",
        "NAME [only] [instant|daily [HH:MM] [TIMEZONE]] [here]",
    ),
    "unsubscribe": ("Stop following an actor", "NAME [here]"),
    "subscriptions": ("The actors you follow", "[here]"),
    "digest": (
        "This channel's digest: show or change it",
        "[weekdays] 08:00 Europe/Berlin | actors A, B | exclude | types | keywords | empty | off",
    ),
    "help": ("How to use briefbot", "[COMMAND]"),
}
"""Each command's description and usage hint, as Slack shows them."""

BASE_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "channels:read",
    "groups:read",
    "users:read",
)
"""Slash commands; posting; opening DMs; checking a channel; checking a caller's role."""

HISTORY_SCOPES = ("channels:history", "groups:history", "im:history")
"""Reading a channel's recent messages, to find a post whose outcome was unknown."""


def scopes(*, reconcile: bool) -> list[str]:
    """The bot scopes briefbot needs.

    Args:
        reconcile: whether unknown post outcomes are looked up in channel history.
    """
    return list(BASE_SCOPES + (HISTORY_SCOPES if reconcile else ()))


def build_manifest(
    *,
    name: str = "briefbot",
    mode: SlackMode = "socket",
    prefix: str = "",
    request_url: str | None = None,
    reconcile: bool = True,
) -> dict[str, Any]:
    """The manifest as a dictionary.

    Args:
        name: the app's and the bot user's display name.
        mode: ``socket`` (no public URL) or ``http`` (Slack posts to ``request_url``).
        prefix: put before every command name.
        request_url: the public URL of the events path; required in HTTP mode.
        reconcile: whether the history scopes are needed.

    Raises:
        SlackSettingsError: HTTP mode without a request URL, or a bad prefix.
    """
    check_prefix(prefix)
    if mode == "http" and not request_url:
        raise SlackSettingsError(
            "platforms.slack.public_url is needed for the manifest in HTTP mode "
            "(the https:// address Slack will post to)"
        )
    commands = []
    for command in COMMANDS:
        description, hint = COMMAND_INFO[command]
        entry: dict[str, Any] = {
            "command": f"/{prefix}{command}",
            "description": description,
            "usage_hint": hint,
            "should_escape": False,
        }
        if mode == "http":
            entry["url"] = request_url
        commands.append(entry)
    interactivity: dict[str, Any] = {"is_enabled": True}
    if mode == "http":
        interactivity["request_url"] = request_url
    return {
        "display_information": {
            "name": name,
            "description": "Briefings, actors and events from the news, in Slack",
            "background_color": "#1d3557",
        },
        "features": {
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": scopes(reconcile=reconcile)}},
        "settings": {
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": mode == "socket",
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(manifest: dict[str, Any]) -> str:
    """The manifest as YAML, in the order Slack's editor shows it."""
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)
