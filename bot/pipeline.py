"""Where every source's articles go: analyse, store, count, and notify subscribers of new ones."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.metrics import Metrics
from bot.notifier import Notifier
from bot.periods import Clock
from briefings.errors import BriefingError
from briefings.model import ActorInfo, Analysis, Article
from briefings.store import SaveOutcome, Store

log = logging.getLogger(__name__)

Analyse = Callable[[Article], Analysis]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: the article id and the store's verdict, or why not."""

    id: str | None
    outcome: SaveOutcome | None
    error: str | None = None


class Pipeline:
    """Analyses and stores articles from any source; new ones go to the notifier.

    Args:
        store: the store.
        analyse: the analysis (``Analyzer(...).analyse``).
        clock: the current time (the articles' arrival time).
        notifier: told about new articles; none in tests that do not need it.
        metrics: where to count articles and events.
        actors: gazetteer actors to store before the first article.
    """

    def __init__(
        self,
        store: Store,
        analyse: Analyse,
        *,
        clock: Clock,
        notifier: Notifier | None = None,
        metrics: Metrics | None = None,
        actors: Iterable[ActorInfo] = (),
    ) -> None:
        self._store = store
        self._analyse = analyse
        self._clock = clock
        self._notifier = notifier
        self._metrics = metrics
        self._actors: list[ActorInfo] | None = list(actors) or None

    async def articles(self, articles: Sequence[Article], source: str) -> list[Outcome]:
        """Analyse and store parsed articles; one outcome per article, in order.

        Args:
            articles: the articles.
            source: the kind of source, for metrics and logs (``feed``, ``folder``, ``push``).
        """
        now = self._clock()
        if self._actors is not None:
            await self._store.sync_actors(self._actors, now=now)
            self._actors = None
        analyses: list[Analysis] = []
        out: list[Outcome | None] = []
        for article in articles:
            try:
                analysis = self._analyse(article)
                analyses.append(analysis)
                out.append(None)
                for warning in analysis.warnings:
                    log.warning("%s: %s (stored with the rest)", article.id, warning)
            except BriefingError as exc:
                out.append(Outcome(article.id, None, str(exc)))
                self._reject(source, article.id, str(exc))
            except Exception as exc:  # a bug in the analysis must not stop the other articles
                log.exception("analysing %s failed", article.id)
                reason = f"analysis failed ({type(exc).__name__}: {exc})"
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
            result.append(Outcome(analysis.article.id, outcome))
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
                "%s: %d articles (%s)",
                source,
                len(result),
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
        from briefings.parsing import detect_format, parse, parse_feed, parse_json_many

        now = self._clock()
        try:
            kind = format
            if kind == "auto":
                kind = detect_format(data[:65536].decode("utf-8", "replace"), name)
            if kind == "feed":
                articles = list(parse_feed(data, source=name, fetched=now))
            elif kind == "json" and url is None and published is None:
                articles = list(parse_json_many(data, source=name, fetched=now))
            else:
                articles = [
                    parse(data, kind, source=name, url=url, published=published, fetched=now)
                ]
        except BriefingError as exc:
            self._reject(source, name, str(exc))
            return [Outcome(name, None, str(exc))]
        for article in articles:
            for note in article.notes:
                log.warning("%s: %s", name or article.id, note)
        return await self.articles(articles, source)

    def _reject(self, source: str, name: str | None, reason: str) -> None:
        log.warning("%s: %s rejected: %s", source, name or "input", reason)
        if self._metrics is not None:
            self._metrics.rejected.labels(source).inc()
