"""Reading the store: articles, events, actors and their statistics, as frozen records.

Every question is answered by a few plain SQL statements (see :mod:`briefings.store.sql`)
that run unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.model import (
    Article,
    Block,
    BlockKind,
    EventDate,
    KeyPoint,
    Section,
    Sentence,
    Summary,
)
from briefings.store.keys import normalise_name
from briefings.store.records import (
    ActorLabel,
    ArticleActorRef,
    ArticleBrief,
    CoActor,
    DayCount,
    KnownActor,
    Relation,
    SourceRef,
    StoredArticle,
    StoredEvent,
    TimeBasis,
)
from briefings.store.sql import (
    as_day,
    as_day_or_none,
    as_json,
    as_time,
    fetch,
    marks,
    param_day,
    param_time,
)
from briefings.store.writer import chunks

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

BRIEF_SELECT = (
    "SELECT a.pk, a.id, a.title, a.subtitle, a.url, a.source, a.published, a.fetched,"
    " a.ref_date, a.fingerprint, a.word_count, a.event_count, a.summary"
)
"""The columns :func:`briefs` reads, in order; ``a.text`` may follow."""

_RELATIONS: dict[tuple[str, str], Relation] = {
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


def summary_from_json(data: Any) -> Summary:
    """The summary stored with an article."""
    data = as_json(data)
    points = tuple(KeyPoint(text=t, sentence=int(s)) for t, s in data.get("key_points", ()))
    return Summary(tldr=data["tldr"], key_points=points, preset=data.get("preset", "standard"))


def event_records(rows: Sequence[Any], score_at: int | None = None) -> list[StoredEvent]:
    """Events from rows of :data:`EVENT_SELECT` (one row per actor link), in row order."""
    events: list[StoredEvent] = []
    people: dict[int, tuple[list[ActorLabel], list[ActorLabel]]] = {}
    firsts: dict[int, Any] = {}
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
                score=None if score_at is None else float(r[score_at]),
            )
        )
    return events


async def hydrate_events(conn: AsyncConnection, ids: Sequence[int]) -> list[StoredEvent]:
    """Events by id, in the order of ``ids``."""
    found: dict[int, StoredEvent] = {}
    for part in chunks(list(ids)):
        sql = f"{EVENT_SELECT} FROM events e{EVENT_JOINS} WHERE e.id IN ({marks(len(part))})"
        found.update((e.id, e) for e in event_records(await fetch(conn, sql, part)))
    return [found[i] for i in ids if i in found]


async def actor_timeline(
    conn: AsyncConnection,
    actor_id: str,
    *,
    since: datetime | date | None,
    basis: TimeBasis,
    limit: int,
) -> list[StoredEvent]:
    """The actor's events, latest first (see :meth:`Store.actor_timeline`)."""
    params: list[Any] = [actor_id]
    if since is None:
        inner = "SELECT DISTINCT x.event_id, x.sort_date FROM event_actors x WHERE x.actor_id = ?"
    elif basis == "fetched":
        inner = (
            "SELECT DISTINCT x.event_id, x.sort_date FROM event_actors x"
            " JOIN events y ON y.id = x.event_id WHERE x.actor_id = ? AND y.fetched >= ?"
        )
        params.append(param_time(conn, since_time(since)))
    else:
        inner = (
            "SELECT DISTINCT x.event_id, x.sort_date FROM event_actors x"
            " WHERE x.actor_id = ? AND x.ref_date >= ?"
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
    conn: AsyncConnection, actor_id: str, since: date | None, until: date | None
) -> list[DayCount]:
    """Articles and mentions of an actor per day, oldest first."""
    sql = "SELECT day, articles, mentions FROM actor_days WHERE actor_id = ? AND articles > 0"
    params: list[Any] = [actor_id]
    if since is not None:
        sql += " AND day >= ?"
        params.append(param_day(conn, since))
    if until is not None:
        sql += " AND day <= ?"
        params.append(param_day(conn, until))
    rows = await fetch(conn, sql + " ORDER BY day", params)
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
    sql = (
        "SELECT o.actor_id, ac.name, ac.type, r.role, o.role, count(*)"
        " FROM (SELECT x.event_id, x.role FROM event_actors x"
        f" WHERE x.actor_id = ?{window}"
        " ORDER BY x.sort_date DESC, x.event_id DESC LIMIT ?) r"
        " JOIN event_actors o ON o.event_id = r.event_id AND o.actor_id <> ?"
        " JOIN actors ac ON ac.id = o.actor_id"
        " GROUP BY o.actor_id, ac.name, ac.type, r.role, o.role"
    )
    counts: defaultdict[tuple[str, Relation], int] = defaultdict(int)
    labels: dict[str, ActorLabel] = {}
    for other, name, kind, mine, theirs, n in await fetch(conn, sql, params):
        labels[other] = ActorLabel(id=other, name=name, type=kind)
        counts[(other, _RELATIONS[(mine, theirs)])] += int(n)
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [CoActor(actor=labels[a], relation=rel, events=n) for (a, rel), n in best]


