"""Hand-built analyses for bot tests: chosen actors with chosen salience, no extraction.

The bot's notifier and scheduler decide on actor ids and salience; building the analysis
by hand pins those numbers, so the tests do not move when the core's extraction improves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from briefings.formats import parse
from briefings.model import ActorInfo, Analysis, ArticleActor, Mention, Summary
from briefings.text.sentences import split_sentences

ACTORS = {
    "jnim": ActorInfo("jnim", "JNIM", "armed_group", aliases=("Jama'at Nusrat al-Islam",)),
    "mali": ActorInfo("mali", "Mali", "state"),
    "africa-corps": ActorInfo("africa-corps", "Africa Corps", "military"),
    "russia": ActorInfo("russia", "Russia", "state"),
}


def make_analysis(
    key: str,
    title: str,
    salience: dict[str, float],
    *,
    body: str = "",
    published: date | None = None,
    fetched: datetime | None = None,
) -> Analysis:
    """An analysed article ``https://example.org/<key>`` naming the given actors."""
    text = f"{title}\n" + (body or f"Details. {title}, officials said on Monday.")
    article = parse(
        text.encode("utf-8"),
        "text",
        url=f"https://example.org/{key}",
        source="Test desk",
        published=published or date(2026, 11, 20),
        fetched=fetched or datetime(2026, 11, 23, 6, tzinfo=UTC),
    )
    sentences = split_sentences(article)
    actors = tuple(
        ArticleActor(
            ACTORS[actor_id],
            (Mention(actor_id, ACTORS[actor_id].name, 0, len(ACTORS[actor_id].name), 0),),
            value,
        )
        for actor_id, value in sorted(salience.items(), key=lambda kv: -kv[1])
    )
    summary = Summary(tldr=title, key_points=())
    return Analysis(article, sentences, actors, (), summary)
