"""The command guide's tables come from the bot's help text, through the MkDocs hook."""

from __future__ import annotations

import runpy
from typing import Any

import pytest
from helpers.paths import ROOT

from briefings.chat.help import DIGEST_HELP, HELP

COMMANDS = ROOT / "docs" / "commands.md"


@pytest.fixture(scope="module")
def render() -> Any:
    """The hook's ``render``: docs/hooks.py is a file MkDocs loads, not a package module."""
    return runpy.run_path(str(ROOT / "docs" / "hooks.py"))["render"]


def test_the_guide_lists_every_help_entry_in_order(render: Any) -> None:
    page = render(COMMANDS.read_text(encoding="utf-8"))
    assert "<!-- help:" not in page
    rows = [line for line in page.splitlines() if line.startswith("| `/")]
    assert rows == [f"| `/{e.usage}` | {e.description} |" for e in (*HELP, *DIGEST_HELP)]


def test_a_page_without_markers_is_left_alone(render: Any) -> None:
    assert render("# Slack set-up\n") == "# Slack set-up\n"


def test_a_guide_that_lost_one_marker_fails_the_build(render: Any) -> None:
    with pytest.raises(ValueError, match="help:digest"):
        render("<!-- help:commands -->\n")
