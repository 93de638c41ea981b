"""The running Slack world (HTTP mode) the adapter tests share, checked when it stops."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.slack_world import SlackWorld, running_world


@pytest.fixture
async def world(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[SlackWorld]:
    """A Slack world in HTTP mode; at the end the fake rejected nothing."""
    async with running_world(sqlite_template, tmp_path) as started:
        yield started
    assert started.fake.rejected == []
