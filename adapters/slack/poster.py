"""Posting to Slack: paced ``chat.postMessage`` to channels and DMs, errors mapped for the outbox.

One :class:`Poster` per workspace token. Posts are paced by :mod:`adapters.slack.pacing`
(per channel, across the workspace, shared by processes). A post answered 429 holds every
post for ``Retry-After`` and is retried through the pacer, waiting for a slot like any
post (other Web API calls are retried by the SDK's rate-limit handler).

Each message carries the delivery key (and its part number) in its message metadata, so a
post whose outcome was unknown — a 5xx, a dropped connection, or a bot process killed
between the post and its record — is found in the channel's history
(``conversations.history`` with ``include_all_metadata``) before anything is sent again:
a retry never duplicates a message that did arrive, even after a restart.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.base import DeliveryError, Found, Reachability, Sent, Target
from adapters.slack.kit import Message
from adapters.slack.pacing import (
    CATCH_UP,
    PacedRateLimitHandler,
    Pacer,
    SharedPace,
    make_client,
    posting_client,
)

__all__ = [
    "CATCH_UP",
    "METADATA_EVENT",
    "PacedRateLimitHandler",
    "Pacer",
    "Poster",
    "SharedPace",
    "make_client",
    "posting_client",
]

METADATA_EVENT = "briefbot_delivery"
PERMANENT_ERRORS = {
    "channel_not_found": "the channel no longer exists or the bot cannot see it",
    "not_in_channel": "the bot is not a member of the channel; invite it with /invite",
    "is_archived": "the channel is archived",
    "account_inactive": "the account is deactivated",
    "user_not_found": "no such user",
    "user_disabled": "the user is deactivated",
    "cannot_dm_bot": "the user is a bot",
    "invalid_auth": "the bot token is not valid",
    "token_revoked": "the bot token was revoked",
    "missing_scope": "the app lacks a scope it needs; reinstall it from the manifest",
}
_REMEMBERED_KEYS = 10_000
HISTORY_MARGIN = timedelta(minutes=5)
"""How far before a post's recorded start its channel history is searched (clock skew)."""
HISTORY_PAGE = 200
"""Messages per ``conversations.history`` page while looking a delivery up."""


def _error_of(exc: SlackApiError) -> str:
    data = exc.response.data
    return str(data.get("error", "")) if isinstance(data, dict) else ""


