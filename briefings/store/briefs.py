"""Reading stored articles: whole articles rebuilt, and briefs of them for digests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.model import Article, Block, BlockKind, KeyPoint, Section, Sentence, Summary
from briefings.store.queries import EVENT_JOINS, EVENT_SELECT, event_records
from briefings.store.records import (
    ArticleActorRef,
    ArticleBrief,
    SourceRef,
    StoredArticle,
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
from briefings.store.tables import chunks

BRIEF_SELECT = (
    "SELECT a.pk, a.id, a.title, a.subtitle, a.url, a.source, a.published, a.fetched,"
    " a.ref_date, a.fingerprint, a.word_count, a.event_count, a.summary, a.event_types,"
    " a.actor_refs"
)
"""The columns :func:`briefs` reads, in order; ``a.text`` may follow."""


def summary_from_json(data: Any) -> Summary:
    """The summary stored with an article."""
    data = as_json(data)
    points = tuple(KeyPoint(text=t, sentence=int(s)) for t, s in data.get("key_points", ()))
    return Summary(tldr=data["tldr"], key_points=points, preset=data.get("preset", "standard"))


async def article_actors(
    conn: AsyncConnection, refs: dict[int, Any]
) -> dict[int, tuple[ArticleActorRef, ...]]:
    """The actors of each article (its stored ``actor_refs``), labelled, most salient first."""
    decoded = {pk: as_json(value) for pk, value in refs.items()}
    labels = await actor_labels(conn, list({r[0] for rows in decoded.values() for r in rows}))
    return {
        pk: tuple(
            ArticleActorRef(
                id=actor,
                name=labels.get(actor, (actor, "other"))[0],
                type=labels.get(actor, (actor, "other"))[1],
                salience=float(salience),
                mentions=count,
                first_sentence=first,
                surface=surface,
            )
            for actor, salience, count, first, surface in rows
        )
        for pk, rows in decoded.items()
    }


async def actor_event_counts(
    conn: AsyncConnection, pks: Sequence[int]
) -> dict[int, dict[str, int]]:
    """How many events of each article each actor takes part in (acting or acted upon)."""
    counts: dict[int, dict[str, int]] = {}
    for part in chunks(list(pks)):
        sql = (
            "SELECT e.article_pk, ea.actor_id, COUNT(DISTINCT e.id) FROM events e"
            " JOIN event_actors ea ON ea.event_id = e.id"
            f" WHERE e.article_pk IN ({marks(len(part))}) GROUP BY e.article_pk, ea.actor_id"
        )
        for pk, actor, n in await fetch(conn, sql, part):
            counts.setdefault(int(pk), {})[str(actor)] = int(n)
    return counts


async def actor_labels(conn: AsyncConnection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Name and type of actors by id."""
    labels: dict[str, tuple[str, str]] = {}
    for part in chunks(list(ids)):
        sql = f"SELECT id, name, type FROM actors WHERE id IN ({marks(len(part))})"
        labels.update((ident, (name, kind)) for ident, name, kind in await fetch(conn, sql, part))
    return labels


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
    actors = await article_actors(conn, {r[0]: r[14] for r in rows})
    events = await actor_event_counts(conn, pks)
    actors = {
        pk: tuple(replace(a, events=events.get(pk, {}).get(a.id, 0)) for a in refs)
        for pk, refs in actors.items()
    }
    sources = await article_sources(conn, pks)
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
            event_types=tuple(as_json(r[13])),
            sources=sources.get(r[0], ()),
            text=r[15] if with_text else None,
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
    " a.ref_date, a.stored_at, a.updated_at, a.actor_refs FROM articles a"
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
    actors = await article_actors(conn, {pk: row[19]})
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
