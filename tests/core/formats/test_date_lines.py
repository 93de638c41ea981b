"""Publication date lines in text and Markdown, and what `extract` does without a date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from briefings.formats import parse
from briefings.formats.datelines import parse_date_line, parse_labelled_date_line

BODY = "Rebels attacked the garrison on Monday. The army said it repelled them yesterday."


@pytest.mark.parametrize(
    "line",
    [
        "Published: 2026-02-18",
        "Date: 2026-02-18",
        "Updated: 18 February 2026",
        "Last updated: Feb. 18, 2026, 10:00 GMT",
        "**Date:** 2026-02-18",
        "Published on February 18th, 2026",
        "Posted the 18th of February 2026",
    ],
)
def test_labelled_date_lines(line: str) -> None:
    assert parse_labelled_date_line(line) == date(2026, 2, 18)
    assert parse_date_line(line) == date(2026, 2, 18)


@pytest.mark.parametrize(
    "line", ["2026-02-18", "February 18th, 2026", "Date of birth: 1 May 1970", "Published widely"]
)
def test_a_bare_or_foreign_line_is_not_labelled(line: str) -> None:
    assert parse_labelled_date_line(line) is None


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (f"Published: 2026-02-18\nGarrison attacked\n{BODY}\n", "text"),
        (f"Garrison attacked\n2026-02-18\n{BODY}\n", "text"),
        (f"Garrison attacked\nDate: 2026-02-18\n\n{BODY}\n", "text"),
        (f"Garrison attacked\nFighters strike at dawn\nUpdated: 2026-02-18\n{BODY}\n", "text"),
        (f"Garrison attacked\n\n{BODY}\n\nPublished: 2026-02-18\n", "text"),
        (f"# Garrison attacked\n\nPublished: 2026-02-18\n\n{BODY}\n", "md"),
        (f"# Garrison attacked\n\n**Date:** 2026-02-18\n\n{BODY}\n", "md"),
        (f"# Garrison attacked\n\n{BODY}\n\nUpdated: 2026-02-18\n", "md"),
    ],
)
def test_a_date_line_is_the_publication_date(text: str, fmt: str) -> None:
    article = parse(text, fmt)
    assert article.published == date(2026, 2, 18)
    assert article.title == "Garrison attacked"
    assert "2026-02-18" not in article.text
    assert BODY.split(".", maxsplit=1)[0] in article.text


def test_a_given_date_wins_over_the_date_line() -> None:
    article = parse(
        f"Garrison attacked\nPublished: 2026-02-18\n{BODY}\n", "text", published=date(2026, 3, 1)
    )
    assert article.published == date(2026, 3, 1)


def _extract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *args: str
) -> dict[str, object]:
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["extract", str(path), "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def _dates(out: dict[str, object]) -> list[object]:
    events = out["events"]
    assert isinstance(events, list)
    return [e["date"] for e in events]


def test_relative_dates_are_undated_without_a_publication_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _extract(tmp_path, capsys, f"Garrison attacked\n{BODY}\n")
    assert out["published"] is None
    assert _dates(out) and all(d is None for d in _dates(out))


def test_relative_dates_resolve_against_published_or_the_date_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = _extract(tmp_path, capsys, f"Garrison attacked\n{BODY}\n", "--published", "2026-02-18")
    lined = _extract(tmp_path, capsys, f"Garrison attacked\nPublished: 2026-02-18\n{BODY}\n")
    for out in (given, lined):
        assert out["published"] == "2026-02-18"
        assert _dates(out)[0] == "2026-02-16"  # the Monday before Wednesday 18 February


def test_every_date_form_ends_in_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forms = [
        "on March 6th",
        "on July 3rd",
        "on the 1st of May",
        "on 22nd June 2025",
        "on Mar. 6",
        "on Sept. 30th",
        "on 2025-11-04",
        "on 4/11/2025",
        "between 3 and 5 June",
        "from 2019 to 2021",
        "in 2018–2020",
        "in the 1990s",
        "in mid-April",
        "on February 31st",
        "yesterday",
        "on Monday",
        "last week",
        "two days later",
    ]
    body = " ".join(f"Militants attacked a convoy {f}." for f in forms)
    out = _extract(tmp_path, capsys, f"Convoys attacked\n{body}\n")
    assert out["warnings"] == []
    dates = _dates(out)
    assert "2025-11-04" in dates and "1990s" in dates
    dated = _extract(tmp_path, capsys, f"Convoys attacked\n{body}\n", "--published", "2026-02-18")
    assert {"2025-03-06", "2025-07-03", "2025-05-01", "2025-06-22"} <= set(_dates(dated))
