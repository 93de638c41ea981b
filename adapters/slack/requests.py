"""The parts of Slack's request bodies the adapter reads: slash commands and button presses.

Slack sends more than this (see its "slash commands" and "block_actions" references); these
TypedDicts name only what :mod:`adapters.slack.adapter` uses, and what may be missing.
"""

from __future__ import annotations

from typing import Required, TypedDict


class CommandBody(TypedDict, total=False):
    """A slash command (``application/x-www-form-urlencoded``, parsed by bolt)."""

    command: Required[str]
    """The command as typed, with its slash: ``/brief``."""
    text: str | None
    team_id: Required[str]
    user_id: Required[str]
    channel_id: str | None
    """Missing or a ``D…`` id in a DM."""
    response_url: str


class Ref(TypedDict):
    """An object Slack names by id (a team, a channel)."""

    id: str


class ActionUser(TypedDict, total=False):
    """Who pressed a button."""

    id: Required[str]
    team_id: str


class Action(TypedDict, total=False):
    """One pressed button: ``briefbot:<kind>:<n>`` and its value."""

    action_id: Required[str]
    value: str | None


class Container(TypedDict, total=False):
    """Where the message with the button is."""

    channel_id: str


class ActionBody(TypedDict, total=False):
    """A ``block_actions`` interaction (a button press)."""

    actions: Required[list[Action]]
    user: Required[ActionUser]
    team: Ref | None
    channel: Ref | None
    container: Container | None
