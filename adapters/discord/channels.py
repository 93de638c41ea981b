"""Where a Discord delivery goes: channels found by id, DMs opened once, kinds shared.

A channel comes from the gateway's cache when this process holds its guild; else, when
another process said what kind it is and that kind takes messages as any channel does, it
is posted to without a request; else it is fetched once, and its kind shared through the
store (the processes of a sharded bot each hold only some guilds). A process is ready once
the kinds of the guilds it holds are in the store (:meth:`Channels.shared`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import discord

from adapters.discord.pacing import Pacer

_log = logging.getLogger(__name__)


class SharedKinds(Protocol):
    """Channel kinds shared by the bot's processes (the store's ``ChannelKinds``)."""

    async def remember(self, platform: str, kinds: Mapping[str, str], *, now: datetime) -> None: ...

    async def recall(self, platform: str, channels: Sequence[str]) -> dict[str, str]: ...

    async def forget(self, platform: str, channel: str) -> None: ...


SHARE_TIMEOUT = 30.0
"""The most seconds :meth:`Channels.shared` waits for the store."""

_POSTABLE = {
    discord.ChannelType.text,
    discord.ChannelType.news,
    discord.ChannelType.public_thread,
    discord.ChannelType.private_thread,
    discord.ChannelType.news_thread,
}
"""Kinds a message is posted to as it is to any channel: no fetch needed to post there."""


class Channels:
    """The channels and DMs one Discord client posts to.

    Args:
        client: a logged-in discord.py client (its cache finds channels and threads).
        pacer: the global request budget of this process (opening a DM, fetching a channel).
        kinds: channel kinds shared by the bot's processes; without it, kept in this one.
    """

    def __init__(
        self, client: discord.Client, pacer: Pacer, kinds: SharedKinds | None = None
    ) -> None:
        self._client = client
        self._pacer = pacer
        self._dms: dict[int, discord.DMChannel] = {}
        self._shared = kinds
        self._kinds: dict[int, discord.ChannelType] = {}
        self._sharing: set[asyncio.Task[Any]] = set()

    async def share_kinds(self, channels: Sequence[Any]) -> None:
        """Tell the other processes what kind these channels (of a guild this process holds)
        are, so that they post to them without fetching them first."""
        if self._shared is None or not channels:
            return
        kinds = {str(c.id): c.type.name for c in channels}
        task = asyncio.current_task()
        if task is not None:
            self._sharing.add(task)
        try:
            await self._shared.remember("discord", kinds, now=datetime.now(UTC))
        except Exception as exc:  # the store is down: the others fetch, as before
            _log.warning("could not share %d channel kinds: %s", len(kinds), exc)
        finally:
            self._sharing.discard(task)

    async def shared(self, timeout: float = SHARE_TIMEOUT) -> None:
        """Wait (at most ``timeout`` seconds) until the kinds this process is sharing are in
        the store: a process that says it is ready before that would leave the others,
        starting to post, to fetch the channels of its guilds one by one."""
        pending = self._sharing - {asyncio.current_task()}
        if pending:
            await asyncio.wait(pending, timeout=timeout)

    async def forget_kind(self, channel_id: int) -> None:
        """A channel was deleted: no process should take it for a postable one."""
        self._kinds.pop(channel_id, None)
        if self._shared is not None:
            try:
                await self._shared.forget("discord", str(channel_id))
            except Exception as exc:
                _log.warning("could not forget the kind of channel %s: %s", channel_id, exc)

    async def dm(self, user_id: int) -> discord.DMChannel:
        """The DM channel with a user, opened once and remembered."""
        dm = self._dms.get(user_id)
        if dm is None:
            async with self._pacer.slot():
                dm = await self._client.create_dm(discord.Object(user_id))
            self._dms[user_id] = dm
        return dm

    async def resolve(self, channel_id: int, *, full: bool = False) -> Any:
        """The channel from the gateway's cache; else, unless ``full``, a channel another
        process said is postable (no request); else fetched, and its kind shared."""
        channel = self._client.get_channel(channel_id)
        if channel is not None:
            return channel
        if not full:
            kind = await self._known_kind(channel_id)
            if kind in _POSTABLE:
                return self._client.get_partial_messageable(channel_id, type=kind)
        async with self._pacer.slot():
            fetched: Any = await self._client.fetch_channel(channel_id)
        self._kinds[channel_id] = fetched.type
        await self.share_kinds([fetched])
        return fetched

    async def _known_kind(self, channel_id: int) -> discord.ChannelType | None:
        kind = self._kinds.get(channel_id)
        if kind is None and self._shared is not None:
            try:
                known = await self._shared.recall("discord", [str(channel_id)])
            except Exception as exc:
                _log.warning("could not read the kind of channel %s: %s", channel_id, exc)
                return None
            name = known.get(str(channel_id))
            kind = discord.ChannelType.__members__.get(name) if name else None
            if kind is not None:
                self._kinds[channel_id] = kind
        return kind
