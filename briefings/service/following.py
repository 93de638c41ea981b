"""Following actors: subscribing, unsubscribing, listing, and matching an analysed article
to the subscriptions it triggers."""

from __future__ import annotations

from dataclasses import dataclass, replace

from briefings.errors import BriefingError
from briefings.model import Analysis
from briefings.service.directory import ActorDirectory
from briefings.service.replies import (
    ActorRef,
    SubscriptionEntry,
    SubscriptionList,
)
from briefings.service.schedules import Clock
from briefings.store import (
    Store,
    SubscriberKind,
    Subscription,
)
from briefings.store.records import SubscriptionMode


@dataclass(frozen=True, slots=True)
class Subscriber:
    """Who receives subscription updates: a user (direct messages) or a channel."""

    platform: str
    workspace: str
    id: str
    kind: SubscriberKind = "user"


class Following:
    """Subscriptions over the store, with names resolved through the actor directory.

    Args:
        store: the open store.
        directory: the actor directory.
        clock: returns the current time (aware, UTC).
    """

    def __init__(self, store: Store, directory: ActorDirectory, clock: Clock) -> None:
        self.store = store
        self.directory = directory
        self.clock = clock

    async def subscribe(
        self,
        subscriber: Subscriber,
        actor: str | ActorRef,
        mode: str = "instant",
        *,
        daily_time: str | None = None,
        timezone: str | None = None,
        exact: bool = False,
    ) -> tuple[SubscriptionEntry, bool]:
        """Follow an actor, or change how an existing subscription is delivered.

        The subscription follows the actor's family (a state's government and army, see
        :meth:`~briefings.service.directory.ActorDirectory.family`) unless ``exact``.

        Args:
            subscriber: who receives the updates.
            actor: a name to resolve, or a resolved actor.
            mode: ``instant`` or ``daily``.
            daily_time: when a daily bundle goes out (``HH:MM[:SS]``); None for the
                bot's default (ignored for ``instant``).
            timezone: the IANA zone of ``daily_time``; None for the bot's default.
            exact: the actor itself only, not the members of its family.

        Returns:
            The subscription and whether it is new.
        """
        ref = await self.directory.require(actor)
        if mode not in ("instant", "daily"):
            raise BriefingError(f"{mode!r} is not a delivery mode: use instant or daily.")
        sub, created = await self.store.subscriptions.subscribe(
            platform=subscriber.platform,
            workspace=subscriber.workspace,
            subscriber=subscriber.id,
            subscriber_kind=subscriber.kind,
            actor_id=ref.id,
            mode="daily" if mode == "daily" else "instant",
            now=self.clock(),
            daily_time=daily_time if mode == "daily" else None,
            timezone=timezone if mode == "daily" else None,
            exact=exact,
        )
        entry = SubscriptionEntry(ref, sub.mode, sub.daily_time, sub.timezone, sub.exact)
        return entry, created

    async def unsubscribe(self, subscriber: Subscriber, actor: str | ActorRef) -> bool:
        """Stop following an actor; whether the subscriber followed it.

        Args:
            subscriber: who receives the updates.
            actor: a name to resolve, or a resolved actor.
        """
        ref = await self.directory.require(actor)
        return await self.store.subscriptions.unsubscribe(
            platform=subscriber.platform,
            workspace=subscriber.workspace,
            subscriber=subscriber.id,
            actor_id=ref.id,
        )

    async def subscriptions(self, subscriber: Subscriber) -> SubscriptionList:
        """A subscriber's subscriptions, oldest first.

        Args:
            subscriber: whose subscriptions.
        """
        subs = await self.store.subscriptions.list_for(
            platform=subscriber.platform, workspace=subscriber.workspace, subscriber=subscriber.id
        )
        entries = []
        for sub in subs:
            ref = await self.directory.actor(sub.actor_id)
            mode: SubscriptionMode = "daily" if sub.mode == "daily" else "instant"
            entries.append(
                SubscriptionEntry(
                    ref or ActorRef(sub.actor_id, sub.actor_id, "other"),
                    mode,
                    sub.daily_time,
                    sub.timezone,
                    sub.exact,
                )
            )
        return SubscriptionList(tuple(entries))

    async def match(self, analysis: Analysis, *, platform: str | None = None) -> list[Subscription]:
        """The subscriptions an analysed article triggers.

        One pass over the article's actor ids through the store's in-memory index
        (:mod:`briefings.store.subscription_index`): no database round trip, except a
        check for other processes' changes at most once per refresh interval. A
        subscription whose salience threshold the actor does not reach in this article is
        left out. Ordered by subscription id.

        The family rule: a subscription to a body (Mali) is also triggered by its members
        (the Malian military); such a match comes back with the member's id as its
        ``actor_id``, so the message names who is in the story. An ``exact`` subscription
        is triggered by the body itself only.

        Args:
            analysis: the analysed article.
            platform: only this platform's subscriptions, when given.
        """
        salience = {a.id: a.salience for a in analysis.actors}
        if not salience:
            return []
        via: dict[str, str] = {}
        for actor_id, value in list(salience.items()):
            for parent in await self.directory.ancestors(actor_id):
                if parent not in salience or (parent in via and value > salience[parent]):
                    salience[parent] = value
                    via[parent] = actor_id
        found = await self.store.subscriptions.for_actors(salience, platform=platform)
        out: list[Subscription] = []
        seen: set[int] = set()
        for sub in found:
            if sub.id in seen or salience[sub.actor_id] < sub.threshold:
                continue
            if sub.exact and sub.actor_id in via:
                continue
            seen.add(sub.id)
            out.append(replace(sub, actor_id=via[sub.actor_id]) if sub.actor_id in via else sub)
        return out
