"""``briefbot extract``: the JSON contract, the reference article, and clean failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.paths import ARTICLES

from bot.cli import main
from bot.cli.common import INPUT_FORMATS, SUMMARY_PRESETS
from briefings.analysis.summary import PRESETS
from briefings.formats import FORMATS

FIXTURES = ARTICLES
REFERENCE = FIXTURES / "mali_collapse.txt"


def _extract(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["extract", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    out = _extract(capsys, str(REFERENCE), "--published", "2026-04-27")
    assert set(out) == {
        "title",
        "subtitle",
        "published",
        "sections",
        "sentences",
        "summary",
        "actors",
        "events",
        "warnings",
    }
    assert out["warnings"] == []
    assert out["title"] == "Pro-Russian Regime in Mali Begins to Collapse"
    assert isinstance(out["subtitle"], str) and out["subtitle"].startswith("Mali’s government")
    assert out["published"] == "2026-04-27"
    sections = out["sections"]
    assert isinstance(sections, list)
    assert [s["label"] for s in sections] == ["Details", "Context"]
    assert all(len(s["bullets"]) == 2 and len(s["paragraphs"]) == 1 for s in sections)
    sentences = out["sentences"]
    assert isinstance(sentences, list) and all(isinstance(s, str) for s in sentences)
    summary = out["summary"]
    assert isinstance(summary, dict) and isinstance(summary["tldr"], str)
    for point in summary["key_points"]:
        assert sentences[point["sentence"]] in point["text"]
    actors = out["actors"]
    assert isinstance(actors, list)
    ids = {a["id"] for a in actors}
    text = REFERENCE.read_text(encoding="utf-8")
    for actor in actors:
        assert set(actor) == {"id", "name", "type", "mentions", "salience"}
        assert actor["type"] in {
            "state",
            "government",
            "military",
            "armed_group",
            "organisation",
            "company",
            "person",
            "other",
        }
        assert all(m in text for m in actor["mentions"])
        assert isinstance(actor["salience"], float)
    events = out["events"]
    assert isinstance(events, list) and events
    for event in events:
        assert set(event) == {
            "sentence",
            "text",
            "type",
            "actors",
            "recipients",
            "date",
            "date_precision",
            "location",
            "attribution",
            "modality",
        }
        assert sentences[event["sentence"]] == event["text"]
        assert set(event["actors"]) <= ids and set(event["recipients"]) <= ids
        assert (event["date"] is None) == (event["date_precision"] is None)
        assert event["modality"] in {
            "reported",
            "alleged",
            "claimed",
            "threatened",
            "planned",
            "possible",
        }


def test_key_points_of_the_reference_article(capsys: pytest.CaptureFixture[str]) -> None:
    out = _extract(capsys, str(REFERENCE), "--published", "2026-04-27")
    points = " ".join(k["text"] for k in out["summary"]["key_points"])  # type: ignore[index]
    assert "launched a major offensive" in points
    assert "killing of Mali’s Defence Minister" in points
    assert "siege" in points and "Bamako" in points


def test_reads_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    data = REFERENCE.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = _extract(capsys, "-", "--published", "2026-04-27")
    assert out["title"] == "Pro-Russian Regime in Mali Begins to Collapse"


def test_plain_output_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(REFERENCE), "--published", "2026-04-27"]) == 0
    text = capsys.readouterr().out
    assert "TL;DR:" in text and "Actors:" in text and "Events:" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not text"),
        (bytes(range(256)) * 8, "not text"),
    ],
    ids=["empty", "whitespace", "png", "random-bytes"],
)
def test_bad_input_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert main(["extract", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err.lower() and "Traceback" not in captured.err


def test_oversized_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("Title\n" + "word " * 600_000, encoding="utf-8")
    assert main(["extract", str(path)]) == 2
    assert "MB" in capsys.readouterr().err


def test_invalid_utf8_is_replaced_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(
        b"Rebels seize Gao\nThe army of Mali withdrew from Gao on Monday, officials said.\n"
        + b"\xff\xfe broken \xe9 bytes.\n"
    )
    assert main(["extract", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert "warning" in captured.err and "UTF-8" in captured.err
    assert json.loads(captured.out)["title"] == "Rebels seize Gao"


def test_missing_file_directory_and_bad_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["extract", str(tmp_path)]) == 2
    assert "directory" in capsys.readouterr().err
    assert main(["extract", str(REFERENCE), "--published", "27/04/2026"]) == 2
    assert "2026-04-27" in capsys.readouterr().err


def test_the_article_options_offer_every_format_and_preset() -> None:
    assert INPUT_FORMATS == FORMATS
    assert SUMMARY_PRESETS == tuple(PRESETS)
