"""Bounded polling for tests: wait for a condition to hold, never for a fixed time."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable


async def eventually(
    condition: Callable[[], bool | Awaitable[bool]],
    timeout: float = 5.0,
    *,
    interval: float = 0.01,
) -> bool:
    """Poll ``condition`` every ``interval`` seconds until it holds (True) or ``timeout``
    seconds have passed (False; the condition is checked once more at the end).

    Args:
        condition: a function returning a truth value, or an awaitable of one.
        timeout: the most seconds to wait.
        interval: seconds between two checks.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(interval)
