"""Reading events and actors: timelines, statistics, related actors and known names.

Every question is answered by a few plain SQL statements (see :mod:`briefings.store.sql`)
that run unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.model import (
    EventDate,
)
from briefings.store.records import (
    ActorLabel,
    CoActor,
    DayCount,
    KnownActor,
    RelationRole,
    StoredEvent,
    TimeBasis,
)
from briefings.store.sql import (
    as_day,
    as_day_or_none,
    as_time,
    fetch,
    marks,
    param_day,
    param_time,
)
from briefings.store.tables import chunks
from briefings.text.folding import name_key

EVENT_SELECT = (
    "SELECT e.id, e.sentence, e.text, e.type, e.trigger, e.date_value, e.date_precision,"
    " e.date_surface, e.sort_date, e.ref_date, e.fetched, e.location, e.attribution,"
    " e.attribution_actor, e.modality, a.id, a.title, a.url, a.source, a.published,"
    " ea.role, ac.id, ac.name, ac.type"
)
"""The columns :func:`event_records` reads, in order; extra columns may follow."""

EVENT_JOINS = (
    " JOIN articles a ON a.pk = e.article_pk"
    " LEFT JOIN event_actors ea ON ea.event_id = e.id"
    " LEFT JOIN actors ac ON ac.id = ea.actor_id"
)

_RELATIONS: dict[tuple[str, str], RelationRole] = {
    ("actor", "actor"): "with",
    ("recipient", "recipient"): "with",
    ("actor", "recipient"): "against",
    ("recipient", "actor"): "by",
}


def since_day(since: date | datetime) -> date:
    """The first day a ``since`` covers."""
    return since.date() if isinstance(since, datetime) else since


def since_time(since: date | datetime) -> datetime:
    """The moment a ``since`` starts (a 'fetched' filter needs one)."""
    if not isinstance(since, datetime):
        raise ValueError("a 'fetched' time filter needs a datetime")
    return since


def event_records(
    rows: Sequence[Any], score_at: int | None = None, scores: dict[int, float] | None = None
) -> list[StoredEvent]:
    """Events from rows of :data:`EVENT_SELECT` (one row per actor link), in row order;
    scored from column ``score_at``, or from ``scores`` by event id."""
    events: list[StoredEvent] = []
    people: dict[int, tuple[list[ActorLabel], list[ActorLabel]]] = {}
    firsts: dict[int, Any] = {}
    found = (scores or {}).get
    for row in rows:
        event_id = row[0]
        if event_id not in firsts:
            firsts[event_id] = row
            people[event_id] = ([], [])
        if row[20] is not None and row[21] is not None:
            label = ActorLabel(id=row[21], name=row[22], type=row[23])
            people[event_id][0 if row[20] == "actor" else 1].append(label)
    for event_id, r in firsts.items():
        actors, recipients = people[event_id]
        events.append(
            StoredEvent(
                id=event_id,
                article_id=r[15],
                article_title=r[16],
                article_url=r[17],
                article_source=r[18],
                article_published=as_day_or_none(r[19]),
                ref_date=as_day(r[9]),
                fetched=as_time(r[10]),
                sentence=r[1],
                text=r[2],
                type=r[3],
                trigger=r[4],
                date=EventDate(r[5], r[6], r[7] or "") if r[5] is not None else None,
                sort_date=as_day(r[8]),
                location=r[11],
                attribution=r[12],
                attribution_actor=r[13],
                modality=r[14],
                actors=tuple(sorted(actors, key=lambda a: (a.name, a.id))),
                recipients=tuple(sorted(recipients, key=lambda a: (a.name, a.id))),
                score=float(r[score_at]) if score_at is not None else found(event_id),
            )
        )
    return events


async def hydrate_events(
    conn: AsyncConnection, ids: Sequence[int], scores: dict[int, float] | None = None
) -> list[StoredEvent]:
    """Events by id, in the order of ``ids`` (with their ``scores`` by id, if given)."""
    found: dict[int, StoredEvent] = {}
    for part in chunks(list(ids)):
        sql = f"{EVENT_SELECT} FROM events e{EVENT_JOINS} WHERE e.id IN ({marks(len(part))})"
        rows = await fetch(conn, sql, part)
        found.update((e.id, e) for e in event_records(rows, scores=scores))
    return [found[i] for i in ids if i in found]


async def article_events(
    conn: AsyncConnection, article_ids: Sequence[str], *, limit: int
) -> list[StoredEvent]:
    """The events of these articles, in article order, then by sentence
    (see :meth:`Store.article_events`); only the first ``limit`` are read."""
    if not article_ids:
        return []
    rows: list[tuple[int, int, int]] = []
    order = {a: n for n, a in enumerate(article_ids)}
    for part in chunks(list(article_ids)):
        sql = (
            "SELECT e.id, a.id, e.sentence FROM events e JOIN articles a ON a.pk = e.article_pk"
            f" WHERE a.id IN ({marks(len(part))})"
        )
        rows += [
            (order[str(a)], int(sentence), int(i))
            for i, a, sentence in await fetch(conn, sql, part)
        ]
    rows.sort()
    return await hydrate_events(conn, [i for _, _, i in rows[:limit]])


async def actor_timeline(
    conn: AsyncConnection,
    actor_id: str | Sequence[str],
    *,
    since: datetime | date | None,
    basis: TimeBasis,
    limit: int,
) -> list[StoredEvent]:
    """The actor's events (or those of any of several actors), latest first (see
    :meth:`~briefings.store.actors.Actors.timeline`)."""
    ids = [actor_id] if isinstance(actor_id, str) else list(actor_id)
    params: list[Any] = list(ids)
    who = "x.actor_id = ?" if len(ids) == 1 else f"x.actor_id IN ({marks(len(ids))})"
    if since is None:
        inner = f"SELECT DISTINCT x.event_id, x.sort_date FROM event_actors x WHERE {who}"
    elif basis == "fetched":
        inner = (
            "SELECT DISTINCT x.event_id, x.sort_date FROM event_actors x"
            f" JOIN events y ON y.id = x.event_id WHERE {who} AND y.fetched >= ?"
        )
        params.append(param_time(conn, since_time(since)))
    else:
        inner = (
            "SELECT DISTINCT x.event_id, x.sort_date FROM event_actors x"
            f" WHERE {who} AND x.ref_date >= ?"
        )
        params.append(param_day(conn, since_day(since)))
    params.append(limit)
    sql = (
        f"{EVENT_SELECT} FROM ({inner} ORDER BY x.sort_date DESC, x.event_id DESC LIMIT ?) t"
        f" JOIN events e ON e.id = t.event_id{EVENT_JOINS}"
        " ORDER BY t.sort_date DESC, t.event_id DESC"
    )
    return event_records(await fetch(conn, sql, params))


async def actor_days(
    conn: AsyncConnection,
    actor_id: str,
    since: date | None,
    until: date | None,
    *,
    latest: int | None = None,
) -> list[DayCount]:
    """Articles and mentions of an actor per day, oldest first; only the ``latest`` days
    with mentions when given."""
    sql = "SELECT day, articles, mentions FROM actor_days WHERE actor_id = ? AND articles > 0"
    params: list[Any] = [actor_id]
    if since is not None:
        sql += " AND day >= ?"
        params.append(param_day(conn, since))
    if until is not None:
        sql += " AND day <= ?"
        params.append(param_day(conn, until))
    if latest is None:
        rows = await fetch(conn, sql + " ORDER BY day", params)
    else:
        params.append(latest)
        rows = list(reversed(await fetch(conn, sql + " ORDER BY day DESC LIMIT ?", params)))
    return [DayCount(day=as_day(d), articles=n, mentions=m) for d, n, m in rows]


async def co_actors(
    conn: AsyncConnection, actor_id: str, since: date | None, sample: int, limit: int
) -> list[CoActor]:
    """The actors most often in the same events as ``actor_id``, over its latest events."""
    params: list[Any] = [actor_id]
    window = ""
    if since is not None:
        window = " AND x.ref_date >= ?"
        params.append(param_day(conn, since))
    params += [sample, actor_id]
    # Counted first, labelled after: a few dozen actor lookups instead of one per link.
    sql = (
        "SELECT g.actor_id, ac.name, ac.type, g.mine, g.theirs, g.n FROM"
        " (SELECT o.actor_id AS actor_id, r.role AS mine, o.role AS theirs, count(*) AS n"
        " FROM (SELECT x.event_id, x.role FROM event_actors x"
        f" WHERE x.actor_id = ?{window}"
        " ORDER BY x.sort_date DESC, x.event_id DESC LIMIT ?) r"
        " JOIN event_actors o ON o.event_id = r.event_id AND o.actor_id <> ?"
        " GROUP BY o.actor_id, r.role, o.role) g"
        " JOIN actors ac ON ac.id = g.actor_id"
    )
    counts: defaultdict[tuple[str, RelationRole], int] = defaultdict(int)
    labels: dict[str, ActorLabel] = {}
    for other, name, kind, mine, theirs, n in await fetch(conn, sql, params):
        labels[other] = ActorLabel(id=other, name=name, type=kind)
        counts[(other, _RELATIONS[(mine, theirs)])] += int(n)
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [CoActor(actor=labels[a], relation=rel, events=n) for (a, rel), n in best]


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """An article as a source to cite: what a link to it shows."""

    id: str
    title: str
    url: str | None
    source: str | None
    published: date | None
    ref_date: date


async def actor_links(
    conn: AsyncConnection, actor_id: str, since: date | None, limit: int
) -> list[ArticleLink]:
    """The latest articles naming an actor, newest first, as links (the articles of
    :meth:`briefings.store.actors.Actors.articles`, in one statement)."""
    window = ""
    params: list[Any] = [actor_id]
    if since is not None:
        window = " AND ref_date >= ?"
        params.append(param_day(conn, since))
    params.append(limit)
    sql = (
        "SELECT a.id, a.title, a.url, a.source, a.published, a.ref_date"
        " FROM (SELECT article_pk, ref_date FROM mentions"
        f" WHERE actor_id = ?{window} ORDER BY ref_date DESC, article_pk DESC LIMIT ?) m"
        " JOIN articles a ON a.pk = m.article_pk ORDER BY m.ref_date DESC, m.article_pk DESC"
    )
    return [
        ArticleLink(ident, title, url, source, as_day_or_none(published), as_day(ref))
        for ident, title, url, source, published, ref in await fetch(conn, sql, params)
    ]


async def known_actors(conn: AsyncConnection, ids: Sequence[str] | None = None) -> list[KnownActor]:
    """Actors with every name they go by, by id; all of them when ``ids`` is None."""
    actor_sql = "SELECT id, name, type, country, parent, discovered FROM actors"
    alias_sql = "SELECT actor_id, surface, kind FROM aliases"
    params: list[Any] = []
    if ids is not None:
        if not ids:
            return []
        wanted = list(dict.fromkeys(ids))
        actor_sql += f" WHERE id IN ({marks(len(wanted))})"
        alias_sql += f" WHERE actor_id IN ({marks(len(wanted))})"
        params = wanted
    names: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    alias_sql += " ORDER BY actor_id, kind, surface"
    for actor, surface, kind in await fetch(conn, alias_sql, params):
        names[actor][kind].append(surface)
    actors = []
    for ident, name, kind, country, parent, discovered in await fetch(
        conn, actor_sql + " ORDER BY id", params
    ):
        kinds = names.get(ident, defaultdict(list))
        actors.append(
            KnownActor(
                id=ident,
                name=name,
                type=kind,
                country=country,
                parent=parent,
                discovered=bool(discovered),
                aliases=tuple(kinds["alias"] + kinds["linked"]),
                demonyms=tuple(kinds["demonym"]),
                former_names=tuple(kinds["former"]),
            )
        )
    return actors


async def actors_named(conn: AsyncConnection, name: str) -> list[KnownActor]:
    """Actors one of whose names has the same normalised form as ``name``."""
    norm = name_key(name)
    if not norm:
        return []
    ids = [r[0] for r in await fetch(conn, "SELECT actor_id FROM aliases WHERE norm = ?", [norm])]
    return await known_actors(conn, ids) if ids else []
