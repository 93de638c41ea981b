"""The console adapter: it satisfies the Adapter contract, renders replies, reads commands."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from datetime import UTC, date, datetime

from helpers.polling import eventually
from helpers.replies import JNIM, MALI

from adapters.base import Adapter, DeliveryError, Target
from adapters.console.adapter import ConsoleAdapter
from adapters.console.render import reply_lines
from briefings.service.replies import (
    ActorProfile,
    ActorRef,
    Button,
    Digest,
    DigestItem,
    EventEntry,
    Notice,
    Reply,
    SourceLink,
)

START = datetime(2026, 11, 22, 7, tzinfo=UTC)
END = datetime(2026, 11, 23, 7, tzinfo=UTC)


def _digest(items: int = 1) -> Digest:
    item = DigestItem(
        story_id="a1",
        headline="JNIM tightens the siege of Bamako",
        tldr="Fuel convoys blocked for a third week.",
        key_points=("Convoys were attacked near Kati.", "The junta promised escorts."),
        actors=(JNIM, MALI),
        sources=(
            SourceLink(
                "Siege tightens", "https://example.org/a1", "Sahel desk", date(2026, 11, 22)
            ),
        ),
        event_count=3,
        published=START,
    )
    return Digest(
        "Briefing: last 24 hours",
        START,
        END,
        (item,) * items,
        buttons=(Button("Subscribe to JNIM", "subscribe", "jnim"),),
    )


def test_the_console_adapter_satisfies_the_contract() -> None:
    assert isinstance(ConsoleAdapter(), Adapter)


def test_a_digest_renders_headline_points_actors_sources_and_buttons() -> None:
    lines = reply_lines(_digest())
    text = "\n".join(lines)
    assert lines[0] == "Briefing: last 24 hours"
    assert " 1. JNIM tightens the siege of Bamako" in lines
    assert "    • Convoys were attacked near Kati." in lines
    assert "    Actors: JNIM, Mali" in lines
    assert "Siege tightens (Sahel desk) 2026-11-22 <https://example.org/a1>" in text
    assert lines[-1] == "  [Subscribe to JNIM]"


def test_an_empty_digest_is_one_line_after_its_header() -> None:
    empty = Digest("Daily digest", START, END, (), empty_text="Nothing new since yesterday.")
    assert reply_lines(empty)[-1] == "Nothing new since yesterday."


def test_allegations_keep_their_attribution() -> None:
    entry = EventEntry(
        text="The Russian MoD alleged that Ukraine trained the rebels.",
        type="accuse",
        date="2026-04",
        date_precision="month",
        actors=(ActorRef("russia-mod", "Russian Ministry of Defence", "government"),),
        recipients=(ActorRef("ukraine", "Ukraine", "state"),),
        location=None,
        attribution="the Russian Ministry of Defence",
        modality="alleged",
        source=SourceLink("Mali collapse"),
    )
    profile = ActorProfile(
        actor=ActorRef("ukraine", "Ukraine", "state"),
        aliases=("Ukrainian",),
        country="UA",
        mentions=((date(2026, 4, 27), 2),),
        timeline=(entry,),
        related=(),
        sources=(SourceLink("Mali collapse"),),
        since=None,
    )
    text = "\n".join(reply_lines(profile))
    assert "(alleged by the Russian Ministry of Defence)" in text
    assert "Mentioned 2 times" in text


def test_notices_show_suggestions() -> None:
    notice = Notice("not_found", "I know no actor called 'wagnr'.", suggestions=(JNIM,))
    assert reply_lines(notice) == ["? I know no actor called 'wagnr'.", "  Did you mean: JNIM?"]


async def test_publish_prints_under_a_header_and_returns_ids() -> None:
    out = io.StringIO()
    console = ConsoleAdapter(stream=out)
    sent = await console.publish(Target("console", "local", "console"), _digest(), key="k1")
    again = await console.publish(console.target("user", "ana"), Notice("ok", "Hi"), key="k2")
    assert sent.message_ids == ("console-1",) and again.message_ids == ("console-2",)
    text = out.getvalue()
    assert text.startswith("── #console ─")
    assert "── @ana ─" in text
    assert (await console.reachable(Target("slack", "T1", "C1"))).ok is False
    assert (await console.reachable(console.target())).ok


async def test_commands_typed_on_a_pipe_are_answered_until_end_of_input() -> None:
    asked: list[str] = []

    async def runner(line: str) -> Reply:
        asked.append(line)
        return Notice("info", f"you said {line}")

    out = io.StringIO()
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, "r") as source:
        console = ConsoleAdapter(stream=out, runner=runner, input=source)
        await console.start()
        os.write(write_fd, b"/actor wagner\n\n/brief 30d\n")
        assert await eventually(lambda: len(asked) == 2, 30)
        os.close(write_fd)
        await console.stop()
    assert asked == ["/actor wagner", "/brief 30d"]
    assert "i you said /brief 30d" in out.getvalue()


async def test_commands_from_a_file_and_quit() -> None:
    asked: list[str] = []

    async def runner(line: str) -> Reply:
        asked.append(line)
        return Notice("ok", "done")

    console = ConsoleAdapter(stream=io.StringIO(), runner=runner)
    await console.prompt_loop(io.StringIO("/help\nquit\n/never\n"))
    assert asked == ["/help"]


async def test_quit_in_a_running_bot_says_the_bot_goes_on() -> None:
    async def runner(line: str) -> Reply:
        return Notice("ok", f"did {line}")

    for typed, why in (("/help\nquit\n/never\n", "(quit:"), ("/help\n", "(end of input:")):
        out = io.StringIO()
        console = ConsoleAdapter(stream=out, runner=runner, input=io.StringIO(typed))
        await console.start()
        assert await eventually(lambda out=out: "goes on running" in out.getvalue(), 30)
        lines = out.getvalue().splitlines()
        assert lines[0] == "✓ did /help" and "did /never" not in out.getvalue()
        assert lines[-1].startswith(why) and "Ctrl-C or SIGTERM" in lines[-1]
        # It still posts what the bot sends; only the typing has ended.
        await console.publish(console.target(), Notice("info", "still here"), key="k")
        assert "i still here" in out.getvalue()
        await console.stop()


async def test_the_prompt_loop_runs_the_hook_after_each_command() -> None:
    done: list[str] = []

    async def runner(line: str) -> Reply:
        done.append(line)
        return Notice("ok", line)

    async def after() -> None:
        done.append("after")

    console = ConsoleAdapter(stream=io.StringIO(), runner=runner)
    ended = await console.prompt_loop(io.StringIO("/a\n\n/b\nexit\n/c\n"), after=after)
    assert ended == "quit"
    assert done == ["/a", "after", "after", "/b", "after"]  # a blank line answers nothing


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


async def test_posting_to_a_closed_output_is_a_delivery_failure() -> None:
    console = ConsoleAdapter(stream=_ClosedPipe())
    try:
        await console.publish(console.target(), Notice("info", "lost?"), key="k")
    except DeliveryError as exc:
        assert not exc.permanent and "output is closed" in str(exc)
    else:
        raise AssertionError("a closed output must fail the delivery, to be retried")


async def test_a_closed_output_ends_the_reading_quietly() -> None:
    asked: list[str] = []

    async def runner(line: str) -> Reply:
        asked.append(line)
        return Notice("ok", line)

    console = ConsoleAdapter(
        stream=_ClosedPipe(), runner=runner, input=io.StringIO("/help\n/brief\n")
    )
    await console.start()
    assert await eventually(lambda: asked == ["/help"], 30)  # its answer met the closed pipe
    await console.stop()  # neither the reading nor stopping raises
    assert asked == ["/help"]


_ECHO = """
import asyncio, sys
from adapters.console.adapter import ConsoleAdapter
from briefings.service.replies import Notice