def _retry_after(exc: SlackApiError) -> float | None:
    value = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class Poster:
    """Posts rendered messages to channels and users of one workspace."""

    def __init__(
        self,
        client: AsyncWebClient,
        pacer: Pacer,
        *,
        reconcile: bool = True,
        rate_limit_retries: int = 3,
    ) -> None:
        self.client = client
        self.posting = posting_client(client)
        self.pacer = pacer
        self.reconcile = reconcile
        self.rate_limit_retries = rate_limit_retries
        self._dms: dict[str, str] = {}
        self._dm_locks: dict[str, asyncio.Lock] = {}
        self._delivered: OrderedDict[str, dict[int, str]] = OrderedDict()
        self._unknown: set[str] = set()

    async def dm_channel(self, user: str) -> str:
        """The DM channel with ``user``, opened once per user and remembered."""
        if user in self._dms:
            return self._dms[user]
        async with self._dm_locks.setdefault(user, asyncio.Lock()):
            if user not in self._dms:
                try:
                    response = await self.client.conversations_open(users=user)
                except SlackApiError as exc:
                    raise self._delivery_error(exc, f"user {user}") from exc
                except (aiohttp.ClientError, TimeoutError) as exc:
                    raise DeliveryError(f"opening a DM failed: {exc}", permanent=False) from exc
                self._dms[user] = str(response["channel"]["id"])
        return self._dms[user]

    async def post(
        self,
        target: Target,
        messages: Sequence[Message],
        *,
        key: str,
        already: Mapping[int, str] | None = None,
    ) -> Sent:
        """Post ``messages`` in order to a channel or a user's DM.

        Args:
            target: a channel, or a user (the message goes to their DM).
            messages: the rendered reply, one or more messages.
            key: the delivery's unique key; parts already posted under it are not sent twice.
            already: parts known to be on Slack already (part number → ts), not posted.

        Raises:
            DeliveryError: permanent for a target that cannot receive messages, transient
                (with ``retry_after`` when Slack gave one) for anything worth retrying.
        """
        channel = await self.channel_of(target)
        delivered = self._delivered.setdefault(key, {})
        delivered.update(already or {})
        self._delivered.move_to_end(key)
        while len(self._delivered) > _REMEMBERED_KEYS:
            self._delivered.popitem(last=False)
        if key in self._unknown and self.reconcile:
            found = await self._look_up(channel, key, None)
            for part, ts in found.items():
                delivered.setdefault(part, ts)
        for part, message in enumerate(messages):
            if part in delivered:
                continue
            delivered[part] = await self._post_one(
                channel,
                message,
                workspace=target.workspace,
                key=key,
                part=part,
                parts=len(messages),
                first=not delivered,
            )
        self._unknown.discard(key)
        self._delivered.pop(key, None)
        return Sent(tuple(delivered[p] for p in range(len(messages))))

    async def channel_of(self, target: Target) -> str:
        """The conversation a target's messages go to (a user's DM is opened once)."""
        return await self.dm_channel(target.id) if target.kind == "user" else target.id

    async def find(self, target: Target, key: str, parts: int, *, since: datetime) -> Found:
        """Which of a delivery's ``parts`` messages are in the target's history.

        Args:
            target: the channel or user the delivery went to.
            key: the key in the messages' metadata.
            parts: how many messages the delivery has.
            since: when its post began; history from :data:`HISTORY_MARGIN` before is read.

        Raises:
            DeliveryError: Slack could not be asked (permanent when the channel is gone).
        """
        channel = await self.channel_of(target)
        found = await self._look_up(channel, key, since - HISTORY_MARGIN)
        return Found(tuple(found.get(p) for p in range(parts)))

    async def _post_one(
        self,
        channel: str,
        message: Message,
        *,
        workspace: str,
        key: str,
        part: int,
        parts: int,
        first: bool,
    ) -> str:
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key, "part": part}}
        self.posting.session = self.client.session
        attempt = 0
        while True:
            async with self.pacer.slot(channel, workspace):
                try:
                    response = await self.posting.chat_postMessage(
                        channel=channel,
                        text=message.text,
                        blocks=list(message.blocks),
                        metadata=metadata,
                        unfurl_links=False,
                        unfurl_media=False,
                    )
                    return str(response["ts"])
                except SlackApiError as exc:
                    status = exc.response.status_code
                    if status == 429 and attempt < self.rate_limit_retries:
                        attempt += 1
                        self.pacer.hold(_retry_after(exc) or 1.0, workspace)
                        continue  # the next attempt waits out the hold and a new slot
                    if status >= 500:
                        self._unknown.add(key)
                    raise self._delivery_error(exc, f"channel {channel}", unsent=first) from exc
                except (aiohttp.ClientError, TimeoutError) as exc:
                    self._unknown.add(key)
                    raise DeliveryError(
                        f"posting part {part + 1} of {parts} failed: {exc}", permanent=False
                    ) from exc

    async def _look_up(self, channel: str, key: str, oldest: datetime | None) -> dict[int, str]:
        """The parts of ``key`` in a channel's history (from ``oldest``), by part number."""
        found: dict[int, str] = {}
        cursor: str | None = None
        args: dict[str, Any] = {"channel": channel, "include_all_metadata": True}
        if oldest is not None:
            args["oldest"] = f"{max(oldest.timestamp(), 0.0):.6f}"
            args["limit"] = HISTORY_PAGE
        else:
            args["limit"] = 100
        while True:
            try:
                response = await self.client.conversations_history(**args, cursor=cursor)
            except SlackApiError as exc:
                raise self._delivery_error(exc, f"channel {channel}") from exc
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise DeliveryError(
                    f"checking earlier posts failed: {exc}", permanent=False
                ) from exc
            messages: list[dict[str, Any]] = response.get("messages") or []
            for msg in messages:
                meta = msg.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if meta.get("event_type") == METADATA_EVENT and payload.get("key") == key:
                    found.setdefault(int(payload.get("part", 0)), str(msg["ts"]))
            meta = response.get("response_metadata") or {}
            cursor = meta.get("next_cursor") or None
            if oldest is None or not response.get("has_more") or cursor is None:
                return found

    def _delivery_error(
        self, exc: SlackApiError, where: str, *, unsent: bool = False
    ) -> DeliveryError:
        """The delivery error for a Slack answer; ``unsent`` when it concerns the first part
        and Slack's answer says the message was refused (an error, not a lost reply)."""
        error = _error_of(exc)
        status = exc.response.status_code
        refused = unsent and status < 500
        if error in PERMANENT_ERRORS:
            return DeliveryError(
                f"{where}: {PERMANENT_ERRORS[error]} ({error})", permanent=True, unsent=refused
            )
        if status == 429:
            return DeliveryError(
                f"{where}: rate limited by Slack",
                permanent=False,
                retry_after=_retry_after(exc),
                unsent=refused,
            )
        reason = error or f"HTTP {status}"
        return DeliveryError(f"{where}: Slack answered {reason}", permanent=False, unsent=refused)

    async def reachable(self, target: Target) -> Reachability:
        """Whether the bot can post to ``target`` now, and if not, what to do about it."""
        try:
            if target.kind == "user":
                user = (await self.client.users_info(user=target.id))["user"]
                if user.get("deleted"):
                    return Reachability(False, "that user is deactivated")
                if user.get("is_bot"):
                    return Reachability(False, "that user is a bot")
                return Reachability(True)
            info = (await self.client.conversations_info(channel=target.id))["channel"]
        except SlackApiError as exc:
            error = _error_of(exc)
            if error == "channel_not_found":
                return Reachability(
                    False,
                    "briefbot cannot see this channel; invite it with /invite @briefbot",
                )
            return Reachability(False, PERMANENT_ERRORS.get(error, f"Slack answered {error}"))
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Reachability(False, f"Slack could not be reached: {exc}")
        if info.get("is_archived"):
            return Reachability(False, "this channel is archived")
        if not info.get("is_member") and not info.get("is_im"):
            return Reachability(
                False, "briefbot is not in this channel; invite it with /invite @briefbot"
            )
        return Reachability(True)
