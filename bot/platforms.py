"""Adapters built from the config: each gets its own section and a command-layer factory.

The platform packages are imported only when their section is enabled, so a console-only
bot never loads slack-bolt or discord.py. Settings errors of an adapter come back as
:class:`~bot.config.ConfigError` naming the config file and the key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from adapters.base import Adapter
from adapters.console.adapter import ConsoleAdapter
from bot.config import ConfigError, Settings
from bot.credentials import discord_problems, slack_problems
from briefings.chat.access import Caller, DigestControl, Permission, Policy
from briefings.chat.commands import Commands
from briefings.errors import BriefingError
from briefings.service.answers import Answers
from briefings.service.replies import Reply

if TYPE_CHECKING:  # the platform packages load only when enabled
    from adapters.discord.channels import SharedKinds
    from adapters.discord.settings import DiscordSettings
    from adapters.slack.pacing import SharedPace
    from adapters.slack.settings import SlackSettings

CommandsFactory = Callable[[Policy], Commands]


class ConsolePolicy:
    """Whoever types at the console runs the bot: they may manage its channel."""

    async def may_manage(self, caller: Caller) -> Permission:
        return Permission(True)

    async def can_post(self, caller: Caller) -> Permission:
        return Permission(True)


def console_runner(
    commands: Commands, *, workspace: str, channel: str, user: str = "you"
) -> Callable[[str], Awaitable[Reply]]:
    """A console command runner: ``/actor wagner`` → ``commands.handle(..., "actor", "wagner")``."""

    async def run(line: str) -> Reply:
        name, _, text = line.strip().lstrip("/").partition(" ")
        caller = Caller("console", workspace, user, channel)
        return await commands.handle(caller, name.lower(), text.strip())

    return run


def _where(settings: Settings, platform: str) -> str:
    return f"{settings.path or '<config>'}: platforms.{platform}"


def _config_error(settings: Settings, platform: str, exc: Exception) -> ConfigError:
    text = str(exc)
    if text.startswith(f"platforms.{platform}."):
        return ConfigError(f"{settings.path or '<config>'}: {text}")
    return ConfigError(f"{_where(settings, platform)}: {text}")


def slack_settings(settings: Settings) -> SlackSettings:
    """The Slack adapter's settings from ``[platforms.slack]`` (validated)."""
    from adapters.slack.settings import SlackSettings

    try:
        return SlackSettings.from_options(settings.platforms.slack.options())
    except (BriefingError, TypeError, ValueError) as exc:
        raise _config_error(settings, "slack", exc) from None


def discord_settings(settings: Settings) -> DiscordSettings:
    """The Discord adapter's settings from ``[platforms.discord]`` (validated)."""
    from adapters.discord.settings import DiscordSettings

    try:
        return DiscordSettings.from_options(settings.platforms.discord.options())
    except (BriefingError, TypeError, ValueError) as exc:
        raise _config_error(settings, "discord", exc) from None


def check_platforms(settings: Settings) -> list[str]:
    """Validate every enabled platform's settings without connecting; their names.

    Beyond what the adapters check, tokens and secrets must have the shapes Slack and
    Discord issue, and Discord's application id must be set (:mod:`bot.credentials`).

    Raises:
        ConfigError: naming every problem found, one a line.
    """
    enabled = []
    problems: list[str] = []
    if settings.platforms.console.enabled:
        enabled.append("console")
    if settings.platforms.slack.enabled:
        slack = slack_settings(settings)
        problems += slack_problems(
            slack.bot_token,
            mode=slack.mode,
            app_token=slack.app_token,
            signing_secret=slack.signing_secret,
        )
        enabled.append("slack")
    if settings.platforms.discord.enabled:
        discord = discord_settings(settings)
        problems += discord_problems(discord.token, discord.application_id)
        enabled.append("discord")
    if problems:
        where = settings.path or "<config>"
        raise ConfigError("\n".join(f"{where}: {p}" for p in problems))
    return enabled


def build_adapters(
    settings: Settings,
    answers: Answers,
    control: DigestControl,
    *,
    console_stream: TextIO | None = None,
    console_input: TextIO | None = None,
    shared_pace: SharedPace | None = None,
    channel_kinds: SharedKinds | None = None,
) -> list[Adapter]:
    """The enabled adapters, each with its own settings and a command layer.

    Args:
        settings: the loaded settings.
        answers: the answering service the command layers use.
        control: the scheduler, for ``/digest`` changes.
        console_stream: where the console prints (standard output by default).
        console_input: where the console reads commands, when interactive.
        shared_pace: a posting pace shared with other processes
            (:class:`adapters.slack.pacing.SharedPace`), for Slack; None keeps it local.
        channel_kinds: channel kinds shared with other processes
            (:class:`adapters.discord.channels.SharedKinds`), for Discord.
    """

    def factory(policy: Policy) -> Commands:
        return Commands(answers, policy, control)

    adapters: list[Adapter] = []
    console = settings.platforms.console
    if console.enabled:
        commands = factory(ConsolePolicy())
        adapters.append(
            ConsoleAdapter(
                stream=console_stream,
                workspace=console.workspace,
                channel=console.channel,
                runner=console_runner(
                    commands, workspace=console.workspace, channel=console.channel
                ),
                input=console_input if console.interactive else None,
            )
        )
    if settings.platforms.slack.enabled:
        from adapters.slack.adapter import SlackAdapter

        adapters.append(SlackAdapter(slack_settings(settings), factory, shared_pace=shared_pace))
    if settings.platforms.discord.enabled:
        from adapters.discord.adapter import DiscordAdapter

        adapters.append(
            DiscordAdapter(
                discord_settings(settings),
                factory,
                suggest=answers.suggest_actors,
                channel_kinds=channel_kinds,
            )
        )
    return adapters


def by_platform(adapters: list[Adapter]) -> Mapping[str, Adapter]:
    """The adapters keyed by platform name."""
    return {a.platform: a for a in adapters}


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe_running(settings: Settings, adapters: Sequence[Adapter]) -> str:
    """The line ``briefbot run`` logs once started: its platforms and sources, or that
    none is enabled and what that means.

    Args:
        settings: the loaded settings.
        adapters: the adapters that started.
    """
    names = sorted({a.platform for a in adapters})
    platforms = (
        f"platforms: {', '.join(names)}"
        if names
        else "no platform is enabled, so nothing is posted (enable one under [platforms])"
    )
    s = settings.sources
    sources = []
    if s.feeds:
        sources.append(_count(len(s.feeds), "feed"))
    if s.folders:
        sources.append(_count(len(s.folders), "folder"))
    if s.push.token is not None and settings.http.enabled and settings.http.push:
        sources.append("push")
    arrivals = (
        f"sources: {', '.join(sources)}"
        if sources
        else "no source is enabled, so articles arrive only by `briefbot ingest` "
        "(add [[sources.feeds]], [[sources.folders]] or a [sources.push] token)"
    )
    return f"briefbot is running; {platforms}; {arrivals}"
