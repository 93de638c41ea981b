"""Large benchmark stores: the cached 100k-article SQLite file, and templated stores anywhere.

The Slack, Discord and store benchmarks query a store of 100,000 generated articles
(:mod:`corpus`, seed 7, 300-500 words). It is built once and cached in the user cache
directory, under a name carrying a hash of the migrations (a store built under other
migrations is deleted and rebuilt). Analysing every one of the 100,000 articles would take
about 18 minutes, so :func:`build_templated` builds it from **pre-analysed templates**
instead, in a subprocess: it analyses 2,000 distinct generated articles once and stores
each of them many times under a new id, URL and publication date (shifted back a day
per round, up to 29), with a line ``Bench copy N.`` appended to the text so that each copy
has a fingerprint of its own. Actor, event and search-index rows are therefore those of
real analyses, but the corpus repeats its sentences every 2,000 articles; event dates
found in the text keep the template's dates. :func:`build_templated` also builds the
smaller PostgreSQL store of the store benchmark.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

STORE_ARTICLES = 100_000
TEMPLATES = 2000
FETCHED = datetime(2026, 10, 28, tzinfo=UTC)
"""When every article of a benchmark store was fetched."""

if TYPE_CHECKING:
    from briefings.model import Analysis


def analysed_templates(count: int = TEMPLATES, *, seed: int = 7) -> list[Analysis]:
    """Parse and analyse ``count`` generated articles of 300-500 words.

    Args:
        count: how many distinct articles.
        seed: the generator's seed.
    """
    from corpus import generate

    from briefings.analysis.pipeline import Analyzer
    from briefings.formats import parse

    analyzer = Analyzer()
    return [
        analyzer.analyse(parse(g.text.encode(), "text", published=g.published, fetched=FETCHED))
        for g in generate(count, min_words=300, max_words=500, seed=seed)
    ]


def copy_of(template: Analysis, n: int, *, prefix: str = "bench", shift_days: int = 0) -> Analysis:
    """Article ``n``: the template under a new id, URL and date, with a fingerprint of its own.

    Args:
        template: the analysed article to copy.
        n: the copy's number (unique within a store).
        prefix: the id's prefix.
        shift_days: how many days earlier it is published than the template.
    """
    article = template.article
    published = article.published
    if published is not None and shift_days:
        published -= timedelta(days=shift_days)
    renamed = dataclasses.replace(
        article,
        id=f"https://{prefix}.example/{n}",
        url=f"https://{prefix}.example/{n}",
        source=None,
        published=published,
        text=f"{article.text}\nBench copy {prefix} {n}.\n",
    )
    return dataclasses.replace(template, article=renamed)


async def build_templated(
    url: str,
    count: int,
    *,
    schema: str | None = None,
    templates: list[Analysis] | None = None,
    batch: int = 1000,
    progress: Callable[[str], None] = print,
) -> None:
    """Store ``count`` copies of pre-analysed templates (see the module docstring).

    Args:
        url: the database URL.
        count: how many articles.
        schema: PostgreSQL only: the schema to build in.
        templates: the analysed templates (made with :func:`analysed_templates` if None).
        batch: articles per ``save_many`` transaction.
        progress: receives a line every 10 batches.
    """
    from briefings.store import Store

    started = time.perf_counter()
    if templates is None:
        templates = analysed_templates()
        progress(f"  analysed {len(templates)} templates ({time.perf_counter() - started:.0f} s)")
    store = await Store.open(url, schema=schema)
    try:
        chunk: list[Analysis] = []
        for n in range(count):
            rounds = n // len(templates)
            chunk.append(copy_of(templates[n % len(templates)], n, shift_days=rounds % 30))
            if len(chunk) == batch or n + 1 == count:
                await store.save_many(chunk, now=FETCHED)
                chunk = []
                if (n + 1) % (10 * batch) == 0:
                    progress(f"  stored {n + 1} articles ({time.perf_counter() - started:.0f} s)")
    finally:
        await store.close()


def _schema_tag() -> str:
    """A short hash of the migrations: a store built under other migrations is rebuilt."""
    digest = hashlib.blake2b(digest_size=4)
    for path in sorted((ROOT / "briefings" / "migrations" / "versions").glob("r*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_in_subprocess(url: str, count: int, schema: str | None = None) -> None:
    """Run :func:`build_templated` in a subprocess (its memory is not the caller's).

    Args:
        url: the database URL.
        count: how many articles.
        schema: PostgreSQL only: the schema to build in.
    """
    command = [sys.executable, __file__, url, str(count), *([schema] if schema else [])]
    subprocess.run(command, check=True)


async def store_path() -> Path:
    """The cached 100k-article SQLite store, built from templates when missing.

    The file name carries a hash of the migrations; files built under other migrations
    are deleted.
    """
    from platformdirs import user_cache_dir

    folder = Path(user_cache_dir("briefbot")) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"store-{STORE_ARTICLES}-{_schema_tag()}.db"
    if not path.exists() or path.stat().st_size == 0:  # empty: opened, never built
        for stale in (*folder.glob("slack-*.db*"), *folder.glob(f"store-{STORE_ARTICLES}-*")):
            stale.unlink(missing_ok=True)
        print(f"building a store of {STORE_ARTICLES} articles in {path} (once, from templates)")
        partial = path.with_suffix(".partial")
        await asyncio.to_thread(
            build_in_subprocess, f"sqlite+aiosqlite:///{partial}", STORE_ARTICLES
        )
        for extra in ("-wal", "-shm"):
            Path(f"{partial}{extra}").unlink(missing_ok=True)
        partial.rename(path)
    return path


if __name__ == "__main__":
    asyncio.run(
        build_templated(sys.argv[1], int(sys.argv[2]), schema=sys.argv[3] if sys.argv[3:] else None)
    )
