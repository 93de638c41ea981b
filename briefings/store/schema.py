"""The store's tables as SQLAlchemy 2 typed declarative models (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

BigId = BigInteger().with_variant(Integer(), "sqlite")
"""An autoincrementing key: BIGINT on PostgreSQL, the rowid alias on SQLite."""

Json = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps naive UTC text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to the store; pass UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """The declarative base of every briefbot table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: Json,
        list[Any]: Json,
    }


class ArticleRow(Base):
    """One stored story: identity, metadata, canonical text, layout and summary."""

    __tablename__ = "articles"

    pk: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(Text, unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(16))
    published: Mapped[date | None] = mapped_column(Date)
    fetched: Mapped[datetime]
    ref_date: Mapped[date] = mapped_column(Date)
    stored_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    word_count: Mapped[int] = mapped_column(Integer)
    event_count: Mapped[int] = mapped_column(Integer)
    event_types: Mapped[list[Any]]
    """The article's event types, most frequent first (for digest filters)."""
    actor_refs: Mapped[list[Any]]
    """Its actors as in ``mentions``, most salient first: [id, salience, count, first
    sentence, surface] each, so briefs need no join."""
    text: Mapped[str] = mapped_column(Text)
    layout: Mapped[dict[str, Any]]
    sentences: Mapped[list[Any]]
    summary: Mapped[dict[str, Any]]
    notes: Mapped[list[Any]]

    __table_args__ = (
        Index("ix_articles_fetched", "fetched"),
        Index("ix_articles_ref_date", "ref_date"),
    )


class ArticleSourceRow(Base):
    """Another source of a stored story: same fingerprint, different identity."""

    __tablename__ = "article_sources"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    article_pk: Mapped[int] = mapped_column(
        BigId, ForeignKey("articles.pk", ondelete="CASCADE"), index=True
    )
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    fetched: Mapped[datetime]
    stored_at: Mapped[datetime]


class ActorRow(Base):
    """An actor: from the gazetteer, or discovered in articles; merged by id."""

    __tablename__ = "actors"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(Text)
    parent: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    discovered: Mapped[bool] = mapped_column(Boolean)
    first_seen: Mapped[datetime]
    updated_at: Mapped[datetime]


class AliasRow(Base):
    """A surface form of an actor, with its normalised form for lookup."""

    __tablename__ = "aliases"

    norm: Mapped[str] = mapped_column(Text, primary_key=True)
    actor_id: Mapped[str] = mapped_column(
        Text, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    surface: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))


