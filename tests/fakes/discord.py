"""A loopback fake Discord: the REST API and the gateway websocket, enough to drive discord.py.

It speaks the wire protocol the real client expects (see the adapter's tests): HELLO,
heartbeat ACKs, READY and GUILD_CREATE per shard; INTERACTION_CREATE for slash commands,
autocomplete and button clicks; interaction callbacks, followups, channel messages, forum
posts, DMs and command sync over REST. Every outgoing message is checked against Discord's
limits and briefbot's "no mentions" rule: a bad one is answered 400 (code 50035) as Discord
would, and recorded in :attr:`FakeDiscord.violations`. Faults (429 with ``Via``, 5xx, 403,
404) and per-route and global rate limits can be switched on.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from fakes.discord_world import (
    DM,
    EMBED_LINKS,
    FORUM,
    MEMBER_DEFAULT,
    NEWS,
    PUBLIC_THREAD,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    mentions_of,
    message_problems,
    snowflake,
)

BOT_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | SEND_MESSAGES_IN_THREADS
INTERACTION_WINDOW = 3.0
NONCE_WINDOW = 120.0
"""How long (seconds) the fake remembers a message nonce for ``enforce_nonce``. Discord's
API reference says a nonce "will be checked for uniqueness in the past few minutes"; the
fake takes two minutes, and tests that need the nonce forgotten pass a shorter window."""
DISCORD_EPOCH_MS = 1_420_070_400_000
_OPTION_TYPES = {3: str, 4: int, 5: bool, 10: float}
_NAME = re.compile(r"^[-_\w]{1,32}$")


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


@dataclass
class FakeInteraction:
    """An interaction the fake sent, and everything the bot answered to it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    sent_at: float = 0.0
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    answered_at: float | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def deferred(self) -> bool:
        return any(c["type"] in (5, 6) for c in self.callbacks)

    @property
    def choices(self) -> list[dict[str, Any]]:
        """The autocomplete choices the bot answered with (callback type 8)."""
        for c in self.callbacks:
            if c["type"] == 8:
                return list(c["data"]["choices"])
        return []

    async def wait(self, predicate: Callable[[FakeInteraction], bool], timeout: float = 5) -> None:
        """Wait (bounded) until ``predicate`` holds."""
        async with asyncio.timeout(timeout):
            while not predicate(self):
                self.changed.clear()
                await self.changed.wait()

    async def answer(self, count: int = 1, timeout: float = 5) -> list[dict[str, Any]]:
        """Wait for the answer's messages (or autocomplete choices); returns the messages."""
        if self.type == 4:
            await self.wait(lambda i: any(c["type"] == 8 for c in i.callbacks), timeout)
            return []
        await self.wait(lambda i: len(i.messages) >= count, timeout)
        return self.messages


