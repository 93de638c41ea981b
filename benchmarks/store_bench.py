"""The store benchmark: ingest rate, answer latency, subscription matching and memory.

SQLite first, then PostgreSQL. Each part (ingest, matching, answers) runs in a subprocess
of its own, so that its peak RSS (``VmHWM``, see :mod:`memory`) is its own.

1. **Ingest.** Articles/s into a fresh store (search index included), median of runs:
   *store only* saves pre-analysed articles with ``Store.save_many`` in the batches
   ``briefbot ingest`` makes (:func:`briefings.service.ingest.batched`: at most 500 articles and
   200,000 words); the time inside ``save_many`` counts, while each analysis is unpacked
   from a compressed pickle just before its batch, untimed, so the process holds one
   batch of analyses, as ``briefbot ingest`` does, not the whole corpus;
   *end to end* parses, analyses and stores them (batches of 100). Reference-sized
   articles are the reference article (335 words) with a line ``Bench copy N.`` appended,
   so each copy is a new article with a fingerprint of its own; the *generated mix* is
   :mod:`corpus` (seed 11, 300-1,500 words). Target: 1,000 reference articles/s.
2. **Answers.** ``Answers.actor_profile`` (all time) and ``Answers.search_events`` over
   1,000 queries each (30 actor names, 20 searches, in turn) against a store of generated
   articles: on SQLite the cached 100,000-article store (:mod:`bigstore`); on PostgreSQL a
   20,000-article store built from pre-analysed templates (:mod:`bigstore`, in a
   subprocess of its own) in a schema of its own, ANALYZEd after loading and dropped at
   the end. A first pass over the distinct queries warms the caches and is reported
   apart. Target: p99 <= 10 ms.
3. **Matching.** ``Answers.match`` per article (1,000 generated articles) with 1k, 10k and
   100k subscriptions. *Uniform*: every subscription follows one of the gazetteer's
   actors, spread evenly, so the subscriptions an article triggers grow with their total
   (reported as ``matched``). *Fixed matches*: 1,000 such subscriptions, the rest follow
   actors no article mentions, so the triggered set stays the same and only the lookup
   can grow. Subscriptions are added in bulk (recorded as a bulk change) and the store's
   in-memory index reloaded before each timing, as a running bot holds it; the reload
   time is reported apart. Target: flat, <= 1 ms.
4. **Memory.** Peak RSS of each part's subprocess; ``peak_rss_mb`` is the largest. The
   ingest part holds its corpus compressed and one batch of analyses at a time; the
   matching part holds of its 1,000 generated articles only what ``match()`` reads
   (articles and actors) beside the subscription index; the answers part is what a bot serving
   the big store holds. Building a templated store runs in a further subprocess, not
   counted. Target: <= 200 MB.

The last line (from :mod:`run`) is one JSON object; ``postgres`` holds the same keys.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from helpers.postgres import drop_schema  # noqa: E402
from memory import peak_rss_mb  # noqa: E402

if TYPE_CHECKING:
    from briefings.model import Analysis
    from briefings.service.answers import Answers
    from briefings.store import Store

PG_URL = os.environ.get(
    "BRIEFBOT_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
PG_ARTICLES = 20_000
REFERENCE = ROOT / "tests" / "fixtures" / "articles" / "mali_collapse.txt"
STORE_ONLY = 2000
END_TO_END = 300
GENERATED = 1000
QUERIES = 1000
MATCH_ARTICLES = 1000
SUB_COUNTS = (1000, 10_000, 100_000)
NOW = datetime(2026, 10, 28, 12, tzinfo=UTC)


def _runs(rates: Sequence[float]) -> str:
    return ", ".join(f"{r:,.0f}" for r in rates)


def _pack(analysis: Analysis) -> bytes:
    """An analysis, pickled and compressed (about 10 KiB for 900 words)."""
    return zlib.compress(pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpack(packed: bytes) -> Analysis:
    analysis: Analysis = pickle.loads(zlib.decompress(packed))
    return analysis


class _Ingest:
    """Ingest runs into one store: every article gets an id no run used before."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.serial = 0

    def ids(self, count: int) -> range:
        first = self.serial
        self.serial += count
        return range(first, first + count)

    async def store_only(self, templates: Sequence[bytes], count: int) -> float:
        """Articles/s inside ``save_many``, in the batches ``briefbot ingest`` saves: each
        analysis is unpacked from its compressed template and copied outside the timed
        part, one batch at a time."""
        from bigstore import copy_of

        from briefings.service.ingest import batched

        copies = (
            copy_of(_unpack(templates[n % len(templates)]), n, prefix="ingest")
            for n in self.ids(count)
        )
        spent = 0.0
        for batch in batched(copies):
            started = time.perf_counter()
            await self.store.save_many(batch, now=NOW)
            spent += time.perf_counter() - started
            del batch
        return count / spent

    async def end_to_end(self, texts: Sequence[tuple[bytes, date | None]], count: int) -> float:
        from briefings.analysis.pipeline import Analyzer
        from briefings.formats import parse

        analyzer = Analyzer()
        fetched = NOW
        started = time.perf_counter()
        chunk = []
        for n in self.ids(count):
            data, published = texts[n % len(texts)]
            article = parse(
                data + f"\nBench copy e2e {n}.\n".encode(),
                "text",
                published=published,
                fetched=fetched,
                url=f"https://e2e.example/{n}",
            )
            chunk.append(analyzer.analyse(article))
            if len(chunk) == 100:
                await self.store.save_many(chunk, now=NOW)
                chunk = []
        if chunk:
            await self.store.save_many(chunk, now=NOW)
        return count / (time.perf_counter() - started)


