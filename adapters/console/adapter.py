"""The console adapter: prints what the bot posts, answers commands typed at a prompt.

:class:`ConsoleAdapter` satisfies :class:`adapters.base.Adapter`: it "posts" to channels
and users by printing (:mod:`adapters.console.render`), and with a command runner it
answers commands typed at a prompt (``/actor wagner``).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TextIO

from adapters.base import DeliveryError, Reachability, Sent, Target
from adapters.console.render import reply_lines
from adapters.console.terminal import can_edit, edited_lines, lines_of
from briefings.service.replies import Reply

CommandRunner = Callable[[str], Awaitable[Reply]]
"""Runs one typed command line (``/actor wagner``) and returns the reply."""


class ConsoleAdapter:
    """Prints what the bot posts; answers typed commands when given a runner.

    Args:
        stream: where to print (standard output when omitted).
        workspace: the workspace name console targets use.
        channel: the console's channel id.
        runner: runs a typed command; without one the prompt is not offered.
        input: where typed commands come from (standard input when omitted).
        prompt: shown before each command when the input is a terminal.
    """

    def __init__(
        self,
        *,
        stream: TextIO | None = None,
        workspace: str = "local",
        channel: str = "console",
        runner: CommandRunner | None = None,
        input: TextIO | None = None,
        prompt: str = "briefbot> ",
    ) -> None:
        self._stream = stream
        self.workspace = workspace
        self.channel = channel
        self._runner = runner
        self._input = input
        self._prompt = prompt
        self._posted = 0
        self._reader: asyncio.Task[None] | None = None

    @property
    def platform(self) -> str:
        return "console"

    @property
    def stream(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stdout

    def target(self, kind: str = "channel", ident: str | None = None) -> Target:
        """A target on this console: its channel, or a user."""
        if kind == "user":
            return Target("console", self.workspace, ident or "you", "user")
        return Target("console", self.workspace, ident or self.channel, "channel")

    async def start(self) -> None:
        """Start reading commands, when a runner and an input were given."""
        if self._runner is not None and self._input is not None:
            self._reader = asyncio.create_task(self._read(self._input))

    async def _read(self, source: TextIO) -> None:
        """Read commands while the bot runs; when they end, say that the bot goes on."""
        try:
            ended = await self.prompt_loop(source)
            why = "quit" if ended == "quit" else "end of input"
            self.write(
                [
                    f"({why}: no more commands are read here; briefbot goes on running "
                    "until it gets Ctrl-C or SIGTERM)"
                ]
            )
        except BrokenPipeError:
            return  # the output is closed: no answer can be shown, so none is asked for

    async def stop(self) -> None:
        """Stop reading commands."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None

    def write(self, lines: Sequence[str]) -> None:
        """Print lines and flush."""
        out = self.stream
        for line in lines:
            out.write(line.rstrip() + "\n")
        out.flush()

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        """Print a reply under a header naming the target."""
        self._posted += 1
        where = f"#{target.id}" if target.kind == "channel" else f"@{target.id}"
        try:
            self.write([f"── {where} " + "─" * max(4, 40 - len(where)), *reply_lines(reply), ""])
        except BrokenPipeError:
            raise DeliveryError(
                "the console's output is closed (a pipe whose reader has gone?)", permanent=False
            ) from None
        return Sent((f"console-{self._posted}",))

    async def reachable(self, target: Target) -> Reachability:
        """Every console target is reachable; other platforms' targets are not."""
        if target.platform != "console":
            return Reachability(False, f"the console cannot post to {target.platform}")
        return Reachability(True)

    async def answer(self, line: str) -> Reply | None:
        """Run one typed command and print its reply; None for a blank line."""
        if self._runner is None or not line.strip():
            return None
        reply = await self._runner(line.strip())
        self.write([*reply_lines(reply), ""])
        return reply

    async def prompt_loop(
        self, source: TextIO, *, after: Callable[[], Awaitable[object]] | None = None
    ) -> str:
        """Read commands until end of input (``quit`` or ``exit`` also stop).

        At a terminal (standard input and output both), lines are read through GNU
        readline when Python has it: arrow keys edit the line and walk the session's
        history, as in a shell.

        Args:
            source: where the commands come from.
            after: awaited after each command (the demo sends what the command queued).

        Returns:
            ``quit`` when told to stop, ``end`` at the end of the input.
        """
        interactive = source.isatty()
        if interactive and can_edit(source, self.stream):
            lines = edited_lines(self._prompt)
            interactive = False  # readline shows the prompt itself
        else:
            lines = lines_of(source)
        if interactive:
            self._show_prompt()
        async for line in lines:
            if line.strip().lower() in ("quit", "exit", "/quit", "/exit"):
                return "quit"
            await self.answer(line)
            if after is not None:
                await after()
            if interactive:
                self._show_prompt()
        return "end"

    def _show_prompt(self) -> None:
        self.stream.write(self._prompt)
        self.stream.flush()
