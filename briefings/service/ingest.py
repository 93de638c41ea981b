"""Ingest: files, directories, globs or stdin → parse → analyse → store, idempotently.

A file that cannot be read, parsed or analysed is *rejected* with its reason and the
rest go on. A feed file gives every entry, a JSON list every object. Articles are saved
in batches (one transaction each) of at most :data:`BATCH_ARTICLES` articles and
:data:`BATCH_WORDS` words, so the analyses held at once stay bounded in memory however
long the articles are; every article ends up ``new``, ``updated``, ``unchanged`` or
``duplicate`` (see :meth:`Store.save_many`).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from briefings.errors import BriefingError, InputTooLargeError, ParseError
from briefings.formats import MAX_INPUT_BYTES, parse, parse_feed, parse_json_many
from briefings.formats.decoding import decode
from briefings.formats.detect import detect_format
from briefings.model import ActorInfo, Analysis, Article
from briefings.service.inputs import Input, Rejection, Skipped, expand
from briefings.store import SaveOutcome, Store
from briefings.text.prose import body_problem

log = logging.getLogger(__name__)

BATCH_ARTICLES = 500
"""The most articles saved in one transaction."""
BATCH_WORDS = 200_000
"""The most words (of article text) saved in one transaction: 500 articles of 400 words,
about 215 of 930 words (an analysed 930-word article holds about 100 KB)."""

_MARKUP_OR_JSON = frozenset(b"<{[\xef\xfe\xff\x00")
"""First bytes of markup, JSON, or text with a byte-order mark (detected after decoding)."""

Analyse = Callable[[Article], Analysis]
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: how many articles of each outcome, and every rejection."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def stored(self) -> int:
        """How many inputs were read and analysed (whatever the store made of them)."""
        return self.new + self.updated + self.unchanged + self.duplicate

    def add(self, outcome: SaveOutcome) -> None:
        """Count one save outcome."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary_line(self) -> str:
        """The closing line: ``3 new, 1 updated, 40 unchanged, 0 duplicate, 2 rejected``."""
        return (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.duplicate} duplicate, {len(self.rejected)} rejected"
        )


class _Batch:
    """Analyses waiting for their transaction, and whether it is time to save them."""

    def __init__(self, articles: int, words: int) -> None:
        self.articles = articles
        self.words = words
        self.items: list[Analysis] = []
        self._words = 0

    def add(self, analyses: Iterable[Analysis]) -> None:
        for analysis in analyses:
            self.items.append(analysis)
            self._words += analysis.article.word_count

    @property
    def full(self) -> bool:
        return len(self.items) >= self.articles or self._words >= self.words

    def take(self) -> list[Analysis]:
        items, self.items, self._words = self.items, [], 0
        return items


def batched(
    analyses: Iterable[Analysis], *, articles: int = BATCH_ARTICLES, words: int = BATCH_WORDS
) -> Iterator[list[Analysis]]:
    """``analyses`` in the batches :class:`Ingestor` saves them in.

    Args:
        analyses: analysed articles (consumed lazily).
        articles: the most articles in a batch.
        words: the most words in a batch (a longer article alone makes a batch).
    """
    batch = _Batch(articles, words)
    for analysis in analyses:
        batch.add((analysis,))
        if batch.full:
            yield batch.take()
    if batch.items:
        yield batch.take()


