"""The discord.py client and its slash commands, translated into calls of the command layer.

:func:`make_client` builds a ``Client`` (or an ``AutoShardedClient`` when shards are
configured); :func:`build_tree` registers ``/brief``, ``/actor``, ``/event``,
``/subscribe``, ``/unsubscribe``, ``/subscriptions``, ``/digest`` and ``/help`` on an
``app_commands.CommandTree``. Each command turns its typed options back into the command
layer's text grammar and hands it to :class:`Responder`, which runs it, defers the
interaction when the answer takes longer than ``defer_after`` seconds, and sends the
rendered reply — ephemeral with a "Share" button by default, never mentioning anyone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import lru_cache
from typing import Any, Literal, Protocol, get_args
from zoneinfo import available_timezones

import aiohttp
import discord
from discord import app_commands

from adapters.discord.layout import ellipsize
from adapters.discord.policy import handling
from adapters.discord.poster import NO_MENTIONS, embeds_of
from adapters.discord.render import render, with_share
from adapters.discord.settings import DiscordSettings
from adapters.discord.views import make_view, parse_custom_id
from briefings.chat.access import Caller
from briefings.model import EventType
from briefings.service.replies import ActorRef, Button, Notice, Reply

_log = logging.getLogger(__name__)

CHOICES_LIMIT = 25
CHOICE_LIMIT = 100
Suggest = Callable[[str, int], Awaitable[Sequence[ActorRef]]]
"""Actor names for autocomplete: (what the user typed, how many) → best actors first."""

_DIGEST_EXAMPLES = (
    "08:00 Europe/Berlin",
    "weekdays 07:30 America/New_York",
    "actors ",
    "exclude ",
    "types ",
    "keywords ",
    "empty on",
    "empty off",
    "on",
    "off",
    "now",
)


class CommandHandler(Protocol):
    """The command layer as the adapter uses it (:class:`briefings.chat.commands.Commands`)."""

    async def handle(self, caller: Caller, name: str, text: str = "") -> Reply:
        """Parse and run one command."""
        ...

    async def press(self, caller: Caller, action: str, value: str) -> Reply:
        """Run a button press."""
        ...


def caller_of(interaction: discord.Interaction) -> Caller:
    """Who sent an interaction and where: the guild is the workspace; a DM has no channel."""
    guild = interaction.guild_id
    channel = str(interaction.channel_id) if guild and interaction.channel_id else None
    return Caller("discord", str(guild) if guild else "@me", str(interaction.user.id), channel)


def _text(*parts: object) -> str:
    return " ".join(str(p).strip() for p in parts if p not in (None, "", False)).strip()


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


class Responder:
    """Answers interactions through the command layer.

    Args:
        settings: ephemerality and the deferral threshold come from here.
        commands: the command layer.
        suggest: actor names for autocomplete; without it, no suggestions are offered.
    """

    def __init__(
        self, settings: DiscordSettings, commands: CommandHandler, suggest: Suggest | None = None
    ) -> None:
        self._settings = settings
        self._commands = commands
        self._suggest = suggest

    async def command(self, interaction: discord.Interaction, name: str, text: str) -> None:
        """Run a slash command and answer it."""
        caller = caller_of(interaction)
        await self._answer(interaction, lambda: self._commands.handle(caller, name, text))

    async def click(self, interaction: discord.Interaction, button: Button) -> None:
        """Handle a click on a briefbot button (any message, any age)."""
        if button.action == "share":
            await self._share(interaction)
            return
        caller = caller_of(interaction)
        await self._answer(
            interaction, lambda: self._commands.press(caller, button.action, button.value)
        )

    async def _answer(
        self, interaction: discord.Interaction, run: Callable[[], Awaitable[Reply]]
    ) -> None:
        with handling(interaction):
            task = asyncio.ensure_future(self._guarded(run))
        done, _ = await asyncio.wait({task}, timeout=self._settings.defer_after)
        deferred = not done
        ephemeral = self._settings.ephemeral
        if deferred:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        reply = await task
        messages = render(reply)
        if ephemeral:
            messages = with_share(messages)
        for index, message in enumerate(messages):
            if index == 0 and not deferred:
                await interaction.response.send_message(
                    content=message.content or None,
                    embeds=embeds_of(message),
                    ephemeral=ephemeral,
                    allowed_mentions=NO_MENTIONS,
                    **_view(message.buttons),
                )
            else:
                await interaction.followup.send(
                    content=message.content or discord.utils.MISSING,
                    embeds=embeds_of(message),
                    ephemeral=ephemeral,
                    allowed_mentions=NO_MENTIONS,
                    **_view(message.buttons),
                )

    async def _guarded(self, run: Callable[[], Awaitable[Reply]]) -> Reply:
        try:
            return await run()
        except Exception:
            _log.exception("a command failed")
            return Notice(
                "error", "Something went wrong on briefbot's side. Please try again in a minute."
            )

    async def _share(self, interaction: discord.Interaction) -> None:
        """Post what an ephemeral answer shows to the channel, for everyone."""
        source = interaction.message
        if source is None or not source.embeds:
            await interaction.response.send_message(
                "There is nothing to share.", ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        buttons = []
        for row in source.components:
            for item in getattr(row, "children", ()):
                parsed = parse_custom_id(getattr(item, "custom_id", None) or "")
                if parsed is not None and parsed.action != "share":
                    label = getattr(item, "label", None) or parsed.action
                    buttons.append(Button(label, parsed.action, parsed.value))
        await interaction.response.send_message(
            content=f"Shared by {interaction.user.mention}",
            embeds=source.embeds,
            allowed_mentions=NO_MENTIONS,
            **_view(buttons),
        )

    async def actors(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Autocomplete one actor name."""
        if self._suggest is None:
            return []
        refs = await self._suggest(current, CHOICES_LIMIT)
        return _fitting([_choice(f"{r.name} ({r.type.replace('_', ' ')})", r.id) for r in refs])

    async def actor_list(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Autocomplete the last name of a comma-separated list."""
        head, sep, last = current.rpartition(",")
        prefix = f"{head.strip()}, " if sep else ""
        choices = await self.actors(interaction, last.strip())
        return _fitting([_choice(prefix + c.name, prefix + c.value) for c in choices])

    async def digest_settings(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Autocomplete ``/digest``: the grammar's forms, actor names and time zones."""
        text = current.lstrip()
        word, space, rest = text.partition(" ")
        if word.lower() in ("actors", "exclude") and space:
            names = await self.actor_list(interaction, rest)
            return _fitting([_choice(f"{word} {c.name}", f"{word} {c.value}") for c in names])
        parts = text.split(" ")
        if len(parts) >= 2 and ":" in parts[-2]:
            typed = parts[-1].lower()
            head = " ".join(parts[:-1])
            zones = [z for z in _zones() if typed in z.lower()]
            return _fitting([_choice(f"{head} {z}", f"{head} {z}") for z in zones])
        examples = [e.strip() for e in _DIGEST_EXAMPLES if e.startswith(text.lower())]
        own = [_choice(text, text)] if text and text not in examples else []
        return _fitting(own + [_choice(e, e) for e in examples])


def _choice(name: str, value: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=ellipsize(name, CHOICE_LIMIT) or "…", value=value)


def _fitting(choices: Sequence[app_commands.Choice[str]]) -> list[app_commands.Choice[str]]:
    """The first 25 choices whose value Discord accepts (a longer one is left out, not cut)."""
    return [c for c in choices if 0 < len(c.value) <= CHOICE_LIMIT][:CHOICES_LIMIT]


def _view(buttons: Sequence[Button]) -> dict[str, Any]:
    view = make_view(buttons)
    return {"view": view} if view is not None else {}


_EVENT_TYPES = [app_commands.Choice(name=t, value=t) for t in get_args(EventType)]
_HELP_TOPICS = [
    app_commands.Choice(name=n, value=n)
    for n in ("brief", "actor", "event", "subscribe", "unsubscribe", "subscriptions", "digest")
]


def build_tree(client: discord.Client, responder: Responder) -> app_commands.CommandTree[Any]:
    """The command tree with briefbot's eight slash commands.

    Args:
        client: the client the tree belongs to.
        responder: answers every command.
    """
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)
    run = responder.command

    @tree.command(name="brief", description="The latest stories, merged and ranked")
    @app_commands.describe(
        since="How far back: 24h (default), 7d, 30d…",
        actors="Only stories about these actors (comma-separated)",
    )
    @app_commands.autocomplete(actors=responder.actor_list)
    async def brief(
        interaction: discord.Interaction, since: str | None = None, actors: str | None = None
    ) -> None:
        await run(interaction, "brief", _text(since, actors))

    @tree.command(name="actor", description="Who an actor is: aliases, timeline, related actors")
    @app_commands.describe(
        name="An actor's name, alias or acronym",
        only="The actor itself, without its institutions (a state's government, army…)",
        full="The whole timeline, not only the most salient entries",
    )
    @app_commands.rename(full="all")
    @app_commands.autocomplete(name=responder.actors)
    async def actor(
        interaction: discord.Interaction, name: str, only: bool = False, full: bool = False
    ) -> None:
        await run(
            interaction, "actor", _text(name, "only" if only else None, "all" if full else None)
        )

    @tree.command(name="event", description="Search events: who did what to whom, when, where")
    @app_commands.describe(
        query="Words to look for, e.g. siege Bamako",
        type="Only events of this type",
        since="How far back: 7d, 30d… (default: all time)",
    )
    @app_commands.choices(type=_EVENT_TYPES)
    async def event(
        interaction: discord.Interaction,
        query: str,
        type: str | None = None,
        since: str | None = None,
    ) -> None:
        await run(interaction, "event", _text(query, f"type:{type}" if type else None, since))

    @tree.command(
        name="subscribe", description="Hear about an actor whenever a new article names it"
    )
    @app_commands.describe(
        actor="The actor to follow",
        only="The actor itself, without its institutions (a state's government, army…)",
        mode="instant (default) or one daily bundle",
        at="daily only: the bundle's time, HH:MM (default: the bot's)",
        timezone="daily only: an IANA time zone such as Europe/Berlin (default: the bot's)",
        here="Subscribe this channel instead of you (needs Manage Channels)",
    )
    @app_commands.autocomplete(actor=responder.actors)
    async def subscribe(  # noqa: PLR0917 (discord.py passes the options by name)
        interaction: discord.Interaction,
        actor: str,
        mode: Literal["instant", "daily"] | None = None,
        at: str | None = None,
        timezone: str | None = None,
        here: bool = False,
        only: bool = False,
    ) -> None:
        if (at or timezone) and mode is None:
            mode = "daily"
        name = f"{actor} only" if only else actor
        text = _text(name, mode, at, timezone, "here" if here else None)
        await run(interaction, "subscribe", text)

    @tree.command(name="unsubscribe", description="Stop following an actor")
    @app_commands.describe(
        actor="The actor to stop following", here="For this channel instead of you"
    )
    @app_commands.autocomplete(actor=responder.actors)
    async def unsubscribe(interaction: discord.Interaction, actor: str, here: bool = False) -> None:
        await run(interaction, "unsubscribe", _text(actor, "here" if here else None))

    @tree.command(name="subscriptions", description="The actors you (or this channel) follow")
    @app_commands.describe(here="This channel's subscriptions instead of yours")
    async def subscriptions(interaction: discord.Interaction, here: bool = False) -> None:
        await run(interaction, "subscriptions", "here" if here else "")

    @tree.command(name="digest", description="This channel's scheduled digest (alone: show it)")
    @app_commands.describe(
        settings="e.g. 08:00 Europe/Berlin · weekdays 07:30 UTC · actors JNIM, Wagner · off · now"
    )
    @app_commands.autocomplete(settings=responder.digest_settings)
    async def digest(interaction: discord.Interaction, settings: str | None = None) -> None:
        await run(interaction, "digest", settings or "")

    @tree.command(name="help", description="briefbot's commands")
    @app_commands.describe(command="One command to explain")
    @app_commands.choices(command=_HELP_TOPICS)
    async def help_(interaction: discord.Interaction, command: str | None = None) -> None:
        await run(interaction, "help", command or "")

    return tree


def make_client(
    settings: DiscordSettings, *, http_trace: aiohttp.TraceConfig | None = None
) -> discord.Client:
    """A discord.py client for briefbot: the guilds intent only, no mentions, sharded if set.

    Args:
        settings: the adapter's settings.
        http_trace: hooks into the client's HTTP requests (the pacer stamps when they leave).
    """
    intents = discord.Intents.none()
    intents.guilds = True
    options: dict[str, Any] = {
        "intents": intents,
        "allowed_mentions": NO_MENTIONS,
        "max_ratelimit_timeout": settings.max_ratelimit_timeout,
        "guild_ready_timeout": settings.guild_ready_timeout,
        "chunk_guilds_at_startup": False,
        "application_id": settings.application_id,
        "http_trace": http_trace,
    }
    if settings.sharded:
        if settings.shard_ids is not None:
            options["shard_ids"] = list(settings.shard_ids)
        return discord.AutoShardedClient(shard_count=settings.shard_count, **options)
    return discord.Client(**options)
