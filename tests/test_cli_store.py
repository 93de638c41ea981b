"""``briefbot ingest`` and ``briefbot db upgrade`` through the command line's entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "briefings" / "data" / "samples"


def test_db_upgrade_creates_and_then_keeps_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bot.db"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == out[1]
    assert out[0].startswith(f"sqlite+aiosqlite:///{db}: at the latest schema (")


def test_ingest_is_idempotent_and_reports_rejections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "bot.db")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    assert main(["ingest", str(SAMPLES), str(empty), "--db", db]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "6 new, 0 updated, 0 unchanged, 0 duplicate, 1 rejected"
    assert f"briefbot: rejected {empty}:" in captured.err
    assert main(["ingest", str(SAMPLES / "*.txt"), "--db", db]) == 0
    assert capsys.readouterr().out.strip() == (
        "0 new, 0 updated, 3 unchanged, 0 duplicate, 0 rejected"
    )


def test_ingesting_nothing_usable_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(tmp_path / "absent.txt"), "--db", str(tmp_path / "b.db")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
