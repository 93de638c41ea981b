"""The answering service: actor profiles, event search, briefs and subscriptions.

One :class:`Answers` object serves every adapter, the scheduler and the CLI. It reads the
store, resolves names (:mod:`briefings.service.names`) over the gazetteer and the actors the
store has discovered, composes digests (:mod:`briefings.service.composition`) and returns the
neutral
frozen replies of :mod:`briefings.service.replies`. Every time it needs comes from the injected
clock.

Time filters: ``since`` in profiles and event searches compares with an article's
reference date (its publication date, else the day it was fetched), so an archive ingested
today still reads as the news of its own days. Briefs cover what *arrived* in their window
(the fetch time), so a late story still makes the next digest, once.

Cost: every answer is a handful of indexed queries with bounded result sizes; mentions per
day come pre-aggregated from the store, related actors are counted in SQL over the actor's
latest events, and :meth:`Answers.match` answers from the store's in-memory subscription
index (no database round trip), so its cost follows the article's actors, not the number
of subscriptions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from briefings.analysis.actors.families import Families, family_note
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.errors import BriefingError
from briefings.model import Analysis
from briefings.service import ranking, timeline
from briefings.service.composition import DigestFilters, Story, compose_digest, compose_period
from briefings.service.entries import entry, event_actor_ids, focus_events, story
from briefings.service.names import Resolution, Resolver, descriptor_types
from briefings.service.replies import (
    ActorProfile,
    ActorRef,
    Button,
    Digest,
    EventList,
    Relation,
    SourceLink,
    SubscriptionEntry,
    SubscriptionList,
    SubscriptionMode,
)
from briefings.store import (
    ActorLabel,
    DigestSettings,
    KnownActor,
    Store,
    StoredEvent,
    SubscriberKind,
    Subscription,
)

Clock = Callable[[], datetime]
"""Returns the current time as an aware UTC datetime."""


TIMELINE_LIMIT = 15
TIMELINE_ALL = 100
"""The most timeline entries ``actor NAME all`` shows."""
TIMELINE_FETCH = 60
"""How many of the latest events of an actor and its family a profile reads (``all``:
three times :data:`TIMELINE_ALL`); the timeline is chosen among their occurrences."""
DESCRIPTOR_DAYS = 30
"""How far back a descriptor ("the junta") looks for the actors it may mean."""
DESCRIPTOR_STORIES = 200
HEADLINE_HITS = 5
"""The most stories whose headline matches a search that add their events."""
HEADLINE_EVENTS = 40
"""The most events those stories add (their first ones)."""
RELATED_LIMIT = 8
RELATED_SAMPLE = 300
"""Related actors are counted over the actor's latest this many events."""
SOURCES_LIMIT = 8
ALIASES_LIMIT = 12
EVENTS_LIMIT = 20
SEARCH_OVERFETCH = 3
"""Searches ask the store for this many times the hits shown (one event per sentence)."""
MENTION_DAYS = 90
"""The most days in an actor's mentions-per-day series (the latest ones with mentions)."""
BRIEF_CANDIDATES = 2000
"""The most articles a brief considers (the newest in its window)."""
REFRESH_EVERY = timedelta(minutes=5)
"""How often the name index is rebuilt from the store (a miss also looks in the store)."""


class EmptyQueryError(BriefingError):
    """A search was asked for without words to look for."""


@dataclass(frozen=True, slots=True)
class Subscriber:
    """Who receives subscription updates: a user (direct messages) or a channel."""

    platform: str
    workspace: str
    id: str
    kind: SubscriberKind = "user"


def _ref(label: ActorLabel | KnownActor) -> ActorRef:
    return ActorRef(label.id, label.name, label.type)


