"""The actor directory: every name the gazetteer and the store know, resolved for users,
with families and a periodic rebuild."""

from __future__ import annotations

from datetime import datetime, timedelta

from briefings.analysis.actors.families import Families
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.service.composition import DigestFilters
from briefings.service.names import Resolution, Resolver, descriptor_types
from briefings.service.replies import (
    ActorRef,
)
from briefings.service.schedules import Clock
from briefings.store import (
    ActorLabel,
    KnownActor,
    Store,
)

DESCRIPTOR_DAYS = 30
"""How far back a descriptor ("the junta") looks for the actors it may mean."""
DESCRIPTOR_STORIES = 200
REFRESH_EVERY = timedelta(minutes=5)
"""How often the name index is rebuilt from the store (a miss also looks in the store)."""


def actor_ref(label: ActorLabel | KnownActor) -> ActorRef:
    """The reply form of a stored actor."""
    return ActorRef(label.id, label.name, label.type)


class ActorDirectory:
    """Names, families and suggestions over the gazetteer and the store's actors.

    Args:
        store: the open store.
        gazetteer: the actor gazetteer (so actors never mentioned yet still resolve).
        clock: returns the current time (aware, UTC).
        refresh_every: how often the name index is rebuilt from the store.
    """

    def __init__(
        self,
        store: Store,
        gazetteer: Gazetteer,
        clock: Clock,
        *,
        refresh_every: timedelta = REFRESH_EVERY,
    ) -> None:
        self.store = store
        self.gazetteer = gazetteer
        self.clock = clock
        self.refresh_every = refresh_every
        self._resolver: Resolver | None = None
        self._built_at: datetime | None = None
        self._known: dict[str, KnownActor] = {}
        self._families = Families({})

    async def refresh(self) -> Resolver:
        """Rebuild the name index from the gazetteer and the store's actors now."""
        known = await self.store.actors.known()
        refs = {a.id: ActorRef(a.id, a.name, a.type) for a in self.gazetteer.actors}
        names: list[tuple[str, str]] = list(self.gazetteer.names())
        for actor in known:
            if actor.id not in refs:
                refs[actor.id] = actor_ref(actor)
            names.append((actor.name, actor.id))
            names.extend((n, actor.id) for n in (*actor.aliases, *actor.former_names))
            names.extend((n, actor.id) for n in actor.demonyms)
        demonyms = {
            d: a.name for a in self.gazetteer.actors if a.type == "state" for d in a.demonyms
        }
        self._resolver = Resolver(refs, names, demonyms)
        self._known = {a.id: a for a in known}
        links = [(a.id, a.parent) for a in self.gazetteer.actors]
        links += [(a.id, a.parent) for a in known if a.parent]
        self._families = Families.of(links, refs)
        self._built_at = self.clock()
        return self._resolver

    async def resolver(self) -> Resolver:
        """The name index, rebuilt when older than ``refresh_every``."""
        now = self.clock()
        if (
            self._resolver is None
            or self._built_at is None
            or now - self._built_at >= self.refresh_every
        ):
            return await self.refresh()
        return self._resolver

    async def resolve_actor(self, text: str, *, context: DigestFilters | None = None) -> Resolution:
        """Resolve a name typed by a user (see :mod:`briefings.service.names`).

        An actor the store discovered since the index was built is found by its exact
        (normalised) name, and the index is rebuilt on the next call. A descriptor ("the
        junta", "the army") is ambiguous: its choices are the actors of its kind in the
        latest stories, those most present first (``fuzzy`` when only one fits).

        Args:
            text: an id, a name, an alias or a demonym, in any case; typos are tolerated.
            context: the stories that count as recent for a descriptor (a channel's
                digest filters); all stories when None.
        """
        resolver = await self.resolver()
        found = resolver.resolve(text)
        types = descriptor_types(text)
        if types is not None and found.kind != "exact":
            return await self._descriptor(found.query, types, context)
        if found.kind in ("exact", "ambiguous"):
            return found
        fresh = [a for a in await self.store.actors.named(text) if a.id not in resolver]
        if fresh:
            self._built_at = None
            refs = tuple(sorted((actor_ref(a) for a in fresh), key=lambda r: r.name))
            if len(refs) == 1:
                return Resolution(found.query, "exact", refs[0])
            return Resolution(found.query, "ambiguous", candidates=refs)
        return found

    async def _descriptor(
        self, query: str, types: frozenset[str], context: DigestFilters | None
    ) -> Resolution:
        end = self.clock()
        stories = await self.store.articles_between(
            end - timedelta(days=DESCRIPTOR_DAYS), end, limit=DESCRIPTOR_STORIES
        )
        weight: dict[str, float] = {}
        refs: dict[str, ActorRef] = {}
        for brief in stories:
            ids = {a.id for a in brief.actors}
            if context is not None and context.actors and not ids & context.actors:
                continue
            if context is not None and ids & context.exclude_actors:
                continue
            for a in brief.actors:
                if a.type in types:
                    weight[a.id] = weight.get(a.id, 0.0) + a.salience
                    refs[a.id] = ActorRef(a.id, a.name, a.type)
        ranked = sorted(weight, key=lambda i: (-weight[i], refs[i].name))[:5]
        choices = tuple(refs[i] for i in ranked)
        if len(choices) == 1:
            return Resolution(query, "fuzzy", choices[0])
        if choices:
            return Resolution(query, "ambiguous", candidates=choices)
        return Resolution(query, "unknown")

    async def family(self, actor_id: str) -> tuple[ActorRef, ...]:
        """The members of an actor's family (:mod:`briefings.analysis.actors.families`): the
        actors whose
        ``parent`` chain leads to it (a state's government and army), nearest first.

        Args:
            actor_id: the actor.
        """
        resolver = await self.resolver()
        found = (resolver.get(i) for i in self._families.members(actor_id))
        return tuple(r for r in found if r is not None)

    async def ancestors(self, actor_id: str) -> tuple[str, ...]:
        """The ids up an actor's ``parent`` chain, nearest first (Malian military → Mali).

        Args:
            actor_id: the actor.
        """
        await self.resolver()
        return tuple(self._families.ancestors(actor_id))

    async def actor(self, actor_id: str) -> ActorRef | None:
        """The actor with this exact id (buttons carry ids), or None.

        Args:
            actor_id: the actor's id.
        """
        ref = (await self.resolver()).get(actor_id)
        if ref is None:
            known = await self.store.actors.get(actor_id)
            ref = actor_ref(known) if known is not None else None
        return ref

    async def suggest_actors(self, prefix: str, limit: int = 25) -> tuple[ActorRef, ...]:
        """Actors for autocomplete: names starting with ``prefix`` first, then word matches.

        Args:
            prefix: what the user has typed so far.
            limit: the most suggestions (Discord allows 25).
        """
        return (await self.resolver()).suggest(prefix, limit)

    async def require(self, actor: str | ActorRef) -> ActorRef:
        if isinstance(actor, ActorRef):
            return actor
        return (await self.resolve_actor(actor)).require()

    # Profiles and events -----------------------------------------------------------------

    def known(self, actor_id: str) -> KnownActor | None:
        """What the store knew of an actor when the index was last built (None: nothing)."""
        return self._known.get(actor_id)
