"""The Slack adapter: a slack-bolt AsyncApp over HTTP or Socket Mode, wired to the command layer.

Slash commands and button presses become calls of :class:`briefings.commands.Commands`;
what it returns is rendered by :mod:`adapters.slack.render`. Every request is acknowledged
inside Slack's 3 seconds: an answer ready within ``ack_budget`` goes in the ack itself,
a slower one follows through ``response_url``. Digests and subscription messages go out
through :class:`~adapters.slack.poster.Poster`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any, Protocol

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from adapters.base import Found, Reachability, Sent, Target
from adapters.listener import Limits, Listener
from adapters.slack.kit import Message
from adapters.slack.pacing import Pacer, SharedPace, make_client
from adapters.slack.policy import SlackPolicy
from adapters.slack.poster import Poster
from adapters.slack.render import RenderOptions, render
from adapters.slack.requests import ActionBody, CommandBody
from adapters.slack.settings import SlackSettings
from briefings.chat.access import Caller, Policy
from briefings.service.replies import Notice, Reply

log = logging.getLogger(__name__)

ACTION = re.compile(r"^briefbot:(\w+):\d+$")
READ_ONLY = frozenset({"brief", "actor", "event", "help"})
"""Commands a "Share in channel" or "did you mean" button may run again: they change nothing."""
RESPONSE_URL_USES = 5
_INTERNAL = "briefbot hit an internal error; the admins can find it in the bot's log."


class CommandRunner(Protocol):
    """What the adapter asks of the command layer (:class:`briefings.chat.commands.Commands`)."""

    async def handle(self, caller: Caller, name: str, text: str = "") -> Reply:
        """Run a typed command."""
        ...

    async def press(self, caller: Caller, action: str, value: str) -> Reply:
        """Run a button press."""
        ...


class SlackAdapter:
    """briefbot on Slack: answers commands and buttons, posts digests and DMs.

    Args:
        settings: the Slack settings.
        commands: builds the command layer around the adapter's policy, e.g.
            ``lambda policy: Commands(answers, policy, control)``.
        shared_pace: the workspace's posting pace, shared with other bot processes
            through the database; without it the pace is kept in this process only.
    """

    def __init__(
        self,
        settings: SlackSettings,
        commands: Callable[[Policy], CommandRunner],
        *,
        shared_pace: SharedPace | None = None,
    ) -> None:
        self.settings = settings
        self.pacer = Pacer(settings.channel_interval, settings.workspace_rate, shared=shared_pace)
        self.client = make_client(
            settings.bot_token, settings.api_base_url, self.pacer, settings.rate_limit_retries
        )
        self.poster = Poster(
            self.client,
            self.pacer,
            reconcile=settings.reconcile,
            rate_limit_retries=settings.rate_limit_retries,
        )
        self.policy = SlackPolicy(self.poster, settings.admins)
        self.commands = commands(self.policy)
        self.names = settings.commands()
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.signing_secret or "",
            request_verification_enabled=settings.mode == "http",
            process_before_response=True,
            logger=log,
        )
        for command in self.names:
            self.app.command(command)(self._on_command)
        self.app.action(ACTION)(self._on_action)
        self._tasks: set[asyncio.Task[None]] = set()
        self._listener: Listener | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self.port: int | None = None

    @property
    def platform(self) -> str:
        return "slack"

    @property
    def pending(self) -> int:
        """Answers still being worked on after their ack."""
        return len(self._tasks)

    # -- lifecycle ------------------------------------------------------------------

    def web_app(self) -> web.Application:
        """The aiohttp application serving Slack's signed requests at the configured path."""
        app = web.Application()
        app.router.add_post(self.settings.path, self.handle_http)
        return app

    async def handle_http(self, request: web.Request) -> web.Response:
        """One signed request from Slack (a slash command or an interaction)."""
        stamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if self.settings.mode == "http" and not (stamp.isascii() and stamp.isdigit()):
            return web.Response(status=401, text="a signed Slack request is required")
        response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    def _connect(self) -> None:
        """Share one HTTP connection pool across Web API calls (made inside the event loop)."""
        if self.client.session is None or self.client.session.closed:
            self.client.session = aiohttp.ClientSession()

    async def start(self) -> None:
        """Listen for HTTP requests, or connect to Slack over Socket Mode."""
        self._connect()
        if self.settings.mode == "socket":
            self._socket = AsyncSocketModeHandler(self.app, self.settings.app_token)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            return
        s = self.settings
        limits = Limits(s.header_timeout, s.idle_timeout, s.request_timeout, s.max_connections)
        self._listener = Listener(self.web_app(), s.host, s.port, limits)
        await self._listener.start()
        self.port = self._listener.port

    async def stop(self) -> None:
        """Finish answering in-flight requests, then disconnect."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=10)
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None
        if self.client.session is not None:
            await self.client.session.close()
            self.client.session = None

    # -- the outbox's side -----------------------------------------------------------

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        """Post a reply (a digest, a subscription update) to a channel or as a DM.

        Raises:
            DeliveryError: see :meth:`Poster.post`.
        """
        self._connect()
        messages = self._delivery(reply)
        return await self.poster.post(target, messages, key=key)

    async def find(self, target: Target, reply: Reply, *, key: str, since: datetime) -> Found:
        """Which parts of a delivery posted under ``key`` are in the target's history.

        Raises:
            DeliveryError: Slack could not be asked.
        """
        self._connect()
        messages = self._delivery(reply)
        return await self.poster.find(target, key, len(messages), since=since)

    async def complete(self, target: Target, reply: Reply, *, key: str, found: Found) -> Sent:
        """Post the parts of a delivery that ``found`` lacks, under the same key.

        Raises:
            DeliveryError: see :meth:`Poster.post`.
        """
        self._connect()
        messages = self._delivery(reply)
        already = {part: ts for part, ts in enumerate(found.parts) if ts is not None}
        return await self.poster.post(target, messages, key=key, already=already)

    def _delivery(self, reply: Reply) -> list[Message]:
        """The messages a delivery posts: no Share button, the configured command prefix."""
        return render(reply, RenderOptions(prefix=self.settings.command_prefix))

    async def reachable(self, target: Target) -> Reachability:
        """Whether the bot can post to ``target`` now."""
        self._connect()
        return await self.poster.reachable(target)

    # -- requests ----------------------------------------------------------------------

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    def _caller(team: str, user: str, channel: str | None) -> Caller:
        direct = channel is None or channel.startswith("D")
        return Caller("slack", team, user, None if direct else channel)

    async def _safely(self, work: Awaitable[Reply]) -> Reply:
        try:
            return await work
        except Exception:
            log.exception("a Slack request failed")
            return Notice("error", _INTERNAL)

    @staticmethod
    def _read_only(name: str, text: str) -> bool:
        return name in READ_ONLY or (name == "digest" and not text)

    def _options(self, name: str, text: str) -> RenderOptions:
        shareable = self.settings.ephemeral and self._read_only(name, text)
        share = f"{name} {text}".strip() if shareable else None
        return RenderOptions(prefix=self.settings.command_prefix, share=share)

    def _render(self, reply: Reply, options: RenderOptions) -> list[Message]:
        try:
            return render(reply, options)
        except Exception:
            log.exception("rendering a %s failed", type(reply).__name__)
            return render(Notice("error", _INTERNAL))

    async def _on_command(self, ack: AsyncAck, body: CommandBody, respond: AsyncRespond) -> None:
        name = self.names[body["command"]]
        text = str(body.get("text") or "").strip()
        caller = self._caller(body["team_id"], body["user_id"], body.get("channel_id"))
        kind = "ephemeral" if self.settings.ephemeral else "in_channel"
        task = asyncio.ensure_future(self._safely(self.commands.handle(caller, name, text)))
        done, _ = await asyncio.wait({task}, timeout=self.settings.ack_budget)
        if task in done:
            messages = self._render(task.result(), self._options(name, text))
            first, rest = messages[0], messages[1:]
            await ack(response_type=kind, **first.payload())
            if rest:
                self._spawn(self._send(respond, rest, kind, RESPONSE_URL_USES))
            return
        await ack()

        async def later() -> None:
            reply = await task
            messages = self._render(reply, self._options(name, text))
            await self._send(respond, messages, kind, RESPONSE_URL_USES)

        self._spawn(later())

    async def _send(
        self, respond: AsyncRespond, messages: list[Message], kind: str, uses: int
    ) -> None:
        """Send messages through ``response_url``; past its 5 uses, say what was left out."""
        if len(messages) > uses:
            left = len(messages) - uses + 1
            note = Notice(
                "info",
                f"{left} more parts of this answer did not fit in Slack's replies: "
                "narrow it (a shorter window, fewer actors) to see the rest.",
            )
            messages = messages[: uses - 1] + render(note)
        for message in messages:
            response = await respond(
                response_type=kind, replace_original=False, **message.payload()
            )
            if response.status_code != 200:
                log.warning("response_url answered %s: %s", response.status_code, response.body)
                return

    async def _on_action(self, ack: AsyncAck, body: ActionBody, respond: AsyncRespond) -> None:
        await ack()
        action = body["actions"][0]
        match = ACTION.match(action["action_id"])
        if match is None:
            return
        kind, value = match.group(1), str(action.get("value") or "")
        in_team, in_channel = body.get("team"), body.get("channel")
        team = (in_team["id"] if in_team else None) or body["user"].get("team_id", "")
        container = body.get("container")
        channel = (in_channel["id"] if in_channel else None) or (
            container.get("channel_id") if container else None
        )
        caller = self._caller(team, body["user"]["id"], channel)
        self._spawn(self._press(caller, kind, value, respond))

    async def _press(self, caller: Caller, kind: str, value: str, respond: AsyncRespond) -> None:
        if kind in ("share", "run"):
            name, _, text = value.partition(" ")
            if not self._read_only(name, text):
                log.warning("ignored a %s button for %r", kind, value)
                return
            reply = await self._safely(self.commands.handle(caller, name, text))
            if kind == "share":
                messages = self._render(reply, RenderOptions(prefix=self.settings.command_prefix))
                await self._send(respond, messages, "in_channel", RESPONSE_URL_USES)
                return
            options = self._options(name, text)
        else:
            reply = await self._safely(self.commands.press(caller, kind, value))
            options = (
                self._options("actor", value)
                if kind == "actor"
                else RenderOptions(prefix=self.settings.command_prefix)
            )
        await self._send(respond, self._render(reply, options), "ephemeral", RESPONSE_URL_USES)
