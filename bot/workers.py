"""Analysis off the event loop: worker processes read and analyse articles within limits.

Parsing and analysis are pure CPU work. Run on the event loop, one large article would
hold up everything else the bot does — Slack's 3-second acknowledgements, Discord
interactions, ``/healthz``, the outbox. :class:`AnalysisPool` runs them in worker
processes instead: a process pool, not threads, because the analysis is pure Python and a
second thread would share one core through the GIL while a second process has a core of
its own. By default it has one worker fewer than the machine has cores (at least one), so
a core stays free for the event loop, and workers run at a lower priority than the bot.

Every article is analysed within two limits (``[analysis]`` in the config):

- ``max_words``: words past the cap are kept with the article (stored, shown, searchable
  as text) but not analysed; the article carries a note saying so.
- ``time_limit``: an analysis that runs longer is stopped; the article is stored with its
  sentences and an extractive summary but no actors or events, and a note saying why.

An unexpected error inside the analysis is treated the same way: the article is stored,
never lost. Only input the readers refuse (empty, binary, too large) is rejected.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from types import FrameType
from typing import Any, Protocol, TypeVar

from briefings.analysis.pipeline import Analyzer
from briefings.analysis.summary import summarise
from briefings.errors import BriefingError, ParseError
from briefings.model import Analysis, Article
from briefings.service.ingest import read_articles
from briefings.text.sentences import split_sentences

log = logging.getLogger(__name__)

T = TypeVar("T")

NICENESS = 5
"""How much lower than the bot's the workers' scheduling priority is."""

OWNER_CHECK = 1.0
"""How often (seconds) a worker checks that the bot that started it still runs."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of an article is analysed and for how long.

    Args:
        max_words: words analysed per article; the rest is kept, not analysed.
        time_limit: seconds one article's analysis may take (None: no limit).
    """

    max_words: int
    time_limit: float | None = None


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """How to read one input: its format and what is known about it already."""

    format: str = "auto"
    source: str | None = None
    url: str | None = None
    published: date | None = None
    fetched: datetime | None = None


class Analyst(Protocol):
    """What the pipeline needs: inputs read into articles, articles analysed."""

    async def read(self, data: bytes, request: ReadRequest) -> list[Article]:
        """Every article of one input (see :func:`briefings.service.ingest.read_articles`)."""
        ...

    async def analyse(self, article: Article) -> Analysis:
        """The article's analysis, within the limits; raises BriefingError to reject it."""
        ...


class Overtime(BaseException):
    """An analysis ran past its time limit.

    A BaseException, like KeyboardInterrupt, so that no rule's ``except Exception`` can
    swallow it and carry on past the limit.
    """


def read(data: bytes, request: ReadRequest) -> list[Article]:
    """Every article of one input: the one bytes → articles path of every source."""
    return read_articles(
        data,
        request.format,
        source=request.source,
        url=request.url,
        published=request.published,
        fetched=request.fetched,
    )


def analyse_within(analyzer: Analyzer, article: Article, limits: Limits) -> Analysis:
    """Analyse an article within the word cap and the time limit; never lose it.

    Over the cap, only the first ``max_words`` words (whole blocks) are analysed and the
    full article is kept. Past the time limit, or on an unexpected error, the article keeps
    its sentences and a summary, without actors or events, and a note says why.

    Args:
        analyzer: the analysis.
        article: the article.
        limits: the word cap and the time limit (the limit needs the main thread).
    """
    capped = cap_words(article, limits.max_words)
    try:
        with _deadline(limits.time_limit):
            analysis = analyzer.analyse(capped)
    except Overtime:
        note = (
            f"analysis stopped after {limits.time_limit:g} s (analysis.time_limit); "
            "stored without actors and events"
        )
        return bare(analyzer, article, note)
    except BriefingError:
        raise
    except Exception as exc:  # a bug in a rule must not lose the article
        # No logging here (a worker's output is not the bot's log): the note says where.
        where = traceback.extract_tb(exc.__traceback__)[-1]
        note = (
            f"analysis failed ({type(exc).__name__}: {exc} at "
            f"{Path(where.filename).name}:{where.lineno}); stored without actors and events"
        )
        return bare(analyzer, article, note)
    if capped is article:
        return analysis
    note = (
        f"only the first {limits.max_words:,} words were analysed (analysis.max_words); "
        "the rest is kept"
    )
    return replace(analysis, article=replace(article, notes=(*article.notes, note)))


def cap_words(article: Article, max_words: int) -> Article:
    """The article cut after the block that reaches ``max_words`` words (itself if shorter).

    The cut keeps whole blocks and the title, so every offset stays valid in the full text.
    """
    if article.word_count <= max_words:
        return article
    words = 0
    kept = 0
    for n, block in enumerate(article.blocks):
        words += len(block.text.split())
        kept = n + 1
        if words >= max_words and block.kind not in ("title", "subtitle"):
            break
    blocks = article.blocks[:kept]
    end = blocks[-1].end
    sections = tuple(
        replace(s, blocks=tuple(b for b in s.blocks if b.end <= end)) for s in article.sections
    )
    return replace(article, blocks=blocks, sections=sections, text=article.text[:end])


