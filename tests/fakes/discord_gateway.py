"""The fake Discord's gateway: the websocket session per shard, IDENTIFY, READY, dispatch."""

from __future__ import annotations

import itertools
import json
from typing import Any

from aiohttp import WSMsgType, web

from fakes.discord_world import (
    FakeGuild,
    FakeUser,
    snowflake,
)


class Session:
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


class Gateway:
    """FakeDiscord's gateway and a client's first REST calls; its state is FakeDiscord's."""

    def _session_for(self, guild: FakeGuild | None) -> Session:
        for session in self._sessions:
            shard_id, count = session.shard
            if guild is None and shard_id == 0:
                return session
            if guild is not None and (guild.id >> 22) % count == shard_id:
                return session
        raise AssertionError("no gateway session serves that guild")

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        session = Session(ws)
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

    async def _identify(self, session: Session, d: dict[str, Any]) -> None:
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
