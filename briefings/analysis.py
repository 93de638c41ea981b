"""The analysis pipeline: an article in, its sentences, actors, events and summary out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefings.actors import ActorFinder
from briefings.events import extract_events
from briefings.gazetteer import Gazetteer
from briefings.model import Analysis, Article
from briefings.sentences import split_sentences
from briefings.summary import PRESETS, summarise


class Analyzer:
    """Runs the whole core analysis; build one and reuse it (it holds the actor automaton).

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
        sentences = split_sentences(article)
        findings = self._finder.find(article, sentences)
        events = extract_events(article, sentences, findings)
        summary = summarise(article, sentences, findings.actors, events, preset=self.preset)
        return Analysis(
            article=article,
            sentences=sentences,
            actors=findings.actors,
            events=events,
            summary=summary,
            places=findings.places,
        )
