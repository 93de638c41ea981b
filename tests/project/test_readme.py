"""The README's demo transcript is what ``briefbot demo --no-interactive`` prints."""

from __future__ import annotations

import io
import re

from helpers.paths import ROOT

from bot.demo import run_demo

README = ROOT / "README.md"
_BLOCK = re.compile(
    r"<!-- demo-transcript:start -->\n```text\n(.*?)```\n<!-- demo-transcript:end -->", re.DOTALL
)


def lookups(transcript: str) -> str:
    """The lookups part of a demo transcript: from ``/actor wagner`` to ``/digest``."""
    start = transcript.index("sahel-watch> /actor wagner")
    end = transcript.index("sahel-watch> /digest", start)
    return transcript[start:end].rstrip("\n") + "\n"


async def test_the_readme_shows_what_the_demo_prints() -> None:
    found = _BLOCK.search(README.read_text(encoding="utf-8"))
    assert found is not None, "the README lost its demo transcript markers"
    out = io.StringIO()
    assert await run_demo(interactive=False, stream=out) == 0
    assert found.group(1) == lookups(out.getvalue())
