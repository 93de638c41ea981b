"""Full-text search over events and articles, the same on SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers.store_samples import MALI, NOW, make_analysis

from briefings.store import Store, search
from briefings.store.querytext import fts5_query


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("siege", '"siege"'),
        ("siege Bamako", '"siege" AND "Bamako"'),
        ('"total siege" Bamako', '"total siege" AND "Bamako"'),
        ("siege -Bamako", '("siege") NOT ("Bamako")'),
        ("siege -x -y", '("siege") NOT ("x" OR "y")'),
        ("siege\x00 Bamako\x1b", '"siege" AND "Bamako"'),
        ("siege OR blockade", '("siege" OR "blockade")'),
        ("bamak*", '"bamak"*'),
        ('NEAR(a b) "unclosed', '"NEAR a" AND "b" AND "unclosed"'),
        ("al-Qaeda", '"al Qaeda"'),
        ("the siege of Gao", '"siege" AND "Gao"'),
        ('"siege of Gao"', '"siege of Gao"'),
        ("-only", None),
        ("*** ^", None),
        ("", None),
    ],
)
def test_user_queries_become_safe_fts5_expressions(query: str, expected: str | None) -> None:
    assert fts5_query(query) == expected


async def seed(store: Store) -> None:
    await store.save(
        make_analysis(
            "Pro-Russian regime in Mali begins to collapse", MALI, url="https://m.example/1"
        ),
        now=NOW,
    )
    await store.save(
        make_analysis(
            "Cuba runs short of fuel",
            [
                "The United States imposed a blockade on Cuba's energy imports.",
                "Iran threatened sanctions on Israel.",
            ],
            url="https://c.example/2",
            published=date(2026, 3, 2),
            fetched=NOW - timedelta(days=56),
        ),
        now=NOW,
    )


async def test_search_events_finds_and_ranks(store: Store) -> None:
    await seed(store)
    siege = await store.search_events("siege")
    assert [e.text for e in siege] == ["The rebels declared a total siege of Bamako."]
    assert siege[0].score is not None and siege[0].score > 0
    assert siege[0].article_url == "https://m.example/1"
    assert siege[0].location == "Bamako"
    blockade = await store.search_events("blockade")
    assert len(blockade) == 2
    assert {e.article_id for e in blockade} == {"https://m.example/1", "https://c.example/2"}
    # Stemming: "blockades" finds "blockade"; accents and case are folded.
    assert len(await store.search_events("BLOCKADES")) == 2
    assert [e.text for e in await store.search_events('"total siege"')] == [MALI[1]]
    assert await store.search_events('"siege total"') == []
    assert await store.search_events("siege -Bamako") == []
    assert len(await store.search_events("siege OR threatened")) == 2
    assert await store.search_events("the") == []
    assert await store.search_events("") == []


async def test_search_events_filters(store: Store) -> None:
    await seed(store)
    assert len(await store.search_events("blockade", since=date(2026, 4, 1))) == 1
    recent = await store.search_events("blockade", since=NOW - timedelta(days=1), basis="fetched")
    assert [e.article_id for e in recent] == ["https://m.example/1"]
    assert [e.type for e in await store.search_events("blockade", type="coerce")] == [
        "coerce",
        "coerce",
    ]
    assert await store.search_events("blockade", type="assault") == []
    by_actor = await store.search_events("offensive", actor="jnim")
    assert len(by_actor) == 1 and by_actor[0].type == "assault"
    assert await store.search_events("offensive", actor="cuba") == []
    assert len(await store.search_events("blockade", limit=1)) == 1


async def test_a_more_relevant_event_ranks_first(store: Store) -> None:
    await store.save(
        make_analysis(
            "Two sieges",
            [
                "Rebels attacked a convoy while the siege of Gao, a long siege, went on.",
                "Officials agreed that a siege was possible at some point in the future"
                " of a very long process.",
            ],
            url="https://s.example/1",
        ),
        now=NOW,
    )
    hits = await store.search_events("siege")
    assert len(hits) == 2
    assert hits[0].text.startswith("Rebels attacked")
    assert hits[0].score is not None and hits[1].score is not None
    assert hits[0].score > hits[1].score


async def test_search_articles_weighs_titles(store: Store) -> None:
    await seed(store)
    await store.save(
        make_analysis(
            "Markets steady",
            ["Traders said Cuba was quiet.", "Nothing else happened."],
            url="https://q.example/3",
        ),
        now=NOW,
    )
    cuba = await store.search_articles("Cuba")
    assert cuba[0].id == "https://c.example/2"
    assert {b.id for b in cuba} == {
        "https://c.example/2",
        "https://q.example/3",
        "https://m.example/1",
    }
    assert cuba[0].title == "Cuba runs short of fuel" and cuba[0].score is not None
    assert [b.id for b in await store.search_articles("Cuba", actor="iran")] == [
        "https://c.example/2"
    ]
    assert [b.id for b in await store.search_articles("Cuba", type="withdraw")] == [
        "https://m.example/1"
    ]
    assert [b.id for b in await store.search_articles("Cuba", since=date(2026, 4, 1))] != []
    assert await store.search_articles("zeppelin") == []


async def test_search_headlines_reads_titles_and_takes_every_filter(store: Store) -> None:
    await seed(store)
    assert await store.search_headlines("Cuba") == ["https://c.example/2"]
    assert await store.search_headlines("fuel", actor="iran") == ["https://c.example/2"]
    assert await store.search_headlines("fuel", actor="jnim") == []
    assert await store.search_headlines("Cuba", type="coerce") == ["https://c.example/2"]
    assert await store.search_headlines("Cuba", type="withdraw") == []
    assert await store.search_headlines("blockade") == []


async def test_search_follows_updates(store: Store) -> None:
    await store.save(
        make_analysis("Gao", ["Rebels laid siege to Gao."], url="https://g.example/1"), now=NOW
    )
    assert len(await store.search_articles("Gao")) == 1
    await store.save(
        make_analysis("Kidal", ["Rebels attacked Kidal."], url="https://g.example/1"), now=NOW
    )
    assert await store.search_articles("Gao") == []
    assert await store.search_events("siege") == []
    assert [b.title for b in await store.search_articles("Kidal")] == ["Kidal"]


def test_relevance_counts_stemmed_words_and_phrases() -> None:
    from briefings.store.querytext import parse_query, relevance

    siege = parse_query("siege")
    assert relevance("The siege went on; the sieges spread.", siege) > relevance(
        "The siege went on; the town slept.", siege
    )
    assert relevance("Nothing here.", siege) == 0.0
    long = "The siege " + "and then more words " * 10
    assert relevance("The siege.", siege) > relevance(long, siege)
    phrase = parse_query('"total siege"')
    assert relevance("A total siege of Bamako.", phrase) > 0
    assert relevance("A siege, total.", phrase) == 0.0
    assert relevance("Fighting near Bamako.", parse_query("bamak*")) > 0


def test_actor_keys_are_short_distinct_words() -> None:
    from briefings.store.keys import actor_key

    keys = {actor_key(f"actor-{i}") for i in range(5000)}
    assert len(keys) == 5000
    key = actor_key("africa-corps")
    assert key == actor_key("africa-corps") and key.isalnum() and len(key) == 14


async def test_actor_filter_is_exact_for_similar_ids(store: Store) -> None:
    article = make_analysis(
        "Two sieges",
        ["JNIM declared a siege of Gao.", "Russia declared a siege of Kidal."],
        url="https://s.example/2",
    )
    await store.save(article, now=NOW)
    assert [e.text for e in await store.search_events("siege", actor="jnim")] == [
        "JNIM declared a siege of Gao."
    ]
    assert [e.text for e in await store.search_events("siege", actor="russia")] == [
        "Russia declared a siege of Kidal."
    ]
    assert await store.search_events("siege", actor="jni") == []


@pytest.mark.parametrize("query", ["siege", "siege Gao", '"siege of Gao"', "siege OR Gao"])
async def test_ranking_covers_only_the_newest_matches(
    store: Store, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    # One word or several, each backend ranks the newest CANDIDATES matches: the oldest
    # event here is the most relevant but falls outside them.
    monkeypatch.setattr(search, "CANDIDATES", 2)
    texts = (
        "The siege of Gao, a siege of Gao, the siege of Gao: the siege of Gao went on.",
        "Rebels kept the siege of Gao.",
        "Nothing was besieged near Kidal, a long way from here.",
        "The siege of Gao continued for many long days, officials said.",
        "Officials said the siege of Gao was over at last, after many months.",
    )
    for n, text in enumerate(texts):
        await store.save(make_analysis(f"Gao {n}", [text], url=f"https://g.example/{n}"), now=NOW)
    hits = await store.search_events(query)
    assert sorted(e.article_url for e in hits) == ["https://g.example/3", "https://g.example/4"]
    filtered = await store.search_events(query, type="coerce", since=date(2026, 1, 1))
    assert [e.article_url for e in filtered] == [e.article_url for e in hits]
    monkeypatch.setattr(search, "CANDIDATES", 300)
    assert (await store.search_events(query))[0].article_url == "https://g.example/0"


async def test_postgres_search_indexes_keep_a_small_pending_list(store: Store) -> None:
    from sqlalchemy import text

    if store.dialect != "postgresql":
        return  # SQLite's FTS5 indexes have no pending list
    async with store.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT c.relname, c.reloptions FROM pg_class c"
                " WHERE c.oid IN ('ix_events_search'::regclass, 'ix_articles_search'::regclass)"
            )
        )
        options = {name: list(opts) for name, opts in rows}
    assert options == {
        "ix_events_search": ["gin_pending_list_limit=256"],
        "ix_articles_search": ["gin_pending_list_limit=256"],
    }