async def _median(runs: int, work: Callable[[], Awaitable[float]]) -> tuple[float, list[float]]:
    rates = [await work() for _ in range(runs)]
    return statistics.median(rates), rates


async def _ingest(store: Store, runs: int) -> dict[str, Any]:
    from corpus import generate

    from briefings.analysis.pipeline import Analyzer
    from briefings.formats import parse

    analyzer = Analyzer()
    reference = REFERENCE.read_bytes()
    published = date(2026, 4, 27)
    ref_analysis = analyzer.analyse(parse(reference, "text", published=published, fetched=NOW))
    ref_packed = [_pack(ref_analysis)]
    generated = [(g.text.encode(), g.published) for g in generate(GENERATED, seed=11)]
    # Held packed: the corpus in memory is the benchmark's, not what an ingesting bot holds
    # (one batch of analyses, as `briefbot ingest` does).
    gen_packed: list[bytes] = []
    words: list[int] = []
    for data, day in generated:
        analysis = analyzer.analyse(parse(data, "text", published=day, fetched=NOW))
        words.append(analysis.article.word_count)
        gen_packed.append(_pack(analysis))
    del analysis
    mean_words = statistics.mean(words)
    gc.freeze()
    ingest = _Ingest(store)
    await ingest.store_only(ref_packed, 200)  # warm up
    ref_store, ref_store_all = await _median(
        runs, lambda: ingest.store_only(ref_packed, STORE_ONLY)
    )
    ref_e2e, ref_e2e_all = await _median(
        runs, lambda: ingest.end_to_end([(reference, published)], END_TO_END)
    )
    gen_store, gen_store_all = await _median(runs, lambda: ingest.store_only(gen_packed, GENERATED))
    gen_e2e, gen_e2e_all = await _median(runs, lambda: ingest.end_to_end(generated, END_TO_END))
    print(f"ingest, reference ({ref_analysis.article.word_count} words), pre-analysed, store only:")
    print(f"  {ref_store:,.0f} articles/s (runs: {_runs(ref_store_all)}; target >= 1,000)")
    print("ingest, reference, parse + analyse + store:")
    print(f"  {ref_e2e:,.0f} articles/s (runs: {_runs(ref_e2e_all)})")
    print(f"ingest, generated mix ({mean_words:,.0f} words on average), store only:")
    print(f"  {gen_store:,.0f} articles/s (runs: {_runs(gen_store_all)})")
    print("ingest, generated mix, parse + analyse + store:")
    print(f"  {gen_e2e:,.0f} articles/s (runs: {_runs(gen_e2e_all)})")
    return {
        "ingest_articles_per_s": round(ref_store, 1),
        "ingest_end_to_end_articles_per_s": round(ref_e2e, 1),
        "ingest_generated_articles_per_s": round(gen_store, 1),
        "ingest_generated_end_to_end_articles_per_s": round(gen_e2e, 1),
        "generated_mean_words": round(mean_words),
    }


async def _latency(
    name: str, queries: Sequence[str], ask: Callable[[str], Awaitable[object]]
) -> dict[str, float]:
    from slack_bench import percentile

    cold = []
    for query in queries:
        started = time.perf_counter()
        await ask(query)
        cold.append((time.perf_counter() - started) * 1000)
    timings = []
    for n in range(QUERIES):
        started = time.perf_counter()
        await ask(queries[n % len(queries)])
        timings.append((time.perf_counter() - started) * 1000)
    p50, p99 = statistics.median(timings), percentile(timings, 0.99)
    print(
        f"  {name}: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(timings):.2f} ms "
        f"over {len(timings)} queries (first pass max {max(cold):.1f} ms; target p99 <= 10 ms)"
    )
    return {f"{name}_p50_ms": round(p50, 2), f"{name}_p99_ms": round(p99, 2)}


