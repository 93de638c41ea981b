"""``briefbot ingest`` and ``briefbot db upgrade`` through the command line's entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.paths import ROOT

from bot.cli import main

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
    assert captured.out.splitlines() == [
        "6 new, 0 updated, 0 unchanged, 0 duplicate, 1 rejected",
        f"database: sqlite+aiosqlite:///{db}",
    ]
    assert f"briefbot: rejected {empty}:" in captured.err
    assert main(["ingest", str(SAMPLES / "*.txt"), "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "0 new, 0 updated, 3 unchanged, 0 duplicate, 0 rejected"
    )


def test_ingest_names_the_database_of_its_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    (tmp_path / "bot.toml").write_text('[storage]\nurl = "sqlite:///from-config.db"\n')
    config = str(tmp_path / "bot.toml")
    assert main(["ingest", str(SAMPLES / "*.txt"), "--config", config]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "3 new, 0 updated, 0 unchanged, 0 duplicate, 0 rejected",
        f"database: sqlite+aiosqlite:///{tmp_path / 'from-config.db'}",
    ]
    assert (tmp_path / "from-config.db").exists()


def test_a_folder_ingest_says_how_many_files_it_skipped_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "mali.txt").write_bytes((SAMPLES / "01_mali_collapse.txt").read_bytes())
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n")
    (folder / "sub" / "dump.bin").write_bytes(bytes(range(256)))
    (folder / "sub" / "other.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "NOTES").write_text("to do\n")
    (folder / ".hidden.pdf").write_bytes(b"%PDF-1.4\n")  # hidden: passed over silently
    db = str(tmp_path / "bot.db")
    assert main(["ingest", str(folder), "--db", db]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == "1 new, 0 updated, 0 unchanged, 0 duplicate, 0 rejected"
    assert captured.err.splitlines() == [
        f"briefbot: skipped 4 files in {folder} (2 .pdf, 1 without a suffix, 1 .bin): not "
        "named as text, Markdown, HTML, JSON or a feed; name a file on its own to have it "
        "tried anyway"
    ]
    # Named on their own, the same files are tried, and refused with their reasons.
    named = [str(folder / "report.pdf"), str(folder / "sub" / "dump.bin")]
    assert main(["ingest", *named, "--db", db]) == 2
    err = capsys.readouterr().err
    assert "looks like a PDF document" in err and "looks like binary data" in err


def test_a_folder_with_nothing_readable_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "a.pdf").write_bytes(b"%PDF-1.4\n")
    assert main(["ingest", str(tmp_path / "scans"), "--db", str(tmp_path / "b.db")]) == 2
    assert "skipped 1 file in" in capsys.readouterr().err


def test_ingesting_nothing_usable_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(tmp_path / "absent.txt"), "--db", str(tmp_path / "b.db")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
