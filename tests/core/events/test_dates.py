"""Date expressions resolved against a pinned reference date: every documented form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers.cases import CaseFile

from briefings.analysis.events.temporal import find_dates

CASES = CaseFile(Path(__file__).parent / "cases" / "dates.toml")

REF = date(2026, 4, 27)  # a Monday: the reference article's publication date


def one(text: str, reference: date | None = REF) -> tuple[str, str, str]:
    """The single date in ``text``: (value, precision, surface)."""
    found = find_dates(text, reference)
    assert len(found) == 1, found
    start, end, value = found[0]
    assert text[start:end] == value.surface
    return value.value, value.precision, value.surface


@CASES.cases("absolute_forms", "text", "value", "precision")
def test_absolute_forms(text: str, value: str, precision: str) -> None:
    assert one(text)[:2] == (value, precision)


@CASES.cases("relative_forms", "text", "value", "precision")
def test_relative_forms(text: str, value: str, precision: str) -> None:
    assert one(text)[:2] == (value, precision)


def test_yearless_day_takes_the_reference_year() -> None:
    assert one("On April 25, the offensive began.")[:2] == ("2026-04-25", "day")
    # A few days ahead is still this year (a date announced for the coming days).
    assert one("Talks are set for May 1.")[:2] == ("2026-05-01", "day")


def test_yearless_day_far_in_the_future_is_last_year() -> None:
    assert one("On December 28, the rebels attacked.")[:2] == ("2025-12-28", "day")
    assert one("On 5 January, talks began.", date(2026, 1, 3))[:2] == ("2026-01-05", "day")
    assert one("On 28 December, talks began.", date(2026, 1, 3))[:2] == ("2025-12-28", "day")


@CASES.cases("day_month_and_month_day_resolve_alike", "day_first", "month_first")
def test_day_month_and_month_day_resolve_alike(day_first: str, month_first: str) -> None:
    assert one(day_first)[:2] == one(month_first)[:2]


@CASES.cases("a_yearless_date_shares_the_year_of_the_next", "text", "values")
def test_a_yearless_date_shares_the_year_of_the_next(text: str, values: list[str]) -> None:
    assert [d.value for _, _, d in find_dates(text, REF)] == values


def test_a_narrative_moving_forward_stays_in_its_year() -> None:
    # Reference: the start of the battle (15 November 2023); December follows November.
    found = find_dates(
        "In the second half of November, they advanced. On 1 December, they attacked.",
        date(2023, 11, 15),
    )
    assert [d.value for _, _, d in found] == ["2023-11", "2023-12-01"]


def test_a_narrative_stays_in_its_year_past_a_glance_elsewhere() -> None:
    # Reference: 10 March 2024; a later month and an older year come between.
    found = find_dates(
        "On 8 March 2024 the army attacked; the 2019 truce had failed. By early April "
        "the town had fallen. On March 20, the mayor fled.",
        date(2024, 3, 10),
    )
    assert [d.value for _, _, d in found][-1] == "2024-03-20"


@pytest.mark.parametrize("reference", [REF, None])
@CASES.cases("a_yearless_date_after_an_opening_dated_with_another_year_takes_it", "text", "values")
def test_a_yearless_date_after_an_opening_dated_with_another_year_takes_it(
    reference: date | None, text: str, values: list[str]
) -> None:
    assert [d.value for _, _, d in find_dates(text, reference)] == values


def test_a_glance_back_or_an_earlier_month_sets_no_year() -> None:
    found = find_dates("The first deaths since February 2020. On 27 April, they struck.", REF)
    assert [d.value for _, _, d in found] == ["2020-02", "2026-04-27"]
    found = find_dates("In November 2019 talks began. On 5 January, they failed.", REF)
    assert [d.value for _, _, d in found] == ["2019-11", "2026-01-05"]


def test_chained_days_count_from_the_previous_date() -> None:
    found = find_dates(
        "The ship was seized on November 19, 2023. The footage was released the next day. "
        "Two days later the crew was moved. The day before, talks had failed.",
        REF,
    )
    assert [d.value for _, _, d in found] == [
        "2023-11-19",
        "2023-11-20",
        "2023-11-22",
        "2023-11-21",
    ]


def test_a_chain_without_an_earlier_date_stays_unresolved() -> None:
    assert find_dates("The footage was released the next day.", REF) == []
    # After a month or a year there is no day to count from.
    found = find_dates("On 1 May rebels attacked. In November 2012 they left ten days later.", REF)
    assert [d.value for _, _, d in found] == ["2026-05-01", "2012-11"]


def test_without_a_reference_only_absolute_dates_resolve() -> None:
    text = (
        "On March 5, ships collided; last week talks failed; yesterday the envoy left. "
        "In September 2023 the war resumed, in the 1990s it began, on 2 November 2022 "
        "a treaty was signed."
    )
    found = find_dates(text, None)
    assert [d.value for _, _, d in found] == ["2023-09", "1990s", "2022-11-02"]


@CASES.cases("numbers_and_words_that_are_not_dates", "text")
def test_numbers_and_words_that_are_not_dates(text: str) -> None:
    assert find_dates(text, REF) == []


def test_a_month_alone_needs_a_cue() -> None:
    assert find_dates("May God protect them.", REF) == []
    assert one("The talks resumed in May.")[:2] == ("2026-05", "month")


def test_offsets_and_surfaces() -> None:
    text = "On 19 and 20 September 2023, Azerbaijan launched an offensive."
    [(start, end, value)] = find_dates(text, None)
    assert (start, end) == (3, 27)
    assert value.surface == "19 and 20 September 2023"
    assert one("Houthis attacked in mid-December.")[2] == "mid-December"


def test_passing_the_normalised_text_gives_the_same_result() -> None:
    from briefings.text.folding import lower_in_place

    text = "On April 25, rebels attacked. In the 1980s it armed them. Last week talks failed."
    assert find_dates(text, REF, normalised=lower_in_place(text)) == find_dates(text, REF)


def test_ordinal_days_resolve() -> None:
    assert one("It began on March 6th.")[:2] == ("2026-03-06", "day")
    assert one("It began July 3rd.")[:2] == ("2025-07-03", "day")
    assert one("It began on the 1st of May.")[:2] == ("2026-05-01", "day")  # within the slack
    assert one("It began on 22nd June 2024.")[:2] == ("2024-06-22", "day")
    assert one("It began on 28January 2024.")[:2] == ("2024-01-28", "day")
    assert find_dates("It began on February 31st.", REF) == []


@CASES.cases("from_one_date_to_another_is_one_range", "text", "value")
def test_from_one_date_to_another_is_one_range(text: str, value: str) -> None:
    assert one(text)[:2] == (value, "range")


def test_a_far_future_yearless_date_is_last_year_even_in_a_narrative() -> None:
    found = find_dates("In January 2026 they met; the October 7 attacks preceded it.", REF)
    assert [d[2].value for d in found] == ["2026-01", "2025-10-07"]


def test_a_year_that_qualifies_a_noun_is_told_apart() -> None:
    from briefings.analysis.events.temporal import qualifies_noun

    for text in ("the 2024 election", "held 2023 Kosovan elections", "its 2021 law"):
        start = text.index("20")
        assert qualifies_noun(text, start, start + 4), text
    for text in ("in 2023 Russia attacked", "Since 2014 it has", "In 2024, they"):
        start = text.index("20")
        assert not qualifies_noun(text, start, start + 4), text
