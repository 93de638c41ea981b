"""Saving analyses: idempotent by identity and fingerprint, in batches, with Core inserts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, not_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.model import ActorInfo, Analysis
from briefings.store.keys import normalise_name, period_start
from briefings.store.records import SaveOutcome
from briefings.store.schema import Base

TABLES = Base.metadata.tables
ARTICLES: Table = TABLES["articles"]
SOURCES: Table = TABLES["article_sources"]
ACTORS: Table = TABLES["actors"]
ALIASES: Table = TABLES["aliases"]
MENTIONS: Table = TABLES["mentions"]
EVENTS: Table = TABLES["events"]
EVENT_ACTORS: Table = TABLES["event_actors"]
ACTOR_DAYS: Table = TABLES["actor_days"]

CHUNK = 500
"""Most values in one ``IN (...)`` list."""


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """Split ``values`` into slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def dialect_insert(dialect: str, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that knows ``ON CONFLICT`` on this backend."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


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
            norm = normalise_name(surface)
            if norm and norm not in seen:
                seen.add(norm)
                yield {"norm": norm, "actor_id": info.id, "surface": surface, "kind": kind}


@dataclass(slots=True)
class _Plan:
    """What to do with one analysis of a batch."""

    analysis: Analysis
    outcome: SaveOutcome
    pk: int | None = None
    duplicate_of: str | None = None
    write: bool = False


@dataclass(slots=True)
class _Rows:
    """Rows gathered for one batch, inserted table by table."""

    mentions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    event_actors: dict[tuple[int, int], list[tuple[str, str]]] = field(default_factory=dict)
    days: defaultdict[tuple[str, date], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    actors: dict[str, ActorInfo] = field(default_factory=dict)
    aliases: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


class Writer:
    """Saves batches of analyses on one backend; remembers which actors it has stored.

    Args:
        dialect: ``sqlite`` or ``postgresql``.
    """

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self._actors: dict[str, bool] = {}
        self._aliases: set[tuple[str, str]] = set()
        self._pending_actors: dict[str, bool] = {}
        self._pending_aliases: set[tuple[str, str]] = set()

    def committed(self) -> None:
        """Keep what the last batch stored in the caches (call after its commit)."""
        self._actors.update(self._pending_actors)
        self._aliases |= self._pending_aliases
        self.rolled_back()

    def rolled_back(self) -> None:
        """Forget what the last batch meant to store (call after a rollback)."""
        self._pending_actors = {}
        self._pending_aliases = set()

    async def save(
        self, conn: AsyncConnection, analyses: Sequence[Analysis], now: datetime
    ) -> list[SaveOutcome]:
        """Save a batch inside the caller's transaction; one outcome per analysis, in order.

        An id that comes back within the batch starts a new run, so the batch means the
        same as saving its analyses one after the other.
        """
        outcomes: list[SaveOutcome] = []
        run: list[Analysis] = []
        ids: set[str] = set()
        for analysis in analyses:
            if analysis.article.id in ids:
                outcomes += await self._save_run(conn, run, now)
                run, ids = [], set()
            run.append(analysis)
            ids.add(analysis.article.id)
        if run:
            outcomes += await self._save_run(conn, run, now)
        return outcomes

    async def _save_run(
        self, conn: AsyncConnection, analyses: Sequence[Analysis], now: datetime
    ) -> list[SaveOutcome]:
        plans = await self._plan(conn, analyses)
        writes = [p for p in plans if p.write]
        updates = [p for p in writes if p.pk is not None]
        rows = _Rows()
        if updates:
            await self._clear(conn, [p.pk for p in updates if p.pk is not None], rows)
            await conn.execute(
                update(ARTICLES).where(ARTICLES.c.pk == bindparam("b_pk")),
                [{"b_pk": p.pk, **_article_values(p.analysis, now, stored=False)} for p in updates],
            )
        fresh = sorted((p for p in writes if p.pk is None), key=lambda p: p.analysis.article.id)
        if fresh:
            await conn.execute(
                ARTICLES.insert(), [_article_values(p.analysis, now, stored=True) for p in fresh]
            )
            pks = await self._pks(conn, [p.analysis.article.id for p in fresh])
            for p in fresh:
                p.pk = pks[p.analysis.article.id]
        await self._add_sources(conn, plans, now)
        for p in writes:
            assert p.pk is not None
            _gather(p.pk, p.analysis, now, rows)
        await self._store_actors(conn, rows, now)
        if rows.mentions:
            await conn.execute(MENTIONS.insert(), rows.mentions)
        if rows.events:
            await conn.execute(EVENTS.insert(), rows.events)
            await self._link_events(conn, rows)
        await self._count_days(conn, rows)
        return [p.outcome for p in plans]

    async def _plan(self, conn: AsyncConnection, analyses: Sequence[Analysis]) -> list[_Plan]:
        ids = list({a.article.id for a in analyses})
        prints = list({a.article.fingerprint for a in analyses})
        by_id: dict[str, tuple[int, str]] = {}
        sources: dict[str, str] = {}
        by_print: dict[str, str] = {}
        for part in chunks(ids):
            result = await conn.execute(
                select(ARTICLES.c.pk, ARTICLES.c.id, ARTICLES.c.fingerprint).where(
                    ARTICLES.c.id.in_(part)
                )
            )
            by_id.update((row.id, (row.pk, row.fingerprint)) for row in result)
            result = await conn.execute(
                select(SOURCES.c.id, SOURCES.c.fingerprint).where(SOURCES.c.id.in_(part))
            )
            sources.update((row.id, row.fingerprint) for row in result)
        for part in chunks(prints):
            result = await conn.execute(
                select(ARTICLES.c.id, ARTICLES.c.fingerprint)
                .where(ARTICLES.c.fingerprint.in_(part))
                .order_by(ARTICLES.c.pk)
            )
            for row in result:
                by_print.setdefault(row.fingerprint, row.id)
        plans: list[_Plan] = []
        gone_sources: list[str] = []
        for analysis in analyses:
            art = analysis.article
            print_ = art.fingerprint
            if art.id in by_id:
                pk, stored = by_id[art.id]
                if stored == print_:
                    plan = _Plan(analysis, "unchanged")
                else:
                    plan = _Plan(analysis, "updated", pk=pk, write=True)
            elif sources.get(art.id) == print_:
                plan = _Plan(analysis, "unchanged")
            else:
                if art.id in sources:
                    gone_sources.append(art.id)
                owner = by_print.get(print_)
                if owner is not None and owner != art.id:
                    plan = _Plan(analysis, "duplicate", duplicate_of=owner)
                else:
                    plan = _Plan(analysis, "new", write=True)
                    by_print[print_] = art.id
            plans.append(plan)
        for part in chunks(gone_sources):
            await conn.execute(delete(SOURCES).where(SOURCES.c.id.in_(part)))
        return plans

    async def _pks(self, conn: AsyncConnection, ids: Sequence[str]) -> dict[str, int]:
        pks: dict[str, int] = {}
        for part in chunks(ids):
            result = await conn.execute(
                select(ARTICLES.c.id, ARTICLES.c.pk).where(ARTICLES.c.id.in_(part))
            )
            pks.update((row.id, row.pk) for row in result)
        return pks

    async def _clear(self, conn: AsyncConnection, pks: list[int], rows: _Rows) -> None:
        """Delete the analysis of changed articles, counting its mentions out of the days."""
        for part in chunks(pks):
            result = await conn.execute(
                select(MENTIONS.c.actor_id, MENTIONS.c.ref_date, MENTIONS.c.count.label("n")).where(
                    MENTIONS.c.article_pk.in_(part)
                )
            )
            for row in result:
                day = rows.days[(row.actor_id, row.ref_date)]
                day[0] -= 1
                day[1] -= row.n
            events = select(EVENTS.c.id).where(EVENTS.c.article_pk.in_(part))
            await conn.execute(delete(EVENT_ACTORS).where(EVENT_ACTORS.c.event_id.in_(events)))
            await conn.execute(delete(EVENTS).where(EVENTS.c.article_pk.in_(part)))
            await conn.execute(delete(MENTIONS).where(MENTIONS.c.article_pk.in_(part)))

    async def _add_sources(self, conn: AsyncConnection, plans: list[_Plan], now: datetime) -> None:
        dups = [p for p in plans if p.outcome == "duplicate" and p.duplicate_of is not None]
        if not dups:
            return
        owners = await self._pks(conn, list({p.duplicate_of for p in dups if p.duplicate_of}))
        values = []
        for p in dups:
            art = p.analysis.article
            assert p.duplicate_of is not None
            values.append(
                {
                    "id": art.id,
                    "article_pk": owners[p.duplicate_of],
                    "url": art.url,
                    "source": art.source,
                    "title": art.title,
                    "fingerprint": art.fingerprint,
                    "fetched": _fetched(art.fetched, now),
                    "stored_at": now,
                }
            )
        stmt = dialect_insert(self.dialect, SOURCES).on_conflict_do_nothing(index_elements=["id"])
        await conn.execute(stmt, values)

    async def _store_actors(self, conn: AsyncConnection, rows: _Rows, now: datetime) -> None:
        todo = [
            info
            for actor_id, info in sorted(rows.actors.items())
            if actor_id not in self._actors or (self._actors[actor_id] and not info.discovered)
        ]
        if todo:
            stmt = dialect_insert(self.dialect, ACTORS)
            gazetteer_wins = or_(ACTORS.c.discovered, not_(stmt.excluded.discovered))
            stmt = stmt.on_conflict_do_update(
                index_elements=["id"],
                set_={
                    name: stmt.excluded[name]
                    for name in ("name", "type", "country", "parent", "description", "discovered")
                }
                | {"updated_at": stmt.excluded.updated_at},
                where=gazetteer_wins,
            )
            await conn.execute(stmt, [actor_values(info, now) for info in todo])
            self._pending_actors.update((info.id, info.discovered) for info in todo)
        new_aliases = [v for k, v in sorted(rows.aliases.items()) if k not in self._aliases]
        if new_aliases:
            stmt = dialect_insert(self.dialect, ALIASES).on_conflict_do_nothing(
                index_elements=["norm", "actor_id"]
            )
            await conn.execute(stmt, new_aliases)
            self._pending_aliases.update((v["norm"], v["actor_id"]) for v in new_aliases)

    async def _link_events(self, conn: AsyncConnection, rows: _Rows) -> None:
        pks = sorted({pk for pk, _ in rows.event_actors})
        links: list[dict[str, Any]] = []
        dates = {(e["article_pk"], e["seq"]): (e["sort_date"], e["ref_date"]) for e in rows.events}
        for part in chunks(pks):
            result = await conn.execute(
                select(EVENTS.c.id, EVENTS.c.article_pk, EVENTS.c.seq).where(
                    EVENTS.c.article_pk.in_(part)
                )
            )
            for row in result:
                key = (row.article_pk, row.seq)
                sort_date, ref_date = dates[key]
                links.extend(
                    {
                        "event_id": row.id,
                        "actor_id": actor_id,
                        "role": role,
                        "sort_date": sort_date,
                        "ref_date": ref_date,
                    }
                    for actor_id, role in rows.event_actors.get(key, ())
                )
        if links:
            await conn.execute(EVENT_ACTORS.insert(), links)

    async def _count_days(self, conn: AsyncConnection, rows: _Rows) -> None:
        deltas = [
            {"actor_id": actor_id, "day": day, "articles": n[0], "mentions": n[1]}
            for (actor_id, day), n in sorted(rows.days.items())
            if n[0] or n[1]
        ]
        if not deltas:
            return
        stmt = dialect_insert(self.dialect, ACTOR_DAYS)
        stmt = stmt.on_conflict_do_update(
            index_elements=["actor_id", "day"],
            set_={
                "articles": ACTOR_DAYS.c.articles + stmt.excluded.articles,
                "mentions": ACTOR_DAYS.c.mentions + stmt.excluded.mentions,
            },
        )
        await conn.execute(stmt, deltas)
        emptied = [(actor_id, day) for (actor_id, day), n in rows.days.items() if n[0] < 0]
        if emptied:
            for part in chunks(emptied):
                await conn.execute(
                    delete(ACTOR_DAYS).where(
                        ACTOR_DAYS.c.articles <= 0,
                        or_(
                            *(
                                and_(ACTOR_DAYS.c.actor_id == a, ACTOR_DAYS.c.day == d)
                                for a, d in part
                            )
                        ),
                    )
                )


def _fetched(value: datetime | None, now: datetime) -> datetime:
    if value is None:
        return now
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _ref_date(analysis: Analysis, now: datetime) -> date:
    art = analysis.article
    if art.published is not None:
        return art.published
    return _fetched(art.fetched, now).date()


def _article_values(analysis: Analysis, now: datetime, *, stored: bool) -> dict[str, Any]:
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
        "fetched": _fetched(art.fetched, now),
        "ref_date": _ref_date(analysis, now),
        "updated_at": now,
        "fingerprint": art.fingerprint,
        "word_count": art.word_count,
        "event_count": len(analysis.events),
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


def _gather(pk: int, analysis: Analysis, now: datetime, rows: _Rows) -> None:
    """Add one article's mentions, events, actors, aliases and day counts to ``rows``."""
    ref = _ref_date(analysis, now)
    fetched = _fetched(analysis.article.fetched, now)
    known: set[str] = set()
    for item in analysis.actors:
        info = item.actor
        known.add(info.id)
        current = rows.actors.get(info.id)
        if current is None or (current.discovered and not info.discovered):
            rows.actors[info.id] = info
        for alias in alias_values(info, item.linked_aliases):
            rows.aliases.setdefault((alias["norm"], alias["actor_id"]), alias)
        mentions = item.mentions
        count = max(len(mentions), 1)
        first = min(mentions, key=lambda m: (m.sentence, m.start)) if mentions else None
        rows.mentions.append(
            {
                "article_pk": pk,
                "actor_id": info.id,
                "count": count,
                "salience": float(item.salience),
                "first_sentence": first.sentence if first else -1,
                "surface": first.surface if first else info.name,
                "ref_date": ref,
                "fetched": fetched,
            }
        )
        day = rows.days[(info.id, ref)]
        day[0] += 1
        day[1] += count
    for seq, event in enumerate(analysis.events):
        start = period_start(event.date.value) if event.date is not None else None
        sort_date = start or ref
        rows.events.append(
            {
                "article_pk": pk,
                "seq": seq,
                "sentence": event.sentence,
                "text": event.text,
                "type": event.type,
                "trigger": event.trigger,
                "date_value": event.date.value if event.date else None,
                "date_precision": event.date.precision if event.date else None,
                "date_surface": event.date.surface or None if event.date else None,
                "sort_date": sort_date,
                "ref_date": ref,
                "fetched": fetched,
                "location": event.location,
                "attribution": event.attribution,
                "attribution_actor": event.attribution_actor,
                "modality": event.modality,
            }
        )
        links = list(
            dict.fromkeys(
                [(a, "actor") for a in event.actors if a in known]
                + [(a, "recipient") for a in event.recipients if a in known]
            )
        )
        if links:
            rows.event_actors[(pk, seq)] = links
