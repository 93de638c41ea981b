"""A loopback fake of Slack: the Web API methods briefbot uses, signed requests, Socket Mode.

It records every request and enforces Slack's message limits (50 blocks, 3000-character
sections, 150-character headers, 10 fields of 2000, 25 buttons of 75) plus briefbot's own
rules (``verbatim: true`` on every mrkdwn object, a ``text`` fallback, no ``link_names``,
no ``<!channel>``/``<!here>``/``<!everyone>``/``<@…>`` anywhere). It can answer 429 with
``Retry-After``, 5xx and Slack errors, paces channels and the workspace like Slack does,
and plays the Slack side of signed slash commands, interactions and the Socket Mode
websocket against a real slack-bolt app.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import web
from helpers.polling import eventually

from fakes.slack_rules import SIGNING_SECRET, message_problems, sign, strings

__all__ = ["APP_TOKEN", "BOT_TOKEN", "SIGNING_SECRET", "FakeSlack", "message_problems", "sign"]

BOT_TOKEN = "xoxb-fake-bot-token"
APP_TOKEN = "xapp-fake-app-token"
TEAM = "T0FAKE"
BOT_USER = "U0BOT"


@dataclass
class Call:
    """One Web API request as the fake received it."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float


@dataclass
class Posted:
    """A message that reached Slack: posted, sent to a response URL, or in an ack body."""

    via: str
    channel: str | None
    text: str
    blocks: list[dict[str, Any]]
    raw: dict[str, Any]
    at: float
    ts: str = ""
    token: str = ""

    def all_text(self) -> str:
        """Every string in the message, joined: for checking what a reader can see."""
        return "\n".join(strings(self.raw))


@dataclass
class Exchange:
    """One request sent to the app: where its later answers go, and its ack."""

    response_url: str
    status: int
    ack: dict[str, Any]
    sent_at: float
    acked_at: float


@dataclass
class Failure:
    """A scripted failure: ``times`` calls of ``method`` get it, after ``after`` pass.

    ``after_accept`` does the work first (a message is posted) and then fails, as when a
    response is lost on its way back.
    """

    method: str
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    times: int = 1
    channel: str | None = None
    after_accept: bool = False
    after: int = 0


@dataclass
class Channel:
    """A conversation the fake knows."""

    id: str
    name: str
    is_member: bool = True
    is_archived: bool = False
    is_private: bool = False
    is_im: bool = False
    user: str | None = None


@dataclass
class User:
    """A workspace member."""

    id: str
    name: str
    is_admin: bool = False
    is_owner: bool = False
    deleted: bool = False
    is_bot: bool = False


