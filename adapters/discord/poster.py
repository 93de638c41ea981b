"""Posting replies (digests, subscription updates) to Discord channels, forums and DMs.

A text or announcement channel gets the rendered messages in order (an announcement
channel's are then published to its followers); a forum gets one post (thread) per
delivery, the first message opening it and the rest following inside; a user gets a DM.
Every message carries ``allowed_mentions`` with nothing allowed and a nonce derived from
the delivery key, sent with ``enforce_nonce`` (Discord then returns the earlier message
instead of posting a copy). A forum post, which takes no nonce, is reconciled by its name
among the bot's open threads.

A delivery left in doubt (its post began but was never recorded done) is reconciled by
:meth:`Poster.find`: within ``nonce_window`` seconds of its start, posting it again with
the same nonces is safe, so nothing is looked up; later, the bot's messages in the channel
since a little before the post began are compared, part by part, with the rendered
delivery (Discord keeps nonces only for minutes and does not return them in history).

Messages arrive rendered (:mod:`adapters.discord.render`); channels come from
:class:`~adapters.discord.channels.Channels`. discord.py waits out per-route rate limits
itself (looking through its buckets sparingly: see
:func:`~adapters.discord.pacing.sweep_sparingly`); :class:`~adapters.discord.pacing.Pacer`
keeps this process under Discord's global limit, and a wait longer than
``max_ratelimit_timeout`` fails the delivery as transient, to be retried from the outbox.
Failures that retrying cannot fix (unknown channel, missing access or permissions, a user
who refuses DMs) raise :class:`~adapters.base.DeliveryError` with ``permanent=True``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import discord

from adapters.base import DeliveryError, Found, Reachability, Sent, Target
from adapters.discord.channels import Channels
from adapters.discord.pacing import Pacer, sweep_sparingly
from adapters.discord.permissions import missing_permissions
from adapters.discord.render import Outgoing
from adapters.discord.views import make_view

_log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
HISTORY_MARGIN = timedelta(minutes=5)
"""How far before a post's recorded start the channel's messages are compared (clock skew)."""
_PERMANENT_CODES = {
    10003: "the channel no longer exists",
    10013: "Discord knows no such user",
    50001: "briefbot cannot see the channel (Missing Access)",
    50007: "the user does not accept direct messages from briefbot",
    50013: "briefbot lacks a permission it needs there (Missing Permissions)",
    50033: "Discord knows no such user",
}
_FAILURES = (discord.HTTPException, discord.RateLimited, aiohttp.ClientError, OSError, TimeoutError)
"""What a Discord request may raise: mapped to a :class:`DeliveryError`."""


def nonce(key: str, index: int) -> str:
    """The nonce of the ``index``-th message of a delivery: 24 hex characters, stable per key."""
    return hashlib.blake2b(f"{key}#{index}".encode(), digest_size=12).hexdigest()


def embeds_of(message: Outgoing) -> list[discord.Embed]:
    """discord.py embeds for a rendered message."""
    return [discord.Embed.from_dict(dict(e)) for e in message.embeds]


Fingerprint = tuple[str, tuple[tuple[str, ...], ...]]


def _embed_text(embed: discord.Embed) -> tuple[str, ...]:
    fields = [f"{f.name}\x1f{f.value}" for f in embed.fields]
    return (
        (embed.title or "").strip(),
        (embed.description or "").strip(),
        (embed.footer.text or "").strip(),
        *(f.strip() for f in fields),
    )


def fingerprint(content: str | None, embeds: Sequence[discord.Embed]) -> Fingerprint:
    """What a reader sees of a message: its content and its embeds' text."""
    return ((content or "").strip(), tuple(_embed_text(e) for e in embeds))


def _missing(channel: Any) -> list[str]:
    """The permissions the bot lacks in a guild channel, as its cache knows them."""
    if not isinstance(channel, discord.abc.GuildChannel | discord.Thread):
        return []
    me = channel.guild.me
    if me is None:
        return []
    return missing_permissions(channel.permissions_for(me), channel.type)