async def article_actors(
    conn: AsyncConnection, pks: Sequence[int]
) -> dict[int, tuple[ArticleActorRef, ...]]:
    """The actors of each article, most salient first."""
    found: defaultdict[int, list[ArticleActorRef]] = defaultdict(list)
    for part in chunks(list(pks)):
        sql = (
            "SELECT m.article_pk, m.actor_id, ac.name, ac.type, m.salience, m.count,"
            " m.first_sentence, m.surface FROM mentions m JOIN actors ac ON ac.id = m.actor_id"
            f" WHERE m.article_pk IN ({marks(len(part))})"
            " ORDER BY m.article_pk, m.salience DESC, m.actor_id"
        )
        for pk, actor, name, kind, salience, count, first, surface in await fetch(conn, sql, part):
            found[pk].append(
                ArticleActorRef(
                    id=actor,
                    name=name,
                    type=kind,
                    salience=float(salience),
                    mentions=count,
                    first_sentence=first,
                    surface=surface,
                )
            )
    return {pk: tuple(refs) for pk, refs in found.items()}


async def article_sources(
    conn: AsyncConnection, pks: Sequence[int]
) -> dict[int, tuple[SourceRef, ...]]:
    """The other sources of each article, oldest first."""
    found: defaultdict[int, list[SourceRef]] = defaultdict(list)
    for part in chunks(list(pks)):
        sql = (
            "SELECT article_pk, id, url, source, title, fetched FROM article_sources"
            f" WHERE article_pk IN ({marks(len(part))}) ORDER BY stored_at, id"
        )
        for pk, ident, url, source, title, fetched in await fetch(conn, sql, part):
            found[pk].append(
                SourceRef(id=ident, url=url, source=source, title=title, fetched=as_time(fetched))
            )
    return {pk: tuple(refs) for pk, refs in found.items()}


async def briefs(
    conn: AsyncConnection,
    rows: Sequence[Any],
    *,
    with_text: bool = False,
    scores: dict[int, float] | None = None,
) -> list[ArticleBrief]:
    """Rows of :data:`BRIEF_SELECT` (then ``a.text`` when ``with_text``) as briefs, in order."""
    pks = [r[0] for r in rows]
    actors = await article_actors(conn, pks)
    sources = await article_sources(conn, pks)
    types: defaultdict[int, list[str]] = defaultdict(list)
    for part in chunks(pks):
        sql = (
            "SELECT article_pk, type, count(*) FROM events"
            f" WHERE article_pk IN ({marks(len(part))})"
            " GROUP BY article_pk, type ORDER BY article_pk, count(*) DESC, type"
        )
        for pk, kind, _ in await fetch(conn, sql, part):
            types[pk].append(kind)
    return [
        ArticleBrief(
            id=r[1],
            title=r[2],
            subtitle=r[3],
            url=r[4],
            source=r[5],
            published=as_day_or_none(r[6]),
            fetched=as_time(r[7]),
            ref_date=as_day(r[8]),
            fingerprint=r[9],
            word_count=r[10],
            summary=summary_from_json(r[12]),
            actors=actors.get(r[0], ()),
            event_count=r[11],
            event_types=tuple(types.get(r[0], ())),
            sources=sources.get(r[0], ()),
            text=r[13] if with_text else None,
            score=None if scores is None else scores.get(r[0]),
        )
        for r in rows
    ]


async def briefs_by_pk(
    conn: AsyncConnection, pks: Sequence[int], scores: dict[int, float] | None = None
) -> list[ArticleBrief]:
    """Briefs of articles by key, in the order of ``pks``."""
    found: dict[int, Any] = {}
    for part in chunks(list(pks)):
        sql = f"{BRIEF_SELECT} FROM articles a WHERE a.pk IN ({marks(len(part))})"
        found.update((r[0], r) for r in await fetch(conn, sql, part))
    return await briefs(conn, [found[pk] for pk in pks if pk in found], scores=scores)