async def echo(line):
    return Notice("info", "got " + line)

asyncio.run(ConsoleAdapter(runner=echo, prompt="> ").prompt_loop(sys.stdin))
print("bye")
"""


async def test_the_terminal_prompt_edits_lines_and_keeps_history() -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "INPUTRC": "/dev/null"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _ECHO],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = bytearray()

    def shown(text: bytes, times: int = 1) -> bool:
        """Read what the child has written so far; whether ``text`` is in it ``times`` times."""
        while select.select([leader], [], [], 0)[0]:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen.extend(chunk)
        return seen.count(text) >= times

    async def at_prompt(times: int) -> None:
        # Keys are typed only once readline shows the prompt: it puts the terminal in raw
        # mode first. Keys typed earlier, while the reply to the last line is printed, meet
        # the terminal's own line editing, which echoes arrows as ^[[A and swallows Ctrl-D.
        assert await eventually(lambda: shown(b"> ", times), 20.0), bytes(seen)

    try:
        await at_prompt(1)
        os.write(leader, b"/first\r")
        assert await eventually(lambda: shown(b"got /first"), 20.0), bytes(seen)
        await at_prompt(2)
        os.write(leader, b"\x1b[A\r")  # arrow up: the last line again
        assert await eventually(lambda: shown(b"got /first", 2), 20.0), bytes(seen)
        await at_prompt(3)
        os.write(leader, b"abc\x1b[D\x1b[DX\r")  # two arrows left, insert X
        assert await eventually(lambda: shown(b"got aXbc"), 20.0), bytes(seen)
        assert b"^[[A" not in seen and b"^[[D" not in seen
        await at_prompt(4)
        os.write(leader, b"\x04")  # Ctrl-D ends the prompt
        assert await eventually(lambda: shown(b"bye"), 20.0), bytes(seen)
        assert await eventually(lambda: proc.poll() is not None, 20.0)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(leader)
