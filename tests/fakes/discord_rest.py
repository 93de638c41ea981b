"""The fake Discord's REST side: routing, auth, faults, rate limits, channels and messages."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from fakes.discord_world import (
    DM,
    EMBED_LINKS,
    FORUM,
    NEWS,
    PUBLIC_THREAD,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
    FakeChannel,
    mentions_of,
    message_problems,
    snowflake,
)

if TYPE_CHECKING:
    from fakes.discord_interactions import FakeInteraction

NONCE_WINDOW = 120.0
"""How long (seconds) the fake remembers a message nonce for ``enforce_nonce``. Discord's
API reference says a nonce "will be checked for uniqueness in the past few minutes"; the
fake takes two minutes, and tests that need the nonce forgotten pass a shorter window."""
DISCORD_EPOCH_MS = 1_420_070_400_000


class Reply(Exception):
    """Raised inside a REST handler to answer with a status and a Discord error body."""

    def __init__(self, status: int, code: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"code": code, "message": message, **extra}


@dataclass
class Recorded:
    """One REST request the fake received, and its answer's status."""

    method: str
    path: str
    body: Any
    status: int = 0
    at: float = field(default_factory=time.perf_counter)


@dataclass
class Fault:
    """An injected failure for matching requests, ``times`` times."""

    method: str
    path: re.Pattern[str]
    status: int
    times: int
    retry_after: float = 0.3
    is_global: bool = False
    code: int = 0
    after_accept: bool = False
    """Do the work (store the message), then answer with the failure anyway."""


@dataclass
class Bucket:
    """A fixed-window rate limit: ``limit`` requests per ``window`` seconds."""

    limit: int
    window: float
    remaining: int = 0
    reset_at: float = 0.0

    def take(self, now: float) -> float:
        """Take one request; 0.0 when allowed, else the seconds until the window resets."""
        if now >= self.reset_at:
            self.remaining, self.reset_at = self.limit, now + self.window
        if self.remaining <= 0:
            return self.reset_at - now
        self.remaining -= 1
        return 0.0


@dataclass
class RateLimits:
    """Rate limits the fake enforces; ``None`` switches one off."""

    global_per_second: int | None = None
    """Requests per global window (one second, unless ``global_window`` scales it)."""
    per_channel: tuple[int, float] | None = None
    """Messages (and forum posts) per channel: (limit, window in seconds)."""
    global_window: float = 1.0
    """The global window's length: benchmarks scale Discord's one second down."""


