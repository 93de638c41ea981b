"""The Discord pacer: slots freed a window after a request reached Discord, bounded by
its sending, its answer and the bucket headers Discord returns."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import aiohttp
import discord
import pytest
from aiohttp import web
from helpers.polling import eventually

from adapters.discord.pacing import RESOLUTION, Pacer, counted_at, sweep_sparingly

Handler = Callable[[web.Request], Awaitable[web.Response]]


@asynccontextmanager
async def loopback(handler: Handler) -> AsyncIterator[str]:
    """A loopback HTTP server answering GET and POST on ``/`` with ``handler``; its URL."""
    app = web.Application()
    app.router.add_route("*", "/", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/"
    finally:
        await runner.cleanup()


async def three_requests(
    url: str, pacer: Pacer, seen: list[float], hold_for: float, release: asyncio.Event
) -> list[float]:
    """Three POSTs through ``pacer``; once the server has ``seen`` two, waits ``hold_for``
    seconds past the second and sets ``release``. When each request took its slot."""
    loop = asyncio.get_running_loop()
    starts: list[float] = []
    async with aiohttp.ClientSession(trace_configs=[pacer.trace]) as session:

        async def request() -> None:
            async with pacer.slot():
                starts.append(loop.time())
                async with session.post(url) as answer:
                    await answer.read()

        tasks = [asyncio.ensure_future(request()) for _ in range(3)]
        assert await eventually(lambda: len(seen) == 2, timeout=5.0)
        assert await eventually(lambda: loop.time() >= seen[1] + hold_for, timeout=5.0)
        release.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=10.0)
    return starts


def bucket_headers(counted: float, reset_after: float = 1.0) -> dict[str, str]:
    """The bucket headers of an answer Discord made at ``counted`` (its clock, epoch s)."""
    return {
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "4",
        "X-RateLimit-Reset": f"{counted + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": "bucket-messages",
    }


def test_counted_at_reads_discords_moment_from_the_bucket_headers() -> None:
    assert counted_at(bucket_headers(1_800_000_000.25, 0.75)) == pytest.approx(
        1_800_000_000.25, abs=0.001
    )
    assert counted_at({"X-RateLimit-Reset": "12.5"}) is None
    assert counted_at({"X-RateLimit-Reset": "soon", "X-RateLimit-Reset-After": "1"}) is None
    assert counted_at({}) is None


def test_without_headers_the_margin_or_the_answer_bounds_the_arrival() -> None:
    pacer = Pacer(50, margin=0.05)
    assert pacer.reached(10.0, 1000.0, 10.01, {}) == 10.01  # answered within the margin
    assert pacer.reached(10.0, 1000.0, 10.40, {}) == 10.05  # answered late: the margin
    assert pacer.reclaimed == 0


def test_headers_give_back_a_slot_whose_answer_was_read_late() -> None:
    """Discord's clock runs 5 s ahead of this one. A quick answer bounds the skew; a later
    request answered long after it was sent is then placed by Discord's own moment."""
    pacer = Pacer(50, margin=0.05)
    ahead = 5.0
    # reached Discord 1 ms after it left, answered 2 ms after: the answer bounds it
    assert pacer.reached(11.0, 1001.0, 11.002, bucket_headers(1001.001 + ahead)) == 11.002
    # reached 4 ms after it left, answered 300 ms after (a loaded machine reads late)
    reached = pacer.reached(12.0, 1002.0, 12.3, bucket_headers(1002.004 + ahead))
    assert 12.004 <= reached <= 12.004 + 0.002 + RESOLUTION
    assert reached < 12.05 and pacer.reclaimed == 1


def test_headers_never_place_a_request_before_it_was_sent() -> None:
    pacer = Pacer(50, margin=0.05)
    assert pacer.reached(19.0, 1009.0, 19.001, bucket_headers(1009.0005)) == 19.001
    # Discord's clock stepped back a second: the header says it counted the request
    # before it left, which cannot be
    assert pacer.reached(20.0, 1010.0, 20.3, bucket_headers(1009.002)) == 20.0


def test_a_request_discord_counted_late_holds_its_slot_past_the_margin() -> None:
    """A request that reached Discord later than the margin allowed (its answer says so)
    keeps its slot until a window after that, not a window after the margin."""
    pacer = Pacer(50, margin=0.05)
    assert pacer.reached(30.0, 1020.0, 30.001, bucket_headers(1020.0005)) == 30.001
    reached = pacer.reached(31.0, 1021.0, 31.2, bucket_headers(1021.12))
    assert 31.12 <= reached <= 31.12 + 0.001 + RESOLUTION
    assert pacer.late == 1 and pacer.reclaimed == 0


