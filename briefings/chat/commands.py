"""The platform-neutral command layer: chat commands in, neutral replies out.

Slack, Discord and the console hand every slash command and button press to
:class:`Commands`; it parses the arguments (:mod:`briefings.chat.grammar`), checks permission
through the platform's :class:`Policy`, calls the answering service and returns a
:data:`~briefings.service.replies.Reply`. It never raises for something a user did: a bad argument,
an unknown actor or a refusal comes back as a :class:`~briefings.service.replies.Notice` that says
what to do. Adapters strip their command prefix and slash before calling.

Grammar (names case-insensitive; ``[]`` optional, ``|`` a choice, ``…`` a repeat)::

    help [COMMAND]
    brief [WINDOW] [NAME[, NAME…]]       stories of the last WINDOW (default 24h),
                                          optionally only those involving the actors
    actor NAME                           an actor's profile
    event QUERY [type:TYPE] [WINDOW]     events matching QUERY (default: all time)
    subscribe NAME [instant|daily [HH:MM] [TIMEZONE]] [here]
    unsubscribe NAME [here]
    subscriptions [here]
    digest                               this channel's digest settings
    digest [DAYS] HH:MM [TIMEZONE]       schedule (and enable) the channel's digest
    digest actors NAME[, NAME…] | all    only stories involving these actors
    digest exclude NAME[, NAME…] | none  never stories involving these actors
    digest types TYPE[, TYPE…] | all     only stories reporting these event types
    digest keywords WORD[, WORD…] | none only stories containing one of these words
    digest empty on|off                  post (or skip) a digest with nothing new
    digest on | off | now

    WINDOW    a number and a unit: 24h, 7d, 30d, 2w (1 hour to 365 days)
    DAYS      daily | weekdays | weekends | mon,wed,fri | mon-fri (default: unchanged,
              else daily)
    HH:MM     a 24-hour time, 7:30 or 07:30 (also 07:30:15, 7:30am, 6pm)
    TIMEZONE  an IANA zone such as Europe/Berlin or America/New_York (default:
              unchanged, else UTC; for a daily subscription, the bot's configured
              ``notifications.daily_time`` and ``notifications.timezone``)
    here      act for the channel instead of the caller (needs the right to manage it)

Who may do what: anyone looks things up and manages their own subscriptions; changing a
channel's digest, ``digest now`` and ``here`` subscriptions need
:meth:`Policy.may_manage`, and anything that makes the bot post in the channel also needs
:meth:`Policy.can_post`. Button presses (:meth:`Commands.press`) carry actor ids, not names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from briefings.analysis.actors.families import family_note
from briefings.chat.grammar import (
    ActorCommand,
    BriefCommand,
    Command,
    CommandError,
    DigestCommand,
    DigestEmptyCommand,
    DigestListCommand,
    DigestScheduleCommand,
    EventCommand,
    HelpCommand,
    SubscribeCommand,
    SubscriptionsCommand,
    UnsubscribeCommand,
    parse_command,
    parse_window,
)
from briefings.chat.help import DIGEST_HELP, HELP, help_reply
from briefings.errors import BriefingError
from briefings.service.answers import Answers, Subscriber, settings_filters
from briefings.service.composition import DigestFilters
from briefings.service.names import ActorNotFoundError, AmbiguousActorError
from briefings.service.replies import (
    ActorRef,
    Button,
    DigestSettingsView,
    Notice,
    Reply,
)
from briefings.store.records import DigestSettings

_CRON_DAYS = {"daily": "*", "weekdays": "mon-fri", "weekends": "sat,sun"}
_FRIENDLY_DAYS = {v: k for k, v in _CRON_DAYS.items()}
_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent a command, and from where (``channel`` is None in a direct message)."""

    platform: str
    workspace: str
    user: str
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class Permission:
    """A policy's answer; ``reason`` says why not, in words for the user."""

    allowed: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """A channel in a workspace or guild."""

    platform: str
    workspace: str
    channel: str


class Policy(Protocol):
    """What the platform says about a caller and a channel."""

    async def may_manage(self, caller: Caller) -> Permission:
        """Whether the caller may change the settings of ``caller.channel``."""
        ...

    async def can_post(self, caller: Caller) -> Permission:
        """Whether the bot can post in ``caller.channel``."""
        ...


