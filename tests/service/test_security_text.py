"""Hostile text: searches built to break the store, and article text built to mislead readers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers.store_samples import ACTORS, MALI, NOW, make_analysis

from adapters.discord.render import render as render_discord
from adapters.slack.render import render as render_slack
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.chat.access import Caller, Permission
from briefings.chat.commands import Commands
from briefings.errors import SearchTooComplexError
from briefings.service.answers import Answers
from briefings.service.replies import Digest, DigestItem, EventList, Notice, SourceLink
from briefings.store import Store, search
from briefings.store.querytext import MAX_TERMS

USER = Caller("slack", "T1", "U1", "C1")
BIDI = "\u202e\u2066\u200f"


class Allow:
    async def may_manage(self, caller: Caller) -> Permission:
        return Permission(True)

    async def can_post(self, caller: Caller) -> Permission:
        return Permission(True)


class NoControl:
    async def on_changed(self, setting: object) -> None:
        return None

    async def post_now(self, channel: object) -> None:
        return None


@pytest.fixture
async def commands(store: Store) -> Commands:
    await store.sync_actors(ACTORS.values(), now=NOW)
    await store.save(make_analysis("Mali", MALI, url="https://wire.example/mali"), now=NOW)
    answers = Answers(store, Gazetteer(list(ACTORS.values())), lambda: NOW)
    return Commands(answers, Allow(), NoControl())  # type: ignore[arg-type]


async def test_a_flood_of_negated_words_gets_a_clear_answer(commands: Commands) -> None:
    flood = "siege " + " ".join(f"-w{i}" for i in range(95))
    reply = await commands.handle(USER, "event", flood)
    assert isinstance(reply, Notice) and reply.kind == "error"
    assert "too complex" in reply.text
    # Up to the cap, the same kind of query runs (flat, no parser stack overflow).
    most = "siege " + " ".join(f"-w{i}" for i in range(MAX_TERMS - 1))
    reply = await commands.handle(USER, "event", most)
    assert isinstance(reply, EventList) and len(reply.entries) == 1


async def test_control_characters_in_a_search_are_dropped(commands: Commands) -> None:
    reply = await commands.handle(USER, "event", "siege\x00 Bamako\x07\x1b")
    assert isinstance(reply, EventList) and len(reply.entries) == 1


async def test_the_store_strips_nul_bytes_itself(store: Store) -> None:
    await store.save(make_analysis("Mali", MALI, url="https://wire.example/mali"), now=NOW)
    assert len(await store.search_events("siege\x00")) == 1


async def test_a_refusal_by_the_database_is_a_user_error(store: Store) -> None:
    if store.dialect == "postgresql":
        broken = "SELECT to_tsquery('simple', ?)"
        argument = "siege & & ("
    else:
        broken = "SELECT rowid FROM events_fts WHERE events_fts MATCH ?"
        argument = '"siege" AND'
    async with store.engine.connect() as conn:
        with pytest.raises(SearchTooComplexError, match="too complex"):
            await search.fetch(conn, broken, [argument])
        # Anything else the database says is not dressed up as a search problem.
        with pytest.raises(Exception) as other:
            await search.fetch(conn, "SELECT * FROM no_such_table", [])
        assert not isinstance(other.value, SearchTooComplexError)


def _hostile_digest() -> Digest:
    start = datetime(2026, 4, 26, tzinfo=UTC)
    item = DigestItem(
        story_id="s1",
        headline=f"Army {BIDI}gnol tsuj{BIDI} retreats **now** <@&1>",
        tldr=f"Read {BIDI}moc.live//:sptth",
        key_points=(f"point {BIDI}one",),
        actors=(),
        sources=(SourceLink(title="Local file", source="/srv/briefbot/inbox/kati-convoy.md"),),
        event_count=1,
        published=start,
    )
    return Digest("Digest", start, start.replace(day=27), (item,))


def test_bidi_controls_and_paths_never_reach_slack() -> None:
    payload = str([m.payload() for m in render_slack(_hostile_digest())])
    for char in BIDI:
        assert char not in payload
    assert "/srv/briefbot" not in payload and "kati-convoy.md" in payload


def test_bidi_controls_paths_and_title_markup_never_reach_discord() -> None:
    messages = render_discord(_hostile_digest())
    payload = str(messages)
    for char in BIDI:
        assert char not in payload
    assert "/srv/briefbot" not in payload and "kati-convoy.md" in payload
    titles = [e["title"] for m in messages for e in m.embeds if "title" in e]
    headline = next(t for t in titles if "retreats" in t)
    assert "\\*\\*now\\*\\*" in headline and "\\<@&1\\>" in headline