def bare(analyzer: Analyzer, article: Article, note: str) -> Analysis:
    """The article with its sentences and summary only, and a note saying why."""
    noted = replace(article, notes=(*article.notes, note))
    sentences = split_sentences(noted)
    summary = summarise(noted, sentences, (), (), preset=analyzer.preset)
    return Analysis(article=noted, sentences=sentences, actors=(), events=(), summary=summary)


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`Overtime` in this (main) thread once ``seconds`` have passed."""
    if seconds is None:
        yield
        return

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Overtime

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class InlineAnalyst:
    """Reads and analyses on the caller's thread: for one-shot tools (the demo, tests).

    Args:
        analyzer: the analysis.
        max_words: words analysed per article.
    """

    def __init__(self, analyzer: Analyzer, *, max_words: int = 60_000) -> None:
        self._analyzer = analyzer
        self._limits = Limits(max_words)

    async def read(self, data: bytes, request: ReadRequest) -> list[Article]:
        return read(data, request)

    async def analyse(self, article: Article) -> Analysis:
        return analyse_within(self._analyzer, article, self._limits)


# The worker side: one analyzer per worker process, built once. ---------------------------

_worker: tuple[Analyzer, Limits] | None = None


def _start_worker(actors: tuple[Path, ...], preset: str, limits: Limits, owner: int) -> None:
    global _worker  # noqa: PLW0603 -- a worker process holds one analyzer for its lifetime
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the bot's; it closes the pool.
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    threading.Thread(target=_outlive_not, args=(owner,), name="owner watch", daemon=True).start()
    _worker = (Analyzer.with_extra_actors(actors, preset=preset), limits)


def _outlive_not(owner: int) -> None:
    """End this worker once the bot that started it is gone (killed, say, with SIGKILL).

    A worker's parent is the fork server, not the bot, and it holds the fork server's
    "alive" pipe: a worker left waiting for work would keep both, their memory and the
    bot's output pipes, for ever.
    """
    while True:
        time.sleep(OWNER_CHECK)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:  # the pid now belongs to another user's process
            os._exit(0)


def _work_analyse(article: Article) -> list[bytes]:
    if _worker is None:
        raise RuntimeError("the analysis worker was not started")
    analyzer, limits = _worker
    return pack(analyse_within(analyzer, article, limits))


_PARTS = ("sentences", "actors", "events", "places")
_PART_ITEMS = 200


def pack(analysis: Analysis) -> list[bytes]:
    """An analysis as pickled parts of a few hundred items each.

    Unpickling is one call that holds the interpreter lock throughout: a long article's
    analysis in one piece would stop the event loop for as long as it takes (about half a
    second for 60,000 words). In parts, the loop gets its turn between two of them.
    """
    shell = replace(analysis, sentences=(), actors=(), events=(), places=())
    out = [pickle.dumps(shell, pickle.HIGHEST_PROTOCOL)]
    for name in _PARTS:
        items = getattr(analysis, name)
        for start in range(0, len(items), _PART_ITEMS):
            part = (name, items[start : start + _PART_ITEMS])
            out.append(pickle.dumps(part, pickle.HIGHEST_PROTOCOL))
    return out


def unpack(parts: Sequence[bytes]) -> Analysis:
    """The analysis :func:`pack` made parts of."""
    shell: Analysis = pickle.loads(parts[0])
    found: dict[str, list[Any]] = {name: [] for name in _PARTS}
    for blob in parts[1:]:
        name, items = pickle.loads(blob)
        found[name].extend(items)
    return replace(
        shell,
        sentences=tuple(found["sentences"]),
        actors=tuple(found["actors"]),
        events=tuple(found["events"]),
        places=tuple(found["places"]),
    )


class AnalysisPool:
    """Reads and analyses in worker processes, started on first use.

    Args:
        workers: how many processes; 0 picks one fewer than the cores, at least one.
        limits: the word cap and the per-article time limit.
        actors: extra gazetteer files.
        preset: the summary preset.
    """

    def __init__(
        self,
        *,
        workers: int,
        limits: Limits,
        actors: Sequence[Path] = (),
        preset: str = "standard",
    ) -> None:
        self.workers = workers or max(1, (os.cpu_count() or 2) - 1)
        self._limits = limits
        self._actors = tuple(actors)
        self._preset = preset
        self._executor: ProcessPoolExecutor | None = None
        self._fallback: Analyzer | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["bot.warmup"])
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self._actors, self._preset, self._limits, os.getpid()),
            )
        return self._executor

    async def read(self, data: bytes, request: ReadRequest) -> list[Article]:
        try:
            return await self._submit(read, data, request)
        except BrokenProcessPool:
            raise ParseError("reading this input stopped the worker process") from None

    async def analyse(self, article: Article) -> Analysis:
        try:
            parts = await self._submit(_work_analyse, article)
        except BrokenProcessPool:
            log.error("analysing %s stopped the worker process twice", article.id)
            note = "analysis stopped its worker process; stored without actors and events"
            analyzer = await asyncio.to_thread(self._local)
            return await asyncio.to_thread(bare, analyzer, article, note)
        return await asyncio.to_thread(unpack, parts)

    async def _submit(self, fn: Callable[..., T], *args: object) -> T:
        """Run ``fn(*args)`` in a worker; a pool whose worker died is replaced, once."""
        for attempt in (1, 2):
            pool = self._pool()
            try:
                # submit() may start a worker process: off the loop, as it takes a while.
                future = await asyncio.to_thread(pool.submit, fn, *args)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                log.warning("an analysis worker died; starting the pool again")
                if self._executor is pool:
                    self._executor = None
                    pool.shutdown(wait=False, cancel_futures=True)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _local(self) -> Analyzer:
        if self._fallback is None:
            self._fallback = Analyzer.with_extra_actors(self._actors, preset=self._preset)
        return self._fallback

    async def close(self) -> None:
        """Stop the workers (work in flight is abandoned: it was not yet stored)."""
        if self._executor is not None:
            executor, self._executor = self._executor, None
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)
