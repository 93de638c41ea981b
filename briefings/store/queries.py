"""Reading the store: articles, events, actors and their statistics, as frozen records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Row, and_, func, select
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
from briefings.store.writer import (
    ACTOR_DAYS,
    ACTORS,
    ALIASES,
    ARTICLES,
    EVENT_ACTORS,
    EVENTS,
    MENTIONS,
    SOURCES,
    chunks,
)

_SUMMARY_COLUMNS = (
    ARTICLES.c.pk,
    ARTICLES.c.id,
    ARTICLES.c.title,
    ARTICLES.c.subtitle,
    ARTICLES.c.url,
    ARTICLES.c.source,
    ARTICLES.c.published,
    ARTICLES.c.fetched,
    ARTICLES.c.ref_date,
    ARTICLES.c.fingerprint,
    ARTICLES.c.word_count,
    ARTICLES.c.event_count,
    ARTICLES.c.summary,
)


def summary_from_json(data: dict[str, Any]) -> Summary:
    """The summary stored with an article."""
    points = tuple(KeyPoint(text=t, sentence=int(s)) for t, s in data.get("key_points", ()))
    return Summary(tldr=data["tldr"], key_points=points, preset=data.get("preset", "standard"))


def rebuild_article(row: Row[Any]) -> tuple[Article, tuple[Sentence, ...]]:
    """The article and its sentences, rebuilt from the stored text and layout."""
    text: str = row.text
    layout = row.layout
    blocks = tuple(
        Block(
            kind=cast(BlockKind, kind), text=text[start : start + length], start=start, section=sec
        )
        for kind, sec, start, length in layout["lines"]
    )
    sections = tuple(
        Section(label=label, blocks=tuple(b for b in blocks if b.section == i))
        for i, label in enumerate(layout["labels"])
    )
    article = Article(
        id=row.id,
        title=row.title,
        subtitle=row.subtitle,
        sections=sections,
        blocks=blocks,
        text=text,
        source=row.source,
        url=row.url,
        published=row.published,
        fetched=row.fetched,
        language=row.language,
        format=row.format,
        notes=tuple(row.notes),
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
        for i, item in enumerate(row.sentences)
    )
    return article, sentences


async def article_row(conn: AsyncConnection, article_id: str) -> Row[Any] | None:
    """The ``articles`` row of a story, found by its id or the id of another source of it."""
    row = (await conn.execute(select(ARTICLES).where(ARTICLES.c.id == article_id))).first()
    if row is not None:
        return row
    owner = select(SOURCES.c.article_pk).where(SOURCES.c.id == article_id).scalar_subquery()
    return (await conn.execute(select(ARTICLES).where(ARTICLES.c.pk == owner))).first()


async def get_article(conn: AsyncConnection, article_id: str) -> StoredArticle | None:
    """Everything stored about one article (see :meth:`Store.get_article`)."""
    row = await article_row(conn, article_id)
    if row is None:
        return None
    article, sentences = rebuild_article(row)
    actors = await article_actors(conn, [row.pk])
    sources = await article_sources(conn, [row.pk])
    ids = (await conn.execute(select(EVENTS.c.id).where(EVENTS.c.article_pk == row.pk))).scalars()
    events = await hydrate_events(conn, list(ids))
    return StoredArticle(
        article=article,
        sentences=sentences,
        summary=summary_from_json(row.summary),
        actors=actors.get(row.pk, ()),
        events=tuple(sorted(events, key=lambda e: e.sentence)),
        sources=sources.get(row.pk, ()),
        fingerprint=row.fingerprint,
        ref_date=row.ref_date,
        stored_at=row.stored_at,
        updated_at=row.updated_at,
    )


async def article_actors(
    conn: AsyncConnection, pks: Sequence[int]
) -> dict[int, tuple[ArticleActorRef, ...]]:
    """The actors of each article, most salient first."""
    found: defaultdict[int, list[ArticleActorRef]] = defaultdict(list)
    for part in chunks(pks):
        result = await conn.execute(
            select(
                MENTIONS.c.article_pk,
                MENTIONS.c.actor_id,
                MENTIONS.c.salience,
                MENTIONS.c.count.label("n"),
                MENTIONS.c.first_sentence,
                MENTIONS.c.surface,
                ACTORS.c.name,
                ACTORS.c.type,
            )
            .join(ACTORS, ACTORS.c.id == MENTIONS.c.actor_id)
            .where(MENTIONS.c.article_pk.in_(part))
            .order_by(MENTIONS.c.article_pk, MENTIONS.c.salience.desc(), MENTIONS.c.actor_id)
        )
        for r in result:
            found[r.article_pk].append(
                ArticleActorRef(
                    id=r.actor_id,
                    name=r.name,
                    type=r.type,
                    salience=r.salience,
                    mentions=r.n,
                    first_sentence=r.first_sentence,
                    surface=r.surface,
                )
            )
    return {pk: tuple(refs) for pk, refs in found.items()}


async def article_sources(
    conn: AsyncConnection, pks: Sequence[int]
) -> dict[int, tuple[SourceRef, ...]]:
    """The other sources of each article, oldest first."""
    found: defaultdict[int, list[SourceRef]] = defaultdict(list)
    for part in chunks(pks):
        result = await conn.execute(
            select(SOURCES).where(SOURCES.c.article_pk.in_(part)).order_by(SOURCES.c.stored_at)
        )
        for r in result:
            found[r.article_pk].append(
                SourceRef(id=r.id, url=r.url, source=r.source, title=r.title, fetched=r.fetched)
            )
    return {pk: tuple(refs) for pk, refs in found.items()}


async def hydrate_events(
    conn: AsyncConnection, ids: Sequence[int], scores: dict[int, float] | None = None
) -> list[StoredEvent]:
    """Events by id, in the order of ``ids``, with their article and actor labels."""
    rows: dict[int, Row[Any]] = {}
    people: defaultdict[int, list[tuple[str, ActorLabel]]] = defaultdict(list)
    for part in chunks(ids):
        result = await conn.execute(
            select(
                EVENTS,
                ARTICLES.c.id.label("article_id"),
                ARTICLES.c.title.label("article_title"),
                ARTICLES.c.url.label("article_url"),
                ARTICLES.c.source.label("article_source"),
                ARTICLES.c.published.label("article_published"),
            )
            .join(ARTICLES, ARTICLES.c.pk == EVENTS.c.article_pk)
            .where(EVENTS.c.id.in_(part))
        )
        rows.update((r.id, r) for r in result)
        result = await conn.execute(
            select(
                EVENT_ACTORS.c.event_id,
                EVENT_ACTORS.c.role,
                ACTORS.c.id,
                ACTORS.c.name,
                ACTORS.c.type,
            )
            .join(ACTORS, ACTORS.c.id == EVENT_ACTORS.c.actor_id)
            .where(EVENT_ACTORS.c.event_id.in_(part))
        )
        for r in result:
            people[r.event_id].append((r.role, ActorLabel(id=r.id, name=r.name, type=r.type)))
    events = []
    for event_id in ids:
        found = rows.get(event_id)
        if found is None:
            continue
        r = found
        who = people.get(event_id, [])
        events.append(
            StoredEvent(
                id=r.id,
                article_id=r.article_id,
                article_title=r.article_title,
                article_url=r.article_url,
                article_source=r.article_source,
                article_published=r.article_published,
                ref_date=r.ref_date,
                fetched=r.fetched,
                sentence=r.sentence,
                text=r.text,
                type=r.type,
                trigger=r.trigger,
                date=(
                    EventDate(r.date_value, r.date_precision, r.date_surface or "")
                    if r.date_value is not None
                    else None
                ),
                sort_date=r.sort_date,
                location=r.location,
                attribution=r.attribution,
                attribution_actor=r.attribution_actor,
                modality=r.modality,
                actors=tuple(label for role, label in who if role == "actor"),
                recipients=tuple(label for role, label in who if role == "recipient"),
                score=None if scores is None else scores.get(event_id),
            )
        )
    return events


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
    columns = (*_SUMMARY_COLUMNS, ARTICLES.c.text) if with_text else _SUMMARY_COLUMNS
    query = select(*columns)
    if basis == "fetched":
        query = query.where(ARTICLES.c.fetched >= start, ARTICLES.c.fetched < end)
        query = query.order_by(ARTICLES.c.fetched.desc(), ARTICLES.c.pk.desc())
    else:
        query = query.where(ARTICLES.c.ref_date >= start.date(), ARTICLES.c.ref_date <= end.date())
        query = query.order_by(ARTICLES.c.ref_date.desc(), ARTICLES.c.pk.desc())
    if actor_ids:
        named = select(MENTIONS.c.article_pk).where(MENTIONS.c.actor_id.in_(list(actor_ids)))
        query = query.where(ARTICLES.c.pk.in_(named))
    if limit is not None:
        query = query.limit(limit)
    rows = (await conn.execute(query)).all()
    return await briefs(conn, rows, with_text=with_text)


async def briefs(
    conn: AsyncConnection,
    rows: Sequence[Row[Any]],
    *,
    with_text: bool = False,
    scores: dict[int, float] | None = None,
) -> list[ArticleBrief]:
    """Article rows (with the summary columns) as briefs, in the same order."""
    pks = [r.pk for r in rows]
    actors = await article_actors(conn, pks)
    sources = await article_sources(conn, pks)
    types: defaultdict[int, list[str]] = defaultdict(list)
    for part in chunks(pks):
        result = await conn.execute(
            select(EVENTS.c.article_pk, EVENTS.c.type, func.count().label("n"))
            .where(EVENTS.c.article_pk.in_(part))
            .group_by(EVENTS.c.article_pk, EVENTS.c.type)
            .order_by(EVENTS.c.article_pk, func.count().desc(), EVENTS.c.type)
        )
        for r in result:
            types[r.article_pk].append(r.type)
    return [
        ArticleBrief(
            id=r.id,
            title=r.title,
            subtitle=r.subtitle,
            url=r.url,
            source=r.source,
            published=r.published,
            fetched=r.fetched,
            ref_date=r.ref_date,
            fingerprint=r.fingerprint,
            word_count=r.word_count,
            summary=summary_from_json(r.summary),
            actors=actors.get(r.pk, ()),
            event_count=r.event_count,
            event_types=tuple(types.get(r.pk, ())),
            sources=sources.get(r.pk, ()),
            text=r.text if with_text else None,
            score=None if scores is None else scores.get(r.pk),
        )
        for r in rows
    ]


async def brief_rows(conn: AsyncConnection, pks: Sequence[int]) -> list[Row[Any]]:
    """Summary rows of articles by key, in the order of ``pks``."""
    found: dict[int, Row[Any]] = {}
    for part in chunks(pks):
        result = await conn.execute(select(*_SUMMARY_COLUMNS).where(ARTICLES.c.pk.in_(part)))
        for r in result:
            found[r.pk] = cast(Row[Any], r)
    return [found[pk] for pk in pks if pk in found]


async def actor_timeline(
    conn: AsyncConnection,
    actor_id: str,
    *,
    since: datetime | date | None,
    basis: TimeBasis,
    limit: int,
) -> list[StoredEvent]:
    """The actor's events, latest first (see :meth:`Store.actor_timeline`)."""
    ea = EVENT_ACTORS
    query = select(ea.c.event_id, ea.c.sort_date).where(ea.c.actor_id == actor_id).distinct()
    if since is not None:
        if basis == "fetched":
            if not isinstance(since, datetime):
                raise ValueError("a 'fetched' time filter needs a datetime")
            query = query.join(EVENTS, EVENTS.c.id == ea.c.event_id).where(
                EVENTS.c.fetched >= since
            )
        else:
            day = since.date() if isinstance(since, datetime) else since
            query = query.where(ea.c.ref_date >= day)
    query = query.order_by(ea.c.sort_date.desc(), ea.c.event_id.desc()).limit(limit)
    ids = [r.event_id for r in (await conn.execute(query))]
    return await hydrate_events(conn, ids)


