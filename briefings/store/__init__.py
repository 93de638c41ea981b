"""The store: SQLite or PostgreSQL behind one async API, with migrations and full-text search."""

from __future__ import annotations

from briefings.store.engine import default_database_url, normalise_url, upgrade
from briefings.store.errors import (
    DatabaseUnavailableError,
    DatabaseURLError,
    SchemaTooNewError,
    StoreError,
)
from briefings.store.records import (
    ActorLabel,
    ActorStats,
    ArticleActorRef,
    ArticleBrief,
    CoActor,
    DayCount,
    Delivery,
    DeliveryState,
    DigestSettings,
    KnownActor,
    NewDelivery,
    RelationRole,
    SaveOutcome,
    SourceRef,
    StoredArticle,
    StoredEvent,
    SubscriberKind,
    Subscription,
    SubscriptionMode,
    TimeBasis,
)
from briefings.store.store import Store, StoreCounts

__all__ = [
    "ActorLabel",
    "ActorStats",
    "ArticleActorRef",
    "ArticleBrief",
    "CoActor",
    "DatabaseURLError",
    "DatabaseUnavailableError",
    "DayCount",
    "Delivery",
    "DeliveryState",
    "DigestSettings",
    "KnownActor",
    "NewDelivery",
    "RelationRole",
    "SaveOutcome",
    "SchemaTooNewError",
    "SourceRef",
    "Store",
    "StoreCounts",
    "StoreError",
    "StoredArticle",
    "StoredEvent",
    "SubscriberKind",
    "Subscription",
    "SubscriptionMode",
    "TimeBasis",
    "default_database_url",
    "normalise_url",
    "upgrade",
]
