"""The platform-neutral command layer: chat commands in, neutral replies out.

Slack, Discord and the console hand every slash command and button press to
:class:`Commands`; it parses the arguments (:mod:`briefings.chat.grammar`), checks
permission through the platform's :class:`~briefings.chat.access.Policy`, calls the
answering service and returns a
:data:`~briefings.service.replies.Reply`. It never raises for something a user did: a bad argument,
an unknown actor or a refusal comes back as a :class:`~briefings.service.replies.Notice` that says
what to do. Adapters strip their command prefix and slash before calling.

The grammar is written once, in :mod:`briefings.chat.help` (``HELP`` and ``DIGEST_HELP``):
the bot's ``help`` answers from it and the command guide of the documentation site
(``docs/commands.md``) is rendered from it at build time; :mod:`briefings.chat.grammar` parses it.

Who may do what: anyone looks things up and manages their own subscriptions; changing a
channel's digest, ``digest now`` and ``here`` subscriptions need
:meth:`~briefings.chat.access.Policy.may_manage`, and anything that makes the bot post in
the channel also needs :meth:`~briefings.chat.access.Policy.can_post`. Button presses
(:meth:`Commands.press`) carry actor ids, not names.
"""

from __future__ import annotations

from dataclasses import replace

from briefings.chat.access import Access, Caller, DigestControl, Policy
from briefings.chat.digest_commands import DigestCommands
from briefings.chat.grammar import parse_command, parse_window
from briefings.chat.help import DIGEST_HELP, HELP, help_reply
from briefings.chat.requests import (
    ActorCommand,
    BriefCommand,
    Command,
    EventCommand,
    HelpCommand,
    SubscribeCommand,
    SubscriptionsCommand,
    UnsubscribeCommand,
)
from briefings.errors import BriefingError
from briefings.service.answers import Answers
from briefings.service.composition import DigestFilters
from briefings.service.following import Subscriber
from briefings.service.names import ActorNotFoundError, AmbiguousActorError
from briefings.service.replies import (
    ActorRef,
    Button,
    Notice,
    Reply,
    family_note,
)
from briefings.service.schedules import time_text


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
        self.access = Access(answers, policy)
        self.digests = DigestCommands(answers, self.access, control)

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
                return await self.answers.profiles.actor_profile(actor)
            if action == "subscribe":
                return await self._subscribe(caller, actor, SubscribeCommand(actor.id))
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
            ids, notes = await self.access.family_ids(caller, command.actors, command.exact)
            filters = DigestFilters(actors=frozenset(ids)) if ids else None
            return await answers.brief(command.window, filters, notes=notes)
        if isinstance(command, ActorCommand):
            actor, note = await self.access.resolve(caller, command.name)
            profile = await answers.profiles.actor_profile(
                actor, exact=command.exact, full=command.full
            )
            return replace(profile, notes=(*note, *profile.notes))
        if isinstance(command, EventCommand):
            since = answers.clock() - command.window if command.window else None
            return await answers.search_events(command.query, since, type=command.type)
        if isinstance(command, SubscribeCommand):
            actor, note = await self.access.resolve(caller, command.name)
            return _with_note(await self._subscribe(caller, actor, command), note)
        if isinstance(command, UnsubscribeCommand):
            actor, note = await self.access.resolve(caller, command.name)
            return _with_note(await self._unsubscribe(caller, actor, here=command.here), note)
        if isinstance(command, SubscriptionsCommand):
            subscriber = await self._subscriber(caller, command.here, check=False)
            if isinstance(subscriber, Notice):
                return subscriber
            return await answers.following.subscriptions(subscriber)
        return await self.digests.run(caller, command)

    async def _subscriber(self, caller: Caller, here: bool, *, check: bool) -> Subscriber | Notice:
        if not here:
            return Subscriber(caller.platform, caller.workspace, caller.user, "user")
        if caller.channel is None:
            return Notice("error", "`here` means a channel: use it in the channel itself.")
        if check:
            refusal = await self.access.check(caller, post=True)
            if refusal is not None:
                return refusal
        return Subscriber(caller.platform, caller.workspace, caller.channel, "channel")

    async def _subscribe(self, caller: Caller, actor: ActorRef, command: SubscribeCommand) -> Reply:
        """Run a ``subscribe`` (typed, or a button's) for an actor already resolved."""
        subscriber = await self._subscriber(caller, command.here, check=True)
        if isinstance(subscriber, Notice):
            return subscriber
        entry, created = await self.answers.following.subscribe(
            subscriber,
            actor,
            command.mode,
            daily_time=time_text(command.at) if command.at is not None else None,
            timezone=command.timezone,
            exact=command.exact,
        )
        who = "This channel" if command.here else "You"
        how = (
            "as soon as a new article names it"
            if entry.mode == "instant"
            else f"in a daily bundle of the articles that name it ({entry.delivery})"
        )
        text = f"{who} will now hear about {actor.name} {how}."
        if not created:
            text = f"{who} already follow {actor.name}; updates now come {how}."
        members = await self.answers.family(actor.id)
        if members and command.exact:
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
        removed = await self.answers.following.unsubscribe(subscriber, actor)
        who = "This channel" if here else "You"
        if not removed:
            listing = "`subscriptions here`" if here else "`subscriptions`"
            return Notice("info", f"{who} did not follow {actor.name}. See {listing}.")
        button = Button(f"Subscribe to {actor.name}", "subscribe", actor.id)
        return Notice("ok", f"{who} no longer follow {actor.name}.", buttons=(button,))


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
    "Commands",
]
