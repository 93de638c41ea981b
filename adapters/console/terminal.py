"""Reading typed lines without blocking the event loop: readline at a terminal, else raw."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sys
import threading
from collections.abc import AsyncIterator
from typing import TextIO


def can_edit(source: TextIO, stream: TextIO) -> bool:
    """Whether lines can be read with readline: the process's own terminal, both ways."""
    try:
        same = source.fileno() == sys.stdin.fileno() and stream.fileno() == sys.stdout.fileno()
    except (OSError, io.UnsupportedOperation, ValueError, AttributeError):
        return False
    if not same or not stream.isatty():
        return False
    try:
        import readline  # noqa: F401  (importing it is what gives input() line editing)
    except ImportError:
        return False
    return True


async def edited_lines(prompt: str) -> AsyncIterator[str]:
    """Lines typed at the terminal with readline's editing and history.

    ``input()`` blocks, and readline offers no other entry point in Python, so each line
    is read by a short-lived daemon thread that hands it to the loop; a daemon, so that
    a prompt left waiting never holds up the process's exit. End of input (Ctrl-D) ends.
    """
    loop = asyncio.get_running_loop()
    while True:
        done: asyncio.Future[str | None] = loop.create_future()

        def read(done: asyncio.Future[str | None] = done) -> None:
            try:
                line: str | None = input(prompt)
            except (EOFError, KeyboardInterrupt):
                line = None
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(_settle, done, line)

        threading.Thread(target=read, name="briefbot-prompt", daemon=True).start()
        line = await done
        if line is None:
            return
        yield line + "\n"


def _settle(done: asyncio.Future[str | None], line: str | None) -> None:
    if not done.done():
        done.set_result(line)


async def lines_of(source: TextIO) -> AsyncIterator[str]:
    """Lines of ``source`` without blocking the loop (a pipe or terminal is watched for
    input; an in-memory or regular file is simply read)."""
    try:
        fd = source.fileno()
    except (OSError, io.UnsupportedOperation):
        fd = -1
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    if fd >= 0:
        try:
            loop.add_reader(fd, lambda: queue.put_nowait(os.read(fd, 65536)))
        except (PermissionError, OSError, ValueError):
            fd = -1  # a regular file: it never blocks
    if fd < 0:
        for line in source:
            yield line
        return
    try:
        pending = b""
        while True:
            chunk = await queue.get()
            if not chunk:
                if pending:
                    yield pending.decode("utf-8", "replace")
                return
            pending += chunk
            while b"\n" in pending:
                raw, pending = pending.split(b"\n", 1)
                yield raw.decode("utf-8", "replace") + "\n"
    finally:
        loop.remove_reader(fd)
