"""Signed requests and the 3-second rule: signatures, slow answers, long answers, failures."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fakes.slack import SIGNING_SECRET, sign
from fakes.slack_world import running_world
from helpers.replies import item

from briefings.chat.access import Caller
from briefings.chat.commands import Commands
from briefings.service.replies import Digest, Reply


class Gated(Commands):
    """The real command layer, held back until the test opens the gate."""

    gate = asyncio.Event()

    async def handle(self, caller: Caller, name: str, text: str = "") -> Reply:
        await self.gate.wait()
        return await super().handle(caller, name, text)


class Huge(Commands):
    """The real command layer, except that ``brief`` answers with a 90-story digest."""

    async def handle(self, caller: Caller, name: str, text: str = "") -> Reply:
        if name == "brief":
            reply = await super().handle(caller, name, text)
            assert isinstance(reply, Digest)
            return Digest("Huge", reply.start, reply.end, tuple(item(n) for n in range(90)))
        return await super().handle(caller, name, text)


class Broken(Commands):
    """The real command layer with a bug in it."""

    async def handle(self, caller: Caller, name: str, text: str = "") -> Reply:
        raise RuntimeError("a bug")


async def test_forged_and_stale_signatures_get_401(sqlite_template: Path, tmp_path: Path) -> None:
    async with running_world(sqlite_template, tmp_path) as world:
        fake = world.fake
        assert fake.app_url is not None
        body = urlencode(fake.command_payload("/help"))
        forged = sign(body, secret="not-" + SIGNING_SECRET)
        assert (await fake.post_signed(fake.app_url, body, headers=forged))[0] == 401
        stale = sign(body, timestamp=int(time.time()) - 6 * 60)
        assert (await fake.post_signed(fake.app_url, body, headers=stale))[0] == 401
        tampered = sign(body)
        assert (await fake.post_signed(fake.app_url, body + "x", headers=tampered))[0] == 401
        unsigned = {"Content-Type": "application/x-www-form-urlencoded"}
        assert (await fake.post_signed(fake.app_url, body, headers=unsigned))[0] == 401
        assert fake.messages == []
        assert (await fake.post_signed(fake.app_url, body))[0] == 200


async def test_a_slow_answer_is_acked_empty_then_sent_through_response_url(
    sqlite_template: Path, tmp_path: Path
) -> None:
    Gated.gate = asyncio.Event()
    async with running_world(sqlite_template, tmp_path, commands=Gated, ack_budget=0.2) as world:
        try:
            exchange = await world.fake.command("/actor", "JNIM")
            assert exchange.ack == {}
            assert exchange.acked_at - exchange.sent_at < 1.5
            assert world.fake.replies_to(exchange.response_url) == []
            Gated.gate.set()
            await world.fake.wait_for(lambda: world.fake.replies_to(exchange.response_url) != [])
            (answer,) = world.fake.replies_to(exchange.response_url)
            assert answer.via == "response_url"
            assert answer.raw["response_type"] == "ephemeral"
            assert answer.blocks[0]["text"]["text"] == "JNIM"
        finally:
            Gated.gate.set()


async def test_an_answer_longer_than_six_messages_says_what_it_left_out(
    sqlite_template: Path, tmp_path: Path
) -> None:
    async with running_world(sqlite_template, tmp_path, commands=Huge) as world:
        replies = await world.ask("/brief", parts=6)
        assert [r.via for r in replies] == ["ack"] + ["response_url"] * 5
        assert "3 more parts" in replies[-1].all_text()
        assert "Story 0:" in replies[0].all_text()
        assert world.fake.rejected == []


async def test_an_internal_error_is_answered_not_swallowed(
    sqlite_template: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_world(sqlite_template, tmp_path, commands=Broken) as world:
        (reply,) = await world.ask("/brief")
        assert "internal error" in reply.all_text()
        assert any("a bug" in (r.exc_text or "") for r in caplog.records)