async def actor_days(
    conn: AsyncConnection, actor_id: str, since: date | None, until: date | None
) -> list[DayCount]:
    """Articles and mentions of an actor per day, oldest first."""
    query = select(ACTOR_DAYS.c.day, ACTOR_DAYS.c.articles, ACTOR_DAYS.c.mentions).where(
        ACTOR_DAYS.c.actor_id == actor_id, ACTOR_DAYS.c.articles > 0
    )
    if since is not None:
        query = query.where(ACTOR_DAYS.c.day >= since)
    if until is not None:
        query = query.where(ACTOR_DAYS.c.day <= until)
    result = await conn.execute(query.order_by(ACTOR_DAYS.c.day))
    return [DayCount(day=r.day, articles=r.articles, mentions=r.mentions) for r in result]


_RELATIONS: dict[tuple[str, str], Relation] = {
    ("actor", "actor"): "with",
    ("recipient", "recipient"): "with",
    ("actor", "recipient"): "against",
    ("recipient", "actor"): "by",
}


async def co_actors(
    conn: AsyncConnection, actor_id: str, since: date | None, sample: int, limit: int
) -> list[CoActor]:
    """The actors most often in the same events as ``actor_id``, over its latest events."""
    mine = EVENT_ACTORS.alias("mine")
    other = EVENT_ACTORS.alias("other")
    recent = select(mine.c.event_id, mine.c.role).where(mine.c.actor_id == actor_id)
    if since is not None:
        recent = recent.where(mine.c.ref_date >= since)
    recent_q = recent.order_by(mine.c.sort_date.desc(), mine.c.event_id.desc()).limit(sample)
    window = recent_q.subquery("recent")
    query = (
        select(
            other.c.actor_id,
            window.c.role.label("mine"),
            other.c.role.label("theirs"),
            func.count(func.distinct(other.c.event_id)).label("n"),
        )
        .join(other, and_(other.c.event_id == window.c.event_id, other.c.actor_id != actor_id))
        .group_by(other.c.actor_id, window.c.role, other.c.role)
    )
    counts: defaultdict[tuple[str, Relation], int] = defaultdict(int)
    for r in await conn.execute(query):
        counts[(r.actor_id, _RELATIONS[(r.mine, r.theirs)])] += r.n
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    labels = await actor_labels(conn, [actor for (actor, _), _ in best])
    return [
        CoActor(actor=labels[actor], relation=relation, events=n)
        for (actor, relation), n in best
        if actor in labels
    ]


