"""Date expressions resolved against a pinned reference date: every documented form."""

from __future__ import annotations

from datetime import date

import pytest

from briefings.analysis.events.temporal import find_dates

REF = date(2026, 4, 27)  # a Monday: the reference article's publication date


def one(text: str, reference: date | None = REF) -> tuple[str, str, str]:
    """The single date in ``text``: (value, precision, surface)."""
    found = find_dates(text, reference)
    assert len(found) == 1, found
    start, end, value = found[0]
    assert text[start:end] == value.surface
    return value.value, value.precision, value.surface


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("On April 25, jihadist groups attacked.", "2026-04-25", "day"),
        ("It happened on 25 April 2026.", "2026-04-25", "day"),
        ("It happened on April 25, 2026, at dawn.", "2026-04-25", "day"),
        ("On 19 and 20 September 2023, Azerbaijan attacked.", "2023-09-19", "day"),
        ("It was signed 2 November 2022.", "2022-11-02", "day"),
        ("At 11:30 a.m. Mar. 6, a missile was launched.", "2026-03-06", "day"),
        ("Date: 2025-01-16", "2025-01-16", "day"),
        ("It was announced in August 2019.", "2019-08", "month"),
        ("Violence has continued since January 2018.", "2018-01", "month"),
        ("The war resumed in 2024.", "2024", "year"),
        ("The legally binding 2016 Arbitral Ruling stands.", "2016", "year"),
        ("In the 2010s, it armed Al-Qaeda.", "2010s", "decade"),
        ("In the 1980s, it armed the mujahideen.", "1980s", "decade"),
        ("Fighting raged between 2018 and 2020.", "2018/2020", "range"),
        ("Fighting raged in 2018–2020.", "2018/2020", "range"),
    ],
)
def test_absolute_forms(text: str, value: str, precision: str) -> None:
    assert one(text)[:2] == (value, precision)


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Regimes have fallen in the past 18 months.", "2024-10/2026-04", "range"),
        ("Prices rose over the last two years.", "2024-04/2026-04", "range"),
        ("Five missiles were fired in the last two days.", "2026-04-25/2026-04-27", "range"),
        ("Talks failed over the past week.", "2026-04-20/2026-04-27", "range"),
        ("The army retreated last week.", "2026-04-20/2026-04-26", "range"),
        ("The army retreated last month.", "2026-03", "month"),
        ("The army retreated last year.", "2025", "year"),
        ("The envoy arrived yesterday.", "2026-04-26", "day"),
        ("Today, Kenyan forces arrived.", "2026-04-27", "day"),
        ("Rebels attacked the town last night.", "2026-04-26", "day"),
        ("The ministry said on Friday that it would respond.", "2026-04-24", "day"),
        ("The ministry said on Monday that it would respond.", "2026-04-27", "day"),
        ("The ministry said last Monday that it would respond.", "2026-04-20", "day"),
        ("Violations continued until early October.", "2025-10", "month"),
        ("Talks stalled in mid-December.", "2025-12", "month"),
        ("Peace talks had collapsed by late August.", "2025-08", "month"),
        ("It began in the second half of November.", "2025-11", "month"),
        ("Sanctions were imposed earlier this year.", "2026", "year"),
        ("Sanctions were imposed earlier this month.", "2026-04", "month"),
        ("Gunmen stormed the village three days ago.", "2026-04-24", "day"),
        ("Gunmen stormed the village 10 days ago.", "2026-04-17", "day"),
        ("The convoy was ambushed two weeks ago.", "2026-04-13/2026-04-19", "range"),
        ("The junta took power six months ago.", "2025-10", "month"),
        ("The treaty was signed two years ago.", "2024", "year"),
    ],
)
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


@pytest.mark.parametrize(
    ("day_first", "month_first"),
    [
        ("On 2 May, the rebels attacked.", "On May 2, the rebels attacked."),
        ("On 30 April, the rebels attacked.", "On April 30, the rebels attacked."),
        ("On 20 May, the rebels attacked.", "On May 20, the rebels attacked."),
    ],
)
def test_day_month_and_month_day_resolve_alike(day_first: str, month_first: str) -> None:
    assert one(day_first)[:2] == one(month_first)[:2]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Troops deployed in March and April 2019.", ["2019-03", "2019-04"]),
        ("Clashes erupted in late November and early December 2012.", ["2012-11", "2012-12"]),
        ("Talks ran on 30 December and 2 January 2021.", ["2020-12-30", "2021-01-02"]),
        ("Talks ran on December 30 or January 2, 2021.", ["2020-12-30", "2021-01-02"]),
    ],
)
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
def test_a_yearless_date_after_an_opening_dated_with_another_year_takes_it(
    reference: date | None,
) -> None:
    found = find_dates("In March 2019, troops entered Kidal. On 5 April, rebels struck.", reference)
    assert [d.value for _, _, d in found] == ["2019-03", "2019-04-05"]
    found = find_dates("On 2 May 2018 talks began; on 9 June they failed.", reference)
    assert [d.value for _, _, d in found] == ["2018-05-02", "2018-06-09"]


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


@pytest.mark.parametrize(
    "text",
    [
        "More than 2,500 personnel and 187 students.",
        "The US provided over $300 million.",
        "Operation 1027 began.",
        "The group may now have been weakened.",
        "Prigozhin called it a march of justice.",
        "At least 2000 soldiers were deployed.",
        "It did so a day after the strike.",
    ],
)
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


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("From May 2024 to October 2025, the siege held.", "2024-05/2025-10"),
        ("Fighting raged from 3 May to 5 June 2025.", "2025-05-03/2025-06-05"),
        ("Talks ran between 3 March and 9 April.", "2026-03-03/2026-04-09"),
        ("From 2018 to 2020 it fought.", "2018/2020"),
    ],
)
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
