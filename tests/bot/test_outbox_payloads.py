"""Typed outbox payloads: the JSON round trip, rows written by earlier versions, bad rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fakes.clock import FakeClock
from fakes.platform import RecordingPlatform
from helpers.deliveries import recording_drain
from helpers.store_samples import make_analysis

from bot.notifier import article_item
from bot.payloads import NotifyPayload, PayloadError, ReplyPayload, payload_of
from briefings.service.composition import Story, compose_digest
from briefings.service.replies import Digest, Notice
from briefings.store import NewDelivery, Store

# Stored exactly as the notifier wrote them before payloads were typed.
OLD_DAILY: dict[str, Any] = {
    "kind": "notify",
    "mode": "daily",
    "item": {
        "story_id": "https://example.org/mopti",
        "headline": "JNIM fighters attacked a convoy near Mopti",
        "tldr": "JNIM fighters attacked a convoy near Mopti",
        "key_points": [],
        "actors": [
            {"id": "jnim", "name": "JNIM", "type": "armed_group"},
            {"id": "mali", "name": "Mali", "type": "state"},
        ],
        "sources": [
            {
                "title": "JNIM fighters attacked a convoy near Mopti",
                "url": "https://example.org/mopti",
                "source": "Test desk",
                "published": "2026-11-20",
            }
        ],
        "event_count": 0,
        "published": "2026-11-23T07:00:00+00:00",
    },
    "actors": {"jnim": "JNIM"},
}
OLD_NOTICE: dict[str, Any] = {
    "kind": "reply",
    "reply": {"type": "Notice", "data": {"kind": "error", "text": "The feed fails."}},
}


def test_payloads_survive_the_json_round_trip() -> None:
    old = payload_of(OLD_DAILY)
    assert isinstance(old, NotifyPayload) and old.mode == "daily"
    assert old.actors == (("jnim", "JNIM"),)
    assert old.to_json() == OLD_DAILY
    assert payload_of(old.to_json()) == old
    notice = ReplyPayload(Notice("error", "The feed fails."))
    assert payload_of(notice.to_json()) == notice == payload_of(OLD_NOTICE)


def test_an_older_row_without_mode_or_actors_reads_as_instant() -> None:
    bare = {"kind": "notify", "item": OLD_DAILY["item"]}
    note = payload_of(bare)
    assert isinstance(note, NotifyPayload) and (note.mode, note.actors) == ("instant", ())


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "notify", "mode": "weekly", "item": OLD_DAILY["item"]},
        {"kind": "notify", "mode": "daily"},
        {"kind": "notify", "item": {"story_id": "x"}},
        {"kind": "notify", "item": OLD_DAILY["item"], "actors": ["jnim"]},
        {"kind": "reply"},
        {"kind": "reply", "reply": {"type": "Nope"}},
        {"kind": "reply", "reply": {"type": "Notice", "data": "text"}},
    ],
)
def test_unreadable_payloads_raise_payload_errors(data: dict[str, Any]) -> None:
    with pytest.raises(PayloadError):
        payload_of(data)


async def test_rows_written_before_typed_payloads_still_deliver(store: Store) -> None:
    """On SQLite and PostgreSQL (the ``store`` fixture of conftest)."""
    clock, platform = FakeClock(), RecordingPlatform()
    drain, _ = recording_drain(store, platform, clock)
    bare = {"kind": "notify", "item": OLD_DAILY["item"] | {"story_id": "bare"}}
    await store.outbox.enqueue(
        [
            NewDelivery("old-daily", "chat", "W1", "U1", OLD_DAILY, target_kind="user"),
            NewDelivery("old-bare", "chat", "W1", "U2", bare, target_kind="user"),
            NewDelivery("old-notice", "chat", "W1", "C1", OLD_NOTICE),
        ],
        now=clock(),
    )
    result = await drain.run_once()
    assert (result.claimed, result.sent, result.dead) == (3, 3, 0)
    replies = {p.target.id: p.reply for p in platform.posted}
    daily, bare_reply = replies["U1"], replies["U2"]
    assert isinstance(daily, Digest) and isinstance(bare_reply, Digest)
    assert daily.title == "Your daily update on JNIM: 1 new article"
    assert daily.items[0].headline == "JNIM fighters attacked a convoy near Mopti"
    assert bare_reply.title == "New on your subscriptions"
    assert replies["C1"] == Notice("error", "The feed fails.")


def test_a_subscription_item_is_the_story_as_a_one_story_digest_shows_it() -> None:
    received = datetime(2026, 11, 23, 7, tzinfo=UTC)
    analysis = make_analysis(
        "JNIM fighters attacked a convoy near Mopti",
        ["JNIM fighters attacked a convoy near Mopti, officials said on Monday."],
        url="https://example.org/mopti",
        source="Test desk",
        published=date(2026, 11, 20),
        fetched=datetime(2026, 11, 23, 6, tzinfo=UTC),
        salience={"jnim": 0.9, "mali": 0.5},
    )
    story = Story.from_analysis(analysis, received)
    digest = compose_digest([story], start=received - timedelta(seconds=1), end=received)
    assert article_item(analysis, received) == digest.items[0]
    assert NotifyPayload("daily", digest.items[0], (("jnim", "JNIM"),)).to_json() == OLD_DAILY
