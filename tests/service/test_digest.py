"""Digest composition: windows, filters, near-duplicate merging and ranking."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from helpers.replies import JNIM, MALI

from briefings.service.composition import (
    DigestFilters,
    Story,
    StoryActor,
    compose_digest,
    describe_window,
    story_score,
)
from briefings.service.near_duplicates import near_duplicate_groups
from briefings.service.replies import ActorRef

NOW = datetime(2026, 4, 28, 12, 0, tzinfo=UTC)
CUBA = ActorRef("cuba", "Cuba", "state")
US = ActorRef("united-states", "United States", "state")

_VOCAB = (
    "army convoy village border talks rebels minister capital siege fuel oil port drone "
    "attack ceasefire troops governor election strike province market bridge refugees aid "
    "council envoy sanctions tariff blockade mine gold lithium uranium river harbour camp "
    "airport checkpoint patrol militia court protest union treaty summit"
).split()


def words(seed: int, n: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(_VOCAB) for _ in range(n))


def story(
    id: str,
    text: str,
    *,
    hours_ago: float = 1.0,
    actors: tuple[tuple[ActorRef, float], ...] = ((MALI, 0.5),),
    events: tuple[str, ...] = ("assault",),
    source: str | None = None,
    headline: str | None = None,
    fingerprint: str | None = None,
) -> Story:
    return Story(
        id=id,
        headline=headline or f"Headline {id}",
        tldr=f"TL;DR of {id}",
        key_points=(f"{id} point 1", f"{id} point 2", f"{id} point 3", f"{id} point 4"),
        actors=tuple(StoryActor(ref, sal) for ref, sal in actors),
        event_types=events,
        received=NOW - timedelta(hours=hours_ago),
        text=text,
        url=f"https://{source or 'example.org'}/{id}",
        source=source or "example.org",
        fingerprint=fingerprint,
    )


def edit(text: str, every: int, seed: int) -> str:
    """Replace every ``every``-th word: a light rewrite by another outlet."""
    rng = random.Random(seed)
    out = text.split()
    for i in range(0, len(out), every):
        out[i] = rng.choice(["reportedly", "also", "said", "today"])
    return " ".join(out)


def test_window_and_title_come_from_start_and_end() -> None:
    inside = story("in", words(1), hours_ago=23)
    outside = story("out", words(2), hours_ago=25)
    future = story("later", words(3), hours_ago=-1)
    digest = compose_digest([inside, outside, future], start=NOW - timedelta(hours=24), end=NOW)
    assert digest.end == NOW
    assert digest.start == NOW - timedelta(hours=24)
    assert [i.story_id for i in digest.items] == ["in"]
    assert digest.title == "Briefing: last 24 hours"


def test_empty_window_gives_an_empty_digest() -> None:
    digest = compose_digest([], start=NOW - timedelta(days=7), end=NOW)
    assert digest.is_empty
    assert digest.buttons == ()
    assert digest.title == "Briefing: last 7 days"


def test_near_duplicates_from_two_sources_become_one_item() -> None:
    base = words(10, 200)
    wire = story("wire", base, hours_ago=3, source="wire.example")
    rewrite = story("paper", edit(base, 12, 1), hours_ago=2, source="paper.example")
    other = story("other", words(11, 200), hours_ago=2.5, source="wire.example")
    digest = compose_digest([wire, rewrite, other], start=NOW - timedelta(hours=24), end=NOW)
    assert len(digest.items) == 2
    merged = next(i for i in digest.items if len(i.sources) == 2)
    assert {s.source for s in merged.sources} == {"wire.example", "paper.example"}
    # The earliest report comes first and dates the item.
    assert merged.sources[0].source == "wire.example"
    assert merged.published == wire.received


def test_stories_on_one_topic_with_different_words_stay_apart() -> None:
    a = story("a", words(20, 200), source="one.example")
    b = story("b", edit(words(20, 200), 2, 5), source="two.example")
    groups = near_duplicate_groups([a, b])
    assert groups == [[0], [1]]


def test_equal_fingerprints_merge_without_comparing_texts() -> None:
    a = story("a", "Short note.", fingerprint="f1", source="one.example")
    b = story("b", "Another short text.", fingerprint="f1", source="two.example")
    c = story("c", "A third, unrelated line.", fingerprint="f2", source="two.example")
    assert near_duplicate_groups([a, b, c]) == [[0, 1], [2]]


def test_a_stock_phrase_shared_by_many_stories_merges_nothing() -> None:
    stock = "this report was prepared by the newsroom from agency material " * 3
    stories = [story(f"s{i}", stock + words(100 + i, 150)) for i in range(120)]
    groups = near_duplicate_groups(stories)
    assert len(groups) == 120


def test_many_copies_of_one_story_form_one_cluster() -> None:
    base = words(7, 250)
    copies = [story(f"c{i}", edit(base, 15, i), source=f"s{i}.example") for i in range(30)]
    others = [story(f"o{i}", words(500 + i, 250)) for i in range(30)]
    groups = near_duplicate_groups(copies + others)
    assert sorted(len(g) for g in groups)[-1] == 30
    assert len(groups) == 31


def test_recent_stories_rank_above_old_ones_of_equal_weight() -> None:
    old = story("old", words(30), hours_ago=20)
    new = story("new", words(31), hours_ago=1)
    digest = compose_digest([old, new], start=NOW - timedelta(hours=24), end=NOW)
    assert [i.story_id for i in digest.items] == ["new", "old"]


def test_salience_and_events_can_outrank_recency() -> None:
    busy = story(
        "busy",
        words(40),
        hours_ago=5,
        actors=((JNIM, 0.9), (MALI, 0.6)),
        events=("assault", "coerce", "assault", "threaten", "withdraw"),
    )
    quiet = story("quiet", words(41), hours_ago=4, actors=((MALI, 0.1),), events=())
    digest = compose_digest([quiet, busy], start=NOW - timedelta(hours=24), end=NOW)
    assert [i.story_id for i in digest.items] == ["busy", "quiet"]
    window = timedelta(hours=24)
    assert story_score(busy, end=NOW, window=window) > story_score(quiet, end=NOW, window=window)


def test_reports_from_more_sources_weigh_more() -> None:
    s = story("s", words(50))
    window = timedelta(days=1)
    assert story_score(s, end=NOW, window=window, sources=3) > story_score(
        s, end=NOW, window=window
    )


def test_filters_include_and_exclude_actors() -> None:
    sahel = story("sahel", words(60), actors=((JNIM, 0.8), (MALI, 0.5)))
    cuba = story("cuba", words(61), actors=((US, 0.8), (CUBA, 0.6)))
    both = [sahel, cuba]
    window = timedelta(days=1)
    only = compose_digest(
        both, start=NOW - window, end=NOW, filters=DigestFilters(actors=frozenset({"jnim"}))
    )
    assert [i.story_id for i in only.items] == ["sahel"]
    without = compose_digest(
        both, start=NOW - window, end=NOW, filters=DigestFilters(exclude_actors=frozenset({"mali"}))
    )
    assert [i.story_id for i in without.items] == ["cuba"]


def test_filters_event_types() -> None:
    fight = story("fight", words(70), events=("assault",))
    block = story("block", words(71), events=("coerce", "threaten"))
    digest = compose_digest(
        [fight, block],
        start=NOW - timedelta(days=1),
        end=NOW,
        filters=DigestFilters(event_types=frozenset({"coerce"})),
    )
    assert [i.story_id for i in digest.items] == ["block"]


def test_keywords_match_whole_words_without_case_or_accents() -> None:
    bamako = story("b", "Rebels declared a total siege of Bamako on Sunday.", headline="Siege")
    havana = story("h", "The blockade of Cuba tightened around Havana.", headline="Blockade")
    window = timedelta(days=1)

    def ids(*keywords: str) -> list[str]:
        digest = compose_digest(
            [bamako, havana],
            start=NOW - window,
            end=NOW,
            filters=DigestFilters(keywords=keywords),
        )
        return sorted(i.story_id for i in digest.items)

    assert ids("BAMAKÓ") == ["b"]
    assert ids("bam") == []
    assert ids("havana", "siege") == ["b", "h"]


def test_items_carry_at_most_three_key_points_and_six_actors() -> None:
    many = tuple((ActorRef(f"a{i}", f"Actor {i}", "other"), 1 - i / 10) for i in range(9))
    digest = compose_digest(
        [story("x", words(80), actors=many)], start=NOW - timedelta(days=1), end=NOW
    )
    (item,) = digest.items
    assert item.key_points == ("x point 1", "x point 2", "x point 3")
    assert [a.id for a in item.actors] == ["a0", "a1", "a2", "a3", "a4", "a5"]
    assert item.event_count == 1
    assert item.tldr == "TL;DR of x"


def test_limit_and_subscribe_buttons_for_the_leading_actors() -> None:
    stories = [
        story(f"s{i}", words(90 + i), hours_ago=i + 1, actors=((JNIM, 0.9), (MALI, 0.4)))
        for i in range(12)
    ]
    digest = compose_digest(stories, start=NOW - timedelta(days=1), end=NOW, limit=5)
    assert len(digest.items) == 5
    assert [b.value for b in digest.buttons] == ["jnim", "mali"]
    assert digest.buttons[0].label == "Subscribe to JNIM"
    assert digest.buttons[0].action == "subscribe"


def test_ranking_is_deterministic_on_ties() -> None:
    a = story("a", words(100), hours_ago=2)
    b = story("b", words(101), hours_ago=2)
    first = compose_digest([a, b], start=NOW - timedelta(days=1), end=NOW)
    second = compose_digest([b, a], start=NOW - timedelta(days=1), end=NOW)
    assert [i.story_id for i in first.items] == [i.story_id for i in second.items] == ["a", "b"]


def test_describe_window() -> None:
    assert describe_window(timedelta(hours=24)) == "24 hours"
    assert describe_window(timedelta(hours=1)) == "hour"
    assert describe_window(timedelta(days=7)) == "7 days"
    assert describe_window(timedelta(days=30)) == "30 days"
    assert describe_window(timedelta(minutes=90)) == "90 minutes"
