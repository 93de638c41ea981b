"""The one sparkline: its scaling, Slack's step of headroom, and nothing for no counts."""

from __future__ import annotations

from adapters.text import BARS, sparkline


def test_the_tallest_count_gets_the_tallest_bar() -> None:
    assert sparkline([1, 4, 2]) == "▂█▄"
    assert sparkline([0, 7, 3]) == "▁█▄"
    assert sparkline([5]) == BARS[-1]


def test_headroom_leaves_steps_above_the_tallest() -> None:
    assert sparkline([1, 4, 2], headroom=1) == "▂▇▄"
    assert sparkline([2], headroom=1) == "▆"


def test_one_bar_a_count_within_the_bars() -> None:
    counts = list(range(0, 200, 7))
    line = sparkline(counts)
    assert len(line) == len(counts) and set(line) <= set(BARS)
    assert line[0] == BARS[0] and line[-1] == BARS[-1]


def test_no_counts_or_only_zeros_draw_nothing() -> None:
    assert sparkline([]) == ""
    assert sparkline([0, 0]) == ""