class MentionRow(Base):
    """An actor in an article: how often, how salient, first sentence (dates denormalised)."""

    __tablename__ = "mentions"

    article_pk: Mapped[int] = mapped_column(
        BigId, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[str] = mapped_column(
        Text, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True
    )
    count: Mapped[int] = mapped_column(Integer)
    salience: Mapped[float] = mapped_column(Float)
    first_sentence: Mapped[int] = mapped_column(Integer)
    surface: Mapped[str] = mapped_column(Text)
    ref_date: Mapped[date] = mapped_column(Date)
    fetched: Mapped[datetime]

    __table_args__ = (Index("ix_mentions_actor_ref_date", "actor_id", "ref_date"),)


class EventRow(Base):
    """An event from one sentence; ``sort_date`` starts its period (else the article's date)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    article_pk: Mapped[int] = mapped_column(BigId, ForeignKey("articles.pk", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16))
    trigger: Mapped[str] = mapped_column(Text)
    date_value: Mapped[str | None] = mapped_column(String(32))
    date_precision: Mapped[str | None] = mapped_column(String(8))
    date_surface: Mapped[str | None] = mapped_column(Text)
    sort_date: Mapped[date] = mapped_column(Date)
    ref_date: Mapped[date] = mapped_column(Date)
    fetched: Mapped[datetime]
    location: Mapped[str | None] = mapped_column(Text)
    attribution: Mapped[str | None] = mapped_column(Text)
    attribution_actor: Mapped[str | None] = mapped_column(Text)
    modality: Mapped[str] = mapped_column(String(16))
    actor_keys: Mapped[str] = mapped_column(Text)
    """The actors' full-text keys (see :func:`briefings.store.keys.actor_key`)."""

    __table_args__ = (
        UniqueConstraint("article_pk", "seq"),
        Index("ix_events_type_ref_date", "type", "ref_date"),
    )


class EventActorRow(Base):
    """Who takes part in an event: ``actor`` (acts) or ``recipient`` (acted upon)."""

    __tablename__ = "event_actors"

    event_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[str] = mapped_column(
        Text, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    sort_date: Mapped[date] = mapped_column(Date)
    ref_date: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        # Covers timelines and related actors: latest first, filtered by report date.
        Index("ix_event_actors_timeline", "actor_id", "sort_date", "event_id", "ref_date", "role"),
    )


class ActorDayRow(Base):
    """Mentions of an actor per article day, kept up to date on every save."""

    __tablename__ = "actor_days"

    actor_id: Mapped[str] = mapped_column(Text, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    articles: Mapped[int] = mapped_column(Integer)
    mentions: Mapped[int] = mapped_column(Integer)


class DigestSettingRow(Base):
    """A channel's scheduled digest: when, where, for which actors."""

    __tablename__ = "digest_settings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text)
    time_of_day: Mapped[str] = mapped_column(String(8))
    days: Mapped[str] = mapped_column(String(64))
    timezone: Mapped[str] = mapped_column(String(64))
    actors: Mapped[list[Any]]
    exclude_actors: Mapped[list[Any]]
    event_types: Mapped[list[Any]]
    keywords: Mapped[list[Any]]
    enabled: Mapped[bool] = mapped_column(Boolean)
    post_when_empty: Mapped[bool] = mapped_column(Boolean)
    last_period: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("platform", "workspace", "channel"),)


class DigestClaimRow(Base):
    """A claim on one channel's digest for one period: the unique row makes it post once."""

    __tablename__ = "digest_claims"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text)
    period: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(Text)
    claimed_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("platform", "workspace", "channel", "period"),)


class SubscriptionRow(Base):
    """A user or a channel following an actor, instantly or in a daily bundle."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace: Mapped[str] = mapped_column(Text)
    subscriber: Mapped[str] = mapped_column(Text)
    subscriber_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str] = mapped_column(Text, index=True)
    mode: Mapped[str] = mapped_column(String(16))
    threshold: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime]
    daily_time: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    exact: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)

    __table_args__ = (UniqueConstraint("platform", "workspace", "subscriber", "actor_id"),)


class DeliveryRow(Base):
    """The outbox: one message to send, with a unique key, a state and its retries."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    target_kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(Text)
    send_key: Mapped[str | None] = mapped_column(Text, index=True)
    sending_at: Mapped[datetime | None]
    message_ids: Mapped[list[Any] | None]

    __table_args__ = (Index("ix_deliveries_state_next_attempt_at", "state", "next_attempt_at"),)


class PostPaceRow(Base):
    """When the next post in a scope (a workspace, a channel) may go out, shared by processes."""

    __tablename__ = "post_pace"

    scope: Mapped[str] = mapped_column(Text, primary_key=True)
    next_at: Mapped[datetime]


class ChannelKindRow(Base):
    """What kind a platform's channel is (text, news, forum, …), as one process learnt it."""

    __tablename__ = "channel_kinds"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    seen_at: Mapped[datetime]


class DisabledTargetRow(Base):
    """A channel or user the bot must stop posting to (gone, kicked, no permission)."""

    __tablename__ = "disabled_targets"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace: Mapped[str] = mapped_column(Text, primary_key=True)
    target: Mapped[str] = mapped_column(Text, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    disabled_at: Mapped[datetime]