class FakeSlack:
    """A Slack workspace on 127.0.0.1: start it, point the app at :attr:`api_url`."""

    def __init__(
        self,
        *,
        channel_interval: float = 0.0,
        workspace_rate: float | None = None,
        workspace_burst: int = 1,
    ) -> None:
        self.calls: list[Call] = []
        self.messages: list[Posted] = []
        self.rejected: list[tuple[str, list[str]]] = []
        self.channels: dict[str, Channel] = {}
        self.users: dict[str, User] = {}
        self.allowed_mentions: set[str] = set()
        self.channel_interval = channel_interval
        self.workspace_rate = workspace_rate
        self.workspace_burst = workspace_burst
        self.rate_limited = 0
        self.limited_by: Counter[str] = Counter()
        """429s answered, by cause: ``workspace`` or ``channel``."""
        self._tokens = float(workspace_burst)
        self._refilled = time.monotonic()
        self._last_post: dict[str, float] = {}
        self._failures: deque[Failure] = deque()
        self._last_ts = 0
        self._response_uses: dict[str, int] = defaultdict(int)
        self._sockets: list[web.WebSocketResponse] = []
        self._acks: dict[str, asyncio.Future[dict[str, Any] | None]] = {}
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0
        self.app_url: str | None = None

    # -- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{token}", self._respond)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._session = aiohttp.ClientSession()

    async def stop(self) -> None:
        """Close sockets, the client session and the server."""
        for ws in list(self._sockets):
            await ws.close()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL (``base_url`` of the SDK client)."""
        return f"{self.base}/api/"

    # -- workspace state --------------------------------------------------------------

    def add_channel(self, channel_id: str, name: str, **flags: Any) -> Channel:
        """Add a conversation (the bot is a member unless ``is_member=False``)."""
        channel = Channel(channel_id, name, **flags)
        self.channels[channel_id] = channel
        return channel

    def add_user(self, user_id: str, name: str, **flags: Any) -> User:
        """Add a workspace member."""
        user = User(user_id, name, **flags)
        self.users[user_id] = user
        return user

    def limit_workspace(self, rate: float | None, burst: int = 1) -> None:
        """Allow ``rate`` posts a second across the workspace, with a burst of ``burst``."""
        self.workspace_rate = rate
        self.workspace_burst = burst
        self._tokens = float(burst)
        self._refilled = time.monotonic()

    def fail(self, method: str, **how: Any) -> None:
        """Script a failure for the next call(s) of ``method``; see :class:`Failure`."""
        self._failures.append(Failure(method, **how))

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posted(self, channel: str | None = None, via: str | None = None) -> list[Posted]:
        return [
            m
            for m in self.messages
            if (channel is None or m.channel == channel) and (via is None or m.via == via)
        ]

    async def wait_for(self, predicate: Any, timeout: float = 3.0) -> None:
        """Poll ``predicate()`` every 10 ms until it holds; fail after ``timeout`` seconds."""
        if not await eventually(predicate, timeout):
            raise AssertionError(f"condition not met within {timeout}s")

    # -- Web API ----------------------------------------------------------------------

    def _failure_for(self, method: str, args: dict[str, Any]) -> Failure | None:
        for failure in self._failures:
            if failure.method == method and failure.channel in (None, args.get("channel")):
                if failure.after > 0:
                    failure.after -= 1
                    return None
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.text()
        if request.content_type == "application/json":
            args: dict[str, Any] = json.loads(raw or "{}")
        else:
            args = dict(parse_qsl(raw))
        args.update(request.query)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        self.calls.append(Call(method, args, token, time.monotonic()))
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return _ok(False, error="invalid_auth")
        failure = self._failure_for(method, args)
        if failure is not None and not failure.after_accept:
            return _failed(failure)
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return _ok(False, error="unknown_method")
        response: web.Response = await handler(args)
        return _failed(failure) if failure is not None else response

    async def _m_auth_test(self, args: dict[str, Any]) -> web.Response:
        return _ok(
            url="https://fake.slack.test/",
            team="Fake",
            user="briefbot",
            team_id=TEAM,
            user_id=BOT_USER,
            bot_id="B0BOT",
            is_enterprise_install=False,
        )

    async def _m_apps_connections_open(self, args: dict[str, Any]) -> web.Response:
        return _ok(url=f"ws://127.0.0.1:{self.port}/socket?ticket={uuid.uuid4().hex}")

    def _rate_limit(self, channel: str) -> int | None:
        """Seconds to wait if this post breaks the channel or workspace pace, else None."""
        now = time.monotonic()
        if self.workspace_rate:
            elapsed = now - self._refilled
            self._tokens = min(self.workspace_burst, self._tokens + elapsed * self.workspace_rate)
            self._refilled = now
            if self._tokens < 1:
                self.limited_by["workspace"] += 1
                return 1
        last = self._last_post.get(channel)
        if self.channel_interval and last is not None and now - last < self.channel_interval * 0.9:
            self.limited_by["channel"] += 1
            return 1
        if self.workspace_rate:
            self._tokens -= 1
        self._last_post[channel] = now
        return None

    async def _m_chat_postMessage(self, args: dict[str, Any]) -> web.Response:
        channel_id = args.get("channel", "")
        channel = self.channels.get(channel_id)
        if channel is None:
            return _ok(False, error="channel_not_found")
        if channel.is_archived:
            return _ok(False, error="is_archived")
        if not channel.is_member and not channel.is_im:
            return _ok(False, error="not_in_channel")
        if channel.is_im and channel.user in self.users and self.users[channel.user].deleted:
            return _ok(False, error="account_inactive")
        problems = message_problems(args, self.allowed_mentions)
        if problems:
            self.rejected.append(("chat.postMessage", problems))
            return _ok(False, error="invalid_blocks", errors=problems)
        wait = self._rate_limit(channel_id)
        if wait is not None:
            self.rate_limited += 1
            return _ok(False, status=429, headers={"Retry-After": str(wait)}, error="ratelimited")
        ts = self._next_ts()
        self.messages.append(
            Posted(
                "chat.postMessage",
                channel_id,
                args.get("text", ""),
                args.get("blocks") or [],
                args,
                time.monotonic(),
                ts,
            )
        )
        message = {"type": "message", "text": args.get("text", ""), "ts": ts, "user": BOT_USER}
        return _ok(channel=channel_id, ts=ts, message=message)

    def _next_ts(self) -> str:
        """A message timestamp as Slack makes them: wall-clock seconds, unique, increasing."""
        micros = max(int(time.time() * 1_000_000), self._last_ts + 1)
        self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    async def _m_conversations_open(self, args: dict[str, Any]) -> web.Response:
        user = self.users.get(args.get("users", ""))
        if user is None:
            return _ok(False, error="user_not_found")
        if user.deleted:
            return _ok(False, error="user_disabled")
        dm = "D" + user.id[1:]
        self.channels.setdefault(dm, Channel(dm, user.name, is_im=True, user=user.id))
        return _ok(channel={"id": dm})

    async def _m_conversations_info(self, args: dict[str, Any]) -> web.Response:
        channel = self.channels.get(args.get("channel", ""))
        if channel is None:
            return _ok(False, error="channel_not_found")
        return _ok(
            channel={
                "id": channel.id,
                "name": channel.name,
                "is_channel": not channel.is_private and not channel.is_im,
                "is_private": channel.is_private,
                "is_im": channel.is_im,
                "is_member": channel.is_member,
                "is_archived": channel.is_archived,
            }
        )

    async def _m_conversations_history(self, args: dict[str, Any]) -> web.Response:
        """Newest first, from ``oldest`` on, ``limit`` a page (at most 999), paged by
        ``cursor``; message metadata only with ``include_all_metadata``, as Slack does."""
        channel_id = args.get("channel", "")
        if channel_id not in self.channels:
            return _ok(False, error="channel_not_found")
        oldest = float(args.get("oldest") or 0)
        metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        found = [
            {"type": "message", "ts": m.ts, "text": m.text}
            | ({"metadata": m.raw["metadata"]} if metadata and m.raw.get("metadata") else {})
            for m in reversed(self.messages)
            if m.channel == channel_id and m.via == "chat.postMessage" and float(m.ts) > oldest
        ]
        limit = min(int(args.get("limit") or 100), 999)
        start = int(args.get("cursor") or 0)
        page = found[start : start + limit]
        more = len(found) > start + limit
        return _ok(
            messages=page,
            has_more=more,
            response_metadata={"next_cursor": str(start + limit) if more else ""},
        )

    async def _m_users_info(self, args: dict[str, Any]) -> web.Response:
        user = self.users.get(args.get("user", ""))
        if user is None:
            return _ok(False, error="user_not_found")
        return _ok(
            user={
                "id": user.id,
                "name": user.name,
                "deleted": user.deleted,
                "is_admin": user.is_admin,
                "is_owner": user.is_owner,
                "is_primary_owner": False,
                "is_bot": user.is_bot,
            }
        )

    # -- response_url -----------------------------------------------------------------

    def response_url(self, channel: str) -> str:
        """A fresh response URL for an interaction in ``channel``."""
        return f"{self.base}/respond/{channel}.{uuid.uuid4().hex}"

    async def _respond(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        self._response_uses[token] += 1
        body = await request.json()
        if self._response_uses[token] > 5:
            self.rejected.append(("response_url", ["used more than 5 times"]))
            return web.Response(status=404, text="used_url")
        if body.get("delete_original"):
            self.messages.append(
                Posted(
                    "delete_original",
                    token.split(".")[0],
                    "",
                    [],
                    body,
                    time.monotonic(),
                    token=token,
                )
            )
            return web.Response(text="ok")
        problems = message_problems(body, self.allowed_mentions)
        if problems:
            self.rejected.append(("response_url", problems))
            return web.Response(status=400, text="invalid_blocks")
        self.messages.append(
            Posted(
                "response_url",
                token.split(".")[0],
                body.get("text", ""),
                body.get("blocks") or [],
                body,
                time.monotonic(),
                token=token,
            )
        )
        return web.Response(text="ok")

    def _record_ack(self, channel: str, body: dict[str, Any] | None, response_url: str) -> None:
        if not body:
            return
        problems = message_problems(body, self.allowed_mentions)
        if problems:
            self.rejected.append(("ack", problems))
        self.messages.append(
            Posted(
                "ack",
                channel,
                body.get("text", ""),
                body.get("blocks") or [],
                body,
                time.monotonic(),
                token=response_url.rsplit("/", 1)[-1],
            )
        )

    def replies_to(self, response_url: str) -> list[Posted]:
        """What answered one request: its ack body and its ``response_url`` posts, in order."""
        token = response_url.rsplit("/", 1)[-1]
        return [m for m in self.messages if m.token == token]

    # -- requests Slack sends to the app (HTTP) ----------------------------------------

    def command_payload(
        self, command: str, text: str = "", *, user: str = "U0ALICE", channel: str = "C0NEWS"
    ) -> dict[str, str]:
        """The form fields of a slash-command request."""
        return {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": self.channels[channel].name if channel in self.channels else "x",
            "user_id": user,
            "user_name": self.users[user].name if user in self.users else "someone",
            "command": command,
            "text": text,
            "api_app_id": "A0BRIEF",
            "is_enterprise_install": "false",
            "response_url": self.response_url(channel),
            "trigger_id": f"{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:8]}",
        }

    def action_payload(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U0ALICE",
        channel: str = "C0NEWS",
        ephemeral: bool = True,
    ) -> dict[str, Any]:
        """A ``block_actions`` payload for a button click."""
        return {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "fake"},
            "user": {"id": user, "username": "alice", "team_id": TEAM},
            "api_app_id": "A0BRIEF",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": "1700000000.000001",
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": f"{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:8]}",
            "channel": {"id": channel, "name": "news"},
            "response_url": self.response_url(channel),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b1",
                    "text": {"type": "plain_text", "text": "x"},
                    "value": value,
                    "action_ts": "1700000000.000002",
                }
            ],
        }

    async def post_signed(
        self, url: str, body: str, *, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """POST a body to the app with Slack's signature headers (or the ones given)."""
        assert self._session is not None
        async with self._session.post(url, data=body, headers=headers or sign(body)) as resp:
            return resp.status, await resp.text()

    async def command(self, command: str, text: str = "", **who: str) -> Exchange:
        """Send a slash command to the app (signed HTTP if :attr:`app_url` is set, else over
        the websocket); the ack body is recorded as a message when it has one."""
        payload = self.command_payload(command, text, **who)
        return await self._deliver(payload, "slash_commands", urlencode(payload))

    async def click(self, action_id: str, value: str, **who: Any) -> Exchange:
        """Press a button in the app (signed HTTP if :attr:`app_url` is set, else websocket)."""
        payload = self.action_payload(action_id, value, **who)
        body = urlencode({"payload": json.dumps(payload)})
        return await self._deliver(payload, "interactive", body)

    async def _deliver(self, payload: dict[str, Any], kind: str, form: str) -> Exchange:
        started = time.monotonic()
        if self.app_url is not None:
            status, text = await self.post_signed(self.app_url, form)
            if status != 200:
                raise AssertionError(f"app answered {status}: {text}")
            ack = json.loads(text) if text.startswith("{") else ({"text": text} if text else {})
        else:
            status, ack = 200, (await self.envelope(kind, payload)) or {}
        exchange = Exchange(payload["response_url"], status, ack, started, time.monotonic())
        channel = payload.get("channel_id") or payload.get("channel", {}).get("id", "")
        self._record_ack(channel, ack, exchange.response_url)
        return exchange

    # -- Socket Mode ------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0BRIEF"}}
        )
        try:
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                future = self._acks.pop(data.get("envelope_id", ""), None)
                if future is not None and not future.done():
                    future.set_result(data.get("payload"))
        finally:
            self._sockets.remove(ws)
        return ws

    @property
    def socket_connected(self) -> bool:
        return bool(self._sockets)

    async def envelope(
        self, kind: str, payload: dict[str, Any], timeout: float = 3.0
    ) -> dict[str, Any] | None:
        """Send an envelope over the websocket; return the app's ack payload."""
        await self.wait_for(lambda: self.socket_connected, timeout)
        envelope_id = uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = future
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        return await asyncio.wait_for(future, timeout)


def _ok(
    ok: bool = True, *, status: int = 200, headers: dict[str, str] | None = None, **body: Any
) -> web.Response:
    return web.json_response({"ok": ok, **body}, status=status, headers=headers)


def _failed(failure: Failure) -> web.Response:
    headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
    if failure.status >= 500:
        return web.Response(status=failure.status, text="upstream trouble", headers=headers)
    error = failure.error or ("ratelimited" if failure.status == 429 else "fatal_error")
    return _ok(False, status=failure.status, headers=headers, error=error)