class Answers:
    """The answering service over a store.

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

    # Names ------------------------------------------------------------------------------

    async def refresh(self) -> Resolver:
        """Rebuild the name index from the gazetteer and the store's actors now."""
        known = await self.store.known_actors()
        refs = {a.id: ActorRef(a.id, a.name, a.type) for a in self.gazetteer.actors}
        names: list[tuple[str, str]] = list(self.gazetteer.names())
        for actor in known:
            if actor.id not in refs:
                refs[actor.id] = _ref(actor)
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
        fresh = [a for a in await self.store.actors_named(text) if a.id not in resolver]
        if fresh:
            self._built_at = None
            refs = tuple(sorted((_ref(a) for a in fresh), key=lambda r: r.name))
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
            known = await self.store.actor(actor_id)
            ref = _ref(known) if known is not None else None
        return ref

    async def suggest_actors(self, prefix: str, limit: int = 25) -> tuple[ActorRef, ...]:
        """Actors for autocomplete: names starting with ``prefix`` first, then word matches.

        Args:
            prefix: what the user has typed so far.
            limit: the most suggestions (Discord allows 25).
        """
        return (await self.resolver()).suggest(prefix, limit)

    async def _require(self, actor: str | ActorRef) -> ActorRef:
        if isinstance(actor, ActorRef):
            return actor
        return (await self.resolve_actor(actor)).require()

    # Profiles and events -----------------------------------------------------------------

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
        (see :meth:`family`), each marked with the member; ``exact`` leaves them out. The
        timeline holds one entry per occurrence (:mod:`briefings.service.timeline`); when it
        must be cut, the most salient stay and ``more`` counts the rest.

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
        ref = await self._require(actor)
        now = self.clock()
        await self.resolver()
        known = self._known.get(ref.id)
        members = () if exact else await self.family(ref.id)
        overview = await self.store.actor_overview(
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
            country_ref = (await self.resolver()).get(country_id)
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
            related=tuple(Relation(_ref(c.actor), c.events, c.relation) for c in overview.related),
            sources=tuple(
                SourceLink(
                    title=a.title, url=a.url, source=a.source, published=a.published or a.ref_date
                )
                for a in overview.articles
            ),
            since=_as_datetime(since),
            buttons=(Button(f"Subscribe to {ref.name}", "subscribe", ref.id),),
            notes=notes,
            more=more,
            more_command=command if more and not full else None,
        )

    async def search_events(
        self,
        query: str,
        since: datetime | date | None = None,
        actor: str | ActorRef | None = None,
        type: str | None = None,
        *,
        limit: int = EVENTS_LIMIT,
    ) -> EventList:
        """Events matching ``query``, most relevant first, each dated and with its source.

        An event matches by its own words, by its article's headline, and scores more when
        its type is one the query names ("blockade" → coerce) and when it is recent (see
        :mod:`briefings.service.ranking`).

        Args:
            query: words to look for (``"quoted phrases"``, ``-word`` and ``OR`` work).
            since: only events reported on or after this day; all time when None.
            actor: only events this actor takes part in (a name or a resolved actor).
            type: only events of this type (``coerce``, ``assault``, …).
            limit: the most events to return.

        Raises:
            EmptyQueryError: the query holds no words.
            ActorNotFoundError: ``actor`` names no actor.
            AmbiguousActorError: ``actor`` names several.
        """
        if not any(c.isalnum() for c in query):
            raise EmptyQueryError("Search for what? Give a word or two, e.g. `siege Bamako`.")
        actor_id = (await self._require(actor)).id if actor is not None else None
        found = await self.store.search_events(
            query, since=since, actor=actor_id, type=type, limit=limit * SEARCH_OVERFETCH
        )
        headlines = await self.store.search_headlines(
            query, since=since, actor=actor_id, limit=HEADLINE_HITS
        )
        types = ranking.named_types(query)
        extra: list[StoredEvent] = []
        if headlines:
            by_story: dict[str, list[StoredEvent]] = {}
            for event in await self.store.article_events(headlines, limit=HEADLINE_EVENTS):
                if not ranking.headline_matches(event.article_title, query):
                    continue
                if type is not None and event.type != type:
                    continue
                if actor_id is not None and actor_id not in event_actor_ids(event):
                    continue
                by_story.setdefault(event.article_id, []).append(event)
            for events in by_story.values():
                extra += ranking.headline_events(events, types)
        ranked = ranking.rank(found, extra, types, self.clock().date())
        chosen = focus_events(ranked, query, frozenset(e.id for e in extra))
        entries = tuple(entry(e) for e in chosen[:limit])
        return EventList(query=query, since=_as_datetime(since), entries=entries)

    # Briefs ----------------------------------------------------------------------------

    async def brief(
        self,
        window: timedelta,
        filters: DigestFilters | None = None,
        *,
        title: str | None = None,
        limit: int = 10,
        notes: tuple[str, ...] = (),
    ) -> Digest:
        """The digest of what arrived in the last ``window``.

        Args:
            window: how far back to look from now.
            filters: actors (include / exclude), event types and keywords.
            title: the digest's title ("Briefing: last 24 hours" by default).
            limit: the most items.
            notes: what the request was taken to mean (shown with the digest).
        """
        end = self.clock()
        stories = await self._stories(end - window, end, filters)
        digest = compose_digest(
            stories, window=window, clock=lambda: end, filters=filters, title=title, limit=limit
        )
        return replace(digest, notes=notes) if notes else digest

    async def brief_period(
        self,
        start: datetime,
        end: datetime,
        filters: DigestFilters | None = None,
        *,
        title: str | None = None,
        limit: int = 10,
    ) -> Digest:
        """The digest of what arrived in ``[start, end)`` (a scheduled digest's period).

        Args:
            start: the period's start.
            end: the period's end.
            filters: what to keep.
            title: the digest's title.
            limit: the most items.
        """
        stories = await self._stories(start, end, filters)
        return compose_period(
            stories, start=start, end=end, filters=filters, title=title, limit=limit
        )

    async def _stories(
        self, start: datetime, end: datetime, filters: DigestFilters | None
    ) -> list[Story]:
        include = sorted(filters.actors) if filters is not None and filters.actors else None
        found = await self.store.articles_between(
            start, end, actor_ids=include, basis="fetched", limit=BRIEF_CANDIDATES, with_text=True
        )
        return [story(a) for a in found]

    # Subscriptions ---------------------------------------------------------------------

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

        The subscription follows the actor's family (:meth:`family`: a state's government
        and army) unless ``exact``.

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
        ref = await self._require(actor)
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
        ref = await self._require(actor)
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
            ref = await self.actor(sub.actor_id)
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
            for parent in await self.ancestors(actor_id):
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

    # Channel digests -------------------------------------------------------------------

    async def digest_settings(
        self, platform: str, workspace: str, channel: str
    ) -> DigestSettings | None:
        """A channel's digest settings, or None when it has none.

        Args:
            platform: the platform.
            workspace: the workspace or guild.
            channel: the channel id.
        """
        return await self.store.digests.get(platform, workspace, channel)

    async def save_digest_settings(self, settings: DigestSettings) -> DigestSettings:
        """Create or replace a channel's digest settings; returns them as stored.

        Args:
            settings: the settings.
        """
        return await self.store.digests.put(settings, now=self.clock())

    async def channel_digest(
        self, settings: DigestSettings, start: datetime, end: datetime, *, limit: int = 10
    ) -> Digest:
        """A channel's digest for a period, with the channel's filters.

        Args:
            settings: the channel's settings.
            start: the period's start.
            end: the period's end.
            limit: the most items.
        """
        return await self.brief_period(start, end, settings_filters(settings), limit=limit)


def settings_filters(settings: DigestSettings) -> DigestFilters:
    """The digest filters a channel's settings ask for."""
    return DigestFilters(
        actors=frozenset(settings.actors),
        exclude_actors=frozenset(settings.exclude_actors),
        event_types=frozenset(settings.event_types),
        keywords=tuple(settings.keywords),
    )


def _as_datetime(since: datetime | date | None) -> datetime | None:
    if since is None or isinstance(since, datetime):
        return since
    return datetime.combine(since, time(), UTC)


def _aliases(name: str, names: Iterable[str]) -> tuple[str, ...]:
    seen = {name.casefold()}
    out: list[str] = []
    for n in names:
        key = n.casefold().removeprefix("the ")
        if key not in seen and n.casefold() not in seen:
            seen.update((key, n.casefold()))
            out.append(n)
    return tuple(out[:ALIASES_LIMIT])
