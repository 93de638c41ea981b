"""The running Discord bot most Discord tests start from, checked for faults when it stops."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.discord_setup import Bot, running_bot


@pytest.fixture
async def bot(
    tmp_path: Path, sqlite_template: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Bot]:
    """A bot on the fake Discord; at the end no wire rule was broken and nothing failed."""
    caplog.set_level(logging.ERROR)
    async with running_bot(tmp_path, template=sqlite_template) as running:
        yield running
        assert running.fake.violations == []
        assert running.errors == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
