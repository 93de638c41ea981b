"""Actor profiles: what briefbot knows about one actor, its family, timeline, relations
and sources."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.service import timeline
from briefings.service.directory import ActorDirectory, actor_ref
from briefings.service.entries import entry
from briefings.service.replies import (
    ActorProfile,
    ActorRef,
    Button,
    Relation,
    SourceLink,
    family_note,
)
from briefings.service.schedules import Clock
from briefings.store import (
    Store,
)

TIMELINE_LIMIT = 15
TIMELINE_ALL = 100
"""The most timeline entries ``actor NAME all`` shows."""
TIMELINE_FETCH = 60
"""How many of the latest events of an actor and its family a profile reads (``all``:
three times :data:`TIMELINE_ALL`); the timeline is chosen among their occurrences."""
RELATED_LIMIT = 8
RELATED_SAMPLE = 300
"""Related actors are counted over the actor's latest this many events."""
SOURCES_LIMIT = 8
ALIASES_LIMIT = 12
MENTION_DAYS = 90
"""The most days in an actor's mentions-per-day series (the latest ones with mentions)."""


class Profiles:
    """Actor profiles over the store, with names and families from the actor directory.

    Args:
        store: the open store.
        gazetteer: the actor gazetteer.
        directory: the actor directory.
        clock: returns the current time (aware, UTC).
    """

    def __init__(
        self, store: Store, gazetteer: Gazetteer, directory: ActorDirectory, clock: Clock
    ) -> None:
        self.store = store
        self.gazetteer = gazetteer
        self.directory = directory
        self.clock = clock

    async def actor_profile(
        self,
        actor: str | ActorRef,
        since: datetime | date | None = None,
        *,
        exact: bool = False,
        full: bool = False,
    ) -> ActorProfile:
        """What briefbot knows about an actor.

        A state's (or any parent's) timeline includes the events of its family members
        (see :meth:`~briefings.service.directory.ActorDirectory.family`), each marked with
        the member; ``exact`` leaves them out. The timeline holds one entry per occurrence
        (:mod:`briefings.service.timeline`); when it must be cut, the most salient stay and
        ``more`` counts the rest.

        Args:
            actor: a name to resolve, or a resolved actor.
            since: only what was reported on or after this day; all time when None. The
                mentions series holds at most the latest :data:`MENTION_DAYS` days with
                mentions.
            exact: the actor itself only, without its family.
            full: up to :data:`TIMELINE_ALL` timeline entries instead of
                :data:`TIMELINE_LIMIT`.

        Raises:
            ActorNotFoundError: no actor goes by the name (with suggestions, if any).
            AmbiguousActorError: several actors do (with the choices).
        """
        ref = await self.directory.require(actor)
        now = self.clock()
        await self.directory.resolver()
        known = self.directory.known(ref.id)
        members = () if exact else await self.directory.family(ref.id)
        overview = await self.store.actors.overview(
            ref.id,
            since=since,
            until=now,
            days=MENTION_DAYS,
            related=RELATED_LIMIT,
            sample=RELATED_SAMPLE,
            timeline=TIMELINE_ALL * 3 if full else TIMELINE_FETCH,
            articles=SOURCES_LIMIT,
            members=[m.id for m in members],
        )
        ids = frozenset((ref.id, *(m.id for m in members)))
        found = timeline.occurrences(overview.timeline)
        kept, more = timeline.cut(found, ids, TIMELINE_ALL if full else TIMELINE_LIMIT)
        member_names = {m.id: m.name for m in members}
        info = self.gazetteer.get(ref.id)
        names: Iterable[str] = ()
        if known is not None:
            names = (*known.aliases, *known.former_names)
        elif info is not None:
            names = (*info.aliases, *info.former_names)
        country_id = known.country if known is not None else info.country if info else None
        country = None
        if country_id is not None:
            country_ref = (await self.directory.resolver()).get(country_id)
            country = country_ref.name if country_ref is not None else country_id
        only = f"`actor {ref.name} only`"
        notes = (family_note(ref, members, only),) if members else ()
        command = f"actor {ref.name}{' only' if exact else ''} all"
        return ActorProfile(
            actor=ref,
            aliases=_aliases(ref.name, names),
            country=country,
            mentions=tuple((d.day, d.mentions) for d in overview.days),
            timeline=tuple(entry(o.event, ref.id, member_names) for o in kept),
            related=tuple(
                Relation(actor_ref(c.actor), c.events, c.relation) for c in overview.related
            ),
            sources=tuple(
                SourceLink(
                    title=a.title, url=a.url, source=a.source, published=a.published or a.ref_date
                )
                for a in overview.articles
            ),
            since=as_datetime(since),
            buttons=(Button(f"Subscribe to {ref.name}", "subscribe", ref.id),),
            notes=notes,
            more=more,
            more_command=command if more and not full else None,
        )


def _aliases(name: str, names: Iterable[str]) -> tuple[str, ...]:
    seen = {name.casefold()}
    out: list[str] = []
    for n in names:
        key = n.casefold().removeprefix("the ")
        if key not in seen and n.casefold() not in seen:
            seen.update((key, n.casefold()))
            out.append(n)
    return tuple(out[:ALIASES_LIMIT])


def as_datetime(since: datetime | date | None) -> datetime | None:
    """A day as the start of it in UTC; a datetime (or None) as it is."""
    if since is None or isinstance(since, datetime):
        return since
    return datetime.combine(since, time(), UTC)
