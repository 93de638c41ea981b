"""Full-text search over events and articles: SQLite FTS5 or PostgreSQL tsvector, one API.

Both backends take the same query language: words (all must match), ``"quoted
phrases"``, ``-word`` to exclude, ``a OR b``; SQLite also honours a trailing ``*`` for
a prefix. Ranking is by relevance (FTS5 ``bm25``, PostgreSQL ``ts_rank_cd``) among the
:data:`CANDIDATES` most recently stored matches that pass the filters, so a query costs
the same on a store of a thousand articles as on one of a million.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, TextClause, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.store.records import TimeBasis
from briefings.store.schema import UTCDateTime

CANDIDATES = 300
"""How many of the most recent matches are ranked by relevance."""

STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
    }
)
"""Common English words a bare query term drops, as PostgreSQL's English search does."""

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Filters:
    """What narrows a search besides its words."""

    since: datetime | date | None = None
    basis: TimeBasis = "published"
    actor: str | None = None
    type: str | None = None


def fts5_query(query: str) -> str | None:
    """The FTS5 expression for a user's query, or None when it holds nothing to look for.

    Every term is quoted, so FTS5 syntax in user input is never interpreted.
    """
    positives: list[str] = []
    negatives: list[str] = []
    join_next = False
    for match in _TOKEN.finditer(query):
        minus, phrase, bare = match.groups()
        prefix = False
        if bare is not None:
            if bare.casefold() == "or":
                join_next = bool(positives)
                continue
            if bare.startswith("-") and len(bare) > 1:
                minus, bare = "-", bare[1:]
            prefix = bare.endswith("*")
            words = _WORD.findall(bare)
            if len(words) == 1 and not prefix and words[0].casefold() in STOPWORDS:
                continue
        else:
            words = _WORD.findall(phrase)
        if not words:
            continue
        term = '"' + " ".join(words) + '"' + ("*" if prefix else "")
        if minus:
            negatives.append(term)
        elif join_next:
            positives[-1] = f"({positives[-1]} OR {term})"
        else:
            positives.append(term)
        join_next = False
    if not positives:
        return None
    expression = " AND ".join(positives)
    for term in negatives:
        expression = f"({expression}) NOT {term}"
    return expression


def _filters(filters: Filters, alias: str, params: dict[str, Any]) -> str:
    """SQL conditions (ANDed, each with a leading AND) for the filters; fills ``params``."""
    sql = ""
    if filters.since is not None:
        if filters.basis == "fetched":
            since = filters.since
            if not isinstance(since, datetime):
                raise ValueError("a 'fetched' time filter needs a datetime")
            sql += f" AND {alias}.fetched >= :since_time"
            params["since_time"] = since
        else:
            day = filters.since.date() if isinstance(filters.since, datetime) else filters.since
            sql += f" AND {alias}.ref_date >= :since_day"
            params["since_day"] = day
    return sql


def typed(sql: str, params: dict[str, Any]) -> TextClause:
    """A text query whose date and time parameters bind as the columns store them."""
    clause = text(sql)
    if "since_day" in params:
        clause = clause.bindparams(bindparam("since_day", type_=Date()))
    if "since_time" in params:
        clause = clause.bindparams(bindparam("since_time", type_=UTCDateTime()))
    return clause


async def search_events(
    conn: AsyncConnection, query: str, filters: Filters, limit: int
) -> list[tuple[int, float]]:
    """Event ids matching ``query`` and ``filters`` with their scores, best first."""
    params: dict[str, Any] = {"candidates": CANDIDATES}
    where = _filters(filters, "e", params)
    if filters.type is not None:
        where += " AND e.type = :type"
        params["type"] = filters.type
    if filters.actor is not None:
        where += (
            " AND EXISTS (SELECT 1 FROM event_actors ea"
            " WHERE ea.event_id = e.id AND ea.actor_id = :actor)"
        )
        params["actor"] = filters.actor
    if conn.dialect.name == "postgresql":
        params["q"] = query
        sql = (
            "SELECT e.id AS id, ts_rank_cd(e.search_vector, q.q) AS score, e.sort_date AS day"
            " FROM events e, websearch_to_tsquery('english', :q) AS q(q)"
            f" WHERE e.search_vector @@ q.q{where} ORDER BY e.id DESC LIMIT :candidates"
        )
    else:
        expression = fts5_query(query)
        if expression is None:
            return []
        params["q"] = expression
        sql = (
            "SELECT e.id AS id, -bm25(events_fts) AS score, e.sort_date AS day"
            " FROM events_fts JOIN events e ON e.id = events_fts.rowid"
            f" WHERE events_fts MATCH :q{where} ORDER BY events_fts.rowid DESC LIMIT :candidates"
        )
    rows = list((await conn.execute(typed(sql, params), params)).all())
    rows.sort(key=lambda r: (-float(r.score), _day_key(r.day), -r.id))
    return [(int(r.id), float(r.score)) for r in rows[:limit]]


async def search_articles(
    conn: AsyncConnection, query: str, filters: Filters, limit: int
) -> list[tuple[int, float]]:
    """Article keys (``articles.pk``) matching ``query`` with their scores, best first.

    Titles weigh most, then subtitles, then the body.
    """
    params: dict[str, Any] = {"candidates": CANDIDATES}
    where = _filters(filters, "a", params)
    if filters.type is not None:
        where += " AND EXISTS (SELECT 1 FROM events e WHERE e.article_pk = a.pk AND e.type = :type)"
        params["type"] = filters.type
    if filters.actor is not None:
        where += (
            " AND EXISTS (SELECT 1 FROM mentions m"
            " WHERE m.article_pk = a.pk AND m.actor_id = :actor)"
        )
        params["actor"] = filters.actor
    if conn.dialect.name == "postgresql":
        params["q"] = query
        sql = (
            "SELECT a.pk AS id, ts_rank_cd(a.search_vector, q.q) AS score, a.ref_date AS day"
            " FROM articles a, websearch_to_tsquery('english', :q) AS q(q)"
            f" WHERE a.search_vector @@ q.q{where} ORDER BY a.pk DESC LIMIT :candidates"
        )
    else:
        expression = fts5_query(query)
        if expression is None:
            return []
        params["q"] = expression
        sql = (
            "SELECT a.pk AS id, -bm25(articles_fts, 10.0, 4.0, 1.0) AS score, a.ref_date AS day"
            " FROM articles_fts JOIN articles a ON a.pk = articles_fts.rowid"
            f" WHERE articles_fts MATCH :q{where} ORDER BY articles_fts.rowid DESC"
            " LIMIT :candidates"
        )
    rows = list((await conn.execute(typed(sql, params), params)).all())
    rows.sort(key=lambda r: (-float(r.score), _day_key(r.day), -r.id))
    return [(int(r.id), float(r.score)) for r in rows[:limit]]


def _day_key(day: date | str | None) -> int:
    """Newer days first when scores tie (SQLite hands back text, PostgreSQL dates)."""
    if day is None:
        return 0
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return -value.toordinal()
