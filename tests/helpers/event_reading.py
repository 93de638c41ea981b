"""Events of short texts read by one shared analyser, for the event tests."""

from __future__ import annotations

from datetime import date
from functools import cache

from briefings.analysis.pipeline import Analyzer
from briefings.formats import parse
from briefings.model import Event


@cache
def analyzer() -> Analyzer:
    """One analyser over the shipped gazetteer and dictionaries, built once."""
    return Analyzer()


def events(*paragraphs: str) -> tuple[Event, ...]:
    """The events of a plain-text article of ``paragraphs``, published 18 February 2026."""
    text = "Headline\n" + "\n".join(paragraphs) + "\n"
    return analyzer().analyse(parse(text, "text", published=date(2026, 2, 18))).events