async def _answers(store: Store, articles: int) -> dict[str, float]:
    from slack_bench import ACTOR_QUERIES, EVENT_QUERIES

    from briefings.analysis.actors.gazetteer import Gazetteer
    from briefings.service.answers import Answers

    answers = Answers(store, Gazetteer.default(), lambda: NOW)
    await answers.resolver()
    gc.freeze()
    print(f"answers over {articles:,} stored articles:")
    figures = await _latency("actor_profile", ACTOR_QUERIES, answers.actor_profile)
    figures.update(await _latency("search_events", EVENT_QUERIES, answers.search_events))
    return figures


async def _subscribe(store: Store, actor_ids: Sequence[str], first: int) -> float:
    """Add subscriptions in bulk; the seconds the subscription index took to reload."""
    from sqlalchemy import insert, text

    from briefings.store.subscription_index import record_change
    from briefings.store.subscriptions import SUBSCRIPTIONS

    def rows(start: int) -> list[dict[str, Any]]:  # one batch at a time: less to hold
        return [
            {
                "platform": "slack",
                "workspace": "T0BENCH",
                "subscriber": f"U{first + n:07d}",
                "subscriber_kind": "user",
                "actor_id": actor_ids[n],
                "mode": "instant",
                "threshold": 0.0,
                "created_at": NOW,
            }
            for n in range(start, min(start + 5000, len(actor_ids)))
        ]

    async with store.engine.begin() as conn:
        await record_change(conn, None)  # a bulk change: every index reloads
        for i in range(0, len(actor_ids), 5000):
            await conn.execute(insert(SUBSCRIPTIONS), rows(i))
        if store.dialect == "postgresql":
            await conn.execute(text("ANALYZE subscriptions"))
    started = time.perf_counter()
    await store.subscriptions.index.sync()  # loaded before timing, as a running bot has it
    return time.perf_counter() - started


async def _unsubscribe_all(store: Store) -> None:
    from sqlalchemy import delete

    from briefings.store.subscription_index import record_change
    from briefings.store.subscriptions import SUBSCRIPTIONS

    async with store.engine.begin() as conn:
        await record_change(conn, None)
        await conn.execute(delete(SUBSCRIPTIONS))
    await store.subscriptions.index.sync()


async def _match_time(
    answers: Answers, articles: Sequence[Analysis], runs: int
) -> tuple[float, float]:
    """Median over runs of the mean ms per article, and the mean subscriptions matched."""
    per_article = []
    matched = 0
    for _ in range(runs):
        matched = 0
        started = time.perf_counter()
        for analysis in articles:
            matched += len(await answers.match(analysis))
        per_article.append((time.perf_counter() - started) * 1000 / len(articles))
    return statistics.median(per_article), matched / len(articles)


async def _matching(store: Store, runs: int) -> dict[str, Any]:
    from corpus import generate

    from briefings.analysis.actors.gazetteer import Gazetteer
    from briefings.analysis.pipeline import Analyzer
    from briefings.formats import parse
    from briefings.service.answers import Answers

    gazetteer = Gazetteer.default()
    actor_ids = [a.id for a in gazetteer.actors]
    analyzer = Analyzer()
    # Each analysis as match() reads it: its article and actors (sentences and events,
    # which it never reads, are dropped so the corpus does not crowd the index's memory).
    articles = [
        dataclasses.replace(
            analyzer.analyse(parse(g.text.encode(), "text", published=g.published, fetched=NOW)),
            sentences=(),
            events=(),
            places=(),
        )
        for g in generate(MATCH_ARTICLES, min_words=300, max_words=500, seed=23)
    ]
    gc.freeze()
    answers = Answers(store, gazetteer, lambda: NOW)
    rng = random.Random(5)
    uniform: dict[str, float] = {}
    fixed: dict[str, float] = {}
    loads: dict[str, float] = {}
    print(f"match() per article ({MATCH_ARTICLES:,} generated articles; target flat, <= 1 ms):")
    await _unsubscribe_all(store)
    held = 0
    for count in SUB_COUNTS:
        load = await _subscribe(
            store, [actor_ids[(held + n) % len(actor_ids)] for n in range(count - held)], held
        )
        held = count
        ms, matched = await _match_time(answers, articles, runs)
        uniform[str(count)] = round(ms, 3)
        loads[str(count)] = round(load * 1000, 1)
        print(
            f"  uniform, {count:>7,} subscriptions: {ms:.3f} ms ({matched:,.0f} matched; "
            f"index loaded in {load * 1000:,.0f} ms)"
        )
    await _unsubscribe_all(store)
    held = 0
    for count in SUB_COUNTS:
        if held == 0:
            targets = [actor_ids[n % len(actor_ids)] for n in range(count)]
        else:
            targets = [f"bench:nobody-{rng.randrange(50_000)}" for _ in range(count - held)]
        await _subscribe(store, targets, held)
        held = count
        ms, matched = await _match_time(answers, articles, runs)
        fixed[str(count)] = round(ms, 3)
        print(f"  fixed matches, {count:>7,} subscriptions: {ms:.3f} ms ({matched:,.0f} matched)")
    await _unsubscribe_all(store)
    return {
        "match_ms_per_article": uniform,
        "match_ms_per_article_fixed_matches": fixed,
        "match_index_load_ms": loads,
    }