class DigestControl(Protocol):
    """The scheduler's side of channel digests."""

    async def on_changed(self, setting: DigestSettings) -> None:
        """A channel's digest settings changed (saved already): reschedule it."""
        ...

    async def post_now(self, channel: ChannelRef) -> None:
        """Post the channel's digest now (``digest now``)."""
        ...


def cron_days(days: str) -> str:
    """The store's day-of-week field for a grammar day set (``weekdays`` → ``mon-fri``)."""
    return _CRON_DAYS.get(days, days)


def friendly_days(days: str) -> str:
    """A stored day-of-week field in words (``mon-fri`` → ``weekdays``)."""
    return _FRIENDLY_DAYS.get(days, days)


def _weekdays(days: str) -> set[int]:
    if days == "*":
        return set(range(7))
    out: set[int] = set()
    for part in days.split(","):
        if "-" in part:
            a, b = (_WEEK.index(p) for p in part.split("-", 1))
            out.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)])
        else:
            out.add(_WEEK.index(part))
    return out


def clock_time(text: str) -> time:
    """The time of day a stored ``HH:MM`` or ``HH:MM:SS`` stands for.

    Args:
        text: the stored time of day.

    Raises:
        ValueError: when it is neither.
    """
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) <= 2 for p in parts):
        raise ValueError(f"{text!r} is not a time of day like 08:00 or 08:00:30")
    seconds = int(parts[2]) if len(parts) == 3 else 0
    return time(int(parts[0]), int(parts[1]), seconds)


def clock_text(at: time) -> str:
    """``HH:MM``, or ``HH:MM:SS`` when the seconds matter.

    Args:
        at: the time of day.
    """
    return at.strftime("%H:%M:%S" if at.second else "%H:%M")


def next_run(setting: DigestSettings, now: datetime) -> datetime | None:
    """When a digest runs next after ``now`` (UTC), or None when it is off.

    A wall time skipped by a daylight-saving change runs an hour later by the wall clock; a
    repeated one runs at its first occurrence.

    Args:
        setting: the channel's settings.
        now: the current time, aware.
    """
    if not setting.enabled:
        return None
    zone = ZoneInfo(setting.timezone)
    at = clock_time(setting.time_of_day)
    days = _weekdays(setting.days)
    local_today = now.astimezone(zone).date()
    for offset in range(8):
        day = local_today + timedelta(days=offset)
        if day.weekday() not in days:
            continue
        # fold=0: a repeated wall time runs at its first occurrence, a skipped one an hour
        # later by the wall clock (as the scheduler's trigger does).
        moment = datetime.combine(day, at, zone).astimezone(UTC)
        if moment > now:
            return moment
    return None


