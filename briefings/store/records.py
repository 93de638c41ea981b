"""What the store hands back: frozen records, independent of the database rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from briefings.model import Article, EventDate, Sentence, Summary

SaveOutcome = Literal["new", "updated", "unchanged", "duplicate"]
"""What saving an analysis did: stored a new story, replaced a changed one, found it
unchanged, or recorded it as another source of a story already stored."""

TimeBasis = Literal["published", "fetched"]
"""Which date a time filter reads: the article's reference date (published, else the
day it was fetched) or the moment briefbot fetched it."""

RelationRole = Literal["with", "against", "by"]
"""How another actor relates to an actor in events: on the same side, targeted by it,
or acting on it."""

DeliveryState = Literal["pending", "claimed", "sending", "sent", "failed", "dead"]
"""``pending`` (queued), ``claimed`` (leased by a sender, not yet posted: provably not on
the platform), ``sending`` (being posted under its ``send_key``: maybe on the platform),
``sent``, ``failed`` (to be retried; still in doubt when it has a ``send_key``), ``dead``."""
SubscriptionMode = Literal["instant", "daily"]
SubscriberKind = Literal["user", "channel"]


@dataclass(frozen=True, slots=True)
class ActorLabel:
    """An actor as a list shows it: id, display name, type."""

    id: str
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class KnownActor:
    """An actor the store knows, with every name it goes by (for name resolution)."""

    id: str
    name: str
    type: str
    country: str | None
    parent: str | None
    discovered: bool
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    former_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArticleActorRef:
    """An actor in one stored article: how often named, how salient, where first."""

    id: str
    name: str
    type: str
    salience: float
    mentions: int
    first_sentence: int
    surface: str
    events: int = 0
    """How many of the article's events the actor takes part in."""


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Another source carrying the same story (same fingerprint, another identity)."""

    id: str
    url: str | None
    source: str | None
    title: str
    fetched: datetime


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as stored, with the article it comes from.

    ``sort_date`` is the first day of the event's period, or the article's reference
    date when the event has no date of its own; ``score`` is set by searches (higher
    is better) and None in timelines.
    """

    id: int
    article_id: str
    article_title: str
    article_url: str | None
    article_source: str | None
    article_published: dt.date | None
    ref_date: dt.date
    fetched: dt.datetime
    sentence: int
    text: str
    type: str
    trigger: str
    date: EventDate | None
    sort_date: dt.date
    location: str | None
    attribution: str | None
    attribution_actor: str | None
    modality: str
    actors: tuple[ActorLabel, ...]
    recipients: tuple[ActorLabel, ...]
    score: float | None = None


@dataclass(frozen=True, slots=True)
class ArticleBrief:
    """A stored article as digests need it: metadata, summary, actors, event count."""

    id: str
    title: str
    subtitle: str | None
    url: str | None
    source: str | None
    published: date | None
    fetched: datetime
    ref_date: date
    fingerprint: str
    word_count: int
    summary: Summary
    actors: tuple[ArticleActorRef, ...]
    event_count: int
    event_types: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    text: str | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """Everything stored about one article, rebuilt without analysing it again."""

    article: Article
    sentences: tuple[Sentence, ...]
    summary: Summary
    actors: tuple[ArticleActorRef, ...]
    events: tuple[StoredEvent, ...]
    sources: tuple[SourceRef, ...]
    fingerprint: str
    ref_date: date
    stored_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DayCount:
    """Articles naming an actor, and its mentions, on one day."""

    day: date
    articles: int
    mentions: int


@dataclass(frozen=True, slots=True)
class CoActor:
    """Another actor and how many events relate it to an actor, and how."""

    actor: ActorLabel
    relation: RelationRole
    events: int


@dataclass(frozen=True, slots=True)
class ActorStats:
    """An actor's mentions over time and the actors it most often acts with or against.

    ``related`` is counted over the actor's most recent events in the window (at most
    ``sample`` of them, see :meth:`~briefings.store.actors.Actors.stats`).
    """

    actor_id: str
    days: tuple[DayCount, ...]
    articles: int
    mentions: int
    first_day: date | None
    last_day: date | None
    related: tuple[CoActor, ...]


@dataclass(frozen=True, slots=True)
class Subscription:
    """A user or a channel following an actor."""

    id: int
    platform: str
    workspace: str
    subscriber: str
    subscriber_kind: SubscriberKind
    actor_id: str
    mode: SubscriptionMode
    threshold: float
    created_at: datetime
    daily_time: str | None = None
    """When a daily bundle goes out (``HH:MM[:SS]``); None for the bot's default."""
    timezone: str | None = None
    """The IANA zone of ``daily_time``; None for the bot's default."""
    exact: bool = False
    """The actor itself only: not triggered by the members of its family."""


@dataclass(frozen=True, slots=True)
class DigestSettings:
    """A channel's scheduled digest.

    ``time_of_day`` is ``HH:MM`` or ``HH:MM:SS``; ``days`` a cron day-of-week field (``*``,
    ``mon-fri``, ``mon,wed,fri``); ``timezone`` an IANA name; ``last_period`` the
    last period a digest was posted for. Timestamps are set by the store.
    """

    platform: str
    workspace: str
    channel: str
    time_of_day: str = "08:00"
    days: str = "*"
    timezone: str = "UTC"
    actors: tuple[str, ...] = ()
    exclude_actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    enabled: bool = True
    post_when_empty: bool = False
    last_period: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewDelivery:
    """A message for the outbox; ``key`` makes it unique (enqueued twice, sent once)."""

    key: str
    platform: str
    workspace: str
    target: str
    payload: dict[str, Any]
    target_kind: SubscriberKind = "channel"
    not_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """An outbox row.

    ``send_key`` is the idempotency key of the message the row last went out in (set, with
    ``sending_at``, before the post); while the row is not ``sent`` it means the platform
    may have that message, and it must be looked up before anything is sent again.
    ``claimed_by`` names the sender holding the lease; ``message_ids`` are the platform's
    ids of the posted message(s).
    """

    id: int
    key: str
    platform: str
    workspace: str
    target: str
    target_kind: SubscriberKind
    payload: dict[str, Any] = field(hash=False)
    state: DeliveryState
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    claimed_by: str | None = None
    send_key: str | None = None
    sending_at: datetime | None = None
    message_ids: tuple[str, ...] = ()

    @property
    def in_doubt(self) -> bool:
        """Whether an earlier post of this row may have reached the platform."""
        return self.send_key is not None and self.state != "sent"
