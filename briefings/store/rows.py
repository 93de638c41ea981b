"""Turning an analysis into table rows: the article row, mentions, events, links, day counts.

Mentions, events and their actor links are the bulk of every save. They are built as
tuples in column order, with dates and times already in the form the backend stores
(ISO text on SQLite), so they go to the driver's ``executemany`` without per-row work
in SQLAlchemy.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any

from briefings.model import ActorInfo, Analysis, ArticleActor
from briefings.store.keys import actor_key, period_start
from briefings.text.folding import name_key

MENTION_COLUMNS = (
    "article_pk",
    "actor_id",
    "count",
    "salience",
    "first_sentence",
    "surface",
    "ref_date",
    "fetched",
)
EVENT_COLUMNS = (
    "article_pk",
    "seq",
    "sentence",
    "text",
    "type",
    "trigger",
    "date_value",
    "date_precision",
    "date_surface",
    "sort_date",
    "ref_date",
    "fetched",
    "location",
    "attribution",
    "attribution_actor",
    "modality",
    "actor_keys",
)
LINK_COLUMNS = ("event_id", "actor_id", "role", "sort_date", "ref_date")


class Codec:
    """Dates and times as one backend stores them: native on PostgreSQL, text on SQLite
    (the same text SQLAlchemy writes, so comparisons in queries agree)."""

    def __init__(self, dialect: str) -> None:
        self.as_text = dialect == "sqlite"

    def day(self, value: date) -> date | str:
        return value.isoformat() if self.as_text else value

    def time(self, value: datetime) -> datetime | str:
        if self.as_text:
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value


def fetched_time(value: datetime | None, now: datetime) -> datetime:
    """When an article was fetched: its own time (UTC if naive), else ``now``."""
    if value is None:
        return now
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def reference_date(analysis: Analysis, now: datetime) -> date:
    """The article's publication date, else the day it was fetched."""
    art = analysis.article
    if art.published is not None:
        return art.published
    return fetched_time(art.fetched, now).date()


def actor_values(info: ActorInfo, now: datetime) -> dict[str, Any]:
    """The ``actors`` row of an actor."""
    return {
        "id": info.id,
        "name": info.name,
        "type": info.type,
        "country": info.country,
        "parent": info.parent,
        "description": info.description,
        "discovered": info.discovered,
        "first_seen": now,
        "updated_at": now,
    }


def alias_values(info: ActorInfo, linked: Iterable[str] = ()) -> Iterator[dict[str, Any]]:
    """The ``aliases`` rows of an actor: its name, aliases, demonyms and former names."""
    groups: tuple[tuple[str, Iterable[str]], ...] = (
        ("name", (info.name,)),
        ("alias", info.aliases),
        ("demonym", info.demonyms),
        ("former", info.former_names),
        ("linked", linked),
    )
    seen: set[str] = set()
    for kind, names in groups:
        for surface in names:
            norm = name_key(surface)
            if norm and norm not in seen:
                seen.add(norm)
                yield {"norm": norm, "actor_id": info.id, "surface": surface, "kind": kind}


def article_values(
    analysis: Analysis,
    fingerprint: str,
    now: datetime,
    *,
    stored: bool,
    firsts: FirstMentions | None = None,
) -> dict[str, Any]:
    """The ``articles`` row: metadata, canonical text, layout, sentences and summary.

    The layout keeps, per block, its kind, section and span in the text; sentences keep
    their spans (and their own text only when it differs from the span's), so the
    article and its sentences can be rebuilt exactly. ``firsts`` are the article's
    :func:`first_mentions` when the caller has them already.
    """
    if firsts is None:
        firsts = first_mentions(analysis)
    art = analysis.article
    text = art.text
    sentences: list[list[Any]] = []
    for s in analysis.sentences:
        row: list[Any] = [s.start, s.end, s.block, s.section, s.kind]
        if text[s.start : s.end] != s.text:
            row.append(s.text)
        sentences.append(row)
    summary = analysis.summary
    values: dict[str, Any] = {
        "id": art.id,
        "url": art.url,
        "source": art.source,
        "title": art.title,
        "subtitle": art.subtitle,
        "language": art.language,
        "format": art.format,
        "published": art.published,
        "fetched": fetched_time(art.fetched, now),
        "ref_date": reference_date(analysis, now),
        "updated_at": now,
        "fingerprint": fingerprint,
        "word_count": art.word_count,
        "event_count": len(analysis.events),
        "actor_refs": [
            [a.id, float(a.salience), *firsts[a.id]]
            for a in sorted(analysis.actors, key=lambda a: (-a.salience, a.id))
        ],
        "event_types": [
            kind
            for kind, _ in sorted(
                Counter(e.type for e in analysis.events).items(), key=lambda kv: (-kv[1], kv[0])
            )
        ],
        "text": text,
        "layout": {
            "labels": [s.label for s in art.sections],
            "lines": [[b.kind, b.section, b.start, len(b.text)] for b in art.blocks],
        },
        "sentences": sentences,
        "summary": {
            "tldr": summary.tldr,
            "preset": summary.preset,
            "key_points": [[k.text, k.sentence] for k in summary.key_points],
        },
        "notes": list(art.notes),
    }
    if stored:
        values["stored_at"] = now
    return values