def test_the_margin_grows_while_requests_are_counted_late() -> None:
    """Requests without bucket headers (opening a DM) are bounded by the margin: while the
    headers of others say requests take longer than it to be counted, it is that long."""
    pacer = Pacer(50, margin=0.05)
    assert pacer.margin == 0.05
    pacer.reached(30.0, 1020.0, 30.001, bucket_headers(1020.0005))
    assert pacer.margin == 0.05
    pacer.reached(31.0, 1021.0, 31.2, bucket_headers(1021.12))  # counted 120 ms after
    assert 0.12 <= pacer.margin <= 0.12 + 0.001 + RESOLUTION
    assert pacer.reached(32.0, 1022.0, 32.5, {}) == pytest.approx(32.0 + pacer.margin)
    for n in range(64):  # counted promptly again: the margin comes back
        pacer.reached(40.0 + n, 1030.0 + n, 40.0 + n + 0.001, bucket_headers(1030.0005 + n))
    assert pacer.margin == 0.05


def test_the_bound_is_never_before_the_real_arrival() -> None:
    """Whatever the skew, the trips and the lateness of answers, a slot is never freed
    before a window has passed at Discord: the bound is at or after the real arrival."""
    rng = random.Random(15)
    for _ in range(20):
        pacer = Pacer(50, margin=0.05)
        ahead = rng.uniform(-30.0, 30.0)
        loop, wall = 100.0, 1_800_000_000.0
        for _ in range(300):
            loop += rng.uniform(0.0, 0.02)
            sent, sent_wall = loop, wall + loop
            trip = rng.uniform(0.0, 0.1)  # within the margin, or not
            back = rng.choice([rng.uniform(0.0, 0.002), rng.uniform(0.0, 0.5)])
            arrived = sent + trip
            headers = bucket_headers(wall + arrived + ahead, rng.uniform(0.001, 2.0))
            reached = pacer.reached(sent, sent_wall, arrived + back, headers)
            # the headers are rounded to the millisecond: that much either way
            assert reached >= arrived - 0.001
            assert sent <= reached <= arrived + back + 0.001


async def test_pacer_frees_a_slot_a_window_after_its_request() -> None:
    loop = asyncio.get_running_loop()
    pacer = Pacer(60, window=0.05)  # 60 a second: 3 in each 50 ms
    started: list[float] = []
    finished: list[float] = []

    async def request() -> None:
        async with pacer.slot():
            started.append(loop.time())
            finished.append(loop.time())

    await asyncio.gather(*(request() for _ in range(7)))
    assert pacer.limit == 3
    for i in range(3, 7):  # the (i+1)-th request waits for the slot of the (i-2)-th
        assert started[i] >= finished[i - 3] + 0.05 - 0.001


async def test_pacer_counts_from_sending_so_slow_answers_do_not_hold_slots() -> None:
    """A request reached Discord within the margin of being sent: its slot is free a window
    after that, though its answer has not come back yet (a loaded machine reads late)."""
    loop = asyncio.get_running_loop()
    pacer = Pacer(60, window=0.05, margin=0.01)
    answered = asyncio.Event()
    started: list[float] = []

    async def request() -> None:
        async with pacer.slot():
            started.append(loop.time())
            await answered.wait()

    tasks = [asyncio.ensure_future(request()) for _ in range(4)]
    try:
        assert await eventually(lambda: len(started) == 4, timeout=2.0)
        assert not answered.is_set()  # the first three are still waiting for their answers
        assert started[3] >= started[0] + 0.05 + 0.01 - 0.001
    finally:
        answered.set()
        await asyncio.gather(*tasks)


