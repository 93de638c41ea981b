"""The analysis pipeline: an article in, its sentences, actors, events and summary out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from briefings.analysis.actors.finder import ActorFinder
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.analysis.events.extraction import extract_events
from briefings.analysis.summary import PRESETS, summarise
from briefings.model import (
    ActorFindings,
    Analysis,
    Article,
    Event,
    KeyPoint,
    Sentence,
    Summary,
)
from briefings.text.sentences import split_sentences

log = logging.getLogger(__name__)


class Analyzer:
    """Runs the whole core analysis; build one and reuse it (it holds the actor automaton).

    A stage that raises never loses the article: the failure becomes a warning on the
    analysis (:attr:`Analysis.warnings`) and the stages after it work from what the
    earlier ones produced (no sentences: one per block; no actors; no events; a summary
    of the title alone).

    Args:
        gazetteer: the actor gazetteer; the bundled one when omitted.
        preset: summary preset, one of ``short``, ``standard`` or ``full``.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, preset: str = "standard") -> None:
        if preset not in PRESETS:
            raise ValueError(
                f"unknown summary preset {preset!r}; choose one of {', '.join(PRESETS)}"
            )
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.default()
        self.preset = preset
        self._finder = ActorFinder(self.gazetteer)

    @classmethod
    def with_extra_actors(cls, paths: Sequence[Path], *, preset: str = "standard") -> Analyzer:
        """An analyzer whose gazetteer is the bundled one extended by the given files."""
        return cls(Gazetteer.load(paths), preset=preset)

    def analyse(self, article: Article) -> Analysis:
        """Analyse one article: sentences, actors and places, events, then the summary."""
        warnings: list[str] = []
        try:
            sentences = split_sentences(article)
        except Exception as exc:  # a bug in one stage must not lose the article
            sentences = _block_sentences(article)
            warnings.append(_failed("sentence splitting", article, exc))
        try:
            findings = self._finder.find(article, sentences)
        except Exception as exc:
            findings = ActorFindings((), (), ())
            warnings.append(_failed("actor finding", article, exc))
        events: tuple[Event, ...]
        try:
            events = extract_events(article, sentences, findings, warnings=warnings)
        except Exception as exc:
            events = ()
            warnings.append(_failed("event extraction", article, exc))
        try:
            summary = summarise(article, sentences, findings.actors, events, preset=self.preset)
        except Exception as exc:
            summary = _title_summary(article, sentences, self.preset)
            warnings.append(_failed("summary", article, exc))
        return Analysis(
            article=article,
            sentences=sentences,
            actors=findings.actors,
            events=events,
            summary=summary,
            places=findings.places,
            warnings=tuple(warnings),
        )


def _failed(stage: str, article: Article, exc: Exception) -> str:
    """The warning for a failed stage (the traceback goes to the log)."""
    log.warning("%s failed on %s", stage, article.id, exc_info=exc)
    return f"{stage} failed ({type(exc).__name__}: {exc}); its results are missing"


def _block_sentences(article: Article) -> tuple[Sentence, ...]:
    """One sentence per block: the fallback when sentence splitting fails."""
    return tuple(
        Sentence(i, b.text, b.start, b.end, i, b.section, b.kind)
        for i, b in enumerate(article.blocks)
    )


def _title_summary(article: Article, sentences: Sequence[Sentence], preset: str) -> Summary:
    """The fallback summary: the title as TL;DR and the first body sentence as key point."""
    body = [s for s in sentences if s.kind in ("paragraph", "bullet")]
    points = (KeyPoint(body[0].text, body[0].index),) if body else ()
    return Summary(article.title or (body[0].text if body else ""), points, preset)
