"""The Discord adapter: one object with the :class:`~adapters.base.Adapter` lifecycle.

It owns the discord.py client, the command tree and the poster. The bot builds it with
its settings and a factory of the command layer (which must use this adapter's
:class:`~adapters.discord.policy.DiscordPolicy`, so the factory receives it)::

    adapter = DiscordAdapter(
        settings,
        lambda policy: Commands(answers, policy, control),
        suggest=resolver.suggest,
    )
    await adapter.start()
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.base import DeliveryError, Found, Reachability, Sent, Target
from adapters.discord.channels import Channels, SharedKinds
from adapters.discord.client import CommandHandler, Responder, Suggest, build_tree, make_client
from adapters.discord.pacing import Pacer
from adapters.discord.policy import DiscordPolicy
from adapters.discord.poster import NO_MENTIONS, Poster, embeds_of
from adapters.discord.render import render, thread_name
from adapters.discord.settings import DiscordSettings
from adapters.discord.views import button_item
from briefings.chat.access import Policy
from briefings.errors import BriefingError
from briefings.service.replies import Notice, Reply

_log = logging.getLogger(__name__)

READY_TIMEOUT = 60.0


class DiscordStartError(BriefingError):
    """The adapter could not connect to Discord; the message says what to check."""


class DiscordAdapter:
    """briefbot on Discord: slash commands answered, digests and DMs posted.

    Args:
        settings: the adapter's settings.
        commands: builds the command layer around the policy it is given.
        suggest: actor names for autocomplete (e.g. ``Resolver.suggest``).
        channel_kinds: channel kinds shared with the other bot processes (the store): this
            process writes those of its guilds, and posts without a fetch to channels it
            learns there are text or announcement channels.
    """

    def __init__(
        self,
        settings: DiscordSettings,
        commands: Callable[[Policy], CommandHandler],
        *,
        suggest: Suggest | None = None,
        channel_kinds: SharedKinds | None = None,
    ) -> None:
        self.settings = settings
        self.policy = DiscordPolicy(settings)
        self.commands = commands(self.policy)
        pacer = Pacer(
            settings.requests_per_second,
            window=settings.rate_window,
            margin=settings.rate_margin,
            traced=True,
        )
        self.client = make_client(settings, http_trace=pacer.trace)
        self.responder = Responder(settings, self.commands, suggest)
        self.tree = build_tree(self.client, self.responder)
        self.tree.error(self._on_error)
        self.channels = Channels(self.client, pacer, channel_kinds)
        self.poster = Poster(
            self.client,
            pacer,
            self.channels,
            crosspost=settings.crosspost_announcements,
            nonce_window=settings.nonce_window,
        )
        if channel_kinds is not None:
            self._share_channel_kinds()
        self._task: asyncio.Task[None] | None = None
        self._previous: tuple[str, yarl.URL] | None = None

    @property
    def platform(self) -> str:
        return "discord"

    async def start(self) -> None:
        """Log in, register the buttons, sync the commands, connect and wait for READY.

        Raises:
            DiscordStartError: the token was refused, Discord could not be reached, the
                commands were refused or the gateway connection failed.
        """
        self._point_at_endpoints()
        try:
            await self._start()
        except BaseException:
            with contextlib.suppress(Exception):
                await self.client.close()
            raise

    async def _start(self) -> None:
        where = self.settings.api_base_url
        try:
            await self.client.login(self.settings.token)
        except discord.LoginFailure as exc:
            raise DiscordStartError(
                "Discord refused the bot token: check platforms.discord.token (the Bot page "
                "of the application in the Developer Portal)"
            ) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise DiscordStartError(f"Discord cannot be reached at {where}: {exc}") from exc
        self.client.add_dynamic_items(button_item(self.responder.click))
        if self.settings.sync_commands:
            try:
                await self.sync_commands()
            except discord.HTTPException as exc:
                raise DiscordStartError(f"Discord refused the slash commands: {exc}") from exc
        self._task = asyncio.create_task(self.client.connect(reconnect=True))
        ready = asyncio.ensure_future(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, self._task}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if self._task in done:
            ready.cancel()
            error = self._task.exception()
            raise DiscordStartError(f"the Discord gateway connection ended: {error}") from error
        if not done:
            ready.cancel()
            _log.warning("Discord is not ready after %.0fs; continuing", READY_TIMEOUT)
        await self.channels.shared()

    def _share_channel_kinds(self) -> None:
        """Write the kinds of the channels of every guild this process holds to the store,
        and keep them current, for the processes that do not hold those guilds."""
        channels = self.channels

        async def on_guild_available(guild: discord.Guild) -> None:
            await channels.share_kinds([*guild.channels, *guild.threads])

        async def on_guild_join(guild: discord.Guild) -> None:
            await channels.share_kinds([*guild.channels, *guild.threads])

        async def on_guild_channel_create(channel: Any) -> None:
            await channels.share_kinds([channel])

        async def on_guild_channel_update(before: Any, after: Any) -> None:
            await channels.share_kinds([after])

        async def on_thread_create(thread: discord.Thread) -> None:
            await channels.share_kinds([thread])

        async def on_guild_channel_delete(channel: Any) -> None:
            await channels.forget_kind(channel.id)

        async def on_thread_delete(thread: discord.Thread) -> None:
            await channels.forget_kind(thread.id)

        for handler in (
            on_guild_available,
            on_guild_join,
            on_guild_channel_create,
            on_guild_channel_update,
            on_thread_create,
            on_guild_channel_delete,
            on_thread_delete,
        ):
            self.client.event(handler)

    def _point_at_endpoints(self) -> None:
        """Send REST and gateway traffic where the settings say (process-wide in discord.py)."""
        self._previous = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        Route.BASE = self.settings.api_base_url.rstrip("/")
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.settings.gateway_url)

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Register the slash commands with Discord: in each configured guild, else globally."""
        if not self.settings.guild_ids:
            return await self.tree.sync()
        synced: list[app_commands.AppCommand] = []
        for guild_id in self.settings.guild_ids:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            synced += await self.tree.sync(guild=guild)
        return synced

    async def stop(self) -> None:
        """Disconnect; in-flight interactions finish on their own tasks."""
        await self.client.close()
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._task
            self._task = None
        if self._previous is not None:
            # Put discord.py's endpoints back, unless another adapter has moved them since.
            if self.settings.api_base_url.rstrip("/") == Route.BASE:
                Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._previous
            self._previous = None

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        """Post ``reply`` to a channel (text, announcement, forum, thread) or a user's DMs.

        Raises:
            DeliveryError: see :meth:`adapters.discord.poster.Poster.post`.
        """
        self._require_running()
        return await self.poster.post(target, render(reply), key=key, name=thread_name(reply))

    async def find(self, target: Target, reply: Reply, *, key: str, since: datetime) -> Found:
        """Which parts of a delivery posted under ``key`` Discord has (see the poster).

        Raises:
            DeliveryError: Discord could not be asked, or the adapter is not running.
        """
        self._require_running()
        return await self.poster.find(target, render(reply), since=since)

    async def complete(self, target: Target, reply: Reply, *, key: str, found: Found) -> Sent:
        """Post the parts ``found`` lacks under the same key (the same nonces).

        Raises:
            DeliveryError: see :meth:`adapters.discord.poster.Poster.post`.
        """
        self._require_running()
        already = {part: mid for part, mid in enumerate(found.parts) if mid is not None}
        messages = render(reply)
        name = thread_name(reply)
        return await self.poster.post(target, messages, key=key, name=name, already=already)

    def _require_running(self) -> None:
        if self.client.is_closed() or self.client.user is None:
            raise DeliveryError("the Discord adapter is not running", permanent=False, unsent=True)

    async def reachable(self, target: Target) -> Reachability:
        """Whether the bot can post to ``target`` now."""
        return await self.poster.reachable(target)

    def admin_targets(self) -> tuple[Target, ...]:
        """DM targets of the configured admins (to tell them about disabled targets)."""
        return tuple(Target("discord", "@me", str(i), "user") for i in self.settings.admin_ids)

    async def _on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        _log.error("slash command failed: %s", error, exc_info=error)
        notice = render(Notice("error", "That did not work. Please try again in a minute."))[0]
        kwargs: dict[str, Any] = {
            "embeds": embeds_of(notice),
            "ephemeral": True,
            "allowed_mentions": NO_MENTIONS,
        }
        with contextlib.suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(**kwargs)
            else:
                await interaction.response.send_message(**kwargs)
