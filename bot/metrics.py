"""Prometheus metrics of one bot process, in a registry of its own (no global state)."""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

DELIVERY_STATES = ("pending", "claimed", "sending", "sent", "failed", "dead")


class Metrics:
    """The counters the bot keeps; ``render()`` gives the Prometheus text format.

    Args:
        registry: where to register; a fresh one when omitted (so tests never collide).
    """

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.articles = Counter(
            "briefbot_articles_ingested",
            "Articles received, by source kind and outcome (new, updated, unchanged, ...).",
            ["source", "outcome"],
            registry=r,
        )
        self.rejected = Counter(
            "briefbot_articles_rejected",
            "Inputs that could not be turned into an article, by source kind.",
            ["source"],
            registry=r,
        )
        self.events = Counter(
            "briefbot_events_extracted",
            "Events extracted from new or changed articles.",
            registry=r,
        )
        self.deliveries = Counter(
            "briefbot_deliveries",
            "Delivery attempts finished by this process, by resulting state.",
            ["state"],
            registry=r,
        )
        self.outbox = Gauge(
            "briefbot_outbox_deliveries",
            "Deliveries in the outbox by state (read from the store when scraped).",
            ["state"],
            registry=r,
        )
        self.post_latency = Histogram(
            "briefbot_post_latency_seconds",
            "Time one publish to a platform took, by platform.",
            ["platform"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
            registry=r,
        )
        self.feed_errors = Counter(
            "briefbot_feed_errors",
            "Failed feed polls, by feed name (or URL without credentials).",
            ["feed"],
            registry=r,
        )
        self.feed_failing = Gauge(
            "briefbot_feeds_failing", "Feeds failing at least the reporting threshold.", registry=r
        )
        self.digests = Counter(
            "briefbot_digests",
            "Scheduled digests, by outcome (posted, empty, skipped).",
            ["outcome"],
            registry=r,
        )

    def set_outbox(self, counts: Mapping[str, int]) -> None:
        """Record the outbox's current counts by state (missing states count 0)."""
        for state in DELIVERY_STATES:
            self.outbox.labels(state).set(counts.get(state, 0))

    def render(self) -> bytes:
        """The metrics in the Prometheus text exposition format."""
        return generate_latest(self.registry)
