"""Key points: the news sentence before background that names more actors or older events."""

from __future__ import annotations

from datetime import date
from functools import cache

from briefings.analysis.pipeline import Analyzer
from briefings.formats import parse


@cache
def _analyzer() -> Analyzer:
    return Analyzer()


def _points(text: str, published: date) -> list[str]:
    analysis = _analyzer().analyse(parse(text, "text", published=published))
    return [k.text for k in analysis.summary.key_points]


STORY = (
    "Drone strike hits Sahel base\n"
    "A drone struck a military base near Gao on Monday, officials said.\n"
    "Since 2012, Mali, Niger, Burkina Faso, Chad, Mauritania, France, Russia and the "
    "United Nations have all fought or funded operations against JNIM and the Islamic State.\n"
    "JNIM claimed responsibility for the strike on Tuesday.\n"
    "Mali has long been a partner of Russia, Turkey, China and the United Arab Emirates.\n"
    "In 2019, France and Chad launched joint operations against JNIM in the region.\n"
    "The army said three soldiers were killed and five were wounded.\n"
    "The Malian army evacuated twelve wounded soldiers from Gao on Tuesday.\n"
)


def test_the_news_sentence_beats_background_that_names_more_actors() -> None:
    points = _points(STORY, date(2026, 2, 18))
    assert points == [
        "JNIM claimed responsibility for the strike on Tuesday.",
        "The army said three soldiers were killed and five were wounded.",
        "The Malian army evacuated twelve wounded soldiers from Gao on Tuesday.",
    ]


def test_events_long_past_are_background() -> None:
    points = _points(STORY, date(2026, 2, 18))
    assert not any(p.startswith("In 2019") for p in points)


def test_key_value_fields_are_neither_the_lede_nor_key_points() -> None:
    text = (
        "Clashes in the north\n"
        "- Date: 2026-01-16\n"
        "- Place: the northern hills, near the border\n"
        "- Casualties: 12 soldiers killed, 30 wounded, 4,000 displaced\n"
        "On 16 January 2026, the Northern Front attacked army posts near the border.\n"
        "The army said it had repelled the attack.\n"
        "Casualties: the army said twelve soldiers were killed when the Northern Front overran "
        "a post near the border, and thirty were wounded.\n"
    )
    analysis = _analyzer().analyse(parse(text, "text", published=date(2026, 1, 18)))
    assert analysis.summary.tldr.startswith("On 16 January 2026, the Northern Front attacked")
    points = [k.text for k in analysis.summary.key_points]
    assert not any(p.startswith(("Date:", "Place:")) for p in points)
    assert any("twelve soldiers were killed" in p for p in points)
