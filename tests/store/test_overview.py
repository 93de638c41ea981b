"""The actor overview: one connection, the same figures as the separate store questions."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.store_samples import MALI, NOW, make_analysis

from briefings.store import Store


async def _seed(store: Store) -> None:
    for n, day in enumerate((18, 20, 21, 21, 25)):
        published = date(2026, 4, day)
        await store.save(
            make_analysis(
                f"Report {day}",
                [MALI[5], MALI[0], f"Note {n}: {published}.", MALI[1]],
                url=f"https://o.example/{n}",
                published=published,
            ),
            now=NOW,
        )
    await store.save(
        make_analysis("Other", [MALI[2], MALI[4]], url="https://o.example/other"), now=NOW
    )


@pytest.mark.parametrize("since", [None, date(2026, 4, 20), date(2026, 4, 24)])
@pytest.mark.parametrize("actor", ["united-states", "cuba", "jnim", "russia", "nobody"])
async def test_overview_matches_the_separate_questions(
    store: Store, actor: str, since: date | None
) -> None:
    await _seed(store)
    until = date(2026, 4, 30)
    overview = await store.actors.overview(
        actor, since=since, until=until, days=2, related=3, sample=4, timeline=3, articles=2
    )
    stats = await store.actors.stats(actor, since=since, until=until, related=3, sample=4)
    assert overview.days == stats.days[-2:]
    assert overview.related == stats.related
    assert list(overview.timeline) == await store.actors.timeline(actor, since=since, limit=3)
    briefs = await store.actors.articles(actor, since=since, limit=2)
    assert [
        (a.id, a.title, a.url, a.source, a.published, a.ref_date) for a in overview.articles
    ] == [(b.id, b.title, b.url, b.source, b.published, b.ref_date) for b in briefs]


async def test_overview_of_a_busy_actor(store: Store) -> None:
    await _seed(store)
    overview = await store.actors.overview("united-states", days=90)
    assert [d.day for d in overview.days] == [date(2026, 4, d) for d in (18, 20, 21, 25, 27)]
    assert overview.days[2].articles == 2
    assert [a.id for a in overview.articles][:2] == [
        "https://o.example/other",
        "https://o.example/4",
    ]
    assert overview.timeline and overview.related
