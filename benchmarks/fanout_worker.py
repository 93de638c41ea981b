"""One bot process of the fan-out benchmark: the running bot (:class:`bot.app.App`) from a
config file, plus, with ``--record``, a recording platform named ``recording``.

It prints ``ready`` once started, posts whatever the outbox holds until SIGTERM (or until
its standard input closes: the benchmark is gone), then
prints one JSON line: its peak RSS, its CPU time and the CPU time it spent after ``ready``
(posting, without start-up); ``--record FILE`` writes the keys the recording platform took
to FILE, one a line; ``--profile FILE`` writes its cProfile statistics there, timed in CPU
seconds (wall-clock times would count the waits of a loaded machine).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import resource
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from memory import peak_rss_mb  # noqa: E402

from adapters.base import Reachability, Sent, Target  # noqa: E402
from bot.app import App  # noqa: E402
from bot.config import load_config  # noqa: E402
from briefings.service.replies import Reply  # noqa: E402


class Recorder:
    """A platform that takes every post at once and remembers its key."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    @property
    def platform(self) -> str:
        return "recording"

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        self.keys.append(key)
        return Sent((f"r{len(self.keys)}",))

    async def reachable(self, target: Target) -> Reachability:
        return Reachability(True)


async def run(config: Path, db: str, record: Path | None) -> dict[str, object]:
    recorder = Recorder()
    extra = [recorder] if record is not None else []
    app = App(load_config(config), database_url=db, extra_adapters=extra)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    # Standard input is a pipe from the benchmark: when it closes, the benchmark is gone.
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    async def orphaned() -> None:
        await reader.read()
        stop.set()

    watch = asyncio.ensure_future(orphaned())
    ready = 0.0
    try:
        await app.start()
        ready = time.process_time()
        print("ready", flush=True)
        await stop.wait()
    finally:
        watch.cancel()
        await app.stop()
    if record is not None:
        record.write_text("".join(f"{key}\n" for key in recorder.keys), encoding="utf-8")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "peak_rss_mb": peak_rss_mb(),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "posting_cpu_s": round(time.process_time() - ready, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True, type=Path)
    parser.add_argument("--db", required=True)
    parser.add_argument("--record", type=Path, metavar="FILE")
    parser.add_argument("--profile", type=Path, metavar="FILE", help="write cProfile stats")
    args = parser.parse_args()
    profile = cProfile.Profile(time.process_time) if args.profile is not None else None
    if profile is not None:
        profile.enable()
    figures = asyncio.run(run(args.config, args.db, args.record))
    if profile is not None:
        profile.disable()
        profile.dump_stats(args.profile)
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
