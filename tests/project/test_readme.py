"""The README and the quickstart show what ``briefbot demo`` prints and what CI runs."""

from __future__ import annotations

import asyncio
import io
import re
import shlex
from pathlib import Path

import pytest
from helpers.paths import ROOT

from bot.demo import run_demo

README = ROOT / "README.md"
QUICKSTART = ROOT / "docs" / "quickstart.md"
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def block(page: Path, name: str) -> str:
    """The text block between a page's ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``."""
    pattern = re.compile(
        rf"<!-- {name}:start -->\n```text\n(.*?)```\n<!-- {name}:end -->", re.DOTALL
    )
    found = pattern.search(page.read_text(encoding="utf-8"))
    assert found is not None, f"{page.name} lost its {name} markers"
    return found.group(1)


def lookups(transcript: str) -> str:
    """The lookups part of a demo transcript: from ``/actor wagner`` to ``/digest``."""
    start = transcript.index("sahel-watch> /actor wagner")
    end = transcript.index("sahel-watch> /digest", start)
    return transcript[start:end].rstrip("\n") + "\n"


@pytest.fixture(scope="module")
def transcript() -> str:
    out = io.StringIO()
    assert asyncio.run(run_demo(interactive=False, stream=out)) == 0
    return out.getvalue()


def test_the_quickstart_shows_what_the_demo_prints(transcript: str) -> None:
    assert block(QUICKSTART, "demo-transcript") == lookups(transcript)


def test_the_readme_digest_is_part_of_what_the_demo_posts(transcript: str) -> None:
    sample = block(README, "demo-digest")
    assert sample.startswith("── #sahel-watch")
    assert " 1. " in sample and " 2. " in sample, "the sample lost its stories"
    # Only the time stamps of the digest's window depend on today's date.
    assert _STAMP.sub("<stamp>", sample) in _STAMP.sub("<stamp>", transcript)


def test_the_readme_test_command_is_what_ci_runs() -> None:
    readme = README.read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    found = re.search(r"^pip install -e ('[^']*') && (python3 -m pytest.*)$", readme, re.MULTILINE)
    assert found is not None, "the README lost its test command"
    extras, tests = shlex.split(found.group(1))[0], found.group(2)
    installs = re.findall(r"^python3 -m pip install --quiet -e (\S+)$", ci, re.MULTILINE)
    assert [shlex.split(i)[0] for i in installs] == [extras]
    assert re.search(rf"^{re.escape(tests)}$", ci, re.MULTILINE)