class Commands:
    """Runs chat commands against the answering service.

    Args:
        answers: the answering service.
        policy: the platform's permission checks.
        control: the scheduler's hooks for digest changes; without it, ``digest now``
            is refused and changes are only saved.
    """

    def __init__(
        self, answers: Answers, policy: Policy, control: DigestControl | None = None
    ) -> None:
        self.answers = answers
        self.policy = policy
        self.control = control

    async def handle(self, caller: Caller, name: str, text: str = "") -> Reply:
        """Parse and run one command; every user error comes back as a Notice.

        Args:
            caller: who sent it, and where.
            name: the command name without prefix or slash.
            text: the arguments as typed.
        """
        try:
            command = parse_command(name, text)
        except BriefingError as exc:
            return Notice("error", str(exc))
        return await self.run(caller, command)

    async def run(self, caller: Caller, command: Command) -> Reply:
        """Run a parsed command (adapters with typed options may build one directly).

        Args:
            caller: who sent it, and where.
            command: the command.
        """
        try:
            return await self._run(caller, command)
        except AmbiguousActorError as exc:
            return Notice("error", str(exc), exc.choices, _choice_buttons(command, exc.choices))
        except ActorNotFoundError as exc:
            return Notice(
                "not_found", str(exc), exc.suggestions, _choice_buttons(command, exc.suggestions)
            )
        except BriefingError as exc:
            return Notice("error", str(exc))

    async def press(self, caller: Caller, action: str, value: str) -> Reply:
        """Run a button press: ``subscribe``, ``unsubscribe`` or ``actor`` with an actor id,
        ``brief`` with a window (``24h``). Sharing a reply is the adapter's own business.

        Args:
            caller: who pressed it.
            action: the button's action.
            value: the button's value.
        """
        try:
            if action == "brief":
                return await self.run(caller, BriefCommand(parse_window(value)))
            actor = await self.answers.actor(value)
            if actor is None:
                return Notice("not_found", "That actor is no longer known to briefbot.")
            if action == "actor":
                return await self.answers.actor_profile(actor)
            if action == "subscribe":
                return await self._subscribe(caller, actor, "instant", here=False)
            if action == "unsubscribe":
                return await self._unsubscribe(caller, actor, here=False)
        except BriefingError as exc:
            return Notice("error", str(exc))
        return Notice("error", f"This button ({action}) does nothing here.")

    async def _run(self, caller: Caller, command: Command) -> Reply:
        answers = self.answers
        if isinstance(command, HelpCommand):
            return help_reply(command.topic)
        if isinstance(command, BriefCommand):
            ids, notes = await self._family_ids(caller, command.actors, command.exact)
            filters = DigestFilters(actors=frozenset(ids)) if ids else None
            return await answers.brief(command.window, filters, notes=notes)
        if isinstance(command, ActorCommand):
            actor, note = await self._resolve(caller, command.name)
            profile = await answers.actor_profile(actor, exact=command.exact, full=command.full)
            return replace(profile, notes=(*note, *profile.notes))
        if isinstance(command, EventCommand):
            since = answers.clock() - command.window if command.window else None
            return await answers.search_events(command.query, since, type=command.type)
        if isinstance(command, SubscribeCommand):
            actor, note = await self._resolve(caller, command.name)
            reply = await self._subscribe(
                caller,
                actor,
                command.mode,
                here=command.here,
                at=command.at,
                timezone=command.timezone,
                exact=command.exact,
            )
            return _with_note(reply, note)
        if isinstance(command, UnsubscribeCommand):
            actor, note = await self._resolve(caller, command.name)
            return _with_note(await self._unsubscribe(caller, actor, here=command.here), note)
        if isinstance(command, SubscriptionsCommand):
            subscriber = await self._subscriber(caller, command.here, check=False)
            if isinstance(subscriber, Notice):
                return subscriber
            return await answers.subscriptions(subscriber)
        return await self._digest(caller, command)

    async def _context(self, caller: Caller) -> DigestFilters | None:
        """The channel's digest filters: which stories count as the channel's."""
        if caller.channel is None:
            return None
        setting = await self.answers.digest_settings(
            caller.platform, caller.workspace, caller.channel
        )
        return settings_filters(setting) if setting is not None else None

    async def _resolve(self, caller: Caller, name: str) -> tuple[ActorRef, tuple[str, ...]]:
        """The actor a name means, and a note when it was a guess ("Showing X for 'y'")."""
        found = await self.answers.resolve_actor(name, context=await self._context(caller))
        actor = found.require()
        if found.kind == "fuzzy":
            return actor, (f"Showing {actor.name} for {name!r}.",)
        return actor, ()

    async def _family_ids(
        self, caller: Caller, names: tuple[str, ...], exact: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The actor ids names stand for, each with its family unless typed with ``only``,
        and the notes that say what was included."""
        ids: list[str] = []
        notes: list[str] = []
        for name in names:
            actor, note = await self._resolve(caller, name)
            notes += note
            ids.append(actor.id)
            if name in exact:
                continue
            members = await self.answers.family(actor.id)
            if members:
                ids += [m.id for m in members]
                notes.append(family_note(actor, members, f"`{actor.name} only`"))
        return tuple(dict.fromkeys(ids)), tuple(notes)

    async def _subscriber(self, caller: Caller, here: bool, *, check: bool) -> Subscriber | Notice:
        if not here:
            return Subscriber(caller.platform, caller.workspace, caller.user, "user")
        if caller.channel is None:
            return Notice("error", "`here` means a channel: use it in the channel itself.")
        if check:
            refusal = await self._check(caller, post=True)
            if refusal is not None:
                return refusal
        return Subscriber(caller.platform, caller.workspace, caller.channel, "channel")

    async def _subscribe(
        self,
        caller: Caller,
        actor: ActorRef,
        mode: str,
        *,
        here: bool,
        at: time | None = None,
        timezone: str | None = None,
        exact: bool = False,
    ) -> Reply:
        subscriber = await self._subscriber(caller, here, check=True)
        if isinstance(subscriber, Notice):
            return subscriber
        entry, created = await self.answers.subscribe(
            subscriber,
            actor,
            mode,
            daily_time=clock_text(at) if at is not None else None,
            timezone=timezone,
            exact=exact,
        )
        who = "This channel" if here else "You"
        how = (
            "as soon as a new article names it"
            if entry.mode == "instant"
            else f"in a daily bundle of the articles that name it ({entry.delivery})"
        )
        text = f"{who} will now hear about {actor.name} {how}."
        if not created:
            text = f"{who} already follow {actor.name}; updates now come {how}."
        members = await self.answers.family(actor.id)
        if members and exact:
            text += f" Only {actor.name} itself: not {_names(members)}."
        elif members:
            only = f"`subscribe {actor.name} only`"
            text += " " + family_note(actor, members, only)
        button = Button(f"Unsubscribe from {actor.name}", "unsubscribe", actor.id)
        return Notice("ok", text, buttons=(button,))

    async def _unsubscribe(self, caller: Caller, actor: ActorRef, *, here: bool) -> Reply:
        subscriber = await self._subscriber(caller, here, check=True)
        if isinstance(subscriber, Notice):
            return subscriber
        removed = await self.answers.unsubscribe(subscriber, actor)
        who = "This channel" if here else "You"
        if not removed:
            listing = "`subscriptions here`" if here else "`subscriptions`"
            return Notice("info", f"{who} did not follow {actor.name}. See {listing}.")
        button = Button(f"Subscribe to {actor.name}", "subscribe", actor.id)
        return Notice("ok", f"{who} no longer follow {actor.name}.", buttons=(button,))

    async def _check(self, caller: Caller, *, post: bool) -> Notice | None:
        verdict = await self.policy.may_manage(caller)
        if not verdict.allowed:
            return Notice(
                "refused",
                verdict.reason or "Only people who manage this channel can change what it gets.",
            )
        if post:
            reach = await self.policy.can_post(caller)
            if not reach.allowed:
                return Notice(
                    "refused",
                    reach.reason
                    or "briefbot cannot post in this channel: invite it, or give it permission.",
                )
        return None

    async def _digest(self, caller: Caller, command: Command) -> Reply:
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
        refusal = await self._check(caller, post=posts)
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
                time_of_day=clock_text(command.at),
                days=cron_days(command.days) if command.days else setting.days,
                timezone=command.timezone or setting.timezone,
                enabled=True,
            ), ()
        if isinstance(command, DigestListCommand):
            values = command.values
            notes: tuple[str, ...] = ()
            if command.field in ("actors", "exclude_actors"):
                values, notes = await self._family_ids(caller, values, command.exact)
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


def _names(refs: tuple[ActorRef, ...]) -> str:
    return ", ".join(r.name for r in refs)


def _with_note(reply: Reply, note: tuple[str, ...]) -> Reply:
    if note and isinstance(reply, Notice):
        return replace(reply, text=f"{' '.join(note)} {reply.text}")
    return reply


def _choice_buttons(command: Command, refs: tuple[ActorRef, ...]) -> tuple[Button, ...]:
    """ "Did you mean" buttons that redo the command with each candidate."""
    if isinstance(command, SubscribeCommand) and not command.here:
        return tuple(Button(f"Subscribe to {r.name}", "subscribe", r.id) for r in refs)
    if isinstance(command, UnsubscribeCommand) and not command.here:
        return tuple(Button(f"Unsubscribe from {r.name}", "unsubscribe", r.id) for r in refs)
    return tuple(Button(r.name, "actor", r.id) for r in refs)


__all__ = [
    "DIGEST_HELP",
    "HELP",
    "Caller",
    "ChannelRef",
    "Commands",
    "DigestControl",
    "Permission",
    "Policy",
    "cron_days",
    "friendly_days",
    "next_run",
]
