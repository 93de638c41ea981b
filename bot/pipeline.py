"""Where every source's articles go: read, analyse, store, count, and notify subscribers.

Reading and analysis go through an :class:`~bot.workers.Analyst` — in ``briefbot run`` the
worker pool, so that no article, however large, holds up the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.metrics import Metrics
from bot.notifier import Notifier
from bot.workers import Analyst, ReadRequest
from briefings.errors import BriefingError
from briefings.model import ActorInfo, Analysis, Article
from briefings.service.schedules import Clock
from briefings.store import SaveOutcome, Store
from briefings.text.prose import body_problem

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: the article id and the store's verdict, or why not."""

    id: str | None
    outcome: SaveOutcome | None
    error: str | None = None
    title: str | None = None
    words: int | None = None


class Pipeline:
    """Analyses and stores articles from any source; new ones go to the notifier.

    Args:
        store: the store.
        analyst: reads inputs and analyses articles (the worker pool, or inline).
        clock: the current time (the articles' arrival time).
        notifier: told about new articles; none in tests that do not need it.
        metrics: where to count articles and events.
        actors: gazetteer actors to store before the first article.
    """

    def __init__(
        self,
        store: Store,
        analyst: Analyst,
        *,
        clock: Clock,
        notifier: Notifier | None = None,
        metrics: Metrics | None = None,
        actors: Iterable[ActorInfo] = (),
    ) -> None:
        self._store = store
        self._analyst = analyst
        self._clock = clock
        self._notifier = notifier
        self._metrics = metrics
        self._actors: list[ActorInfo] | None = list(actors) or None

    async def prepare(self) -> None:
        """Store the gazetteer's actors, once, before the first article (a start-up step)."""
        if self._actors is not None:
            await self._store.sync_actors(self._actors, now=self._clock())
            self._actors = None

    async def articles(self, articles: Sequence[Article], source: str) -> list[Outcome]:
        """Analyse and store parsed articles; one outcome per article, in order.

        Args:
            articles: the articles.
            source: the kind of source, for metrics and logs (``feed``, ``folder``, ``push``).
        """
        now = self._clock()
        await self.prepare()
        analyses: list[Analysis] = []
        out: list[Outcome | None] = []
        results = await asyncio.gather(
            *(self._analyst.analyse(a) for a in articles), return_exceptions=True
        )
        for article, got in zip(articles, results, strict=True):
            if isinstance(got, Analysis):
                for note in got.article.notes[len(article.notes) :]:
                    log.warning("%s: %s", article.id, note)
                for warning in got.warnings:
                    log.warning("%s: %s (stored with the rest)", article.id, warning)
                analyses.append(got)
                out.append(None)
                continue
            if isinstance(got, BriefingError):
                reason = str(got)
            elif isinstance(got, Exception):
                log.error("analysing %s failed", article.id, exc_info=got)
                reason = f"analysis failed ({type(got).__name__}: {got})"
            else:  # cancelled: the bot is stopping
                raise got
            out.append(Outcome(article.id, None, reason))
            self._reject(source, article.id, reason)
        outcomes = await self._store.save_many(analyses, now=now) if analyses else []
        done = iter(zip(analyses, outcomes, strict=True))
        result: list[Outcome] = []
        new: list[Analysis] = []
        for slot in out:
            if slot is not None:
                result.append(slot)
                continue
            analysis, outcome = next(done)
            article = analysis.article
            result.append(
                Outcome(article.id, outcome, title=article.title, words=article.word_count)
            )
            if self._metrics is not None:
                self._metrics.articles.labels(source, outcome).inc()
                if outcome in ("new", "updated"):
                    self._metrics.events.inc(len(analysis.events))
            if outcome == "new":
                new.append(analysis)
        if new and self._notifier is not None:
            await self._notifier.on_new(new, received=now)
        if result:
            log.info(
                "%s: %d article%s (%s)",
                source,
                len(result),
                "" if len(result) == 1 else "s",
                ", ".join(f"{o.id}: {o.outcome or o.error}" for o in result[:5])
                + (", …" if len(result) > 5 else ""),
            )
        return result

    async def data(
        self,
        data: bytes,
        *,
        source: str,
        name: str | None = None,
        format: str = "auto",
        url: str | None = None,
        published: date | None = None,
    ) -> list[Outcome]:
        """Parse raw input (one article, or a whole feed document) and store it.

        Args:
            data: the raw bytes.
            source: the kind of source (``folder``, ``push``).
            name: a file name or source label (also the article id without a URL).
            format: the input format, or ``auto``.
            url: the article's URL, if known.
            published: its publication date, if known.
        """
        now = self._clock()
        request = ReadRequest(format, source=name, url=url, published=published, fetched=now)
        try:
            articles = await self._analyst.read(data, request)
        except BriefingError as exc:
            self._reject(source, name, str(exc))
            return [Outcome(name, None, str(exc))]
        # A pushed or dropped input is held to what `briefbot ingest` asks of a file: a body
        # with at least one sentence, so that "x" is refused rather than stored as an article.
        outcomes: list[Outcome | None] = []
        kept: list[Article] = []
        for article in articles:
            problem = body_problem(article)
            if problem is not None:
                self._reject(source, name or article.id, problem)
                outcomes.append(Outcome(article.id, None, problem, title=article.title))
                continue
            for note in article.notes:
                log.warning("%s: %s", name or article.id, note)
            kept.append(article)
            outcomes.append(None)
        stored = iter(await self.articles(kept, source) if kept else [])
        return [o if o is not None else next(stored) for o in outcomes]

    def _reject(self, source: str, name: str | None, reason: str) -> None:
        log.warning("%s: %s rejected: %s", source, name or "input", reason)
        if self._metrics is not None:
            self._metrics.rejected.labels(source).inc()
