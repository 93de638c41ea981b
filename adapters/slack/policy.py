"""Who may change a channel's digest, and whether the bot can post there, as Slack says."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from slack_sdk.errors import SlackApiError

from adapters.base import Target
from adapters.slack.poster import Poster
from briefings.chat.access import Caller, Permission

log = logging.getLogger(__name__)

_ADMIN_TTL = 60.0
"""Seconds a workspace admin check is trusted: a demoted admin keeps rights this long."""


class SlackPolicy:
    """Who may manage a channel's digest (configured admins, workspace admins and owners),
    and whether the bot can post in a channel."""

    def __init__(self, poster: Poster, admins: Sequence[str]) -> None:
        self.poster = poster
        self.admins = frozenset(admins)
        self._roles: dict[str, tuple[float, bool]] = {}

    async def _is_workspace_admin(self, user: str) -> bool:
        cached = self._roles.get(user)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        info = (await self.poster.client.users_info(user=user))["user"]
        admin = bool(info.get("is_admin") or info.get("is_owner") or info.get("is_primary_owner"))
        self._roles[user] = (time.monotonic() + _ADMIN_TTL, admin)
        return admin

    async def may_manage(self, caller: Caller) -> Permission:
        """Configured admins and workspace admins/owners may change a channel's digest."""
        if caller.user in self.admins:
            return Permission(True)
        try:
            if await self._is_workspace_admin(caller.user):
                return Permission(True)
        except SlackApiError as exc:
            log.warning("users.info failed for %s: %s", caller.user, exc)
            return Permission(False, "briefbot could not check your role with Slack; try again.")
        return Permission(
            False,
            "Only a workspace admin or owner, or one of briefbot's configured admins, can "
            "change this channel's digest. Ask one of them.",
        )

    async def can_post(self, caller: Caller) -> Permission:
        """Whether the bot can post in the caller's channel (a DM always works)."""
        if caller.channel is None:
            return Permission(True)
        target = Target("slack", caller.workspace, caller.channel)
        reach = await self.poster.reachable(target)
        return Permission(reach.ok, reach.reason)
