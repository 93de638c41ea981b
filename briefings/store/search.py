"""Full-text search over events and articles: SQLite FTS5 or PostgreSQL tsvector, one API.

Both backends take the same query language (see :mod:`briefings.store.querytext`).
Ranking is by relevance among the :data:`CANDIDATES` most recently stored matches that
pass the filters, so the work per query stays bounded however many documents match:
PostgreSQL scores them with ``ts_rank_cd``; SQLite with
:func:`briefings.store.querytext.relevance`. An actor filter is part of the full-text
match itself: each event's index entry carries a key per actor
(:func:`briefings.store.keys.actor_key`), so the index intersects the words with the
actor instead of checking candidates one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.errors import SearchTooComplexError
from briefings.store.keys import actor_key
from briefings.store.queries import (
    EVENT_JOINS,
    EVENT_SELECT,
    event_records,
    hydrate_events,
    since_day,
    since_time,
)
from briefings.store.querytext import (
    Query,
    clean_query,
    fts5_expression,
    parse_query,
    relevance,
)
from briefings.store.records import StoredEvent, TimeBasis
from briefings.store.sql import fetch as _fetch
from briefings.store.sql import param_day, param_time

CANDIDATES = 300
"""How many of the most recent matches are ranked by relevance."""

_REFUSALS = ("fts5", "parser stack", "tsquery", "stack depth", "too complex", "too long")
"""Words in a database's error that say it refused the search itself (not that it failed)."""


async def fetch(conn: AsyncConnection, sql: str, params: list[Any]) -> list[Any]:
    """Run a search; the database refusing the query becomes a user-facing error."""
    try:
        return list(await _fetch(conn, sql, params))
    except DBAPIError as exc:
        if not any(word in str(exc.orig).casefold() for word in _REFUSALS):
            raise
        raise SearchTooComplexError(
            "That search is too complex for the store: use fewer words or exclusions."
        ) from exc


class FilterOptions(TypedDict, total=False):
    """What narrows a search besides its words, as the store's search methods take it."""

    since: datetime | date | None
    """Only what was reported on or after this time (see ``basis``); all time when None."""
    basis: TimeBasis
    """What ``since`` compares with: the article's reference date (``published``, the
    default) or its fetch time (``fetched``)."""
    actor: str | None
    """Only events this actor (id) takes part in; only articles naming it."""
    type: str | None
    """Only events of this type; only articles reporting one."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What narrows a search besides its words (see :class:`FilterOptions`)."""

    since: datetime | date | None = None
    basis: TimeBasis = "published"
    actor: str | None = None
    type: str | None = None


def _time_filter(conn: AsyncConnection, filters: Filters, params: list[Any]) -> str:
    """The SQL condition (with a leading AND) for ``since``; appends its parameter."""
    if filters.since is None:
        return ""
    if filters.basis == "fetched":
        params.append(param_time(conn, since_time(filters.since)))
        return " AND x.fetched >= ?"
    params.append(param_day(conn, since_day(filters.since)))
    return " AND x.ref_date >= ?"


def _rank(rows: list[Any], query: Query, limit: int) -> list[tuple[int, float]]:
    """(id, score) of the best ``limit`` rows of (id, day, text, location), newer first on
    ties (ISO days and ids both sort newest last, so one descending sort does it)."""
    scored = [
        (relevance(text if not place else f"{text} {place}", query), str(day), ident)
        for ident, day, text, place in rows
    ]
    scored.sort(reverse=True)
    return [(ident, score) for score, _, ident in scored[:limit]]


async def search_events(
    conn: AsyncConnection, query: str, filters: Filters, limit: int
) -> list[StoredEvent]:
    """Events matching ``query`` and ``filters``, best first, with their scores."""
    query = clean_query(query)
    parsed = parse_query(query)
    expression = fts5_expression(parsed)
    if expression is None:
        return []
    params: list[Any] = []
    where = ""
    if conn.dialect.name == "postgresql":
        params.append(query)
        source = "events x, websearch_to_tsquery('english', ?) AS q(q)"
        match = "x.search_vector @@ q.q"
        if filters.actor is not None:
            match = "x.search_vector @@ (q.q && to_tsquery('simple', ?))"
            params.append(actor_key(filters.actor))
    else:
        expression = "{text location} : (" + expression + ")"
        if filters.actor is not None:
            expression += f' AND actor_keys : "{actor_key(filters.actor)}"'
        params.append(expression)
        source = "events_fts JOIN events x ON x.id = events_fts.rowid"
        match = "events_fts MATCH ?"
    where += _time_filter(conn, filters, params)
    if filters.type is not None:
        where += " AND x.type = ?"
        params.append(filters.type)
    if filters.actor is not None and conn.dialect.name != "postgresql":
        # The key narrows the match; this makes it exact even if two ids' keys collide.
        where += (
            " AND EXISTS (SELECT 1 FROM event_actors ea2"
            " WHERE ea2.event_id = x.id AND ea2.actor_id = ?)"
        )
        params.append(filters.actor)
    if conn.dialect.name == "postgresql":
        params.append(CANDIDATES)
        if _selective(parsed):
            # Several required words match few events: take them all from the index and
            # keep the newest ("x.id + 0" stops the planner from walking the newest events
            # backwards, testing each: it picks that from its row estimate, and it reads
            # tens of thousands of rows). Only the candidates kept are then scored.
            params.append(query)
            top = (
                f"WITH hits AS (SELECT x.id AS id FROM {source} WHERE {match}{where}"
                " ORDER BY x.id + 0 DESC LIMIT ?),"
                " top AS (SELECT s.id AS id, ts_rank_cd(s.search_vector, q.q) AS score,"
                " s.sort_date AS day FROM hits JOIN events s ON s.id = hits.id,"
                " websearch_to_tsquery('english', ?) AS q(q)"
            )
        else:
            top = (
                "WITH hits AS (SELECT x.id AS id, ts_rank_cd(x.search_vector, q.q) AS score,"
                f" x.sort_date AS day FROM {source} WHERE {match}{where}"
                " ORDER BY x.id DESC LIMIT ?),"
                " top AS (SELECT id, score, day FROM hits"
            )
        params.append(limit)
        sql = (
            f"{top} ORDER BY score DESC, day DESC, id DESC LIMIT ?)"
            f" {EVENT_SELECT}, top.score FROM top JOIN events e ON e.id = top.id"
            f"{EVENT_JOINS} ORDER BY top.score DESC, top.day DESC, top.id DESC"
        )
        return event_records(await fetch(conn, sql, params), score_at=24)
    params.append(CANDIDATES)
    sql = (
        f"SELECT x.id, x.sort_date, x.text, x.location FROM {source}"
        f" WHERE {match}{where} ORDER BY events_fts.rowid DESC LIMIT ?"
    )
    best = _rank(await fetch(conn, sql, params), parsed, limit)
    return await hydrate_events(conn, [ident for ident, _ in best], dict(best))


