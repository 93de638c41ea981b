"""What the Slack and Discord benchmarks share: the digest fan-out (posting with the
outbox's retries, one run's figures, the median of several runs) and the run of the whole
benchmark around it."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any

from adapters.base import Adapter, DeliveryError, Target
from briefings.service.replies import Notice, Reply

TRIES = 6

Figures = dict[str, Any]
"""A benchmark's figures by name, as printed in its JSON line."""


class NoCommands:
    """The command layer of an adapter that only posts: never called in a fan-out."""

    async def handle(self, caller: Any, name: str, text: str = "") -> Reply:
        return Notice("info", "not used here")

    async def press(self, caller: Any, action: str, value: str) -> Reply:
        return Notice("info", "not used here")


async def post_all(adapter: Adapter, reply: Reply, targets: Iterable[Target]) -> tuple[float, int]:
    """Publish ``reply`` to every target at once, each retried as the outbox retries a
    transient failure (after its Retry-After); the seconds it took and the retries made."""
    retries = 0

    async def deliver(target: Target) -> None:
        nonlocal retries
        for _ in range(TRIES):
            try:
                await adapter.publish(target, reply, key=f"d:{target.id}")
                return
            except DeliveryError as exc:
                if exc.permanent:
                    raise
                retries += 1
                await asyncio.sleep(exc.retry_after or 0.0)

    started = time.perf_counter()
    await asyncio.gather(*(deliver(t) for t in targets), return_exceptions=True)
    return time.perf_counter() - started, retries


def run_figures(
    *,
    channels: int,
    elapsed: float,
    floor: float,
    posted: Counter[Hashable],
    expected: set[Hashable],
) -> dict[str, Any]:
    """One fan-out's figures; messages lost and duplicated are counted by part identity."""
    return {
        "fanout_channels": channels,
        "fanout_messages": len(expected),
        "fanout_s": round(elapsed, 3),
        "fanout_floor_s": round(floor, 3),
        "fanout_ratio_to_floor": round(elapsed / floor, 3),
        "lost": len(expected - set(posted)),
        "duplicated": sum(n - 1 for n in posted.values() if n > 1),
    }


def summary(fanouts: Sequence[dict[str, Any]]) -> tuple[dict[str, Any], list[float]]:
    """Print each run; the median run (by ratio to the floor) with losses and duplicates of
    all runs summed, and every run's ratio."""
    for f in fanouts:
        print(
            f"  fan-out: {f['fanout_s']} s for {f['fanout_messages']} messages, "
            f"floor {f['fanout_floor_s']} s, lost {f['lost']}, duplicated {f['duplicated']}, "
            f"429s {f['rate_limited']}"
        )
    ratios = [f["fanout_ratio_to_floor"] for f in fanouts]
    median = sorted(fanouts, key=lambda f: f["fanout_ratio_to_floor"])[len(fanouts) // 2]
    totals = {
        "lost": sum(f["lost"] for f in fanouts),
        "duplicated": sum(f["duplicated"] for f in fanouts),
    }
    return {**median, **totals}, ratios


def bench_platform(
    runs: int,
    *,
    latencies: Callable[[], Awaitable[tuple[Figures, Figures]]],
    fanout: Callable[[], Awaitable[Figures]],
    latency: str,
    describe: Callable[[Figures, list[float]], str],
) -> Figures:
    """Run a platform benchmark: its latencies, then ``runs`` fan-outs.

    Args:
        runs: how many fan-outs (the median run is reported).
        latencies: measures the adapter alone, then the full run; their figures.
        fanout: one fan-out's figures.
        latency: the prefix of the latency figures (``ack``, ``callback``).
        describe: the lines to print about the full run's figures and the fan-out ratios.

    Returns:
        The full run's figures, the adapter alone's p50 and p99 and the fan-out's.
    """

    async def work() -> Figures:
        alone, figures = await latencies()
        fanouts, ratios = summary([await fanout() for _ in range(runs)])
        print(describe(figures, ratios))
        p50, p99 = alone[f"{latency}_p50_ms"], alone[f"{latency}_p99_ms"]
        print(f"  the adapter alone: p50 {p50} ms, p99 {p99} ms")
        return {**figures, "adapter_only_p50_ms": p50, "adapter_only_p99_ms": p99, **fanouts}

    return asyncio.run(work())
