"""The fan-out benchmark: a digest to 1,000 channels plus 10,000 subscription DMs, with 1 and
with 4 bot processes on one PostgreSQL, through a recording platform and through the
loopback Slack and Discord fakes (``python benchmarks/run.py fanout``).

**Workload.** 1,000 channel digests (two stories each), claimed per (channel, period) with
their outbox rows as the scheduler claims them, and 10,000 subscription deliveries to
5,000 users: each user gets an instant update and a daily bundle (different modes are
never merged), so every delivery is one message and each user's DM is opened once per
process and remembered. All 11,000 rows become due at one instant ``t0``; the run ends at
the last ``sent`` record (``total_s = max(sent_at) - t0``). Every story headline carries a
unique marker: lost and duplicated deliveries are counted on the fakes, marker by marker
(on the recording platform, key by key).

**Processes.** Each is the running bot (:mod:`fanout_worker`: :class:`bot.app.App` from a
config file) with its own instance name, on one PostgreSQL database (a fresh one per run).
Slack's workspace pace is booked in PostgreSQL (``delivery.shared_pace``); with 4
processes Discord's global budget is split in whole requests per window (13, 13, 12 and 12
of the 50: :func:`share`; one rate-limit proxy in front of all of them would do the same)
and each process runs one of 4 Discord shards.

**Limits and floors.** The fakes enforce the platforms' limits with time scaled down (one
second of a limit lasts ``SCALE`` seconds in the Slack fake, ``DISCORD_SCALE`` in the
Discord fake), so a run takes a minute or so and its ratio to the floor still means
something. The scales are chosen so that the limits, not this machine, bound a run: the
bot must be able to go faster than the floor for the ratio to say how well it paces.

- Slack: 1 message per channel per ``SCALE`` s, and a workspace-wide token bucket of
  ``SLACK_RATE`` posts per scaled second (``SLACK_RATE / SCALE`` = 150 a real second) with
  a burst of ``SLACK_BURST`` (Slack documents "about one message per second per channel"
  and a workspace-wide limit it does not publish: this is its stand-in). Every post counts:
  ``floor_s = (messages - SLACK_BURST) * SCALE / SLACK_RATE``. ``conversations.open`` is
  not limited by the fake (on Slack it is Tier 3, about 50 a minute: a real fan-out to
  5,000 new DMs is bound by it, which is why opened DMs are remembered).
- Discord: 50 requests per global window of ``DISCORD_SCALE`` s (Discord: 50 a second),
  and 5 messages per channel per ``5 * DISCORD_SCALE`` s. The least requests the workload
  needs are one post per message plus one DM channel per user
  (``requests = 1,000 + 10,000 + 5,000``): ``floor_s = (ceil(requests / 50) - 1) *
  DISCORD_SCALE``. With 4 processes a user's two DMs may be sent by two processes, each
  opening the DM once, and a process whose shard does not hold the guild fetches each
  channel it posts to: the extra requests are counted (``requests``, ``dm_opens``) and
  do cost time over the floor.
- The recording platform has no limit (no floor): it shows what the bot itself can do.

The fakes run in the benchmark's process; garbage collection is off there while a run is
timed, since a collection pause would hold the requests arriving meanwhile and let them
in at once — a burst the bots never sent.

``ratio_to_floor`` is ``total_s / floor_s``; the bot paces itself (Slack: booked slots;
Discord: a slot is held until a window after the request reached the platform, that is
``rate_margin`` after it was sent, at its answer, or when the answer's bucket headers say
it was counted, whichever is soonest), so 429s stay the exception (``rate_limited`` counts
them). ``peak_rss_mb`` is the largest peak RSS of one bot process; ``cpu_ms_per_delivery``
is the bot processes' CPU time after start-up over the deliveries (CPU moves much less
with the machine's load than time does, though a loaded bot writes bigger group commits:
the figure to compare changes to the bot's own cost by), and
``db_transactions_per_delivery`` the transactions PostgreSQL counted meanwhile (each a
round trip or more) over the deliveries. These machines are shared: compare ratios, not
seconds, and read them with the load average each run records. Each rate-limited
configuration runs ``--runs`` times and the median run is reported; ``--busy N`` runs N
busy-loop processes beside it (a loaded machine); ``--targets`` and ``--processes`` choose
the configurations.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CHANNELS = 1000
USERS = 5000
SCALE = 0.1
"""One second of Slack's rate limits lasts this long in the fake."""
SLACK_RATE = 15.0
"""Posts per scaled second the fake Slack workspace allows (see the module docstring)."""
SLACK_BURST = 15
DISCORD_SCALE = 0.2
"""One second of Discord's rate limits lasts this long in the fake."""
DISCORD_GLOBAL = 50
DISCORD_MARGIN = 0.1
"""The pacer's margin (``rate_margin``) in Discord seconds, scaled like the window. Wider
than the bot's default: the fake runs in this process and, on a loaded machine, counts a
request some milliseconds after it was sent."""
DISCORD_CHANNEL = (5, 5.0)
PROCESSES = (1, 4)
TARGETS = ("recording", "slack", "discord")
PG_URL = os.environ.get(
    "BRIEFBOT_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
FAR = datetime(2100, 1, 1, tzinfo=UTC)
EXTRA: dict[str, Any] = {}
OPTIONS: dict[str, Any] = {"busy": 0, "targets": TARGETS, "processes": PROCESSES, "profile": None}
"""``busy``: spinning processes beside the run (``--busy``); ``targets`` and ``processes``:
which configurations to run; ``profile``: a folder for the bots' cProfile statistics."""
WORKER = str(ROOT / "benchmarks" / "fanout_worker.py")
_RUNS = [0]
"""Runs started so far (names the profiles)."""


@dataclass
class Worker:
    """A bot process of the benchmark."""

    proc: asyncio.subprocess.Process
    lines: list[str]
    reader: asyncio.Future[None] | None = None

    async def read(self) -> None:
        assert self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            self.lines.append(line.decode("utf-8", "replace").strip())


async def _database(admin: str) -> tuple[str, str]:
    import asyncpg
    from sqlalchemy.engine import make_url

    name = f"bbfan_{uuid.uuid4().hex[:10]}"
    url = make_url(admin)
    conn = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(False))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name, url.set(database=name).render_as_string(hide_password=False)