class Ingestor:
    """Reads, analyses and stores articles.

    Args:
        store: where articles go.
        analyse: the analysis, usually ``Analyzer(...).analyse``.
        actors: gazetteer actors to store before the first article (so every known
            actor can be looked up, mentioned or not).
        format: the input format for every file, or ``auto`` to detect it per file.
        batch_size: the most articles saved per transaction.
        batch_words: the most words saved per transaction.
    """

    def __init__(
        self,
        store: Store,
        analyse: Analyse,
        *,
        actors: Iterable[ActorInfo] = (),
        format: str = "auto",
        batch_size: int = BATCH_ARTICLES,
        batch_words: int = BATCH_WORDS,
    ) -> None:
        self.store = store
        self.analyse = analyse
        self.format = format
        self.batch_size = max(1, batch_size)
        self.batch_words = max(1, batch_words)
        self._actors: list[ActorInfo] | None = list(actors) or None

    async def ingest(
        self,
        inputs: Sequence[str],
        *,
        now: datetime,
        stdin: BinaryIO | None = None,
        published: date | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest files, directories, globs and ``-`` (standard input).

        Args:
            inputs: what to ingest.
            now: the current time: the fetch time of every article read now.
            stdin: the stream ``-`` reads (standard input's binary buffer by default).
            published: a publication date for every article (overrides the inputs').
            progress: called with (done, total) after each input.
        """
        skipped: list[Skipped] = []
        items, rejected = expand(inputs, skipped)
        report = IngestReport(rejected=list(rejected), skipped=skipped)
        await self._sync_actors(now)
        async with _Saver(self.store, now, report) as saver:
            batch = _Batch(self.batch_size, self.batch_words)
            for done, item in enumerate(items, start=1):
                batch.add(
                    self._read(item, now=now, stdin=stdin, published=published, report=report)
                )
                if batch.full:
                    await saver.save(batch.take())
                if progress is not None:
                    progress(done, len(items))
                await asyncio.sleep(0)
            await saver.save(batch.take())
        return report

    async def ingest_articles(self, articles: Iterable[Article], *, now: datetime) -> IngestReport:
        """Analyse and store articles already parsed (from a feed, a push endpoint).

        Args:
            articles: the parsed articles.
            now: the current time (the fetch time of articles that carry none).
        """
        report = IngestReport()
        await self._sync_actors(now)
        async with _Saver(self.store, now, report) as saver:
            batch = _Batch(self.batch_size, self.batch_words)
            for article in articles:
                analysis = self._analyse(article, article.id, report)
                if analysis is not None:
                    batch.add((analysis,))
                if batch.full:
                    await saver.save(batch.take())
                await asyncio.sleep(0)
            await saver.save(batch.take())
        return report

    async def _sync_actors(self, now: datetime) -> None:
        if self._actors is not None:
            await self.store.sync_actors(self._actors, now=now)
            self._actors = None

    def _read(
        self,
        item: Input,
        *,
        now: datetime,
        stdin: BinaryIO | None,
        published: date | None,
        report: IngestReport,
    ) -> list[Analysis]:
        try:
            data = _read_stdin(stdin) if item.path is None else _read_file(item.path)
            articles = read_articles(
                data,
                self.format,
                source=str(item.path) if item.path is not None else None,
                published=published,
                fetched=now,
            )
        except BriefingError as exc:
            report.rejected.append(Rejection(item.name, str(exc)))
            return []
        except OSError as exc:
            report.rejected.append(Rejection(item.name, f"cannot read it: {exc.strerror or exc}"))
            return []
        if len(articles) == 1:
            one = self._analyse(articles[0], item.name, report)
            return [] if one is None else [one]
        found = []
        for n, article in enumerate(articles, start=1):
            analysis = self._analyse(article, f"{item.name} (entry {n})", report)
            if analysis is not None:
                found.append(analysis)
        return found

    def _analyse(self, article: Article, name: str, report: IngestReport) -> Analysis | None:
        problem = body_problem(article)
        if problem is not None:
            report.rejected.append(Rejection(name, problem))
            return None
        try:
            return self.analyse(article)
        except BriefingError as exc:
            report.rejected.append(Rejection(name, str(exc)))
        except Exception as exc:  # a bug in the analysis must not stop the other files
            log.exception("analysing %s failed", name)
            report.rejected.append(
                Rejection(name, f"analysis failed ({type(exc).__name__}: {exc})")
            )
        return None


class _Saver:
    """Saves batches in the background, one at a time, while the next batch is analysed.

    The database works in its own thread (aiosqlite) or server, so reading and analysing
    the next files overlaps with storing the last batch.
    """

    def __init__(self, store: Store, now: datetime, report: IngestReport) -> None:
        self.store = store
        self.now = now
        self.report = report
        self._pending: asyncio.Task[list[SaveOutcome]] | None = None

    async def save(self, batch: list[Analysis]) -> None:
        """Wait for the previous batch, then start saving this one."""
        await self._wait()
        if batch:
            self._pending = asyncio.create_task(self.store.save_many(batch, now=self.now))

    async def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            for outcome in await pending:
                self.report.add(outcome)

    async def __aenter__(self) -> _Saver:
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            await self._wait()
        elif self._pending is not None:
            self._pending.cancel()
            await asyncio.gather(self._pending, return_exceptions=True)


def read_articles(
    data: bytes,
    format: str = "auto",
    *,
    source: str | None = None,
    url: str | None = None,
    published: date | None = None,
    fetched: datetime | None = None,
) -> list[Article]:
    """Every article of one input: each entry of a feed, each object of a JSON list.

    The one path from bytes to articles for every source (files, standard input, the
    watched folder, feeds and the push endpoint). Entries of a feed or a list that have no
    link or id of their own are told apart as ``source#1``, ``source#2``, …

    Args:
        data: the raw input.
        format: one of :data:`briefings.formats.FORMATS`; ``auto`` detects it.
        source: where the input came from (a path or a name).
        url: the article's URL, for an input that is one article (not a feed or a list).
        published: a publication date for every article (overrides the input's).
        fetched: when the input was read.

    Raises:
        BriefingError: the input cannot be parsed (see :func:`briefings.formats.parse`).
    """

    def one(kind: str) -> Article:
        return parse(data, kind, source=source, url=url, published=published, fetched=fetched)

    kind = format
    if format == "auto":
        # Only markup or JSON can be a feed or a list: plain text skips the detection here.
        head = data[:64].lstrip()
        if head and head[0] not in _MARKUP_OR_JSON:
            return [one(format)]
        text, _ = decode(data)
        kind = detect_format(text, source)
    articles: list[Article]
    if kind == "feed":
        articles = parse_feed(data, source=source, fetched=fetched)
    elif kind == "json" and url is None:
        try:
            articles = parse_json_many(data, source=source, fetched=fetched)
        except ParseError:
            if format == "json":
                raise
            # Not JSON after all: ``parse`` reads it as text (or says why it cannot).
            articles = [parse(data, format, source=source, fetched=fetched)]
    else:
        return [one(format)]
    if published is not None:
        articles = [replace(a, published=published) for a in articles]
    if source is not None and len(articles) > 1:
        # Entries without a link or an id of their own would all be the file itself.
        articles = [
            replace(a, id=f"{source}#{n}") if a.id == source else a
            for n, a in enumerate(articles, start=1)
        ]
    return articles


def _read_file(path: Path) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large("the file")
    return data


def _read_stdin(stdin: BinaryIO | None) -> bytes:
    stream = stdin if stdin is not None else sys.stdin.buffer
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large("standard input")
    return data


def _too_large(what: str) -> InputTooLargeError:
    return InputTooLargeError(
        f"{what} is larger than {MAX_INPUT_BYTES // 1_000_000} MB, the cap on one article"
    )
