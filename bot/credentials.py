"""Credential shapes: whether a token or a secret looks like one the platform issues.

``check-config`` runs these on the enabled platforms so that a placeholder ("abc", a
user token, a secret pasted into the wrong key) is caught before the bot starts, with the
place to find the right value. Shapes only: nothing here contacts Slack or Discord.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import re
from collections.abc import Iterable

_DISCORD_TOKEN = re.compile(r"[A-Za-z0-9_-]{17,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}")
_SLACK_BOT = re.compile(r"xoxb-\d+-\d+-[A-Za-z0-9]+")
_SLACK_APP = re.compile(r"xapp-\d+-[A-Z0-9]+-\d+-[A-Za-z0-9]+")
_SLACK_SECRET = re.compile(r"[0-9a-f]{32}")


def nearest_key(key: str, known: Iterable[str]) -> str | None:
    """The known key an unknown one most likely meant ("tokn" → "token"), or None.

    Args:
        key: the key as written.
        known: the keys that exist there.
    """
    hits = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return hits[0] if hits else None


def discord_token_id(token: str) -> int | None:
    """The application (bot user) id a Discord bot token starts with, or None when the
    token does not have a bot token's shape (three dot-separated base64url parts, the
    first an id)."""
    if not _DISCORD_TOKEN.fullmatch(token):
        return None
    first = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(decoded) if decoded.isdigit() and 15 <= len(decoded) <= 21 else None


def discord_problems(token: str, application_id: int | None) -> list[str]:
    """What is wrong with Discord credentials, each naming the key and where to look.

    Args:
        token: ``platforms.discord.token``.
        application_id: ``platforms.discord.application_id``, None when unset.
    """
    problems: list[str] = []
    token_id = discord_token_id(token.strip())
    if token_id is None:
        problems.append(
            "platforms.discord.token does not look like a Discord bot token (three parts "
            "separated by dots, about 70 characters): copy it from the Developer Portal, "
            "your application's Bot page, Reset Token"
        )
    if application_id is None:
        hint = f" (this token belongs to {token_id})" if token_id is not None else ""
        problems.append(
            "platforms.discord.application_id is missing: copy the Application ID from the "
            f"Developer Portal's General Information page{hint}"
        )
    return problems


def slack_problems(
    bot_token: str, *, mode: str, app_token: str | None, signing_secret: str | None
) -> list[str]:
    """What is wrong with Slack credentials, each naming the key and where to look.

    Args:
        bot_token: ``platforms.slack.bot_token``.
        mode: ``http`` or ``socket``.
        app_token: ``platforms.slack.app_token`` (Socket Mode).
        signing_secret: ``platforms.slack.signing_secret`` (HTTP mode).
    """
    problems: list[str] = []
    if not _SLACK_BOT.fullmatch(bot_token.strip()):
        problems.append(
            "platforms.slack.bot_token does not look like a bot token (xoxb-<digits>-<digits>-"
            "<letters and digits>): copy the Bot User OAuth Token from your app's OAuth & "
            "Permissions page"
        )
    if mode == "socket" and not _SLACK_APP.fullmatch((app_token or "").strip()):
        problems.append(
            "platforms.slack.app_token does not look like an app-level token (xapp-1-…): "
            "create one with the connections:write scope on your app's Basic Information page"
        )
    if mode == "http" and not _SLACK_SECRET.fullmatch((signing_secret or "").strip()):
        problems.append(
            "platforms.slack.signing_secret does not look like a signing secret (32 hex "
            "characters): copy it from your app's Basic Information page, App Credentials"
        )
    return problems