async def _drop(admin: str, name: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(admin).set(drivername="postgresql").render_as_string(False)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def _queue(store: Any, platforms: Any, target: str) -> Any:
    """Claim the 1,000 digests and queue the 10,000 DMs, all due at ``FAR`` for now."""
    from fakes.fleet import TEAM, Workload

    work = Workload()

    def address(kind: str, n: int) -> tuple[str, str]:
        """The workspace and id of the ``n``-th channel or user on the target platform."""
        if target == "slack":
            return TEAM, getattr(platforms, f"slack_{kind}s")[n]
        if target == "discord":
            return str(platforms.guild.id), str(getattr(platforms, f"discord_{kind}s")[n].id)
        return "W", f"{kind[0].upper()}{n:05d}"

    for n in range(CHANNELS):
        workspace, channel = address("channel", n)
        work.digest(target, workspace, channel, f"C{n:05d}", 2)
    for n in range(USERS):
        workspace, user = address("user", n)
        work.notify(target, workspace, user, f"U{n:05d}.i", "instant")
        work.notify(target, workspace, user, f"U{n:05d}.d", "daily")
    now = datetime.now(UTC)
    digests = [r for r in work.rows if r.key.startswith("digest:")]
    for chunk in range(0, len(digests), 50):
        await asyncio.gather(
            *(
                store.digests.claim(
                    r.platform,
                    r.workspace,
                    r.target,
                    "bench",
                    owner="bench",
                    now=now,
                    deliveries=[_later(r)],
                )
                for r in digests[chunk : chunk + 50]
            )
        )
    dms = [_later(r) for r in work.rows if r.key.startswith("notify:")]
    for chunk in range(0, len(dms), 1000):
        await store.outbox.enqueue(dms[chunk : chunk + 1000], now=now)
    return work


def _later(row: Any) -> Any:
    from dataclasses import replace

    return replace(row, not_before=FAR)


def _config(platforms: Any, db: str, target: str, n: int, processes: int) -> str:
    from fakes.fleet import Platforms

    delivery = {"batch": 200, "concurrency": 48, "lease": "60s", "poll": "100ms", **EXTRA}
    if platforms is None:  # the recording platform alone
        return (
            f"[storage]\nurl = {json.dumps(db)}\n[delivery]\n"
            + "".join(f"{k} = {json.dumps(v)}\n" for k, v in delivery.items())
            + f'instance = "b{n}"\n'
        )
    assert isinstance(platforms, Platforms)
    return platforms.config(
        db,
        instance=f"b{n}",
        slack=target == "slack",
        discord=target == "discord",
        delivery=delivery,
        slack_options={
            "workspace_rate": SLACK_RATE / SCALE,
            "channel_interval": SCALE,
            "rate_limit_retries": 5,
        },
        discord_options={
            "requests_per_second": share(DISCORD_GLOBAL, processes, n) / DISCORD_SCALE,
            "rate_window": DISCORD_SCALE,
            "rate_margin": DISCORD_MARGIN * DISCORD_SCALE,
            "shard_count": processes,
            "shard_ids": [n],
            "sync_commands": n == 0,
        },
    )


def share(limit: int, processes: int, n: int) -> int:
    """Process ``n``'s whole share of ``limit`` requests a window: 50 over 4 processes is
    13, 13, 12, 12 (a pacer's slots are whole: 12.5 each would leave two unused)."""
    return limit // processes + (1 if n < limit % processes else 0)


async def _start_workers(configs: list[Path], db: str, record: bool) -> list[Worker]:
    workers = []
    for config in configs:
        args = [WORKER, "--config", str(config), "--db", db]
        keys = config.with_suffix(".keys")
        if OPTIONS["profile"] is not None:
            folder = Path(OPTIONS["profile"])
            folder.mkdir(parents=True, exist_ok=True)
            args += ["--profile", str(folder / f"{config.stem}-{len(configs)}-{_RUNS[0]}.prof")]
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            *(["--record", str(keys)] if record else []),
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        worker = Worker(proc, [])
        worker.reader = asyncio.ensure_future(worker.read())
        workers.append(worker)
    deadline = time.monotonic() + 120
    while not all("ready" in w.lines for w in workers):
        if time.monotonic() > deadline or any(w.proc.returncode is not None for w in workers):
            raise RuntimeError("a benchmark bot process did not start")
        await asyncio.sleep(0.05)
    return workers


async def _stop_workers(workers: list[Worker]) -> list[dict[str, Any]]:
    for worker in workers:
        worker.proc.send_signal(signal.SIGTERM)
    out = []
    for worker in workers:
        await asyncio.wait_for(worker.proc.wait(), 60)
        await asyncio.sleep(0)
        lines = [line for line in worker.lines if line.startswith("{")]
        out.append(json.loads(lines[-1]) if lines else {})
    return out


async def _release(store: Any) -> datetime:
    from sqlalchemy import text

    t0 = datetime.now(UTC)
    async with store.engine.begin() as conn:
        await conn.execute(text("UPDATE deliveries SET next_attempt_at = :t"), {"t": t0})
    return t0


async def _transactions(store: Any) -> int:
    """Transactions PostgreSQL has counted in this database (statistics lag a little)."""
    from sqlalchemy import text

    await asyncio.sleep(1.0)  # let the server's statistics catch up
    async with store.engine.connect() as conn:
        await conn.execute(text("SELECT pg_stat_clear_snapshot()"))
        return int(
            (
                await conn.execute(
                    text(
                        "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                        " WHERE datname = current_database()"
                    )
                )
            ).scalar_one()
        )


async def _wait_done(store: Any, timeout: float) -> datetime:
    from sqlalchemy import text

    deadline = time.monotonic() + timeout
    while True:
        async with store.engine.connect() as conn:
            left = (
                await conn.execute(text("SELECT count(*) FROM deliveries WHERE state <> 'sent'"))
            ).scalar_one()
            if left == 0:
                last = (await conn.execute(text("SELECT max(sent_at) FROM deliveries"))).scalar()
                assert isinstance(last, datetime)
                return last
        if time.monotonic() > deadline:
            raise RuntimeError(f"{left} deliveries still unsent after {timeout:.0f} s")
        await asyncio.sleep(0.25)


def _floor(target: str, messages: int) -> float | None:
    if target == "slack":
        return max(messages - SLACK_BURST, 0) * SCALE / SLACK_RATE
    if target == "discord":
        requests = messages + USERS
        return (math.ceil(requests / DISCORD_GLOBAL) - 1) * DISCORD_SCALE
    return None


async def one_run(target: str, processes: int) -> dict[str, Any]:
    """One configuration: fakes, a fresh database, the workers, the fan-out, the audit."""
    from fakes.discord import RateLimits
    from fakes.fleet import Platforms, audit

    from briefings.store import Store

    _RUNS[0] += 1
    name, db = await _database(PG_URL)
    platforms = None
    if target != "recording":
        platforms = await Platforms.start(
            CHANNELS,
            USERS,
            slack_rate=SLACK_RATE / SCALE,
            slack_burst=SLACK_BURST,
            slack_channel_interval=SCALE,
            discord_limits=RateLimits(
                global_per_second=DISCORD_GLOBAL,
                per_channel=(DISCORD_CHANNEL[0], DISCORD_CHANNEL[1] * DISCORD_SCALE),
                global_window=DISCORD_SCALE,
            ),
        )
    store = await Store.open(db)
    workers: list[Worker] = []
    busy: list[subprocess.Popen[bytes]] = []
    try:
        work = await _queue(store, platforms, target)
        folder = Path(tempfile.mkdtemp(prefix="bbfan"))
        configs = []
        for n in range(processes):
            path = folder / f"bot{n}.toml"
            path.write_text(_config(platforms, db, target, n, processes), encoding="utf-8")
            configs.append(path)
        workers = await _start_workers(configs, db, record=target == "recording")
        busy = _start_busy(OPTIONS["busy"])
        # The fakes run in this process: a garbage collection here (the fakes keep every
        # message) would hold the requests arriving meanwhile and let them in at once, a
        # burst the bots never sent. No collection runs while the fan-out is timed.
        gc.collect()
        gc.disable()
        before = await _transactions(store)
        t0 = await _release(store)
        floor = _floor(target, len(work.rows))
        last = await _wait_done(store, max(300.0, 10 * (floor or 0)))
        transactions = await _transactions(store) - before
        load = os.getloadavg()[0]
        _stop_busy(busy)
        busy = []
        stats = await _stop_workers(workers)
        workers = []
    finally:
        gc.enable()
        _stop_busy(busy)
        for worker in workers:
            worker.proc.kill()
            await worker.proc.wait()
        await store.close()
    total = (last - t0).total_seconds()
    figures: dict[str, Any] = {
        "target": target,
        "processes": processes,
        "deliveries": len(work.rows),
        "total_s": round(total, 2),
        "deliveries_per_s": round(len(work.rows) / total, 1),
        "peak_rss_mb": max(s.get("peak_rss_mb", 0.0) for s in stats),
        "rss_mb_per_process": [s.get("peak_rss_mb", 0.0) for s in stats],
        "cpu_s": round(sum(s.get("cpu_s", 0.0) for s in stats), 1),
        "db_transactions_per_delivery": round(transactions / len(work.rows), 2),
        "cpu_ms_per_delivery": round(
            1000 * sum(s.get("posting_cpu_s", 0.0) for s in stats) / len(work.rows), 3
        ),
        "busy_processes": OPTIONS["busy"],
        "load_average_1m": round(load, 2),
    }
    if platforms is None:
        keys = [k for path in configs for k in path.with_suffix(".keys").read_text().split()]
        seen = {k.split("~")[0] for k in keys}
        wanted = {r.key for r in work.rows}
        figures |= {
            "lost": len(wanted - seen),
            "duplicated": len(keys) - len(seen),
            "floor_s": None,
            "ratio_to_floor": None,
        }
    else:
        result = audit(platforms, work)
        messages = result.messages
        if target == "slack":
            opens = len(platforms.slack.calls_of("conversations.open"))
            limited = platforms.slack.rate_limited
            figures["limited_by"] = dict(platforms.slack.limited_by)
            requests = len(platforms.slack.calls)
        else:
            opens = sum(1 for r in platforms.discord.requests if r.path == "users/@me/channels")
            limited = platforms.discord.rate_limited
            figures["limited_by"] = dict(platforms.discord.limited_by)
            requests = sum(
                1 for r in platforms.discord.requests if not r.path.startswith("applications")
            )
            kinds = Counter(
                f"{r.method} {re.sub(r'[0-9]{5,}', '{id}', r.path)}"
                for r in platforms.discord.requests
            )
            figures["requests_by_route"] = dict(kinds.most_common(8))
            figures["windows"] = windows(platforms.discord.requests)
        floor = _floor(target, messages)
        assert floor is not None
        figures |= {
            "lost": len(result.lost),
            "duplicated": len(result.duplicated) + len(result.misplaced),
            "messages": messages,
            "requests": requests,
            "dm_opens": opens,
            "rate_limited": limited,
            "floor_s": round(floor, 2),
            "ratio_to_floor": round(total / floor, 3) if floor > 0 else None,
        }
        await platforms.stop()
    await _drop(PG_URL, name)
    return figures


def windows(requests: list[Any]) -> dict[str, Any]:
    """Where a Discord run's time went, from the fake's global windows.

    The fake counts the global limit in fixed windows, each opened by the first request
    after the last one closed. A run at its floor fills every window with
    ``DISCORD_GLOBAL`` requests and opens the next the instant the last closes; so the time
    over the floor is either a *gap* (no request arrived for a while after a window closed:
    the pacer held its slots too long, or nothing was ready to send) or *underfill*
    (windows that closed with slots unused; the extra windows they cost, in seconds).
    """
    window = DISCORD_SCALE
    starts: list[float] = []
    fills: list[int] = []
    for record in sorted(requests, key=lambda r: r.at):
        if record.path.startswith(("interactions/", "webhooks/", "applications")):
            continue
        if not starts or record.at >= starts[-1] + window:
            starts.append(record.at)
            fills.append(0)
        if record.status != 429:
            fills[-1] += 1
    if not starts:
        return {}
    gaps = sorted(b - (a + window) for a, b in itertools.pairwise(starts))
    sent = sum(fills)
    return {
        "count": len(starts),
        "least": math.ceil(sent / DISCORD_GLOBAL),
        "full": sum(1 for f in fills if f >= DISCORD_GLOBAL),
        "mean_fill": round(sent / len(starts), 2),
        "underfill_s": round((len(starts) - sent / DISCORD_GLOBAL) * window, 2),
        "gaps_s": round(sum(gaps), 2),
        "gap_p50_ms": round(1000 * gaps[len(gaps) // 2], 1) if gaps else 0.0,
        "gap_p90_ms": round(1000 * gaps[int(len(gaps) * 0.9)], 1) if gaps else 0.0,
        "first_to_last_s": round(starts[-1] + window - starts[0], 2),
    }


def _start_busy(count: int) -> list[subprocess.Popen[bytes]]:
    """``count`` processes that spin on a core each: the "loaded machine" mode."""
    return [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
        for _ in range(count)
    ]


def _stop_busy(busy: list[subprocess.Popen[bytes]]) -> None:
    for proc in busy:
        proc.kill()
    for proc in busy:
        proc.wait()


async def _bench(repeat: int) -> dict[str, Any]:
    runs: dict[str, dict[str, Any]] = {}
    repeats: dict[str, list[dict[str, Any]]] = {}
    for target in OPTIONS["targets"]:
        for processes in OPTIONS["processes"]:
            for _ in range(repeat if target != "recording" else 1):
                started = time.monotonic()
                figures = await one_run(target, processes)
                repeats.setdefault(f"{target}_{processes}", []).append(figures)
                _print_run(figures, time.monotonic() - started)
            done = repeats[f"{target}_{processes}"]
            runs[f"{target}_{processes}"] = _median_run(done)
            if len(done) > 1:
                ratios = [r["ratio_to_floor"] for r in done]
                print(
                    f"{target:9s} x{processes}: median ratio "
                    f"{runs[f'{target}_{processes}']['ratio_to_floor']:.3f} of {len(done)} "
                    f"runs ({', '.join(f'{r:.3f}' for r in ratios)})",
                    flush=True,
                )
    return _summary(runs)


def _median_run(done: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median time (the upper one of an even count), with every ratio."""
    ordered = sorted(done, key=lambda r: r["total_s"])
    median = dict(ordered[len(ordered) // 2])
    if len(done) > 1:
        median["ratios_of_runs"] = [r["ratio_to_floor"] for r in done]
        median["load_averages"] = [r["load_average_1m"] for r in done]
    return median


def _print_run(figures: dict[str, Any], took: float) -> None:
    target, processes = figures["target"], figures["processes"]
    ratio = figures["ratio_to_floor"]
    print(
        f"{target:9s} x{processes}: {figures['deliveries']:,} deliveries in "
        f"{figures['total_s']:.1f} s ({figures['deliveries_per_s']:,.0f}/s)"
        + (
            f", floor {figures['floor_s']:.1f} s, ratio {ratio:.3f}, "
            f"{figures['rate_limited']} x 429, {figures['dm_opens']:,} DM opens"
            if ratio is not None
            else ""
        )
        + f"; lost {figures['lost']}, duplicated {figures['duplicated']}; "
        f"peak RSS {figures['peak_rss_mb']:.0f} MB/process; "
        f"CPU {figures['cpu_ms_per_delivery']:.2f} ms/delivery, "
        f"{figures['db_transactions_per_delivery']:.2f} database transactions/delivery; "
        f"{figures['busy_processes']} busy processes, load average "
        f"{figures['load_average_1m']:.1f} (run took {took:.0f} s)",
        flush=True,
    )
    if figures.get("windows"):
        print(f"{'':9s}    global windows: {json.dumps(figures['windows'])}", flush=True)


def _summary(runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    limited = [r for r in runs.values() if r["ratio_to_floor"] is not None]
    worst = max(limited or list(runs.values()), key=lambda r: r["ratio_to_floor"] or 0.0)
    return {
        "deliveries": worst["deliveries"],
        "total_s": worst["total_s"],
        "floor_s": worst["floor_s"],
        "ratio_to_floor": worst["ratio_to_floor"],
        "worst_run": f"{worst['target']}_{worst['processes']}",
        "deliveries_per_s": worst["deliveries_per_s"],
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs.values()),
        "lost": sum(r["lost"] for r in runs.values()),
        "duplicated": sum(r["duplicated"] for r in runs.values()),
        "slack_scale": SCALE,
        "discord_scale": DISCORD_SCALE,
        "runs": runs,
    }


def bench_fanout(runs: int) -> dict[str, Any]:
    """The fan-out benchmark (see the module docstring): each rate-limited configuration
    ``runs`` times (the median run is reported), the recording platform once."""
    return asyncio.run(_bench(runs))
