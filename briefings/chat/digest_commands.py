"""The ``digest`` commands: show, schedule, filter, turn on or off and post a channel's digest."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from briefings.chat.access import Access, Caller, ChannelRef, DigestControl
from briefings.chat.requests import (
    Command,
    DigestCommand,
    DigestEmptyCommand,
    DigestListCommand,
    DigestScheduleCommand,
)
from briefings.errors import CommandError
from briefings.service.answers import Answers
from briefings.service.replies import (
    ActorRef,
    DigestSettingsView,
    Notice,
    Reply,
)
from briefings.service.schedules import cron_days, friendly_days, next_run, time_text
from briefings.store.records import DigestSettings


class DigestCommands:
    """Runs the ``digest`` commands of a channel.

    Args:
        answers: the answering service.
        access: permission checks and actor lookups.
        control: the scheduler's hooks; without it, ``digest now`` is refused and changes
            are only saved.
    """

    def __init__(self, answers: Answers, access: Access, control: DigestControl | None) -> None:
        self.answers = answers
        self.access = access
        self.control = control

    async def run(self, caller: Caller, command: Command) -> Reply:
        """Run a ``digest`` command in the caller's channel."""
        if caller.channel is None:
            return Notice(
                "error", "Digests belong to a channel: run `digest` in the channel you want it in."
            )
        channel = ChannelRef(caller.platform, caller.workspace, caller.channel)
        current = await self.answers.digest_settings(
            caller.platform, caller.workspace, caller.channel
        )
        setting = current or DigestSettings(caller.platform, caller.workspace, caller.channel)
        if isinstance(command, DigestCommand) and command.action == "show":
            return await self._view(setting, exists=current is not None)
        posts = not (isinstance(command, DigestCommand) and command.action == "off")
        refusal = await self.access.check(caller, post=posts)
        if refusal is not None:
            return refusal
        if isinstance(command, DigestCommand) and command.action == "now":
            if self.control is None:
                return Notice(
                    "error", "Digests cannot be posted from here: the bot is not running."
                )
            await self.control.post_now(channel)
            return Notice("ok", "Posting this channel's digest now.")
        changed, notes = await self._change(caller, setting, command)
        saved = await self.answers.save_digest_settings(changed)
        if self.control is not None:
            await self.control.on_changed(saved)
        what = await self._what_changed(setting, saved, command) if current else None
        text = " ".join(p for p in (what, *notes, await self._describe(saved)) if p)
        return Notice("ok", text)

    async def _what_changed(
        self, before: DigestSettings, after: DigestSettings, command: Command
    ) -> str | None:
        """One sentence on what a digest command changed, or that it changed nothing."""
        if isinstance(command, DigestEmptyCommand):
            now = _EMPTY[after.post_when_empty]
            if before.post_when_empty == after.post_when_empty:
                return f"No change: a period with nothing new {now} already."
            return (
                f"Changed: a period with nothing new now {now} "
                f"(before, it {_EMPTY_WAS[before.post_when_empty]})."
            )
        if isinstance(command, DigestListCommand):
            field = command.field
            old = getattr(before, field)
            new = getattr(after, field)
            label = _FIELD_LABELS[field]
            if old == new:
                return f"No change to {label}."
            if field in ("actors", "exclude_actors"):
                old = tuple(r.name for r in await self._names(old))
                new = tuple(r.name for r in await self._names(new))
            was = ", ".join(old) if old else "none"
            return f"Changed {label} to {', '.join(new) if new else 'none'} (before: {was})."
        return None

    async def _change(
        self, caller: Caller, setting: DigestSettings, command: Command
    ) -> tuple[DigestSettings, tuple[str, ...]]:
        """The settings a digest command asks for, and notes on what its names meant."""
        if isinstance(command, DigestCommand):
            return replace(setting, enabled=command.action != "off"), ()
        if isinstance(command, DigestEmptyCommand):
            return replace(setting, post_when_empty=command.post_when_empty), ()
        if isinstance(command, DigestScheduleCommand):
            return replace(
                setting,
                time_of_day=time_text(command.at),
                days=cron_days(command.days) if command.days else setting.days,
                timezone=command.timezone or setting.timezone,
                enabled=True,
            ), ()
        if isinstance(command, DigestListCommand):
            values = command.values
            notes: tuple[str, ...] = ()
            if command.field in ("actors", "exclude_actors"):
                values, notes = await self.access.family_ids(caller, values, command.exact)
            if command.field == "actors":
                return replace(setting, actors=values), notes
            if command.field == "exclude_actors":
                return replace(setting, exclude_actors=values), notes
            if command.field == "event_types":
                return replace(setting, event_types=values), notes
            return replace(setting, keywords=values), notes
        raise CommandError(f"Not a digest command: {command!r}")

    async def _names(self, ids: tuple[str, ...]) -> tuple[ActorRef, ...]:
        refs = [await self.answers.actor(i) for i in ids]
        return tuple(r or ActorRef(i, i, "other") for r, i in zip(refs, ids, strict=True))

    async def _describe(self, setting: DigestSettings) -> str:
        if not setting.enabled:
            return "This channel's digest is off. `digest on` turns it back on."
        text = (
            f"This channel's digest runs {friendly_days(setting.days)} at "
            f"{setting.time_of_day} {setting.timezone}"
        )
        when = next_run(setting, self.answers.clock())
        if when is not None:
            local = when.astimezone(ZoneInfo(setting.timezone))
            text += f" (next: {local.strftime('%a %d %b %H:%M')})"
        parts = []
        for label, ids in (("about", setting.actors), ("never about", setting.exclude_actors)):
            if ids:
                names = [r.name for r in await self._names(ids)]
                parts.append(f"{label} {', '.join(names)}")
        if setting.event_types:
            parts.append(f"with {', '.join(setting.event_types)} events")
        if setting.keywords:
            parts.append(f"mentioning {', '.join(setting.keywords)}")
        if parts:
            text += ", stories " + "; ".join(parts)
        return text + "."

    async def _view(self, setting: DigestSettings, *, exists: bool) -> DigestSettingsView:
        refs = await self._names(setting.actors)
        return DigestSettingsView(
            channel=setting.channel,
            enabled=exists and setting.enabled,
            schedule=f"{friendly_days(setting.days)} {setting.time_of_day}",
            timezone=setting.timezone,
            actors=refs,
            post_when_empty=setting.post_when_empty,
            next_run=next_run(setting, self.answers.clock()) if exists else None,
        )


_EMPTY = {True: "gets a 'nothing new' digest", False: "is skipped (no post)"}
_EMPTY_WAS = {True: "got a 'nothing new' digest", False: "was skipped"}
_FIELD_LABELS = {
    "actors": "the actors stories must involve",
    "exclude_actors": "the actors stories must not involve",
    "event_types": "the event types stories must report",
    "keywords": "the words stories must contain",
}