async def actor_labels(conn: AsyncConnection, ids: Sequence[str]) -> dict[str, ActorLabel]:
    """Display labels of actors by id."""
    labels: dict[str, ActorLabel] = {}
    for part in chunks(list(dict.fromkeys(ids))):
        result = await conn.execute(
            select(ACTORS.c.id, ACTORS.c.name, ACTORS.c.type).where(ACTORS.c.id.in_(part))
        )
        labels.update((r.id, ActorLabel(id=r.id, name=r.name, type=r.type)) for r in result)
    return labels


async def known_actors(conn: AsyncConnection, ids: Sequence[str] | None = None) -> list[KnownActor]:
    """Actors with every name they go by, by id; all of them when ``ids`` is None."""
    names: defaultdict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    actor_query = select(ACTORS).order_by(ACTORS.c.id)
    alias_query = select(ALIASES.c.actor_id, ALIASES.c.surface, ALIASES.c.kind).order_by(
        ALIASES.c.actor_id, ALIASES.c.kind, ALIASES.c.surface
    )
    if ids is not None:
        actor_query = actor_query.where(ACTORS.c.id.in_(list(ids)))
        alias_query = alias_query.where(ALIASES.c.actor_id.in_(list(ids)))
    for r in await conn.execute(alias_query):
        names[r.actor_id][r.kind].append(r.surface)
    actors = []
    for r in await conn.execute(actor_query):
        kinds = names.get(r.id, {})
        actors.append(
            KnownActor(
                id=r.id,
                name=r.name,
                type=r.type,
                country=r.country,
                parent=r.parent,
                discovered=r.discovered,
                aliases=tuple(kinds.get("alias", []) + kinds.get("linked", [])),
                demonyms=tuple(kinds.get("demonym", [])),
                former_names=tuple(kinds.get("former", [])),
            )
        )
    return actors


async def actors_named(conn: AsyncConnection, name: str) -> list[KnownActor]:
    """Actors one of whose names has the same normalised form as ``name``."""
    norm = normalise_name(name)
    if not norm:
        return []
    ids = (await conn.execute(select(ALIASES.c.actor_id).where(ALIASES.c.norm == norm))).scalars()
    found = list(ids)
    return await known_actors(conn, found) if found else []