def _selective(query: Query) -> bool:
    """Whether a query needs several words to match (two required groups, or a phrase)."""
    return len(query.groups) > 1 or any(
        len(group) == 1 and len(group[0].words) > 1 for group in query.groups
    )


def _actor_mentioned(filters: Filters, params: list[Any]) -> str:
    """The clause keeping only articles that name the filter's actor ("" without one)."""
    if filters.actor is None:
        return ""
    params.append(filters.actor)
    return " AND EXISTS (SELECT 1 FROM mentions m2 WHERE m2.article_pk = x.pk AND m2.actor_id = ?)"


async def search_articles(
    conn: AsyncConnection, query: str, filters: Filters, limit: int
) -> list[tuple[int, float]]:
    """Article keys (``articles.pk``) matching ``query`` with their scores, best first.

    Titles weigh most, then subtitles, then the body (PostgreSQL: weights A, B, D;
    SQLite: ``bm25`` column weights 10, 4, 1 -- affordable here, as there are far fewer
    articles than events).
    """
    params: list[Any] = []
    found = _article_search(conn, query, filters, params, titles_only=False)
    if found is None:
        return []
    source, where, newest = found
    params += [CANDIDATES, limit]
    if conn.dialect.name == "postgresql":
        score = "ts_rank_cd(x.search_vector, q.q)"
    else:
        score = "-bm25(articles_fts, 10.0, 4.0, 1.0)"
    sql = (
        f"WITH hits AS (SELECT x.pk AS id, {score} AS score,"
        f" x.ref_date AS day FROM {source} WHERE {where}"
        f" ORDER BY {newest} DESC LIMIT ?)"
        " SELECT id, score FROM hits ORDER BY score DESC, day DESC, id DESC LIMIT ?"
    )
    return [(int(pk), float(value)) for pk, value in await fetch(conn, sql, params)]


async def search_headlines(
    conn: AsyncConnection, query: str, filters: Filters, limit: int
) -> list[str]:
    """Ids of the newest articles whose headline matches ``query`` (title words only; no
    ranking, so a common word costs no more than a rare one)."""
    params: list[Any] = []
    found = _article_search(conn, query, filters, params, titles_only=True)
    if found is None:
        return []
    source, where, newest = found
    params.append(limit)
    sql = f"SELECT x.id FROM {source} WHERE {where} ORDER BY {newest} DESC LIMIT ?"
    return [str(row[0]) for row in await fetch(conn, sql, params)]


def _article_search(
    conn: AsyncConnection, query: str, filters: Filters, params: list[Any], *, titles_only: bool
) -> tuple[str, str, str] | None:
    """The source, the condition (words and filters) and the newest-first key of an article
    search, its parameters appended to ``params``; None when ``query`` holds no words.

    ``titles_only`` matches headline words only.
    """
    found = _article_match(conn, query, params, titles_only=titles_only)
    if found is None:
        return None
    source, where, newest = found
    where += _time_filter(conn, filters, params)
    if filters.type is not None:
        where += " AND EXISTS (SELECT 1 FROM events e2 WHERE e2.article_pk = x.pk AND e2.type = ?)"
        params.append(filters.type)
    where += _actor_mentioned(filters, params)
    return source, where, newest


def _article_match(
    conn: AsyncConnection, query: str, params: list[Any], *, titles_only: bool
) -> tuple[str, str, str] | None:
    """The source, the match condition and the newest-first key of the words of an
    article search (see :func:`_article_search`)."""
    expression = fts5_expression(parse_query(query))
    if expression is None:
        return None
    if conn.dialect.name != "postgresql":
        params.append("{title} : (" + expression + ")" if titles_only else expression)
        return (
            "articles_fts JOIN articles x ON x.pk = articles_fts.rowid",
            "articles_fts MATCH ?",
            "articles_fts.rowid",
        )
    if not titles_only:
        params.append(query)
        return (
            "articles x, websearch_to_tsquery('english', ?) AS q(q)",
            "x.search_vector @@ q.q",
            "x.pk",
        )
    params += [query, query]
    return (
        "articles x, websearch_to_tsquery('english', ?) AS q(q),"
        " websearch_to_tsquery('english', ?) AS t(q)",
        "x.search_vector @@ q.q AND ts_filter(x.search_vector, '{a}') @@ t.q",
        "x.pk",
    )