class FakeDiscord:
    """The fake: build a world (guilds, channels, users), start it, point a client at it."""

    def __init__(
        self,
        *,
        token: str = "fake-token",
        rate_limits: RateLimits | None = None,
        nonce_window: float = NONCE_WINDOW,
    ) -> None:
        self.token = token
        self.nonce_window = nonce_window
        self.application_id = snowflake()
        self.bot = FakeUser(snowflake(), "briefbot", bot=True)
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.users: dict[int, FakeUser] = {}
        self.messages: dict[int, list[dict[str, Any]]] = {}
        self.interactions: dict[int, FakeInteraction] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self.identified: list[list[int]] = []
        self.heartbeats = 0
        self.crossposted: list[int] = []
        self.faults: list[Fault] = []
        self.rate_limits = rate_limits or RateLimits()
        self.invalid_requests = 0
        self.rate_limited = 0
        self.limited_by: Counter[str] = Counter()
        """429s answered, by cause: ``injected``, ``global`` or ``route``."""
        self._buckets: dict[str, Bucket] = {}
        self._global = Bucket(
            self.rate_limits.global_per_second or 1, self.rate_limits.global_window
        )
        self._sessions: list[_Session] = []
        self._nonces: dict[tuple[int, str], tuple[float, dict[str, Any]]] = {}
        self._last_message_id = 0
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._changed = asyncio.Event()
        self._routes = self._route_table()

    # ---- the world -------------------------------------------------------------------

    def add_user(self, name: str) -> FakeUser:
        user = FakeUser(snowflake(), name)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, owner: FakeUser | None = None) -> FakeGuild:
        """A guild with @everyone (members' defaults), a role for the bot, and the bot in it."""
        owner = owner or self.add_user(f"{name}-owner")
        guild = FakeGuild(snowflake(), name, owner.id)
        guild.roles[guild.id] = FakeRole(guild.id, "@everyone", MEMBER_DEFAULT)
        bot_role = guild.add_role("briefbot", BOT_PERMISSIONS)
        guild.add_member(self.bot, bot_role)
        guild.add_member(owner)
        self.guilds[guild.id] = guild
        return guild

    def add_channel(self, guild: FakeGuild, name: str, type: int = 0) -> FakeChannel:
        channel = guild.add_channel(name, type)
        self.channels[channel.id] = channel
        return channel

    def bot_role(self, guild: FakeGuild) -> FakeRole:
        return next(r for r in guild.roles.values() if r.name == "briefbot")

    async def delete_channel(self, channel: FakeChannel, *, tell: bool = True) -> None:
        """Remove a channel; with ``tell``, the gateway sends CHANNEL_DELETE as Discord does."""
        del self.channels[channel.id]
        if channel.guild is not None:
            del channel.guild.channels[channel.id]
            if tell:
                await self._session_for(channel.guild).dispatch("CHANNEL_DELETE", channel.payload())

    async def update_channel(self, channel: FakeChannel) -> None:
        """Tell the bot (CHANNEL_UPDATE) that a channel changed, e.g. its overwrites."""
        await self._session_for(channel.guild).dispatch("CHANNEL_UPDATE", channel.payload())

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        retry_after: float = 0.3,
        is_global: bool = False,
        code: int = 0,
        after_accept: bool = False,
    ) -> None:
        """Answer the next ``times`` requests matching ``method`` and ``path`` with ``status``."""
        self.faults.append(
            Fault(
                method, re.compile(path), status, times, retry_after, is_global, code, after_accept
            )
        )

    def posts(self, channel: FakeChannel | int) -> list[dict[str, Any]]:
        """The messages posted in a channel, oldest first."""
        cid = channel if isinstance(channel, int) else channel.id
        return self.messages.get(cid, [])

    def threads(self, forum: FakeChannel) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.parent_id == forum.id]

    def dm_channel(self, user: FakeUser) -> FakeChannel | None:
        return next(
            (c for c in self.channels.values() if c.type == DM and c.recipient is user), None
        )

    # ---- lifecycle --------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/gateway"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/gateway/{tail:.*}", self._gateway)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        for session in list(self._sessions):
            await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def until(self, predicate: Callable[[], bool], timeout: float = 5) -> None:
        """Wait (bounded) until ``predicate`` holds: checked whenever the fake records
        anything, and every 20 ms for what only the bot's side sees (its cache)."""
        async with asyncio.timeout(timeout):
            while not predicate():
                self._changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), 0.02)

    async def create_channel(self, guild: FakeGuild, name: str, type: int = 0) -> FakeChannel:
        """Add a channel and tell the bot (CHANNEL_CREATE), as Discord does."""
        channel = self.add_channel(guild, name, type)
        await self._session_for(guild).dispatch("CHANNEL_CREATE", channel.payload())
        return channel

    def global_window_left(self) -> float:
        """Seconds until the fake's global rate-limit window resets (0 when none is open)."""
        return max(0.0, self._global.reset_at - time.monotonic())

    def _limited(self, cause: str) -> None:
        self.rate_limited += 1
        self.limited_by[cause] += 1

    def _touch(self) -> None:
        self._changed.set()

    # ---- driving the bot ----------------------------------------------------------------

    async def command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: FakeUser,
        channel: FakeChannel,
        focused: str | None = None,
    ) -> FakeInteraction:
        """Send a slash command (or, with ``focused``, an autocomplete request) as ``user``."""
        guild = channel.guild
        command = self._registered(name, guild)
        declared = {o["name"]: o for o in command.get("options", [])}
        given = options or {}
        wire = []
        for key, value in given.items():
            spec = declared.get(key)
            assert spec is not None, f"/{name} has no option {key!r}"
            kind = _OPTION_TYPES[spec["type"]]
            assert isinstance(value, kind), f"/{name} {key}: {value!r} is not {kind.__name__}"
            item = {"name": key, "type": spec["type"], "value": value}
            if key == focused:
                assert spec.get("autocomplete"), f"/{name} {key} has no autocomplete"
                item["focused"] = True
            wire.append(item)
        if focused is None:
            missing = [o for o in declared.values() if o.get("required") and o["name"] not in given]
            assert not missing, f"/{name}: required option missing: {missing}"
        data: dict[str, Any] = {"id": command["id"], "name": name, "type": 1, "options": wire}
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        kind = 4 if focused is not None else 2
        return await self._interact(kind, data, user=user, channel=channel)

    async def click(
        self, message: dict[str, Any], custom_id: str, *, user: FakeUser
    ) -> FakeInteraction:
        """Click a button of a message the bot sent."""
        ids = [b["custom_id"] for row in message.get("components", []) for b in row["components"]]
        assert custom_id in ids, f"no button {custom_id!r} on that message (has {ids})"
        channel = self.channels[int(message["channel_id"])]
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(3, data, user=user, channel=channel, message=message)

    def _registered(self, name: str, guild: FakeGuild | None) -> dict[str, Any]:
        scopes = ([guild.id] if guild else []) + [None]
        for scope in scopes:
            for command in self.commands.get(scope, []):
                if command["name"] == name:
                    return command
        raise AssertionError(f"/{name} was never synced")

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user: FakeUser,
        channel: FakeChannel,
        message: dict[str, Any] | None = None,
    ) -> FakeInteraction:
        iid = snowflake()
        guild = channel.guild
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": kind,
            "token": f"itoken-{iid}",
            "version": 1,
            "attachment_size_limit": 10 * 1024 * 1024,
            "channel_id": str(channel.id),
            "channel": channel.payload(),
            "locale": "en-US",
            "entitlements": [],
            "data": data,
        }
        if guild is not None:
            member = guild.member_payload(user.id)
            member["permissions"] = str(guild.permissions(user.id, channel))
            payload |= {
                "guild_id": str(guild.id),
                "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
                "guild_locale": "en-US",
                "member": member,
                "app_permissions": str(guild.permissions(self.bot.id, channel)),
                "context": 0,
                "authorizing_integration_owners": {"0": str(guild.id)},
            }
        else:
            payload |= {
                "user": user.payload(),
                "context": 1,
                "app_permissions": str(BOT_PERMISSIONS),
                "authorizing_integration_owners": {"0": str(user.id)},
            }
        if message is not None:
            payload["message"] = message
        interaction = FakeInteraction(iid, payload["token"], kind, payload)
        self.interactions[iid] = interaction
        session = self._session_for(guild)
        interaction.sent_at = time.perf_counter()
        await session.dispatch("INTERACTION_CREATE", payload)
        return interaction

    def _session_for(self, guild: FakeGuild | None) -> _Session:
        for session in self._sessions:
            shard_id, count = session.shard
            if guild is None and shard_id == 0:
                return session
            if guild is not None and (guild.id >> 22) % count == shard_id:
                return session
        raise AssertionError("no gateway session serves that guild")

    # ---- gateway ---------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        session = _Session(ws)
        await session.send({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op = frame.get("op")
            if op == 1:
                self.heartbeats += 1
                await session.send({"op": 11})
            elif op == 2:
                await self._identify(session, frame["d"])
            elif op == 6:
                await session.send({"op": 0, "t": "RESUMED", "s": session.next_seq(), "d": {}})
        if session in self._sessions:
            self._sessions.remove(session)
        self._touch()
        return ws

    async def _identify(self, session: _Session, d: dict[str, Any]) -> None:
        if d.get("token") != self.token:
            await session.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard_id, count = d.get("shard") or [0, 1]
        session.shard = (shard_id, count)
        mine = [g for g in self.guilds.values() if (g.id >> 22) % count == shard_id]
        ready = {
            "v": 10,
            "user": self.bot.payload(),
            "session_id": f"session-{snowflake()}",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in mine],
            "shard": [shard_id, count],
            "private_channels": [],
            "relationships": [],
        }
        await session.dispatch("READY", ready)
        for guild in mine:
            await session.dispatch("GUILD_CREATE", guild.payload(self.bot.id))
        self._sessions.append(session)
        self.identified.append([shard_id, count])
        self._touch()

    # ---- REST ------------------------------------------------------------------------

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
                    self._limited("injected")
                    raise Reply(
                        429,
                        0,
                        "You are being rate limited.",
                        retry_after=fault.retry_after,
                        **{"global": fault.is_global},
                    )
                raise Reply(fault.status, fault.code, f"injected {fault.status}")

    def _take_rate_limit(
        self, path: str, groups: tuple[str, ...], bucket: str | None, exempt: bool
    ) -> dict[str, str]:
        now = time.monotonic()
        limits = self.rate_limits
        if limits.global_per_second and not exempt:
            wait = self._global.take(now)
            if wait:
                self._limited("global")
                raise Reply(
                    429,
                    0,
                    "You are being rate limited.",
                    retry_after=round(wait, 3),
                    **{"global": True},
                )
        if bucket == "channel" and limits.per_channel and path.endswith(("messages", "threads")):
            key = f"{bucket}:{groups[0]}:{path.rsplit('/', 1)[-1]}"
            limit, window = limits.per_channel
            state = self._buckets.setdefault(key, Bucket(limit, window))
            wait = state.take(now)
            if wait:
                self._limited("route")
                raise Reply(
                    429,
                    0,
                    "You are being rate limited.",
                    retry_after=round(wait, 3),
                    **{"global": False},
                )
            reset_after = max(state.reset_at - now, 0.001)
            return {
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(state.remaining),
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                "X-RateLimit-Bucket": f"bucket-{key.rsplit(':', 1)[-1]}",
            }
        return {}

    # handlers: each returns (status, json)

    async def _me(self, request: web.Request, body: Any) -> tuple[int, Any]:
        return 200, self.bot.payload() | {"verified": True, "mfa_enabled": False, "flags": 0}

    async def _application(self, request: web.Request, body: Any) -> tuple[int, Any]:
        owner = FakeUser(1, "owner").payload()
        return 200, {
            "id": str(self.application_id),
            "name": "briefbot",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": owner,
            "verify_key": "0" * 64,
            "flags": 0,
        }

    async def _gateway_bot(self, request: web.Request, body: Any) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    async def _sync(
        self, request: web.Request, body: Any, app_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        assert int(app_id) == self.application_id
        problems = [p for command in body for p in _command_problems(command)]
        if len(body) > 100:
            problems.append(f"{len(body)} commands (max 100)")
        if problems:
            self.violations += problems
            raise Reply(400, 50035, "Invalid Form Body", errors=problems)
        stored = []
        for command in body:
            item = command | {
                "id": str(snowflake()),
                "application_id": str(self.application_id),
                "version": str(snowflake()),
                "default_member_permissions": command.get("default_member_permissions"),
            }
            if guild_id:
                item["guild_id"] = guild_id
            stored.append(item)
        self.commands[int(guild_id) if guild_id else None] = stored
        return 200, stored

    async def _list_commands(
        self, request: web.Request, body: Any, app_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        return 200, self.commands.get(int(guild_id) if guild_id else None, [])

    def _interaction(self, iid: str, token: str) -> FakeInteraction:
        interaction = self.interactions.get(int(iid))
        if interaction is None or interaction.token != token:
            raise Reply(404, 10062, "Unknown interaction")
        return interaction

    def _by_token(self, token: str) -> FakeInteraction:
        for interaction in self.interactions.values():
            if interaction.token == token:
                return interaction
        raise Reply(404, 10015, "Unknown Webhook")

    async def _callback(
        self, request: web.Request, body: Any, iid: str, token: str
    ) -> tuple[int, Any]:
        interaction = self._interaction(iid, token)
        late = time.perf_counter() - interaction.sent_at
        if late > INTERACTION_WINDOW:
            self.violations.append(f"interaction {iid} answered after {late:.2f}s")
            raise Reply(404, 10062, "Unknown interaction")
        if interaction.callbacks:
            self.violations.append(f"interaction {iid} acknowledged twice")
            raise Reply(400, 40060, "Interaction has already been acknowledged.")
        kind = body["type"]
        data = body.get("data") or {}
        if kind in (4, 7):
            self._validate(data)
        if kind == 8:
            choices = data.get("choices", [])
            if len(choices) > 25 or any(
                not 1 <= len(c["name"]) <= 100 or len(str(c["value"])) > 100 for c in choices
            ):
                self.violations.append(f"bad autocomplete choices: {choices}")
                raise Reply(400, 50035, "Invalid Form Body")
        interaction.callbacks.append(body)
        result: dict[str, Any] = {
            "interaction": {"id": iid, "type": interaction.type},
        }
        if kind == 4:
            message = self._message(interaction.payload["channel_id"], data, interaction)
            interaction.messages.append(message)
            interaction.answered_at = time.perf_counter()
            result["interaction"] |= {
                "response_message_id": message["id"],
                "response_message_loading": False,
                "response_message_ephemeral": bool(message["flags"] & 64),
            }
            result["resource"] = {"type": 4, "message": message}
        elif kind == 5:
            result["interaction"] |= {
                "response_message_loading": True,
                "response_message_ephemeral": bool(data.get("flags", 0) & 64),
            }
            result["resource"] = {"type": 5}
        elif kind == 8:
            interaction.answered_at = time.perf_counter()
        interaction.changed.set()
        return 200, result

    async def _followup(
        self, request: web.Request, body: Any, app_id: str, token: str
    ) -> tuple[int, Any]:
        interaction = self._by_token(token)
        if not interaction.callbacks:
            self.violations.append("followup before the interaction was acknowledged")
            raise Reply(404, 10015, "Unknown Webhook")
        self._validate(body)
        data = dict(body)
        if interaction.deferred and not interaction.messages:
            defer_flags = next(c for c in interaction.callbacks if c["type"] in (5, 6))
            data["flags"] = (data.get("flags") or 0) | (
                (defer_flags.get("data") or {}).get("flags") or 0
            )
        message = self._message(interaction.payload["channel_id"], data, interaction)
        interaction.messages.append(message)
        if interaction.answered_at is None:
            interaction.answered_at = time.perf_counter()
        interaction.changed.set()
        return 200, message

    async def _edit(
        self, request: web.Request, body: Any, app_id: str, token: str, which: str
    ) -> tuple[int, Any]:
        interaction = self._by_token(token)
        self._validate(body)
        message = self._message(interaction.payload["channel_id"], body, interaction)
        interaction.messages.append(message)
        if interaction.answered_at is None:
            interaction.answered_at = time.perf_counter()
        interaction.changed.set()
        return 200, message

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


class _Session:
    """One gateway connection (one shard)."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.shard: tuple[int, int] = (0, 1)
        self._seq = itertools.count(1)

    def next_seq(self) -> int:
        return next(self._seq)

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send_str(json.dumps(frame))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        await self.send({"op": 0, "t": event, "s": self.next_seq(), "d": data})


def _command_problems(command: dict[str, Any]) -> list[str]:
    out = []
    name = command.get("name", "")
    if not _NAME.match(name) or name != name.lower():
        out.append(f"command name {name!r} is not a valid slash command name")
    description = command.get("description", "")
    if not 1 <= len(description) <= 100:
        out.append(f"/{name} description has {len(description)} chars (1..100)")
    options = command.get("options") or []
    if len(options) > 25:
        out.append(f"/{name} has {len(options)} options (max 25)")
    seen_optional = False
    for option in options:
        if not _NAME.match(option.get("name", "")):
            out.append(f"/{name} option name {option.get('name')!r} is invalid")
        if not 1 <= len(option.get("description", "")) <= 100:
            out.append(f"/{name} {option.get('name')} description must have 1..100 chars")
        if option.get("required"):
            if seen_optional:
                out.append(f"/{name}: required option {option['name']} after an optional one")
        else:
            seen_optional = True
        if len(option.get("choices") or []) > 25:
            out.append(f"/{name} {option['name']} has more than 25 choices")
    return out
