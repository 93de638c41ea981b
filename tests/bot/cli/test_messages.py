"""What the command line says when the setup or the machine fails it: one line, no traceback.

Each case runs the real ``python -m bot`` process (the disk-full case runs the CLI in this
process, where a SQLite page limit can stand in for a full disk).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from helpers.paths import ARTICLES
from helpers.polling import eventually
from sqlalchemy import event
from sqlalchemy.pool import Pool

from bot.cli import main

REFERENCE = ARTICLES / "mali_collapse.txt"


def _env(home: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK", "DISCORD"))
    }
    env["HOME"] = str(home)
    return env


def _bot(
    home: Path, *args: str, stdout: Any = subprocess.PIPE, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(home),
        cwd=home,
        timeout=timeout,
        check=False,
    )


def _error_line(err: str) -> str:
    """The one ``briefbot: error:`` line of ``err`` (which holds no traceback)."""
    assert "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("briefbot: error: ")]
    assert len(errors) == 1, err
    return errors[0]


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database holding the fixture articles (ingested now, so today's brief)."""
    db = tmp_path_factory.mktemp("filled") / "bot.db"
    done = _bot(db.parent, "ingest", str(ARTICLES), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.system
def test_version(tmp_path: Path) -> None:
    done = _bot(tmp_path, "--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"briefbot {version('briefbot')}"


@pytest.mark.system
@pytest.mark.parametrize(
    "command",
    [("brief",), ("events", "siege"), ("actor", "jnim"), ("demo", "--no-interactive")],
    ids=["brief", "events", "actor", "demo"],
)
def test_output_closed_early_is_one_line(filled: Path, command: tuple[str, ...]) -> None:
    # The pipe's reader is gone before the command writes anything (as after `| head -1`
    # has read its line), so its first write fails however little it prints.
    read_end, write_end = os.pipe()
    os.close(read_end)
    extra = () if command[0] == "demo" else ("--db", str(filled))
    try:
        done = _bot(filled.parent, *command, *extra, stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 141, done.stderr
    line = _error_line(done.stderr)
    assert "the output was closed before everything was written" in line
    assert "Exception ignored" not in done.stderr


@pytest.mark.system
def test_a_schema_newer_than_the_program_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    assert _bot(tmp_path, "db", "upgrade", "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'r0099_from_the_future'")
    for command in (("brief",), ("ingest", str(REFERENCE)), ("db", "upgrade")):
        done = _bot(tmp_path, *command, "--db", str(db))
        assert done.returncode == 2, done.stderr
        line = _error_line(done.stderr)
        assert "schema revision r0099_from_the_future" in line
        assert "a newer briefbot has migrated it" in line
    with sqlite3.connect(db) as conn:
        found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        assert found == [("r0099_from_the_future",)]
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (0,)


@pytest.mark.system
def test_a_damaged_page_met_on_write_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "damaged.db"
    assert _bot(tmp_path, "ingest", str(REFERENCE), "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'articles'"
        ).fetchone()
    with db.open("r+b") as raw:  # the header and the schema stay readable
        raw.seek((root - 1) * page)
        raw.write(b"\xde\xad" * (page // 2))
    done = _bot(tmp_path, "ingest", str(ARTICLES), "--db", str(db))
    assert done.returncode == 1, done.stderr
    line = _error_line(done.stderr)
    assert "the database is damaged (database disk image is malformed)" in line
    assert "restore it from a backup" in line


@pytest.fixture
def page_limit() -> Iterator[dict[str, int]]:
    """While set, ``limit["pages"]`` caps every new SQLite connection's database size."""
    limit: dict[str, int] = {}

    def cap(dbapi_connection: Any, _record: Any) -> None:
        if "pages" in limit:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA max_page_count = {limit['pages']}")
            cursor.close()

    event.listen(Pool, "connect", cap)
    try:
        yield limit
    finally:
        event.remove(Pool, "connect", cap)


def test_a_full_database_is_one_line_and_keeps_what_it_held(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], page_limit: dict[str, int]
) -> None:
    # No small file system is at hand in tests; SQLite's page limit makes the database
    # full exactly as a full disk does (SQLITE_FULL, "database or disk is full").
    db = tmp_path / "full.db"
    assert main(["ingest", str(REFERENCE), "--db", str(db)]) == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    capsys.readouterr()
    page_limit["pages"] = pages + 3
    assert main(["ingest", str(ARTICLES), "--db", str(db)]) == 1
    captured = capsys.readouterr()
    line = _error_line(captured.err)
    assert "the database is full (database or disk is full)" in line
    assert "free some space" in line
    page_limit.clear()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        titles = [t for (t,) in conn.execute("SELECT title FROM articles")]
    assert titles == ["Pro-Russian Regime in Mali Begins to Collapse"]


@pytest.mark.system
@pytest.mark.parametrize(
    ("config", "told"),
    [
        pytest.param(
            "[http]\nenabled = true\nport = {port}\n",
            (
                "cannot listen on 127.0.0.1:{port}: Address already in use",
                "set [http] port to a free port",
            ),
            id="the HTTP endpoint",
        ),
        pytest.param(
            '[platforms.slack]\nenabled = true\nmode = "http"\n'
            'bot_token = "xoxb-1-2-abc"\nsigning_secret = "s3cr3t"\n'
            'host = "127.0.0.1"\nport = {port}\n'
            'api_base_url = "http://127.0.0.1:9/api/"\n',  # loopback: nothing is called
            (
                "cannot listen: error while attempting to bind on address ('127.0.0.1', {port})",
                "address already in use",
                "[platforms.slack] port",
            ),
            id="the Slack adapter",
        ),
    ],
)
def test_a_port_in_use_is_one_line(tmp_path: Path, config: str, told: tuple[str, ...]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        (tmp_path / "bot.toml").write_text(
            '[storage]\nurl = "sqlite:///bot.db"\n' + config.format(port=port), encoding="utf-8"
        )
        done = _bot(tmp_path, "run", "--config", str(tmp_path / "bot.toml"))
    assert done.returncode == 2, done.stderr
    line = _error_line(done.stderr)
    for part in told:
        assert part.format(port=port) in line


async def _start(home: Path, config: str) -> asyncio.subprocess.Process:
    (home / "bot.toml").write_text(config, encoding="utf-8")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(home / "bot.toml"),
        cwd=home,
        env=_env(home),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


class _Output:
    """What a child process has written so far, collected as it comes."""

    def __init__(self, stream: asyncio.StreamReader | None) -> None:
        assert stream is not None
        self.text = ""
        self.task = asyncio.create_task(self._read(stream))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(65536):
            self.text += chunk.decode("utf-8", "replace")


async def _stop(proc: asyncio.subprocess.Process) -> int:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return await asyncio.wait_for(proc.wait(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


@pytest.mark.system
async def test_run_with_nothing_enabled_says_so(tmp_path: Path) -> None:
    proc = await _start(tmp_path, '[storage]\nurl = "sqlite:///bot.db"\n')
    err = _Output(proc.stderr)
    try:
        assert await eventually(lambda: "briefbot is running" in err.text, 60), err.text
    finally:
        assert await _stop(proc) == 0
    await err.task
    running = next(line for line in err.text.splitlines() if "briefbot is running" in line)
    assert "no platform is enabled, so nothing is posted" in running
    assert "no source is enabled" in running
    assert "()" not in running


@pytest.mark.system
async def test_quit_at_the_console_of_a_running_bot_says_the_bot_goes_on(tmp_path: Path) -> None:
    proc = await _start(
        tmp_path,
        '[storage]\nurl = "sqlite:///bot.db"\n'
        "[platforms.console]\nenabled = true\ninteractive = true\n",
    )
    assert proc.stdin is not None
    out, err = _Output(proc.stdout), _Output(proc.stderr)
    try:
        assert await eventually(lambda: "briefbot is running" in err.text, 60), err.text
        proc.stdin.write(b"/subscribe JNIM\nquit\n/subscribe Houthis\n")
        await proc.stdin.drain()
        assert await eventually(lambda: "goes on running" in out.text, 30), out.text
        assert "You will now hear about JNIM" in out.text
        assert "Houthis" not in out.text  # nothing after quit is read
        assert proc.returncode is None  # and the bot is still running
    finally:
        assert await _stop(proc) == 0
    await out.task
    assert "(quit: no more commands are read here; briefbot goes on running" in out.text


def test_postgresql_disk_full_and_corruption_are_told_by_their_sqlstate() -> None:
    # A PostgreSQL server cannot be filled up or damaged from a test; its errors are.
    from asyncpg.exceptions import DataCorruptedError, DiskFullError, IndexCorruptedError
    from sqlalchemy.exc import DBAPIError

    from bot.failures import ENVIRONMENT, explain

    def told(orig: Exception) -> str:
        failure = explain(DBAPIError("INSERT ...", {}, orig))
        assert failure is not None and failure.code == ENVIRONMENT
        return failure.message

    assert told(DiskFullError("could not extend file")).startswith("the database is full")
    for damaged in (DataCorruptedError("invalid page"), IndexCorruptedError("bad index")):
        assert told(damaged).startswith("the database is damaged")
    assert explain(DBAPIError("SELECT 1", {}, ValueError("something else"))) is None


def test_a_read_only_database_is_told_by_its_sqlite_code(tmp_path: Path) -> None:
    from sqlalchemy.exc import DBAPIError

    from bot.failures import ENVIRONMENT, explain

    db = tmp_path / "ro.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            conn.execute("INSERT INTO t VALUES (1)")
    finally:
        conn.close()
    failure = explain(DBAPIError("INSERT INTO t ...", {}, caught.value))
    assert failure is not None and failure.code == ENVIRONMENT
    assert failure.message.startswith("the database cannot be written (attempt to write a")
    assert "check the permissions" in failure.message