def delivery_error(exc: Exception, where: str) -> DeliveryError:
    """The delivery error for a failure of a Discord request.

    Args:
        exc: what discord.py (or the network) raised.
        where: the target, for the message.
    """
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(
            f"{where}: rate limited for {exc.retry_after:.1f}s",
            permanent=False,
            retry_after=exc.retry_after,
        )
    if isinstance(exc, discord.HTTPException):
        reason = _PERMANENT_CODES.get(exc.code)
        if reason is not None or isinstance(exc, discord.Forbidden | discord.NotFound):
            detail = reason or f"{exc.status} {exc.text}".strip()
            return DeliveryError(f"{where}: {detail}", permanent=True)
        retry = exc.response.headers.get("Retry-After") if exc.status == 429 else None
        return DeliveryError(
            f"{where}: Discord answered {exc.status} ({exc.text or 'no details'})",
            permanent=False,
            retry_after=float(retry) if retry else None,
        )
    return DeliveryError(f"{where}: {type(exc).__name__}: {exc}", permanent=False)


class Poster:
    """Delivers rendered replies for one Discord client.

    Args:
        client: a logged-in discord.py client.
        pacer: the global request budget of this process.
        channels: finds channels and opens DMs.
        crosspost: publish announcement-channel posts to following channels.
        nonce_window: seconds during which a post may be sent again with the same nonces
            without duplicating it (see the module docstring).
    """

    def __init__(
        self,
        client: discord.Client,
        pacer: Pacer,
        channels: Channels,
        *,
        crosspost: bool = True,
        nonce_window: float = 60.0,
    ) -> None:
        self._client = client
        sweep_sparingly(client.http)
        self._pacer = pacer
        self.channels = channels
        self._crosspost = crosspost
        self._nonce_window = nonce_window

    async def post(
        self,
        target: Target,
        messages: Sequence[Outgoing],
        *,
        key: str,
        name: str,
        already: Mapping[int, str] | None = None,
    ) -> Sent:
        """Post rendered messages to ``target``; see the module docstring.

        Args:
            target: a channel (text, announcement, forum, thread) or a user (DM).
            messages: the rendered delivery.
            key: the delivery's idempotency key.
            name: the forum post's name, when the target is a forum.
            already: parts known to be posted (part number → message id): not sent again.

        Raises:
            DeliveryError: the post failed; ``permanent`` when retrying cannot help.
        """
        where = f"discord {target.kind} {target.id}"
        done = dict(already or {})
        try:
            if target.kind == "user":
                dm = await self.channels.dm(int(target.id))
                ids = await self._all(dm, messages, key, done)
            else:
                ids = await self._channel(int(target.id), name, messages, key, where, done=done)
        except _FAILURES as exc:
            raise delivery_error(exc, where) from exc
        return Sent(tuple(str(i) for i in ids))

    async def _send(
        self, where: discord.abc.Messageable, message: Outgoing, key: str, index: int
    ) -> discord.Message:
        view = make_view(message.buttons)
        extra: dict[str, Any] = {"view": view} if view is not None else {}
        embeds = embeds_of(message)
        async with self._pacer.slot():
            return await where.send(
                content=message.content or None,
                embeds=embeds,
                nonce=nonce(key, index),
                allowed_mentions=NO_MENTIONS,
                **extra,
            )

    async def _all(
        self,
        where: discord.abc.Messageable,
        messages: Sequence[Outgoing],
        key: str,
        done: Mapping[int, str],
    ) -> list[int]:
        """Send the parts not yet ``done``, in order; every part's message id."""
        ids = []
        for i, message in enumerate(messages):
            if i in done:
                ids.append(int(done[i]))
            else:
                ids.append((await self._send(where, message, key, i)).id)
        return ids

    async def find(self, target: Target, messages: Sequence[Outgoing], *, since: datetime) -> Found:
        """Which parts of a delivery posted under ``key`` the channel holds.

        Within ``nonce_window`` of ``since`` nothing is looked up: the answer says that
        posting everything again (same nonces) is safe. Later, the bot's messages since a
        little before ``since`` are compared with the rendered parts.

        Raises:
            DeliveryError: Discord could not be asked.
        """
        age = (datetime.now(UTC) - since).total_seconds()
        if age < self._nonce_window:
            return Found((None,) * len(messages), idempotent=True)
        where = f"discord {target.kind} {target.id}"
        found: list[str | None] = [None] * len(messages)
        try:
            if target.kind == "user":
                channel: Any = await self.channels.dm(int(target.id))
            else:
                channel = await self.channels.resolve(int(target.id))
            if isinstance(channel, discord.ForumChannel):
                # A forum post is found by its name when it is posted again.
                return Found((None,) * len(messages), idempotent=True)
            wanted = [fingerprint(m.content, embeds_of(m)) for m in messages]
            me = self._client.user.id if self._client.user is not None else None
            history = channel.history(limit=None, after=since - HISTORY_MARGIN, oldest_first=True)
            async for posted in history:
                if posted.author.id != me:
                    continue
                seen = fingerprint(posted.content, posted.embeds)
                part = next(
                    (i for i, w in enumerate(wanted) if found[i] is None and w == seen), None
                )
                if part is not None:
                    found[part] = str(posted.id)
                    if all(f is not None for f in found):
                        break
        except _FAILURES as exc:
            raise delivery_error(exc, where) from exc
        return Found(tuple(found))

    async def _channel(
        self,
        channel_id: int,
        name: str,
        messages: Sequence[Outgoing],
        key: str,
        where: str,
        *,
        done: Mapping[int, str],
    ) -> list[int]:
        channel = await self.channels.resolve(channel_id)
        missing = _missing(channel)
        if missing:
            # Asking anyway would earn a 403, and 403s count toward Discord's ban on
            # invalid requests: fail from what the gateway told us.
            raise DeliveryError(
                f"{where}: briefbot needs {', '.join(missing)} in #{channel.name}", permanent=True
            )
        if isinstance(channel, discord.ForumChannel):
            return await self._forum(channel, name, messages, key)
        postable = discord.TextChannel | discord.Thread | discord.DMChannel
        if not isinstance(channel, postable | discord.PartialMessageable):
            raise DeliveryError(
                f"{where}: briefbot cannot post in a {channel.type} channel", permanent=True
            )
        news = channel.type is discord.ChannelType.news
        ids: list[int] = []
        for i, m in enumerate(messages):
            if i in done:
                ids.append(int(done[i]))
                continue
            message = await self._send(channel, m, key, i)
            ids.append(message.id)
            if self._crosspost and news:
                await self._publish(message)
        return ids

    async def _publish(self, message: discord.Message) -> None:
        try:
            async with self._pacer.slot():
                await message.publish()
        except (discord.HTTPException, discord.RateLimited) as exc:
            _log.warning("could not publish message %s to followers: %s", message.id, exc)

    async def _forum(
        self, forum: discord.ForumChannel, name: str, messages: Sequence[Outgoing], key: str
    ) -> list[int]:
        me = forum.guild.me
        thread = next(
            (t for t in forum.threads if t.name == name and me and t.owner_id == me.id), None
        )
        ids: list[int] = []
        if thread is None:
            first = messages[0]
            view = make_view(first.buttons)
            extra: dict[str, Any] = {"view": view} if view is not None else {}
            embeds = embeds_of(first)
            async with self._pacer.slot():
                created = await forum.create_thread(
                    name=name,
                    content=first.content or None,
                    embeds=embeds,
                    allowed_mentions=NO_MENTIONS,
                    **extra,
                )
            thread = created.thread
            ids.append(created.message.id)
        else:
            _log.info("forum post %r exists already: continuing it", name)
            ids.append(thread.id)
        for i, message in enumerate(messages[1:], start=1):
            ids.append((await self._send(thread, message, key, i)).id)
        return ids

    async def reachable(self, target: Target) -> Reachability:
        """Whether the bot can post to ``target``: it must see the channel, send messages
        (in threads, for a thread) and embed links. A DM is assumed reachable."""
        if target.kind == "user":
            return Reachability(True)
        try:
            channel = await self.channels.resolve(int(target.id), full=True)
        except discord.NotFound:
            return Reachability(
                False, "the channel does not exist, or briefbot is not in its server"
            )
        except discord.Forbidden:
            return Reachability(False, "briefbot cannot see this channel")
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            return Reachability(False, f"Discord could not be asked about the channel: {exc}")
        if not isinstance(channel, discord.abc.GuildChannel | discord.Thread):
            return Reachability(True)
        if channel.guild.me is None:
            return Reachability(False, "briefbot is not a member of that server")
        missing = _missing(channel)
        if missing:
            return Reachability(False, f"briefbot needs {', '.join(missing)} in #{channel.name}")
        if not isinstance(channel, discord.TextChannel | discord.ForumChannel | discord.Thread):
            return Reachability(False, f"briefbot cannot post in a {channel.type} channel")
        return Reachability(True)
