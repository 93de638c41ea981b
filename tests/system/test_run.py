"""``briefbot run`` as a real process: folder ingest, a scheduled digest, a clean SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers.paths import ARTICLES, ROOT
from helpers.polling import eventually

from briefings.store import Store

REFERENCE = ARTICLES / "mali_collapse.txt"
SECOND = (
    "JNIM ambush kills soldiers near the Niger border\n"
    "The attack in the Ménaka region is the deadliest this month.\n"
    "Details. On May 8, JNIM fighters ambushed a Malian army patrol near Andéramboukane, "
    "killing at least 14 soldiers, two security sources said.\n"
)


class Process:
    """A child process whose output is collected as it comes."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.out = ""
        self.err = ""
        assert proc.stdout is not None and proc.stderr is not None
        self._readers = [
            asyncio.create_task(self._read(proc.stdout, "out")),
            asyncio.create_task(self._read(proc.stderr, "err")),
        ]

    async def _read(self, stream: asyncio.StreamReader, name: str) -> None:
        while line := await stream.readline():
            setattr(self, name, getattr(self, name) + line.decode("utf-8", "replace"))

    async def until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        await eventually(lambda: predicate() or self.proc.returncode is not None, timeout)
        return predicate()

    def logs(self) -> list[dict[str, str]]:
        return [json.loads(line) for line in self.err.splitlines() if line.startswith("{")]

    async def finish(self, timeout: float) -> int | None:
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            return None
        await asyncio.gather(*self._readers)
        return self.proc.returncode


async def test_run_ingests_a_folder_posts_the_scheduled_digest_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(REFERENCE, inbox / "mali.txt")
    fire = (datetime.now(UTC) + timedelta(seconds=12)).replace(microsecond=0)
    (tmp_path / "bot.toml").write_text(
        f"""
[storage]
url = "sqlite:///bot.db"
[[sources.folders]]
path = "inbox"
interval = "1s"
[platforms.console]
enabled = true
interactive = true
[[digest.channels]]
platform = "console"
channel = "console"
time = "{fire.strftime("%H:%M:%S")}"
timezone = "UTC"
[logging]
format = "json"
""",
        encoding="utf-8",
    )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK", "DISCORD"))
    }
    env["HOME"] = str(tmp_path)
    proc = Process(
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--config",
            str(tmp_path / "bot.toml"),
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    )
    assert proc.proc.stdin is not None
    try:
        assert await proc.until(lambda: "briefbot is running" in proc.err, 30), proc.err
        assert await proc.until(lambda: "mali.txt: new" in proc.err, 15), proc.err
        (inbox / "ambush.txt").write_text(SECOND, encoding="utf-8")
        assert await proc.until(lambda: "ambush.txt: new" in proc.err, 15), proc.err
        assert proc.out == ""  # nothing is posted before the digest's time
        assert await proc.until(lambda: "── #console" in proc.out, 40), proc.err
        posted_at = datetime.now(UTC)
        assert posted_at >= fire
        # The digest's lines arrive one by one after its header.
        headlines = (
            "Pro-Russian Regime in Mali Begins to Collapse",
            "JNIM ambush kills soldiers near the Niger border",
        )
        assert await proc.until(lambda: all(h in proc.out for h in headlines), 10), proc.out
        proc.proc.stdin.write(b"/subscribe JNIM\n")  # the console also takes commands
        await proc.proc.stdin.drain()
        assert await proc.until(lambda: "You will now hear about JNIM" in proc.out, 15)
        proc.proc.send_signal(signal.SIGTERM)
        assert await proc.finish(30) == 0, proc.err
    finally:
        if proc.proc.returncode is None:
            proc.proc.kill()
            await proc.proc.wait()
    logs = proc.logs()
    messages = [entry["message"] for entry in logs]
    assert messages[-2:] == ["stopping", "stopped"]
    assert not any(entry["level"] == "error" for entry in logs), messages
    assert "Traceback" not in proc.err
    key = f"digest:console:local:console:{fire.strftime('%Y-%m-%dT%H:%M:%SZ')}"
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    try:
        row = await store.outbox.get(key)
        assert row is not None and row.state == "sent"
        assert (await store.counts()).articles == 2
        setting = await store.digests.get("console", "local", "console")
        assert setting is not None and setting.last_period == fire.strftime("%Y-%m-%dT%H:%M:%SZ")
    finally:
        await store.close()


async def test_check_config_validates_without_starting(tmp_path: Path) -> None:
    good = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "check-config",
        "--config",
        str(ROOT / "config" / "briefbot.example.toml"),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _ = await good.communicate()
    assert good.returncode == 0
    assert b"briefbot.example.toml: OK" in out
    assert b"platforms: console" in out
    bad_file = tmp_path / "bad.toml"
    bad_file.write_text('[platforms.slack]\nenabled = true\nbot_token = "${NO_SUCH_TOKEN}"\n')
    bad = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "check-config",
        "--config",
        str(bad_file),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "NO_SUCH_TOKEN"},
    )
    _, err = await bad.communicate()
    assert bad.returncode == 2
    assert err.decode().strip() == (
        f"briefbot: error: {bad_file}: platforms.slack.bot_token: "
        "environment variable NO_SUCH_TOKEN is not set"
    )
    assert not (tmp_path / "bot.db").exists()