async def articles_between(
    conn: AsyncConnection,
    start: datetime,
    end: datetime,
    *,
    actor_ids: Sequence[str] | None,
    basis: TimeBasis,
    limit: int | None,
    with_text: bool,
) -> list[ArticleBrief]:
    """Stored articles in a window, newest first (see :meth:`Store.articles_between`)."""
    sql = BRIEF_SELECT + (", a.text" if with_text else "") + " FROM articles a WHERE "
    params: list[Any]
    if basis == "fetched":
        sql += "a.fetched >= ? AND a.fetched < ?"
        params = [param_time(conn, start), param_time(conn, end)]
        order = " ORDER BY a.fetched DESC, a.pk DESC"
    else:
        sql += "a.ref_date >= ? AND a.ref_date <= ?"
        params = [param_day(conn, start.date()), param_day(conn, end.date())]
        order = " ORDER BY a.ref_date DESC, a.pk DESC"
    if actor_ids:
        ids = list(dict.fromkeys(actor_ids))
        named = f"SELECT article_pk FROM mentions WHERE actor_id IN ({marks(len(ids))})"
        sql += f" AND a.pk IN ({named})"
        params += ids
    sql += order
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return await briefs(conn, await fetch(conn, sql, params), with_text=with_text)


async def actor_articles(
    conn: AsyncConnection, actor_id: str, since: date | None, limit: int
) -> list[ArticleBrief]:
    """The latest articles naming an actor, newest first."""
    sql = "SELECT article_pk FROM mentions WHERE actor_id = ?"
    params: list[Any] = [actor_id]
    if since is not None:
        sql += " AND ref_date >= ?"
        params.append(param_day(conn, since))
    sql += " ORDER BY ref_date DESC, article_pk DESC LIMIT ?"
    params.append(limit)
    pks = [r[0] for r in await fetch(conn, sql, params)]
    return await briefs_by_pk(conn, pks)


_ARTICLE_SELECT = (
    "SELECT a.pk, a.id, a.title, a.subtitle, a.url, a.source, a.published, a.fetched,"
    " a.language, a.format, a.notes, a.text, a.layout, a.sentences, a.summary, a.fingerprint,"
    " a.ref_date, a.stored_at, a.updated_at FROM articles a"
)


def rebuild_article(row: Sequence[Any]) -> tuple[Article, tuple[Sentence, ...]]:
    """The article and its sentences, rebuilt from a row of the article select."""
    text: str = row[11]
    layout = as_json(row[12])
    blocks = tuple(
        Block(kind=cast(BlockKind, kind), text=text[start : start + size], start=start, section=sec)
        for kind, sec, start, size in layout["lines"]
    )
    sections = tuple(
        Section(label=label, blocks=tuple(b for b in blocks if b.section == i))
        for i, label in enumerate(layout["labels"])
    )
    article = Article(
        id=row[1],
        title=row[2],
        subtitle=row[3],
        sections=sections,
        blocks=blocks,
        text=text,
        source=row[5],
        url=row[4],
        published=as_day_or_none(row[6]),
        fetched=as_time(row[7]),
        language=row[8],
        format=row[9],
        notes=tuple(as_json(row[10])),
    )
    sentences = tuple(
        Sentence(
            index=i,
            text=item[5] if len(item) > 5 else text[item[0] : item[1]],
            start=item[0],
            end=item[1],
            block=item[2],
            section=item[3],
            kind=item[4],
        )
        for i, item in enumerate(as_json(row[13]))
    )
    return article, sentences


async def get_article(conn: AsyncConnection, article_id: str) -> StoredArticle | None:
    """Everything stored about one article (see :meth:`Store.get_article`)."""
    rows = await fetch(conn, f"{_ARTICLE_SELECT} WHERE a.id = ?", [article_id])
    if not rows:
        rows = await fetch(
            conn,
            f"{_ARTICLE_SELECT} JOIN article_sources s ON s.article_pk = a.pk WHERE s.id = ?",
            [article_id],
        )
    if not rows:
        return None
    row = rows[0]
    pk = row[0]
    article, sentences = rebuild_article(row)
    actors = await article_actors(conn, [pk])
    sources = await article_sources(conn, [pk])
    sql = f"{EVENT_SELECT} FROM events e{EVENT_JOINS} WHERE e.article_pk = ? ORDER BY e.seq"
    events = event_records(await fetch(conn, sql, [pk]))
    return StoredArticle(
        article=article,
        sentences=sentences,
        summary=summary_from_json(row[14]),
        actors=actors.get(pk, ()),
        events=tuple(events),
        sources=sources.get(pk, ()),
        fingerprint=row[15],
        ref_date=as_day(row[16]),
        stored_at=as_time(row[17]),
        updated_at=as_time(row[18]),
    )


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
    norm = normalise_name(name)
    if not norm:
        return []
    ids = [r[0] for r in await fetch(conn, "SELECT actor_id FROM aliases WHERE norm = ?", [norm])]
    return await known_actors(conn, ids) if ids else []