async def test_pacer_stamps_the_moment_a_request_leaves() -> None:
    """Through the client's HTTP trace, a request held back after taking its slot (as
    discord.py holds one for a per-route bucket) is counted from when it was sent."""
    loop = asyncio.get_running_loop()
    pacer = Pacer(20, window=0.05, margin=0.0, traced=True)  # one slot
    release = asyncio.Event()
    taken: list[float] = []
    sent: list[float] = []
    started: list[float] = []

    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async with (
        loopback(handler) as url,
        aiohttp.ClientSession(trace_configs=[pacer.trace]) as session,
    ):

        async def held() -> None:
            async with pacer.slot():
                taken.append(loop.time())
                await release.wait()  # held back before it goes out
                sent.append(loop.time())
                async with session.get(url) as answer:
                    await answer.read()

        async def next_one() -> None:
            async with pacer.slot():
                started.append(loop.time())

        first = asyncio.ensure_future(held())
        second = asyncio.ensure_future(next_one())
        assert await eventually(lambda: bool(taken), timeout=1.0)
        # hold it back for 30 ms, longer than the margin: the slot was taken long before
        assert await eventually(lambda: loop.time() >= taken[0] + 0.03, timeout=1.0)
        assert not started and pacer.limit == 1
        release.set()
        await asyncio.gather(first, second)
    assert started[0] >= sent[0] + 0.05 - 0.001


async def test_a_slot_comes_back_a_window_after_discord_counted_its_request() -> None:
    """One slot, a one-second window and a margin far longer than that. The second answer
    is held back half a second after Discord counted its request (as a loaded machine
    reads late): the third request goes a window after Discord counted the second, as
    its headers say, not a window after its answer was read."""
    loop = asyncio.get_running_loop()
    counted: list[float] = []
    hold = asyncio.Event()
    wall_at_start, loop_at_start = time.time(), loop.time()

    async def handler(request: web.Request) -> web.Response:
        now = loop.time()
        counted.append(now)
        headers = bucket_headers(wall_at_start + (now - loop_at_start) + 3.0)  # 3 s ahead
        if len(counted) == 2:
            await hold.wait()
        return web.Response(text="{}", headers=headers)

    pacer = Pacer(1, window=1.0, margin=5.0, traced=True)  # one slot
    async with loopback(handler) as url:
        starts = await three_requests(url, pacer, counted, 0.5, hold)
    assert pacer.reclaimed == 1  # the second slot, on its headers
    assert starts[1] >= counted[0] + 1.0 - 0.001  # the first answer was prompt: a window
    assert starts[2] >= counted[1] + 1.0 - 0.001  # never within a window at "Discord"
    assert starts[2] < counted[1] + 1.0 + 0.45  # not a window after the held answer


async def test_discord_py_looks_through_its_buckets_sparingly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bucket per channel: posting to 1,000 channels no longer looks through all the
    buckets for each new one (quadratic), yet idle buckets are still dropped in time."""
    looked = 0
    is_inactive = discord.http.Ratelimit.is_inactive

    def counting(bucket: discord.http.Ratelimit) -> bool:
        nonlocal looked
        looked += 1
        return is_inactive(bucket)

    monkeypatch.setattr(discord.http.Ratelimit, "is_inactive", counting)
    now = [0.0]
    client = discord.Client(intents=discord.Intents.none())
    sweep_sparingly(client.http, every=30.0, clock=lambda: now[0])
    sweep_sparingly(client.http, every=30.0, clock=lambda: now[0])  # once is enough
    for i in range(1000):
        client.http.get_ratelimit(f"POST /channels/{{channel_id}}/messages:{i}")
    assert looked == 256  # one look, when the 256th bucket was made (was 200,000 or so)
    for bucket in client.http._buckets.values():
        bucket._last_request -= 301  # idle for five minutes
    now[0] = 30.0
    client.http.get_ratelimit("POST /channels/{channel_id}/messages:new")
    assert list(client.http._buckets) == ["POST /channels/{channel_id}/messages:new"]
    await client.close()


async def test_a_request_counted_late_keeps_its_slot_a_window_past_its_count() -> None:
    """A 10 ms margin, and a second request that "Discord" reads 150 ms after it was sent:
    its headers say so, and the next request waits a window from then, not from the
    margin, even once the request is over."""
    loop = asyncio.get_running_loop()
    received: list[float] = []
    counted: list[float] = []
    hold = asyncio.Event()
    wall_at_start, loop_at_start = time.time(), loop.time()

    async def handler(request: web.Request) -> web.Response:
        received.append(loop.time())
        if len(received) == 2:
            await hold.wait()
        counted.append(loop.time())
        return web.Response(
            text="{}", headers=bucket_headers(wall_at_start + (counted[-1] - loop_at_start))
        )

    pacer = Pacer(5, window=0.2, margin=0.01, traced=True)  # one slot
    async with loopback(handler) as url:
        starts = await three_requests(url, pacer, received, 0.15, hold)
    assert pacer.late == 1
    assert starts[2] >= counted[1] + 0.2 - 0.001
