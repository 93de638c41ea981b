"""A loopback fake Discord: the REST API and the gateway websocket, enough to drive discord.py.

It speaks the wire protocol the real client expects (see the adapter's tests): HELLO,
heartbeat ACKs, READY and GUILD_CREATE per shard; INTERACTION_CREATE for slash commands,
autocomplete and button clicks; interaction callbacks, followups, channel messages, forum
posts, DMs and command sync over REST. Every outgoing message is checked against Discord's
limits and briefbot's "no mentions" rule: a bad one is answered 400 (code 50035) as Discord
would, and recorded in :attr:`FakeDiscord.violations`. Faults (429 with ``Via``, 5xx, 403,
404) and per-route and global rate limits can be switched on.

This module holds the world (guilds, channels, users, messages) and the lifecycle; the
protocol is in ``discord_gateway``, ``discord_interactions`` and ``discord_rest``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from aiohttp import web

from fakes.discord_gateway import Gateway, Session
from fakes.discord_interactions import FakeInteraction, Interactions
from fakes.discord_rest import NONCE_WINDOW, Bucket, Fault, RateLimits, Recorded, Rest
from fakes.discord_world import (
    BOT_PERMISSIONS,
    DM,
    MEMBER_DEFAULT,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    snowflake,
)


class FakeDiscord(Gateway, Interactions, Rest):
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
        self._sessions: list[Session] = []
        self._nonces: dict[tuple[int, str], tuple[float, dict[str, Any]]] = {}
        self._last_message_id = 0
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._changed = asyncio.Event()
        self._routes = self._route_table()

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
