"""Attacks on the HTTP servers over loopback: slow and idle clients, bad auth headers."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from fakes.slack import sign
from fakes.slack_world import running_world
from helpers.http_app import http_settings
from helpers.polling import eventually

from adapters.listener import Limits, Listener
from bot.app import App
from bot.http import HttpServer
from bot.metrics import Metrics
from bot.sections import HttpSettings


async def _raw(port: int, data: bytes, *, timeout: float = 5.0) -> bytes:
    """Send raw bytes on a fresh connection and read the answer until the server closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    try:
        async with asyncio.timeout(timeout):
            return await reader.read(65536)
    finally:
        writer.close()


def _status(answer: bytes) -> int:
    match = re.match(rb"HTTP/1\.1 (\d{3})", answer)
    assert match is not None, answer
    return int(match.group(1))


@pytest.fixture
async def server() -> AsyncIterator[HttpServer]:
    async def health() -> dict[str, Any]:
        return {"status": "ok"}

    settings = HttpSettings(
        enabled=True, port=0, header_timeout=0.5, idle_timeout=0.5, max_connections=20
    )
    srv = HttpServer(settings, health=health, metrics=Metrics())
    await srv.start()
    yield srv
    await srv.stop()


async def _healthy(port: int) -> bool:
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/healthz", timeout=aiohttp.ClientTimeout(1)) as r,
        ):
            return r.status == 200
    except (aiohttp.ClientError, TimeoutError):
        return False


async def test_slow_header_clients_are_capped_and_cut(server: HttpServer) -> None:
    assert server.port is not None
    slow: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    for _ in range(60):  # three times the cap, each sending half a request head
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        slow.append((reader, writer))
    # Past the cap a connection is refused at once with a 503 instead of piling up.
    assert _status(await _raw(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")) == 503
    # The slow ones are cut after the header timeout, and the server answers again.
    closed = await asyncio.gather(*(asyncio.wait_for(r.read(), 5) for r, _ in slow))
    assert all(c in (b"",) or c.startswith(b"HTTP/1.1 503") for c in closed)
    assert await eventually(lambda: _healthy(server.port or 0), timeout=30)
    for _, w in slow:
        w.close()


async def test_idle_kept_alive_connections_are_closed(server: HttpServer) -> None:
    assert server.port is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    first = await asyncio.wait_for(reader.readuntil(b'"ok"}'), 5)
    assert _status(first) == 200
    # Idle after its answer: the server closes it (read returns EOF) within the bound.
    assert await asyncio.wait_for(reader.read(), 5) == b""
    writer.close()


async def test_a_slow_body_gets_408() -> None:
    async def echo(request: web.Request) -> web.Response:
        return web.Response(body=await request.read())

    app = web.Application()
    app.router.add_post("/echo", echo)
    listener = Listener(app, "127.0.0.1", 0, Limits(request_timeout=0.3))
    await listener.start()
    try:
        head = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a part"
        assert _status(await _raw(listener.port, head)) == 408
    finally:
        await listener.stop()


async def test_push_with_non_text_bearer_token_is_401(tmp_path: Path) -> None:
    app = App(http_settings(tmp_path), database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await app.start()
    try:
        assert app.http is not None and app.http.port is not None
        body = json.dumps({"title": "x"}).encode()
        request = (
            b"POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\r\n"
            b"Content-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + body
        )
        assert _status(await _raw(app.http.port, request)) == 401
        # The server is unharmed: the same request without the stray bytes is refused as well,
        # with the same clear answer, not a 500.
        plain = request.replace(b"\xff\xfe", b"nothing-like-the-token")
        assert _status(await _raw(app.http.port, plain)) == 401
    finally:
        await app.stop()


async def test_slack_non_numeric_timestamp_is_401(sqlite_template: Path, tmp_path: Path) -> None:
    async with running_world(sqlite_template, tmp_path) as world:
        fake = world.fake
        assert fake.app_url is not None
        body = urlencode(fake.command_payload("/help"))
        headers = sign(body)
        headers["X-Slack-Request-Timestamp"] = "soon"
        assert (await fake.post_signed(fake.app_url, body, headers=headers))[0] == 401
        headers["X-Slack-Request-Timestamp"] = "１２３"  # fullwidth digits: not ASCII
        assert (await fake.post_signed(fake.app_url, body, headers=headers))[0] == 401
        # A properly signed request still works.
        assert (await fake.post_signed(fake.app_url, body))[0] == 200


async def test_slack_http_mode_cuts_slow_clients(sqlite_template: Path, tmp_path: Path) -> None:
    async with running_world(
        sqlite_template, tmp_path, header_timeout=0.5, max_connections=10
    ) as world:
        fake = world.fake
        port = world.adapter.port
        assert fake.app_url is not None and port is not None
        slow = []
        for _ in range(30):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
            slow.append((reader, writer))
        assert _status(await _raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")) == 503
        await asyncio.gather(*(asyncio.wait_for(r.read(), 5) for r, _ in slow))
        body = urlencode(fake.command_payload("/help"))

        async def answers() -> bool:
            try:
                return (await fake.post_signed(fake.app_url or "", body))[0] == 200
            except aiohttp.ClientError:
                return False

        assert await eventually(answers, timeout=30)
        for _, w in slow:
            w.close()
