"""The analyser never loses an article: any date form and name shape, and a failing stage."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefings.analysis.pipeline as analysis_module
from briefings.analysis.pipeline import Analyzer
from briefings.formats import parse
from briefings.model import Analysis


@cache
def _analyzer() -> Analyzer:
    return Analyzer()


def _analyse(text: str, published: date | None = date(2026, 2, 18)) -> Analysis:
    return _analyzer().analyse(parse(text, "text", published=published))


_MONTHS = (
    "January February March April May June July August September October November December"
    " Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Jan. Feb. Mar. Sept. Oct. Dec."
).split()
_ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


@st.composite
def _dates(draw: st.DrawFn) -> str:
    """A date in one of the everyday forms (valid or not: "February 31st" must not raise)."""
    day = draw(st.integers(0, 39))
    suffix = _ORDINAL.get(day, "th")
    month = draw(st.sampled_from(_MONTHS))
    year = draw(st.integers(1890, 2039))
    other = draw(st.integers(0, 39))
    forms = [
        f"on {month} {day}{suffix}",
        f"{month} {day}{suffix}, {year}",
        f"the {day}{suffix} of {month}",
        f"on the {day}{suffix} of {month} {year}",
        f"on {day}{suffix} {month}",
        f"on {day} {month} {year}",
        f"on {month} {day}",
        f"{month}. {day}",
        f"mid-{month}",
        f"in early {month}",
        f"between {day} and {other} {month}",
        f"from {day}{suffix} to {other}{suffix} {month} {year}",
        f"on {day}–{other} {month}",
        f"{year}-{day:02d}-{other:02d}",
        f"{day}/{other}/{year}",
        f"{day}.{other}.{year}",
        f"between {year} and {year + 3}",
        f"in {year}–{year + 1}",
        f"in the {year // 10 * 10}s",
        f"on {draw(st.sampled_from(['Monday', 'Sunday', 'Friday']))}",
        draw(st.sampled_from(["yesterday", "today", "last week", "last night", "this year"])),
        f"in the past {draw(st.sampled_from(['18', 'two', 'a', 'several']))} months",
        f"{draw(st.sampled_from(['two', 'ten', '3']))} days later",
        "the following day",
    ]
    return draw(st.sampled_from(forms))


_NAMES = (
    "Secretary of State Jane Roe",
    "President Roe",
    "Defense Minister Ali Bako",
    "Peter K. Obi Jr.",
    "John T. Mensah III",
    "Hamid al-Rashidi",
    "Omar bin Laden",
    "Anna van der Berg",
    "Abdel Karim",
    "Abdul Karim",
    "the Border Security Apparatus (BSA)",
    "the 212th Mechanised Brigade",
    "the Party of Unity and Progress",
    "Los Caimanes del Norte",
    "Trans-Sahel Logistics, S.A.",
    "X-9",
    "FLN-DR",
    "the Roe administration",
    "Kenyan security forces",
    "Russia",
    "JNIM",
    "I",
    "we",
    "They",
)
_VERBS = (
    "attacked",
    "captured",
    "seized",
    "supplied drones to",
    "urged",
    "accused",
    "met",
    "sanctioned",
    "withdrew from",
    "said it had killed",
    "announced the capture of",
    "condemned the assassination of",
)


@st.composite
def _sentences(draw: st.DrawFn) -> str:
    subject = draw(st.sampled_from(_NAMES))
    verb = draw(st.sampled_from(_VERBS))
    obj = draw(st.sampled_from(_NAMES))
    when = draw(_dates())
    place = draw(st.sampled_from(["", " in Mali", " near the border with Niger", " at Tower 7"]))
    if draw(st.booleans()):
        return f"{when[0].upper()}{when[1:]}, {subject} {verb} {obj}{place}."
    return f"{subject[0].upper()}{subject[1:]} {verb} {obj}{place} {when}."


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_sentences(), min_size=1, max_size=5),
    st.sampled_from([None, date(2026, 2, 18), date(2024, 1, 1)]),
)
def test_news_like_sentences_never_raise(sentences: list[str], published: date | None) -> None:
    text = "Fighting flares\n" + " ".join(sentences) + "\n"
    analysis = _analyse(text, published)
    assert analysis.warnings == ()
    for event in analysis.events:
        assert event.text in analysis.article.text


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("on March 6th", "2025-03-06"),
        ("on July 3rd", "2025-07-03"),
        ("on the 1st of May", "2025-05-01"),
        ("on February 2nd, 2026", "2026-02-02"),
    ],
)
def test_ordinal_dates_date_the_event(phrase: str, value: str) -> None:
    analysis = _analyse(f"Clashes in the north\nRebels attacked the army base {phrase}.\n")
    assert analysis.warnings == ()
    assert [e.date.value if e.date else None for e in analysis.events] == [value]


def test_a_failing_stage_becomes_a_warning_and_keeps_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> tuple[()]:
        raise RuntimeError("rule exploded")

    monkeypatch.setattr(analysis_module, "extract_events", broken)
    analysis = _analyse(
        "Army retakes town\nThe Malian army attacked JNIM in Kidal on 3 May. "
        "JNIM fighters withdrew from the town after two days of fighting.\n"
    )
    assert analysis.events == ()
    assert len(analysis.warnings) == 1
    assert "event extraction failed (RuntimeError: rule exploded)" in analysis.warnings[0]
    assert {a.name for a in analysis.actors} >= {"JNIM"}
    assert analysis.summary.key_points


def test_a_failing_summary_falls_back_to_the_title(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("bad rank")

    monkeypatch.setattr(analysis_module, "summarise", broken)
    analysis = _analyse("Army retakes town\nThe Malian army attacked JNIM in Kidal on 3 May.\n")
    assert analysis.summary.tldr == "Army retakes town"
    assert [k.text for k in analysis.summary.key_points] == [
        "The Malian army attacked JNIM in Kidal on 3 May."
    ]
    assert analysis.events
    assert "summary failed (ValueError: bad rank)" in analysis.warnings[0]