_POSITION = attrgetter("sentence", "start")

FirstMentions = dict[str, tuple[int, int, str]]
"""(mention count, first sentence, first surface) by actor id, for one article."""


def first_mentions(analysis: Analysis) -> FirstMentions:
    """Each actor's mention count, first sentence and first surface in the article (taken
    once per save: the article row and the mention rows both need them)."""
    return {item.actor.id: _first_mention(item) for item in analysis.actors}


def _first_mention(item: ArticleActor) -> tuple[int, int, str]:
    """(mention count, first sentence, first surface) of an actor in an article."""
    mentions = item.mentions
    if not mentions:
        return 1, -1, item.actor.name
    first = min(mentions, key=_POSITION)
    return len(mentions), first.sentence, first.surface


def _day_pair() -> list[int]:
    return [0, 0]


@dataclass(slots=True)
class Batch:
    """Rows gathered from the articles of one batch, inserted table by table."""

    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    links: dict[tuple[int, int], list[tuple[str, str]]] = field(default_factory=dict)
    event_dates: dict[tuple[int, int], tuple[Any, Any]] = field(default_factory=dict)
    days: defaultdict[tuple[str, date], list[int]] = field(
        default_factory=lambda: defaultdict(_day_pair)
    )
    actors: dict[str, ActorInfo] = field(default_factory=dict)
    aliases: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


def gather(
    pk: int,
    analysis: Analysis,
    now: datetime,
    batch: Batch,
    *,
    codec: Codec,
    needs_aliases: Callable[[ActorInfo, tuple[str, ...]], bool],
    firsts: FirstMentions | None = None,
) -> None:
    """Add one article's mentions, events, links, actors, aliases and day counts.

    Args:
        pk: the article's key.
        analysis: its analysis.
        now: the current time (the fetch time when the article has none).
        batch: where rows go.
        codec: how dates and times are stored.
        needs_aliases: whether an actor's names (with these linked aliases) still need
            storing; skipping known ones keeps repeated actors cheap.
        firsts: the article's :func:`first_mentions`, when the caller has them already.
    """
    if firsts is None:
        firsts = first_mentions(analysis)
    ref = reference_date(analysis, now)
    ref_value = codec.day(ref)
    fetched = codec.time(fetched_time(analysis.article.fetched, now))
    known: set[str] = set()
    for item in analysis.actors:
        info = item.actor
        known.add(info.id)
        current = batch.actors.get(info.id)
        if current is None or (current.discovered and not info.discovered):
            batch.actors[info.id] = info
        if needs_aliases(info, item.linked_aliases):
            for alias in alias_values(info, item.linked_aliases):
                batch.aliases.setdefault((alias["norm"], alias["actor_id"]), alias)
        count, first_sentence, surface = firsts[info.id]
        batch.mentions.append(
            (pk, info.id, count, float(item.salience), first_sentence, surface, ref_value, fetched)
        )
        day = batch.days[(info.id, ref)]
        day[0] += 1
        day[1] += count
    for seq, event in enumerate(analysis.events):
        when = event.date
        sort_value = ref_value
        if when is not None:
            start = period_start(when.value)
            if start is not None:
                sort_value = codec.day(start)
        links = [(a, "actor") for a in event.actors if a in known]
        for a in event.recipients:
            if a in known and (a, "recipient") not in links:
                links.append((a, "recipient"))
        if len(links) != len(set(links)):
            links = list(dict.fromkeys(links))
        batch.events.append(
            (
                pk,
                seq,
                event.sentence,
                event.text,
                event.type,
                event.trigger,
                when.value if when else None,
                when.precision if when else None,
                (when.surface or None) if when else None,
                sort_value,
                ref_value,
                fetched,
                event.location,
                event.attribution,
                event.attribution_actor,
                event.modality,
                " ".join(dict.fromkeys(actor_key(a) for a, _ in links)),
            )
        )
        if links:
            batch.links[(pk, seq)] = links
            batch.event_dates[(pk, seq)] = (sort_value, ref_value)
