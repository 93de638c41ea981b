"""The store on SQLite and PostgreSQL: idempotent saves, duplicates, updates and queries."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from helpers.store_samples import ACTORS, MALI, NOW, analyse, make_analysis, make_article

from briefings.model import ActorInfo, ArticleActor, Mention
from briefings.store import Store

URL = "https://example.org/mali-collapse"


def mali(**kwargs: object) -> object:
    return make_analysis("Pro-Russian regime in Mali begins to collapse", MALI, **kwargs)


async def test_save_is_idempotent_by_identity_and_fingerprint(store: Store) -> None:
    first = mali(url=URL)
    assert await store.save(first, now=NOW) == "new"
    assert await store.save(first, now=NOW + timedelta(hours=1)) == "unchanged"
    # Whitespace, case and punctuation do not change the fingerprint.
    same = mali(url=URL, subtitle=None, fetched=NOW + timedelta(days=1))
    assert await store.save(same, now=NOW) == "unchanged"
    counts = await store.counts()
    assert (counts.articles, counts.events) == (1, len(first.events))


async def test_a_changed_article_replaces_its_analysis(store: Store) -> None:
    await store.save(mali(url=URL), now=NOW)
    before = await store.actors.stats("cuba")
    assert before.articles == 1
    edited = make_analysis(
        "Pro-Russian regime in Mali begins to collapse",
        [*MALI[:4], "Africa Corps withdrew from Kidal after talks."],
        url=URL,
    )
    assert await store.save(edited, now=NOW + timedelta(hours=2)) == "updated"
    counts = await store.counts()
    assert counts.articles == 1
    assert counts.events == len(edited.events)
    stored = await store.get_article(URL)
    assert stored is not None
    assert stored.article.text == edited.article.text
    assert stored.updated_at == NOW + timedelta(hours=2)
    assert stored.stored_at == NOW
    # Cuba left the article: its mention counts went with it, its events too.
    assert (await store.actors.stats("cuba")).articles == 0
    assert await store.actors.timeline("cuba") == []
    assert [e.text for e in await store.search_events("blockade")] == []
    assert [e.text for e in await store.search_events("Kidal")] == [
        "Africa Corps withdrew from Kidal after talks."
    ]


async def test_the_same_story_from_another_source_is_recorded_as_a_source(store: Store) -> None:
    assert await store.save(mali(url=URL), now=NOW) == "new"
    mirror = mali(url="https://mirror.example.net/mali", source="mirror")
    assert await store.save(mirror, now=NOW) == "duplicate"
    assert await store.save(mirror, now=NOW) == "unchanged"
    counts = await store.counts()
    assert (counts.articles, counts.sources) == (1, 1)
    stored = await store.get_article(URL)
    assert stored is not None
    assert [(s.id, s.source) for s in stored.sources] == [
        ("https://mirror.example.net/mali", "mirror")
    ]
    # The duplicate's id leads to the story too.
    via_mirror = await store.get_article("https://mirror.example.net/mali")
    assert via_mirror is not None and via_mirror.article.id == URL
    briefs = await store.articles_between(NOW - timedelta(days=1), NOW + timedelta(days=1))
    assert [b.id for b in briefs] == [URL]
    assert [s.url for s in briefs[0].sources] == ["https://mirror.example.net/mali"]


async def test_a_duplicate_that_changes_becomes_its_own_article(store: Store) -> None:
    await store.save(mali(url=URL), now=NOW)
    mirror_url = "https://mirror.example.net/mali"
    assert await store.save(mali(url=mirror_url), now=NOW) == "duplicate"
    changed = make_analysis("Mali: the mirror's own take", MALI[:3], url=mirror_url)
    assert await store.save(changed, now=NOW) == "new"
    counts = await store.counts()
    assert (counts.articles, counts.sources) == (2, 0)


async def test_a_batch_is_read_in_order(store: Store) -> None:
    a = mali(url=URL)
    b = make_analysis("Mali, revised", MALI[:2], url=URL)
    c = mali(url="https://copy.example.com/x")
    outcomes = await store.save_many([a, a, b, c], now=NOW)
    assert outcomes == ["new", "unchanged", "updated", "new"]
    stored = await store.get_article(URL)
    assert stored is not None and stored.article.title == "Mali, revised"
    # A story twice in one batch under two ids: the second is a duplicate of the first.
    d = make_analysis("Sahel wrap", MALI[2:], url="https://one.example/s")
    e = make_analysis("Sahel wrap", MALI[2:], url="https://two.example/s")
    assert await store.save_many([d, e], now=NOW) == ["new", "duplicate"]


async def test_get_article_rebuilds_what_was_analysed(store: Store) -> None:
    original = mali(url=URL, subtitle="Mali's government collapses.")
    await store.save(original, now=NOW)
    stored = await store.get_article(URL)
    assert stored is not None
    assert stored.article == original.article
    assert stored.sentences == original.sentences
    assert stored.summary == original.summary
    assert stored.fingerprint == original.article.fingerprint
    assert [a.id for a in stored.actors] == [a.id for a in original.actors]
    assert {a.id: a.mentions for a in stored.actors} == {
        a.id: len(a.mentions) for a in original.actors
    }
    assert [(e.sentence, e.type, e.text) for e in stored.events] == [
        (e.sentence, e.type, e.text) for e in original.events
    ]
    offensive = stored.events[0]
    assert offensive.date is not None and offensive.date.value == "2026-04-25"
    assert offensive.sort_date == date(2026, 4, 25)
    assert [a.id for a in offensive.actors] == ["jnim"]
    assert {a.id for a in offensive.recipients} == {"fla", "mali-junta", "mali"}
    assert await store.get_article("https://nowhere.example") is None


async def test_articles_between_filters_by_time_and_actor(store: Store) -> None:
    early = make_analysis("Cuba under blockade", [MALI[5]], url="https://a.example/1")
    late = make_analysis(
        "Offensive in Mali",
        MALI[:2],
        url="https://a.example/2",
        published=date(2026, 4, 20),
        fetched=NOW + timedelta(hours=5),
    )
    await store.save_many([early, late], now=NOW)
    window = await store.articles_between(NOW - timedelta(hours=1), NOW + timedelta(hours=6))
    assert [b.id for b in window] == ["https://a.example/2", "https://a.example/1"]
    assert [b.id for b in await store.articles_between(NOW, NOW + timedelta(hours=1))] == [
        "https://a.example/1"
    ]
    cuba = await store.articles_between(
        NOW - timedelta(days=1), NOW + timedelta(days=1), actor_ids=["cuba"]
    )
    assert [b.id for b in cuba] == ["https://a.example/1"]
    brief = cuba[0]
    assert brief.title == "Cuba under blockade"
    assert brief.event_count == 1 and brief.event_types == ("coerce",)
    assert [a.id for a in brief.actors] == ["cuba", "united-states"] or {
        a.id for a in brief.actors
    } == {"cuba", "united-states"}
    assert brief.summary.key_points[0].text == MALI[5]
    assert brief.text is None
    with_text = await store.articles_between(
        NOW - timedelta(days=1), NOW + timedelta(days=1), with_text=True, limit=1
    )
    assert with_text[0].text is not None and "Offensive in Mali" in with_text[0].text
    by_day = await store.articles_between(
        datetime(2026, 4, 19, tzinfo=UTC), datetime(2026, 4, 21, tzinfo=UTC), basis="published"
    )
    assert [b.id for b in by_day] == ["https://a.example/2"]


async def test_actor_timeline_is_dated_and_ordered(store: Store) -> None:
    await store.save(mali(url=URL), now=NOW)
    timeline = await store.actors.timeline("united-states")
    assert [(e.sort_date, e.date.value if e.date else None) for e in timeline] == [
        (date(2026, 4, 27), None),  # undated: the article's date
        (date(2010, 1, 1), "2010s"),
    ]
    blockade = timeline[0]
    assert blockade.article_id == URL and blockade.article_url == URL
    assert blockade.article_title.startswith("Pro-Russian regime")
    assert [a.name for a in blockade.actors] == ["United States"]
    assert [a.name for a in blockade.recipients] == ["Cuba"]
    assert len(await store.actors.timeline("united-states", limit=1)) == 1
    assert await store.actors.timeline("united-states", since=date(2026, 5, 1)) == []
    fetched_since = await store.actors.timeline(
        "united-states", since=NOW - timedelta(minutes=1), basis="fetched"
    )
    assert len(fetched_since) == 2
    alleged = [e for e in await store.actors.timeline("ukraine") if e.modality == "alleged"]
    assert alleged and alleged[0].attribution == "The Russian Ministry of Defence"


async def test_actor_stats_count_mentions_per_day_and_related_actors(store: Store) -> None:
    for day in (20, 21, 21):
        published = date(2026, 4, day)
        await store.save(
            make_analysis(
                f"Report {day}",
                [MALI[5], f"Note {day}: {published}."],
                url=f"https://r.example/{day}/{published}",
                published=published,
            ),
            now=NOW,
        )
    stats = await store.actors.stats("united-states")
    assert [(d.day, d.articles) for d in stats.days] == [
        (date(2026, 4, 20), 1),
        (date(2026, 4, 21), 1),
    ]
    assert stats.first_day == date(2026, 4, 20) and stats.last_day == date(2026, 4, 21)
    assert [(c.actor.id, c.relation, c.events) for c in stats.related] == [("cuba", "against", 2)]
    cuba = await store.actors.stats("cuba", since=date(2026, 4, 21))
    assert [(c.actor.id, c.relation) for c in cuba.related] == [("united-states", "by")]
    assert cuba.articles == 1
    assert (await store.actors.stats("nobody")).days == ()


async def test_known_actors_carry_every_name(store: Store) -> None:
    await store.save(mali(url=URL), now=NOW)
    actors = {a.id: a for a in await store.actors.known()}
    corps = actors["africa-corps"]
    assert corps.name == "Africa Corps" and corps.parent == "russia"
    assert set(corps.former_names) == {"Wagner Group", "Wagner"}
    assert actors["russia"].demonyms == ("Russian",)
    assert set(actors["united-states"].aliases) == {"US", "USA"}
    assert [a.id for a in await store.actors.named("wagner")] == ["africa-corps"]
    assert [a.id for a in await store.actors.named("  The U.S.A ")] == ["united-states"]
    assert await store.actors.named("xyzzy") == []
    assert (await store.actors.get("cuba")) is not None
    assert (await store.actors.get("atlantis")) is None


async def test_gazetteer_facts_win_over_discovered_ones(store: Store) -> None:
    discovered = ActorInfo("fla", "Front de Libération de l'Azawad", "other", discovered=True)
    article = make_article("FLA attacks", ["The FLA attacked Kidal."], url="https://x.example/1")
    base = analyse(article)
    found = replace(
        base,
        actors=(ArticleActor(discovered, (Mention("fla", "FLA", 0, 3, 0),), 1.0, ("FLA",)),),
    )
    await store.save(found, now=NOW)
    assert (await store.actors.get("fla")).name == "Front de Libération de l'Azawad"
    await store.sync_actors([ACTORS["fla"], replace(ACTORS["jnim"])], now=NOW)
    fla = await store.actors.get("fla")
    assert fla is not None and fla.name == "Azawad Liberation Front" and fla.type == "armed_group"
    # A later discovery does not overwrite the gazetteer's facts.
    again = replace(
        found,
        article=make_article(
            "FLA again", ["FLA fighters attacked Gao."], url="https://x.example/2"
        ),
    )
    await store.save(again, now=NOW)
    fla = await store.actors.get("fla")
    assert fla is not None and fla.name == "Azawad Liberation Front"
    assert "FLA" in fla.aliases
    assert [a.id for a in await store.actors.named("Front de Liberation de l'Azawad")] == ["fla"]


async def test_actor_articles_lists_sources_newest_first(store: Store) -> None:
    for day in (18, 25, 22):
        await store.save(
            make_analysis(
                f"Cuba {day}",
                [MALI[5], f"Day {day}."],
                url=f"https://c.example/{day}",
                published=date(2026, 4, day),
            ),
            now=NOW,
        )
    found = await store.actors.articles("cuba", limit=2)
    assert [b.id for b in found] == ["https://c.example/25", "https://c.example/22"]
    assert [b.id for b in await store.actors.articles("cuba", since=date(2026, 4, 23))] == [
        "https://c.example/25"
    ]


async def test_two_processes_saving_the_same_article_store_it_once(
    store: Store, other_store: Store
) -> None:
    stories = [mali(url=f"https://race.example/{i}") for i in range(3)]
    first, second = await asyncio.gather(
        store.save_many(stories, now=NOW), other_store.save_many(stories[::-1], now=NOW)
    )
    outcomes = sorted(first + second)
    # One writer stores the story; every other copy is recognised.
    assert outcomes.count("new") == 1
    assert (await store.counts()).articles == 1