PARTS = ("ingest", "match", "answers")


async def _part(backend: str, part: str, runs: int) -> dict[str, Any]:
    """One part of the benchmark on one backend, in a store (or schema) of its own."""
    from bigstore import STORE_ARTICLES, build_in_subprocess, store_path
    from sqlalchemy import text

    from briefings.store import Store

    if backend == "sqlite" and part == "answers":
        path = await store_path()
        store = await Store.open(f"sqlite+aiosqlite:///{path}")  # migrates an older cache
        try:
            return {**await _answers(store, STORE_ARTICLES), "store_articles": STORE_ARTICLES}
        finally:
            await store.close()
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            store = await Store.open(f"sqlite+aiosqlite:///{folder}/{part}.db")
            try:
                return await (_ingest(store, runs) if part == "ingest" else _matching(store, runs))
            finally:
                await store.close()
    schema = f"bench_{part}_{os.getpid()}_{int(time.time())}"
    try:
        if part != "answers":
            store = await Store.open(PG_URL, schema=schema)
            try:
                return await (_ingest(store, runs) if part == "ingest" else _matching(store, runs))
            finally:
                await store.close()
        started = time.perf_counter()
        print(f"building a store of {PG_ARTICLES:,} articles from templates (a subprocess)")
        await asyncio.to_thread(build_in_subprocess, PG_URL, PG_ARTICLES, schema)
        store = await Store.open(PG_URL, schema=schema, migrate=False)
        try:
            async with store.engine.begin() as conn:  # committed: a rollback drops the statistics
                await conn.execute(text("ANALYZE"))
            print(f"  built and analysed in {time.perf_counter() - started:.0f} s")
            return {**await _answers(store, PG_ARTICLES), "store_articles": PG_ARTICLES}
        finally:
            await store.close()
    finally:
        await drop_schema(PG_URL, schema)


def _phase(backend: str, part: str, runs: int) -> dict[str, Any]:
    figures = asyncio.run(_part(backend, part, runs))
    peak = peak_rss_mb()
    print(f"  peak RSS of the {part} process: {peak:,.0f} MB")
    figures["peak_rss_mb"] = round(peak, 1)
    return figures


def _child(backend: str, part: str, runs: int) -> dict[str, Any]:
    """Run one part in a subprocess, echoing its lines; its last line is its figures."""
    command = [sys.executable, __file__, backend, part, str(runs)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert process.stdout is not None
    last = ""
    for line in process.stdout:
        if last:
            print(last, flush=True)
        last = line.rstrip("\n")
    if process.wait() != 0:
        raise RuntimeError(f"the {backend} {part} benchmark failed (exit {process.returncode})")
    figures: dict[str, Any] = json.loads(last)
    return figures


def _backend(backend: str, runs: int) -> dict[str, Any]:
    print("== SQLite" if backend == "sqlite" else f"== PostgreSQL ({PG_URL})", flush=True)
    figures: dict[str, Any] = {}
    peaks: dict[str, float] = {}
    for part in PARTS:
        found = _child(backend, part, runs)
        peaks[part] = found.pop("peak_rss_mb")
        figures.update(found)
    figures["peak_rss_mb"] = max(peaks.values())
    figures["peak_rss_mb_by_part"] = peaks
    print(
        f"peak RSS: {figures['peak_rss_mb']:,.0f} MB (target <= 200 MB; "
        + ", ".join(f"{part} {mb:,.0f} MB" for part, mb in peaks.items())
        + ")",
        flush=True,
    )
    return figures


def bench_store(runs: int) -> dict[str, Any]:
    """The store benchmark on SQLite, then on PostgreSQL (see the module docstring).

    Args:
        runs: runs per ingest and matching figure (the median is reported).
    """
    figures = _backend("sqlite", runs)
    figures["postgres"] = _backend("postgresql", runs)
    return figures


if __name__ == "__main__":
    print(json.dumps(_phase(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