class Rest:
    """FakeDiscord's REST side: every request goes through ``_rest``; its state is FakeDiscord's."""

    def _route_table(
        self,
    ) -> list[tuple[str, re.Pattern[str], Callable[..., Awaitable[Any]], str | None]]:
        table: list[tuple[str, str, Callable[..., Awaitable[Any]], str | None]] = [
            ("GET", r"users/@me", self._me, None),
            ("GET", r"oauth2/applications/@me", self._application, None),
            ("GET", r"gateway/bot", self._gateway_bot, None),
            ("PUT", r"applications/(\d+)/commands", self._sync, None),
            ("PUT", r"applications/(\d+)/guilds/(\d+)/commands", self._sync, None),
            ("GET", r"applications/(\d+)/commands", self._list_commands, None),
            ("GET", r"applications/(\d+)/guilds/(\d+)/commands", self._list_commands, None),
            ("POST", r"interactions/(\d+)/([^/]+)/callback", self._callback, None),
            ("POST", r"webhooks/(\d+)/([^/]+)", self._followup, None),
            ("PATCH", r"webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._edit, None),
            ("GET", r"channels/(\d+)", self._get_channel, "channel"),
            ("POST", r"channels/(\d+)/messages", self._create_message, "channel"),
            ("GET", r"channels/(\d+)/messages", self._list_messages, None),
            ("POST", r"channels/(\d+)/messages/(\d+)/crosspost", self._crosspost, "channel"),
            ("POST", r"channels/(\d+)/threads", self._create_thread, "channel"),
            ("POST", r"users/@me/channels", self._open_dm, None),
        ]
        return [(m, re.compile(f"^{p}$"), h, b) for m, p, h, b in table]

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["tail"]
        raw = await request.read()
        body = json.loads(raw) if raw else None
        record = Recorded(request.method, path, body)
        self.requests.append(record)
        headers: dict[str, str] = {}
        try:
            handler, groups, bucket = self._match(request.method, path)
            self._inject_faults(request.method, path, after=False)
            is_interaction = path.startswith(("interactions/", "webhooks/"))
            if not is_interaction and not path.startswith("users/@me"):
                self._check_auth(request)
            elif path == "users/@me":
                self._check_auth(request)
            headers = self._take_rate_limit(path, groups, bucket, is_interaction)
            status, data = await handler(request, body, *groups)
            self._inject_faults(request.method, path, after=True)
        except Reply as reply:
            status, data = reply.status, reply.body
            if status == 429:
                headers = {"Via": "1.1 google", "Retry-After": str(reply.body["retry_after"])}
                if reply.body.get("global"):
                    headers["X-RateLimit-Global"] = "true"
        record.status = status
        if status in (401, 403, 429):
            self.invalid_requests += 1
        self._touch()
        if status == 204:
            return web.Response(status=204, headers=headers)
        return web.Response(
            status=status,
            body=json.dumps(data).encode(),
            headers={**headers, "Content-Type": "application/json"},
        )

    def _match(
        self, method: str, path: str
    ) -> tuple[Callable[..., Awaitable[Any]], tuple[str, ...], str | None]:
        for m, pattern, handler, bucket in self._routes:
            found = pattern.match(path)
            if m == method and found:
                return handler, found.groups(), bucket
        raise Reply(404, 0, f"404: Not Found ({method} {path})")

    def _check_auth(self, request: web.Request) -> None:
        if request.headers.get("Authorization") != f"Bot {self.token}":
            raise Reply(401, 0, "401: Unauthorized")

    def _inject_faults(self, method: str, path: str, *, after: bool) -> None:
        for fault in self.faults:
            if fault.after_accept != after:
                continue
            if fault.times > 0 and fault.method == method and fault.path.search(path):
                fault.times -= 1
                if fault.status == 429:
                    raise self._too_many("injected", fault.retry_after, fault.is_global)
                raise Reply(fault.status, fault.code, f"injected {fault.status}")

    def _too_many(self, cause: str, retry_after: float, is_global: bool) -> Reply:
        """Count a 429 by its cause and make the answer Discord gives."""
        self._limited(cause)
        return Reply(
            429, 0, "You are being rate limited.", retry_after=retry_after, **{"global": is_global}
        )

    def _take_rate_limit(
        self, path: str, groups: tuple[str, ...], bucket: str | None, exempt: bool
    ) -> dict[str, str]:
        now = time.monotonic()
        limits = self.rate_limits
        if limits.global_per_second and not exempt:
            wait = self._global.take(now)
            if wait:
                raise self._too_many("global", round(wait, 3), is_global=True)
        if bucket == "channel" and limits.per_channel and path.endswith(("messages", "threads")):
            key = f"{bucket}:{groups[0]}:{path.rsplit('/', 1)[-1]}"
            limit, window = limits.per_channel
            state = self._buckets.setdefault(key, Bucket(limit, window))
            wait = state.take(now)
            if wait:
                raise self._too_many("route", round(wait, 3), is_global=False)
            reset_after = max(state.reset_at - now, 0.001)
            return {
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(state.remaining),
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                "X-RateLimit-Bucket": f"bucket-{key.rsplit(':', 1)[-1]}",
            }
        return {}

    def _validate(self, payload: dict[str, Any]) -> None:
        problems = message_problems(payload)
        if problems:
            self.violations += problems
            raise Reply(400, 50035, "Invalid Form Body", errors=problems)

    def _channel(self, cid: str) -> FakeChannel:
        channel = self.channels.get(int(cid))
        if channel is None:
            raise Reply(404, 10003, "Unknown Channel")
        return channel

    def _require(self, channel: FakeChannel, bits: int) -> None:
        if channel.guild is None:
            recipient = channel.recipient
            if recipient is not None and recipient.dms_closed:
                raise Reply(403, 50007, "Cannot send messages to this user")
            return
        perms = channel.guild.permissions(self.bot.id, channel)
        if not perms & VIEW_CHANNEL:
            raise Reply(403, 50001, "Missing Access")
        if perms & bits != bits:
            raise Reply(403, 50013, "Missing Permissions")

    def _message(
        self,
        channel_id: str | int,
        payload: dict[str, Any],
        interaction: FakeInteraction | None = None,
    ) -> dict[str, Any]:
        channel = self.channels.get(int(channel_id))
        embeds = list(payload.get("embeds") or [])
        if channel is not None and channel.guild is not None and embeds:
            if not channel.guild.permissions(self.bot.id, channel) & EMBED_LINKS:
                if interaction is None:
                    self.violations.append(f"embeds dropped in {channel.name}: no Embed Links")
                    embeds = []
        message = {
            "id": str(self._message_id()),
            "type": 0 if interaction is None else 20,
            "channel_id": str(channel_id),
            "content": payload.get("content") or "",
            "author": self.bot.payload(),
            "embeds": embeds,
            "components": payload.get("components") or [],
            "attachments": [],
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "flags": payload.get("flags") or 0,
            "tts": False,
            "pinned": False,
            "nonce": payload.get("nonce"),
            "allowed_mentions": payload.get("allowed_mentions"),
        } | mentions_of(payload)
        if channel is not None and channel.guild is not None:
            message["guild_id"] = str(channel.guild.id)
        if interaction is not None:
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
        self.messages.setdefault(int(channel_id), []).append(message)
        return message

    def _message_id(self) -> int:
        """A message snowflake as Discord makes them: milliseconds since 2015 in the high
        bits, so ``after=<a time's snowflake>`` finds the messages posted since then."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        self._last_message_id = max(ms << 22, self._last_message_id + 1)
        return self._last_message_id

    async def _list_messages(self, request: web.Request, body: Any, cid: str) -> tuple[int, Any]:
        """``GET /channels/{id}/messages``: newest first; ``after`` gives the ``limit``
        messages right after that id. Nonces are left out: Discord does not keep them."""
        channel = self._channel(cid)
        self._require(channel, VIEW_CHANNEL)
        limit = int(request.query.get("limit", 50))
        if not 1 <= limit <= 100:
            raise Reply(400, 50035, "Invalid Form Body")
        posts = sorted(self.posts(channel), key=lambda m: int(m["id"]))
        if "after" in request.query:
            after = int(request.query["after"])
            page = [m for m in posts if int(m["id"]) > after][:limit]
        else:
            before = int(request.query.get("before", 1 << 63))
            page = [m for m in posts if int(m["id"]) < before][-limit:]
        return 200, [{k: v for k, v in m.items() if k != "nonce"} for m in reversed(page)]

    async def _get_channel(self, request: web.Request, body: Any, cid: str) -> tuple[int, Any]:
        channel = self._channel(cid)
        self._require(channel, 0)
        return 200, channel.payload()

    async def _create_message(self, request: web.Request, body: Any, cid: str) -> tuple[int, Any]:
        channel = self._channel(cid)
        if channel.type == FORUM:
            raise Reply(400, 50008, "Cannot send messages in a non-text channel")
        needed = SEND_MESSAGES if channel.type != PUBLIC_THREAD else SEND_MESSAGES_IN_THREADS
        self._require(channel, needed)
        self._validate(body)
        nonce = body.get("nonce")
        now = time.monotonic()
        if nonce is not None and body.get("enforce_nonce"):
            earlier = self._nonces.get((channel.id, str(nonce)))
            if earlier is not None and now - earlier[0] <= self.nonce_window:
                return 200, earlier[1]
        message = self._message(cid, body)
        if nonce is not None:
            self._nonces[(channel.id, str(nonce))] = (now, message)
        return 200, message

    async def _crosspost(
        self, request: web.Request, body: Any, cid: str, mid: str
    ) -> tuple[int, Any]:
        channel = self._channel(cid)
        if channel.type != NEWS:
            raise Reply(400, 40033, "This message has already been crossposted.")
        self._require(channel, SEND_MESSAGES)
        for message in self.posts(channel):
            if message["id"] == mid:
                message["flags"] |= 1
                self.crossposted.append(int(mid))
                return 200, message
        raise Reply(404, 10008, "Unknown Message")

    async def _create_thread(self, request: web.Request, body: Any, cid: str) -> tuple[int, Any]:
        forum = self._channel(cid)
        if forum.type != FORUM:
            raise Reply(400, 0, "briefbot posts threads only in forums")
        self._require(forum, SEND_MESSAGES)
        name = body.get("name") or ""
        if not 1 <= len(name) <= 100:
            self.violations.append(f"forum post name has {len(name)} chars (1..100)")
            raise Reply(400, 50035, "Invalid Form Body")
        first = body.get("message") or {}
        self._validate(first)
        assert forum.guild is not None
        thread = FakeChannel(
            snowflake(),
            name,
            PUBLIC_THREAD,
            guild=forum.guild,
            parent_id=forum.id,
            owner_id=self.bot.id,
        )
        forum.guild.channels[thread.id] = thread
        self.channels[thread.id] = thread
        message = self._message(thread.id, first)
        event = thread.payload() | {"newly_created": True}
        await self._session_for(forum.guild).dispatch("THREAD_CREATE", event)
        return 201, thread.payload() | {"message": message}

    async def _open_dm(self, request: web.Request, body: Any) -> tuple[int, Any]:
        user = self.users.get(int(body["recipient_id"]))
        if user is None:
            raise Reply(400, 50033, "Invalid Recipient(s)")
        channel = self.dm_channel(user)
        if channel is None:
            channel = FakeChannel(snowflake(), "", DM, recipient=user)
            self.channels[channel.id] = channel
        return 200, channel.payload()
