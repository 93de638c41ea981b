"""The answering service over a real store (SQLite and PostgreSQL).

Most tests use the stand-in analyser of ``store_samples`` (deterministic, independent of the
analysis rules); the issue's scenario at the end runs the real analysis on the reference
article and a handful of others.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from helpers.paths import ARTICLES
from helpers.store_samples import ACTORS, MALI, NOW, make_analysis
from sqlalchemy import event, insert, text

from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.analysis.pipeline import Analyzer
from briefings.model import ActorInfo
from briefings.service.answers import Answers, EmptyQueryError, focus_events
from briefings.service.composition import DigestFilters, settings_filters
from briefings.service.following import Subscriber
from briefings.service.ingest import Ingestor
from briefings.service.names import ActorNotFoundError, AmbiguousActorError
from briefings.service.profiles import MENTION_DAYS
from briefings.service.replies import ActorRef, EventEntry
from briefings.store import DigestSettings, Store, StoredEvent
from briefings.store.subscription_index import record_change
from briefings.store.subscriptions import SUBSCRIPTIONS

CLOCK_NOW = NOW + timedelta(hours=2)
MALI_COPY = [s.replace("major offensive", "large offensive") for s in MALI]
CUBA = [
    "The United States imposed a blockade on Cuba's energy imports.",
    "Officials in Havana said the blockade had emptied fuel stations across the island.",
    "The United States threatened sanctions on shippers that break it.",
]
IRAN = ["Israel bombed air defence sites in Iran.", "Iran threatened to answer the strikes."]


def clock() -> datetime:
    return CLOCK_NOW


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer(list(ACTORS.values()))


async def seed(store: Store) -> None:
    await store.sync_actors(ACTORS.values(), now=NOW - timedelta(days=90))
    cuba_day = datetime(2026, 4, 20, 8, tzinfo=UTC)
    iran_day = datetime(2026, 2, 1, 8, tzinfo=UTC)
    stories = [
        # (title, paragraphs, url, fetched and saved at, published)
        ("Pro-Russian regime in Mali begins to collapse", MALI, "https://wire.example/mali",
         NOW, date(2026, 4, 27)),
        ("Mali's junta falters as rebels close in", MALI_COPY, "https://paper.example/mali",
         NOW + timedelta(hours=1), date(2026, 4, 27)),
        ("US tightens the energy blockade of Cuba", CUBA, "https://wire.example/cuba",
         cuba_day, cuba_day.date()),
        ("Israel strikes Iran", IRAN, "https://wire.example/iran", iran_day, iran_day.date()),
    ]  # fmt: skip
    for title, paragraphs, url, at, published in stories:
        analysis = make_analysis(
            title,
            paragraphs,
            id=url,
            url=url,
            source=url.split("/")[2],
            published=published,
            fetched=at,
        )
        await store.save(analysis, now=at)


@pytest.fixture
async def answers(store: Store, gazetteer: Gazetteer) -> Answers:
    await seed(store)
    return Answers(store, gazetteer, clock)


async def test_profile_of_wagner_is_africa_corps_with_its_timeline(answers: Answers) -> None:
    profile = await answers.profiles.actor_profile("wagner")
    assert profile.actor == ActorRef("africa-corps", "Africa Corps", "military")
    assert "Wagner" in profile.aliases and "Wagner Group" in profile.aliases
    assert profile.country == "RU"
    # Two articles on 2026-04-27 name it once each: counted per day in SQL.
    assert profile.mentions == ((date(2026, 4, 27), 2),)
    assert profile.timeline
    withdrawal = profile.timeline[0]
    assert withdrawal.type == "withdraw"
    assert withdrawal.modality == "reported"
    assert withdrawal.source.published == date(2026, 4, 27)
    assert withdrawal.source.url in ("https://wire.example/mali", "https://paper.example/mali")
    assert [r.actor.id for r in profile.related] == ["mali"]
    assert profile.related[0].role == "against" and profile.related[0].count == 2
    assert {s.url for s in profile.sources} == {
        "https://wire.example/mali",
        "https://paper.example/mali",
    }
    assert profile.buttons[0].action == "subscribe" and profile.buttons[0].value == "africa-corps"


async def test_profile_timeline_carries_dates_attribution_and_modality(answers: Answers) -> None:
    profile = await answers.profiles.actor_profile("JNIM")
    offensive = next(e for e in profile.timeline if e.type == "assault")
    assert offensive.date == "2026-04-25" and offensive.date_precision == "day"
    russia = await answers.profiles.actor_profile("United States")
    arming = next(e for e in russia.timeline if e.type == "aid")
    assert arming.date == "2010s" and arming.date_precision == "decade"
    ukraine = await answers.profiles.actor_profile("Ukraine")
    allegation = next(e for e in ukraine.timeline if e.type == "accuse")
    assert allegation.modality == "alleged"
    assert allegation.attribution is not None and "Ministry of Defence" in allegation.attribution


async def test_profile_since_limits_what_is_shown(answers: Answers) -> None:
    everything = await answers.profiles.actor_profile("Iran")
    assert everything.timeline and everything.mentions
    recent = await answers.profiles.actor_profile("Iran", since=date(2026, 4, 1))
    assert recent.timeline == () and recent.mentions == () and recent.sources == ()
    assert recent.since == datetime(2026, 4, 1, tzinfo=UTC)


async def test_mentions_series_keeps_the_latest_days(answers: Answers, store: Store) -> None:
    days = [date(2025, 12, 1) + timedelta(days=i) for i in range(MENTION_DAYS + 5)]
    batch = [
        make_analysis(f"Israel, day {i}", ["Israel talked."], id=f"d{i}", published=day)
        for i, day in enumerate(days)
    ]
    await store.save_many(batch, now=NOW)
    profile = await answers.profiles.actor_profile("Israel")
    # The latest days with mentions, oldest first; the five earliest are left out.
    assert [day for day, _ in profile.mentions] == days[5:]
    assert profile.mentions[-1] == (days[-1], 2)  # title and body


async def test_unknown_and_ambiguous_names(answers: Answers, store: Store) -> None:
    with pytest.raises(ActorNotFoundError) as info:
        await answers.profiles.actor_profile("xyzzy")
    assert info.value.suggestions == ()
    await store.sync_actors(
        [ActorInfo("jnim-splinter", "JNIM Splinter", "armed_group", aliases=("Malian",))],
        now=NOW,
    )
    await answers.refresh()
    with pytest.raises(AmbiguousActorError) as choice:
        await answers.profiles.actor_profile("malian")
    assert {c.id for c in choice.value.choices} == {"mali", "jnim-splinter"}


async def test_an_actor_discovered_after_the_index_was_built_resolves(
    answers: Answers, store: Store
) -> None:
    assert (await answers.resolve_actor("Mali")).kind == "exact"  # builds the index
    await store.sync_actors(
        [ActorInfo("gatia", "GATIA", "armed_group", discovered=True)], now=CLOCK_NOW
    )
    found = await answers.resolve_actor("gatia")
    assert found.actor == ActorRef("gatia", "GATIA", "armed_group")
    assert await answers.actor("gatia") == ActorRef("gatia", "GATIA", "armed_group")
    assert [r.id for r in await answers.suggest_actors("gat")] == ["gatia"]


async def test_search_events_blockade_and_siege(answers: Answers) -> None:
    blockade = await answers.search_events("blockade")
    assert blockade.entries
    assert all("blockade" in e.text for e in blockade.entries)
    assert {e.source.published for e in blockade.entries} == {date(2026, 4, 27), date(2026, 4, 20)}
    assert any("cuba" in {a.id for a in (*e.actors, *e.recipients)} for e in blockade.entries)
    siege = await answers.search_events("siege")
    assert siege.entries and siege.entries[0].location == "Bamako"
    assert siege.entries[0].source.published == date(2026, 4, 27)


async def test_search_events_filters(answers: Answers) -> None:
    since = await answers.search_events("blockade", since=date(2026, 4, 25))
    assert {e.source.published for e in since.entries} == {date(2026, 4, 27)}
    assert since.since == datetime(2026, 4, 25, tzinfo=UTC)
    typed = await answers.search_events("United States", type="threaten")
    assert typed.entries and all(e.type == "threaten" for e in typed.entries)
    by_actor = await answers.search_events("blockade", actor="cuba")
    assert by_actor.entries
    assert all("cuba" in {a.id for a in (*e.actors, *e.recipients)} for e in by_actor.entries)
    assert len((await answers.search_events("blockade", limit=1)).entries) == 1
    with pytest.raises(EmptyQueryError):
        await answers.search_events("  ?! ")
    with pytest.raises(ActorNotFoundError):
        await answers.search_events("blockade", actor="xyzzy")


async def test_brief_merges_near_duplicates_and_keeps_the_window(answers: Answers) -> None:
    digest = await answers.brief(timedelta(days=30))
    assert digest.end == CLOCK_NOW and digest.start == CLOCK_NOW - timedelta(days=30)
    assert len(digest.items) == 2
    mali, cuba = digest.items
    assert {s.source for s in mali.sources} == {"wire.example", "paper.example"}
    assert len(mali.key_points) <= 3 and mali.event_count == 6
    assert "mali" in {a.id for a in mali.actors}
    assert cuba.headline == "US tightens the energy blockade of Cuba"
    # The Iran story arrived in February: outside the window.
    assert all("Iran" not in i.headline for i in digest.items)
    day = await answers.brief(timedelta(hours=24))
    assert [len(i.sources) for i in day.items] == [2]


async def test_brief_filters(answers: Answers) -> None:
    window = timedelta(days=30)
    sahel = await answers.brief(window, DigestFilters(actors=frozenset({"jnim"})))
    assert len(sahel.items) == 1 and "Mali" in sahel.items[0].headline
    no_sahel = await answers.brief(window, DigestFilters(exclude_actors=frozenset({"jnim"})))
    assert [i.headline for i in no_sahel.items] == ["US tightens the energy blockade of Cuba"]
    keyword = await answers.brief(window, DigestFilters(keywords=("havana",)))
    assert [i.headline for i in keyword.items] == ["US tightens the energy blockade of Cuba"]
    typed = await answers.brief(window, DigestFilters(event_types=frozenset({"withdraw"})))
    assert len(typed.items) == 1 and "Mali" in typed.items[0].headline


async def test_channel_digest_uses_the_channel_filters(answers: Answers) -> None:
    settings = await answers.save_digest_settings(
        DigestSettings(
            "slack", "T1", "C1", actors=("cuba",), exclude_actors=("jnim",), time_of_day="07:30"
        )
    )
    assert await answers.digest_settings("slack", "T1", "C1") == settings
    assert settings_filters(settings).actors == frozenset({"cuba"})
    assert settings_filters(settings).exclude_actors == frozenset({"jnim"})
    digest = await answers.channel_digest(settings, datetime(2026, 4, 1, tzinfo=UTC), CLOCK_NOW)
    assert [i.headline for i in digest.items] == ["US tightens the energy blockade of Cuba"]
    assert digest.start == datetime(2026, 4, 1, tzinfo=UTC)


async def test_the_clock_decides_what_now_is(store: Store, gazetteer: Gazetteer) -> None:
    await seed(store)
    later = Answers(store, gazetteer, lambda: CLOCK_NOW + timedelta(days=365))
    assert (await later.brief(timedelta(days=30))).is_empty


async def test_subscribe_list_and_unsubscribe(answers: Answers) -> None:
    alice = Subscriber("slack", "T1", "U1")
    entry, created = await answers.following.subscribe(alice, "wagner")
    assert created and entry.actor.id == "africa-corps" and entry.mode == "instant"
    entry, created = await answers.following.subscribe(alice, "Africa Corps", "daily")
    assert not created and entry.mode == "daily"
    await answers.following.subscribe(alice, "JNIM")
    listed = await answers.following.subscriptions(alice)
    assert [(e.actor.id, e.mode) for e in listed.entries] == [
        ("africa-corps", "daily"),
        ("jnim", "instant"),
    ]
    channel = Subscriber("slack", "T1", "C9", "channel")
    await answers.following.subscribe(channel, "cuba")
    assert [e.actor.id for e in (await answers.following.subscriptions(channel)).entries] == [
        "cuba"
    ]
    assert await answers.following.unsubscribe(alice, "wagner") is True
    assert await answers.following.unsubscribe(alice, "wagner") is False
    other_workspace = Subscriber("slack", "T2", "U1")
    assert (await answers.following.subscriptions(other_workspace)).entries == ()
    with pytest.raises(ActorNotFoundError):
        await answers.following.subscribe(alice, "xyzzy")


async def test_match_returns_the_subscriptions_an_article_triggers(answers: Answers) -> None:
    alice = Subscriber("slack", "T1", "U1")
    bob = Subscriber("discord", "G1", "U2")
    await answers.following.subscribe(alice, "Africa Corps")
    await answers.following.subscribe(bob, "Cuba", "daily")
    await answers.following.subscribe(bob, "Iran")
    mali = make_analysis("Mali", MALI, id="x")
    found = await answers.match(mali)
    assert {(s.subscriber, s.actor_id) for s in found} == {("U1", "africa-corps"), ("U2", "cuba")}
    assert [s.actor_id for s in await answers.match(mali, platform="discord")] == ["cuba"]
    quiet = make_analysis("Nothing", ["Analysts met."], id="y")
    assert await answers.match(quiet) == []


async def test_match_skips_subscriptions_whose_threshold_is_not_reached(
    answers: Answers, store: Store
) -> None:
    for subscriber, threshold in (("U1", 0.9), ("U2", 0.01)):
        await store.subscriptions.subscribe(
            platform="slack",
            workspace="T1",
            subscriber=subscriber,
            actor_id="cuba",
            now=CLOCK_NOW,
            threshold=threshold,
        )
    found = await answers.match(make_analysis("Mali", MALI, id="x"))
    assert [s.subscriber for s in found] == ["U2"]


async def _add_subscriptions(store: Store, count: int, start: int) -> None:
    """``count`` subscriptions to actors no test article names, in bulk (a bulk change)."""
    rows = [
        {
            "platform": "slack",
            "workspace": "T1",
            "subscriber": f"U{start + i}",
            "subscriber_kind": "user",
            "actor_id": f"filler-{(start + i) % 997}",
            "mode": "instant",
            "threshold": 0.0,
            "created_at": CLOCK_NOW,
        }
        for i in range(count)
    ]
    async with store.engine.begin() as conn:
        await record_change(conn, None)
        await conn.execute(insert(SUBSCRIPTIONS), rows)
        if conn.dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load: without statistics the planner
            # still believes the table is tiny.
            await conn.execute(text("ANALYZE subscriptions"))
    await store.subscriptions.index.sync()


async def _timed_match(answers: Answers, runs: int = 30) -> tuple[float, int, int]:
    """Median seconds per match, SQL statements per match, subscriptions found."""
    analysis = make_analysis("Mali", MALI, id="x")
    statements = 0

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        nonlocal statements
        if statement.lstrip().upper().startswith("SELECT"):  # not SQLite's BEGIN
            statements += 1

    engine = answers.store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        times = []
        found = 0
        for _ in range(runs):
            t0 = time.perf_counter()
            found = len(await answers.match(analysis))
            times.append(time.perf_counter() - t0)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return statistics.median(times), statements // runs, found


async def test_match_cost_does_not_grow_with_the_number_of_subscriptions(
    answers: Answers,
) -> None:
    store = answers.store
    for i in range(5):
        await answers.following.subscribe(Subscriber("slack", "T1", f"fan{i}"), "JNIM")
    await _add_subscriptions(store, 1_000, 0)
    small, small_statements, small_found = await _timed_match(answers)
    await _add_subscriptions(store, 49_000, 1_000)
    large, large_statements, large_found = await _timed_match(answers)
    # No database round trip (the in-memory index); only the article's come back.
    assert small_statements == large_statements == 0
    assert small_found == large_found == 5
    # Loose: fifty times the subscriptions, nowhere near fifty times the time.
    assert large < small * 5 + 0.002, (small, large)
    print(f"match: {small * 1000:.3f} ms at 1k, {large * 1000:.3f} ms at 50k subscriptions")


# The scenario, with the real analysis ---------------------------------------------

REFERENCE = ARTICLES / "mali_collapse.txt"
OTHERS = ("axios_red_sea.txt", "wire_sudan_ceasefire.txt", "drc_goma.md", "sudan_el_fasher.html")
INGESTED = datetime(2026, 4, 27, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture
async def reference(store: Store, analyzer: Analyzer) -> Answers:
    """A store holding the reference article (published 2026-04-27) and a handful of others."""
    gazetteer = analyzer.gazetteer
    ingestor = Ingestor(store, analyzer.analyse, actors=gazetteer.actors)
    report = await ingestor.ingest([str(REFERENCE)], now=INGESTED, published=date(2026, 4, 27))
    assert report.stored == 1, report.summary_line()
    report = await ingestor.ingest([str(ARTICLES / n) for n in OTHERS], now=INGESTED)
    assert report.stored == len(OTHERS), report.summary_line()
    return Answers(store, gazetteer, lambda: INGESTED + timedelta(hours=1))


def _involves(entry: EventEntry, actor_id: str) -> bool:
    return actor_id in {a.id for a in (*entry.actors, *entry.recipients)}


async def test_scenario_actor_wagner_is_africa_corps_with_a_timeline(reference: Answers) -> None:
    profile = await reference.profiles.actor_profile("wagner")
    assert profile.actor.id == "africa-corps" and profile.actor.name == "Africa Corps"
    assert "Wagner" in profile.aliases
    assert profile.timeline
    assert all(_involves(e, "africa-corps") for e in profile.timeline)
    assert all(e.source.published == date(2026, 4, 27) for e in profile.timeline)
    assert profile.mentions and profile.mentions[0][0] == date(2026, 4, 27)
    assert [s.title for s in profile.sources] == ["Pro-Russian Regime in Mali Begins to Collapse"]


async def test_scenario_russian_mod_resolves(reference: Answers) -> None:
    found = await reference.resolve_actor("russian mod")
    assert found.actor is not None, found
    assert found.actor.name == "Russian Ministry of Defence"
    profile = await reference.profiles.actor_profile(found.actor)
    allegation = next(e for e in profile.timeline if e.type == "accuse")
    assert allegation.modality == "alleged"


async def test_scenario_xyzzy_is_unknown_without_suggestions(reference: Answers) -> None:
    with pytest.raises(ActorNotFoundError) as info:
        await reference.profiles.actor_profile("xyzzy")
    assert info.value.suggestions == ()


async def test_scenario_events_blockade_and_siege_with_dates(reference: Answers) -> None:
    blockade = await reference.search_events("blockade")
    cuba = [e for e in blockade.entries if _involves(e, "cuba")]
    assert cuba and "Cuba" in cuba[0].text
    assert cuba[0].source.published == date(2026, 4, 27)
    siege = await reference.search_events("siege")
    bamako = [e for e in siege.entries if "Bamako" in e.text]
    assert bamako and bamako[0].source.published == date(2026, 4, 27)
    assert bamako[0].source.title == "Pro-Russian Regime in Mali Begins to Collapse"


async def test_scenario_brief_30d_shows_the_digest(reference: Answers) -> None:
    digest = await reference.brief(timedelta(days=30))
    headlines = [i.headline for i in digest.items]
    assert "Pro-Russian Regime in Mali Begins to Collapse" in headlines
    assert len(digest.items) == 1 + len(OTHERS)
    mali = digest.items[headlines.index("Pro-Russian Regime in Mali Begins to Collapse")]
    assert 1 <= len(mali.key_points) <= 3 and mali.event_count > 0
    assert {"jnim", "africa-corps"} & {a.id for a in mali.actors}


def _stored(id: int, sentence: int, trigger: str, type: str = "other") -> StoredEvent:
    return StoredEvent(
        id=id,
        article_id="a",
        article_title="A",
        article_url=None,
        article_source=None,
        article_published=None,
        ref_date=date(2026, 4, 27),
        fetched=NOW,
        sentence=sentence,
        text=f"sentence {sentence}",
        type=type,
        trigger=trigger,
        date=None,
        sort_date=date(2026, 4, 27),
        location=None,
        attribution=None,
        attribution_actor=None,
        modality="reported",
        actors=(),
        recipients=(),
    )


def test_search_hits_keep_one_event_per_sentence_matching_the_query() -> None:
    hits = [
        _stored(1, 4, "weakened"),
        _stored(2, 4, "blockade", "coerce"),
        _stored(3, 7, "maintaining"),
        _stored(4, 7, "blockades", "coerce"),
        _stored(5, 7, "threatened", "threaten"),
        _stored(6, 9, "said", "statement"),
        _stored(7, 9, "met", "consult"),
    ]
    assert [e.id for e in focus_events(hits, "Blockade -tariffs")] == [2, 4, 6]
    # A word after "-" excludes; it is not looked for among triggers.
    assert [e.id for e in focus_events(hits, "siege -blockade")] == [1, 3, 6]
