"""The command guide's tables come from the bot's help text, through the MkDocs hook."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from briefings.help import DIGEST_HELP, HELP

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ROOT / "docs" / "commands.md"


@pytest.fixture(scope="module")
def hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "docs" / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_guide_lists_every_help_entry_in_order(hooks: ModuleType) -> None:
    page = hooks.render(COMMANDS.read_text(encoding="utf-8"))
    assert "<!-- help:" not in page
    rows = [line for line in page.splitlines() if line.startswith("| `/")]
    assert rows == [f"| `/{e.usage}` | {e.description} |" for e in (*HELP, *DIGEST_HELP)]


def test_a_page_without_markers_is_left_alone(hooks: ModuleType) -> None:
    assert hooks.render("# Slack set-up\n") == "# Slack set-up\n"


def test_a_guide_that_lost_one_marker_fails_the_build(hooks: ModuleType) -> None:
    with pytest.raises(ValueError, match="help:digest"):
        hooks.render("<!-- help:commands -->\n")
