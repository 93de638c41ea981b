"""Posting to Slack: paced ``chat.postMessage`` to channels and DMs, errors mapped for the outbox.

One :class:`Poster` per workspace token. Posts to one channel are serialised and spaced
by at least ``channel_interval`` seconds (Slack allows about one message a second per
channel); an optional workspace-wide rate spreads a fan-out evenly. A 429 is retried by
the SDK's rate-limit handler after ``Retry-After``, and holds every other post for that
long too. Each message carries the delivery key in its metadata, so a post whose outcome
was unknown (a 5xx, a dropped connection) is looked up in the channel's history before it
is sent again: a retry never duplicates a message that did arrive.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from adapters.base import DeliveryError, Reachability, Sent, Target
from adapters.slack.kit import Message

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
CATCH_UP = 2
"""How many workspace intervals a late post may make up at once (a burst of three)."""


class Pacer:
    """Spaces posts per channel and across the workspace, and holds everything after a 429.

    The workspace pace is decided when a post is sent, not booked ahead: a post that is late
    (timers overshoot, the event loop stalls) lets at most ``CATCH_UP`` more go out at once
    to make up the time, never the whole backlog.
    """

    def __init__(self, channel_interval: float, workspace_rate: float | None = None) -> None:
        self.channel_interval = channel_interval
        self.workspace_rate = workspace_rate
        self._locks: dict[str, asyncio.Lock] = {}
        self._next: dict[str, float] = {}
        self._workspace = asyncio.Lock()
        self._workspace_next = 0.0
        self._held_until = 0.0

    def hold(self, seconds: float) -> None:
        """Post nothing for ``seconds`` (Slack answered 429)."""
        self._held_until = max(self._held_until, time.monotonic() + seconds)

    async def _wait_until(self, moment: float) -> None:
        delay = moment - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    @asynccontextmanager
    async def slot(self, channel: str) -> AsyncIterator[None]:
        """Wait for this channel's turn, then hold the channel until the post is done."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            await self._wait_until(max(self._next.get(channel, 0.0), self._held_until))
            if self.workspace_rate:
                step = 1.0 / self.workspace_rate
                async with self._workspace:
                    due = max(self._workspace_next, time.monotonic() - CATCH_UP * step)
                    while time.monotonic() < max(due, self._held_until):
                        await self._wait_until(max(due, self._held_until))
                    self._workspace_next = due + step
            try:
                yield
            finally:
                self._next[channel] = time.monotonic() + self.channel_interval


class PacedRateLimitHandler(AsyncRateLimitErrorRetryHandler):
    """The SDK's 429 handler, which also makes the pacer hold every post for ``Retry-After``."""

    def __init__(self, pacer: Pacer, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.pacer = pacer

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is not None:
            values = {k.lower(): v for k, v in response.headers.items()}.get("retry-after")
            try:
                self.pacer.hold(float(values[0]) if values else 1.0)
            except ValueError:
                self.pacer.hold(1.0)
        await super().prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )


def make_client(token: str, base_url: str, pacer: Pacer, rate_limit_retries: int) -> AsyncWebClient:
    """The Web API client: Slack's rate-limit retries only, never a blind resend on a reset."""
    handlers: list[AsyncRetryHandler] = [PacedRateLimitHandler(pacer, rate_limit_retries)]
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=handlers)


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

    def __init__(self, client: AsyncWebClient, pacer: Pacer, *, reconcile: bool = True) -> None:
        self.client = client
        self.pacer = pacer
        self.reconcile = reconcile
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

    async def post(self, target: Target, messages: Sequence[Message], *, key: str) -> Sent:
        """Post ``messages`` in order to a channel or a user's DM.

        Args:
            target: a channel, or a user (the message goes to their DM).
            messages: the rendered reply, one or more messages.
            key: the delivery's unique key; parts already posted under it are not sent twice.

        Raises:
            DeliveryError: permanent for a target that cannot receive messages, transient
                (with ``retry_after`` when Slack gave one) for anything worth retrying.
        """
        channel = await self.dm_channel(target.id) if target.kind == "user" else target.id
        delivered = self._delivered.setdefault(key, {})
        self._delivered.move_to_end(key)
        while len(self._delivered) > _REMEMBERED_KEYS:
            self._delivered.popitem(last=False)
        if key in self._unknown and self.reconcile:
            await self._look_up(channel, key, delivered)
        for part, message in enumerate(messages):
            if part in delivered:
                continue
            delivered[part] = await self._post_one(channel, message, key, part, len(messages))
        self._unknown.discard(key)
        self._delivered.pop(key, None)
        return Sent(tuple(delivered[p] for p in range(len(messages))))

    async def _post_one(
        self, channel: str, message: Message, key: str, part: int, parts: int
    ) -> str:
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key, "part": part}}
        async with self.pacer.slot(channel):
            try:
                response = await self.client.chat_postMessage(
                    channel=channel,
                    text=message.text,
                    blocks=list(message.blocks),
                    metadata=metadata,
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as exc:
                if exc.response.status_code >= 500:
                    self._unknown.add(key)
                raise self._delivery_error(exc, f"channel {channel}") from exc
            except (aiohttp.ClientError, TimeoutError) as exc:
                self._unknown.add(key)
                raise DeliveryError(
                    f"posting part {part + 1} of {parts} failed: {exc}", permanent=False
                ) from exc
        return str(response["ts"])

    async def _look_up(self, channel: str, key: str, delivered: dict[int, str]) -> None:
        """Find parts of ``key`` that did arrive although their post looked failed."""
        try:
            response = await self.client.conversations_history(
                channel=channel, limit=100, include_all_metadata=True
            )
        except SlackApiError as exc:
            raise self._delivery_error(exc, f"channel {channel}") from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"checking earlier posts failed: {exc}", permanent=False) from exc
        messages: list[dict[str, Any]] = response.get("messages") or []
        for msg in messages:
            meta = msg.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == METADATA_EVENT and payload.get("key") == key:
                delivered.setdefault(int(payload.get("part", 0)), str(msg["ts"]))

    def _delivery_error(self, exc: SlackApiError, where: str) -> DeliveryError:
        error = _error_of(exc)
        status = exc.response.status_code
        if error in PERMANENT_ERRORS:
            return DeliveryError(f"{where}: {PERMANENT_ERRORS[error]} ({error})", permanent=True)
        if status == 429:
            return DeliveryError(
                f"{where}: rate limited by Slack", permanent=False, retry_after=_retry_after(exc)
            )
        reason = error or f"HTTP {status}"
        return DeliveryError(f"{where}: Slack answered {reason}", permanent=False)

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
