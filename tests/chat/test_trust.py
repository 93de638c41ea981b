"""Answers a user trusts, through the command layer: families, timelines, search, help."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers.store_samples import ACTORS, MALI, NOW, make_analysis

from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.chat.access import Caller, Permission
from briefings.chat.commands import Commands
from briefings.service.answers import Answers
from briefings.service.profiles import TIMELINE_LIMIT
from briefings.service.replies import ActorProfile, Digest, EventList, Notice, SubscriptionList
from briefings.store import Store, Subscription

CLOCK_NOW = datetime(2026, 4, 27, 11, 0, tzinfo=UTC)
USER = Caller("console", "local", "you", "sahel")


class OpenPolicy:
    """Everyone may do everything."""

    async def may_manage(self, caller: Caller) -> Permission:
        return Permission(True)

    async def can_post(self, caller: Caller) -> Permission:
        return Permission(True)


JUNTA = [
    "The Malian junta attacked JNIM positions near Kati on April 20.",
    "Analysts say the vote may not happen this year.",
]
CONVOYS = [f"On April {day}, JNIM attacked a fuel convoy near Kati." for day in range(1, 21)]
BLOCKADE = [
    "On April 26, JNIM fighters attacked a convoy of fuel tankers near Kati.",
    "Prices of staple goods have risen sharply in markets across the country.",
]


@pytest.fixture
async def commands(store: Store) -> Commands:
    await store.sync_actors(ACTORS.values(), now=NOW)
    for title, body, ident in (
        ("Pro-Russian regime in Mali begins to collapse", MALI, "mali"),
        ("Junta postpones the vote", JUNTA, "junta"),
        ("Convoys hit again", CONVOYS, "convoys"),
        ("JNIM tightens its fuel blockade of Bamako", BLOCKADE, "blockade"),
    ):
        url = f"https://wire.example/{ident}"
        await store.save(make_analysis(title, body, id=url, url=url), now=NOW)
    answers = Answers(store, Gazetteer(list(ACTORS.values())), lambda: CLOCK_NOW)
    return Commands(answers, OpenPolicy())


async def test_a_state_includes_its_institutions_and_says_so(commands: Commands) -> None:
    family = await commands.handle(USER, "brief", "7d Mali")
    assert isinstance(family, Digest)
    assert "Junta postpones the vote" in [i.headline for i in family.items]
    assert family.notes == ("Mali includes Malian junta (for Mali alone: `Mali only`).",)
    alone = await commands.handle(USER, "brief", "7d Mali only")
    assert isinstance(alone, Digest) and not alone.notes
    assert "Junta postpones the vote" not in [i.headline for i in alone.items]


async def test_a_state_profile_marks_its_members_events(commands: Commands) -> None:
    profile = await commands.handle(USER, "actor", "Mali")
    assert isinstance(profile, ActorProfile)
    assert profile.notes == ("Mali includes Malian junta (for Mali alone: `actor Mali only`).",)
    marked = [e for e in profile.timeline if e.member == "Malian junta"]
    assert any("attacked JNIM positions" in e.text for e in marked)
    alone = await commands.handle(USER, "actor", "Mali only")
    assert isinstance(alone, ActorProfile) and not alone.notes
    assert all(e.member is None for e in alone.timeline)
    assert not any("attacked JNIM positions" in e.text for e in alone.timeline)


async def test_a_subscriber_to_a_state_hears_about_its_institutions(
    commands: Commands, store: Store
) -> None:
    family = await commands.handle(USER, "subscribe", "Mali")
    assert isinstance(family, Notice) and "Mali includes Malian junta" in family.text
    analysis = make_analysis("Junta strikes", ["The Malian junta attacked JNIM near Gao."])
    found: list[Subscription] = await commands.answers.match(analysis)
    assert [(s.subscriber, s.actor_id) for s in found] == [("you", "mali-junta")]
    exact = await commands.handle(USER, "subscribe", "Mali only")
    assert isinstance(exact, Notice) and "Only Mali itself: not Malian junta." in exact.text
    assert await commands.answers.match(analysis) == []
    listed = await commands.handle(USER, "subscriptions")
    assert isinstance(listed, SubscriptionList)
    assert [e.delivery for e in listed.entries] == ["instant, only"]
    named = make_analysis("Mali votes", ["Mali held a vote on the new constitution."])
    assert [s.actor_id for s in await commands.answers.match(named)] == ["mali"]


async def test_the_timeline_keeps_the_news_and_says_how_much_more(commands: Commands) -> None:
    profile = await commands.handle(USER, "actor", "jnim")
    assert isinstance(profile, ActorProfile)
    assert len(profile.timeline) == TIMELINE_LIMIT
    texts = [e.text for e in profile.timeline]
    assert len(texts) == len(set(texts)), "one entry per occurrence"
    assert any("major offensive" in t for t in texts), "the April 25 offensive stays"
    dated = [e.date for e in profile.timeline if e.date is not None]
    assert dated == sorted(dated, reverse=True)
    first_undated = next(
        (n for n, e in enumerate(profile.timeline) if e.date is None), len(profile.timeline)
    )
    assert all(e.date is None for e in profile.timeline[first_undated:]), "undated last"
    assert profile.more > 0 and profile.more_command == "actor JNIM all"
    everything = await commands.handle(USER, "actor", "jnim all")
    assert isinstance(everything, ActorProfile)
    assert len(everything.timeline) == TIMELINE_LIMIT + profile.more
    assert everything.more == 0 and everything.more_command is None


async def test_search_finds_events_by_headline(commands: Commands) -> None:
    found = await commands.handle(USER, "event", "blockade")
    assert isinstance(found, EventList)
    titles = [e.source.title for e in found.entries]
    assert "JNIM tightens its fuel blockade of Bamako" in titles
    assert any("Cuba" in e.text for e in found.entries)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("digest", "25:99", "25:99 is not a time (use HH:MM, e.g. 07:30)."),
        ("brief", "-5d", "a window counts back from now, so type 5d"),
        ("acter", "jnim", "Did you mean /actor?"),
        ("breif", "", "Did you mean /brief?"),
        ("actor", "jnum", "Did you mean JNIM?"),
    ],
)
async def test_commands_explain_themselves(
    commands: Commands, name: str, text: str, expected: str
) -> None:
    reply = await commands.handle(USER, name, text)
    assert isinstance(reply, Notice) and reply.kind in ("error", "not_found")
    assert expected in reply.text


async def test_a_guess_says_what_it_shows(commands: Commands) -> None:
    profile = await commands.handle(USER, "actor", "wagnr")
    assert isinstance(profile, ActorProfile) and profile.actor.name == "Africa Corps"
    assert profile.notes[0] == "Showing Africa Corps for 'wagnr'."
    sub = await commands.handle(USER, "subscribe", "wagnr")
    assert isinstance(sub, Notice) and sub.text.startswith("Showing Africa Corps for 'wagnr'.")


async def test_a_descriptor_lists_the_channels_choices(commands: Commands) -> None:
    reply = await commands.handle(USER, "actor", "junta")
    assert isinstance(reply, Notice) and "could mean" in reply.text
    assert reply.suggestions[0].name == "Malian junta"
    assert all(r.type in ("government", "military") for r in reply.suggestions)


async def test_digest_empty_says_what_changed(commands: Commands) -> None:
    await commands.handle(USER, "digest", "08:00 Europe/Berlin")
    on = await commands.handle(USER, "digest", "empty on")
    assert isinstance(on, Notice)
    assert on.text.startswith(
        "Changed: a period with nothing new now gets a 'nothing new' digest "
        "(before, it was skipped)."
    )
    again = await commands.handle(USER, "digest", "empty on")
    assert isinstance(again, Notice) and again.text.startswith("No change:")
