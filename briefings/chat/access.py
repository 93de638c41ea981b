"""Who is asking and what they may do: callers, channels, permission checks and the
actor lookups a command makes in its caller's context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from briefings.service.answers import Answers
from briefings.service.composition import DigestFilters, settings_filters
from briefings.service.replies import (
    ActorRef,
    Notice,
    family_note,
)
from briefings.store.records import DigestSettings


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


class Access:
    """Permission checks and actor lookups in a caller's context, shared by the command runners.

    Args:
        answers: the answering service.
        policy: the platform's permission checks.
    """

    def __init__(self, answers: Answers, policy: Policy) -> None:
        self.answers = answers
        self.policy = policy

    async def context(self, caller: Caller) -> DigestFilters | None:
        """The channel's digest filters: which stories count as the channel's."""
        if caller.channel is None:
            return None
        setting = await self.answers.digest_settings(
            caller.platform, caller.workspace, caller.channel
        )
        return settings_filters(setting) if setting is not None else None

    async def resolve(self, caller: Caller, name: str) -> tuple[ActorRef, tuple[str, ...]]:
        """The actor a name means, and a note when it was a guess ("Showing X for 'y'")."""
        found = await self.answers.resolve_actor(name, context=await self.context(caller))
        actor = found.require()
        if found.kind == "fuzzy":
            return actor, (f"Showing {actor.name} for {name!r}.",)
        return actor, ()

    async def family_ids(
        self, caller: Caller, names: tuple[str, ...], exact: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The actor ids names stand for, each with its family unless typed with ``only``,
        and the notes that say what was included."""
        ids: list[str] = []
        notes: list[str] = []
        for name in names:
            actor, note = await self.resolve(caller, name)
            notes += note
            ids.append(actor.id)
            if name in exact:
                continue
            members = await self.answers.family(actor.id)
            if members:
                ids += [m.id for m in members]
                notes.append(family_note(actor, members, f"`{actor.name} only`"))
        return tuple(dict.fromkeys(ids)), tuple(notes)

    async def check(self, caller: Caller, *, post: bool) -> Notice | None:
        """A refusal when the caller may not manage the channel (or, with ``post``, the bot
        cannot post in it); None when allowed."""
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
