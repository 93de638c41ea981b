"""``briefbot demo``: offline, bundled samples, a scripted tour and an optional prompt."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path

from helpers.paths import ARTICLES
from helpers.polling import eventually

from bot.demo import SCRIPT, run_demo, samples


def test_the_samples_are_package_data_and_include_the_reference_article() -> None:
    found = samples()
    assert len(found) == 6
    reference = (ARTICLES / "mali_collapse.txt").read_bytes()
    assert found[0].data == reference
    suffixes = {Path(s.name).suffix for s in found}
    assert suffixes == {".txt", ".md", ".html", ".json"}
    assert [s.later for s in found].count(True) == 1


async def test_the_tour_answers_the_script_notifies_and_posts_a_digest() -> None:
    out = io.StringIO()
    assert await run_demo(interactive=False, stream=out) == 0
    text = out.getvalue()
    for sample in samples():
        assert f"  {sample.name}: new" in text
    for command in SCRIPT:
        assert f"sahel-watch> {command}\n" in text
    brief = text.split("sahel-watch> /brief 30d")[1].split("sahel-watch> /actor")[0]
    assert "Pro-Russian Regime in Mali Begins to Collapse" in brief
    assert "Nothing new" not in brief
    profile = text.split("sahel-watch> /actor wagner")[1].split("sahel-watch> /event")[0]
    assert profile.splitlines()[1].startswith("Africa Corps [")
    assert "Wagner" in profile
    events = text.split("sahel-watch> /event siege")[1].split("sahel-watch> /subscribe")[0]
    assert "Bamako" in events
    assert "You will now hear about JNIM" in text
    notice = text.split("the subscription message goes out")[1].split("Fast-forward")[0]
    assert "── @you" in notice and "New on JNIM" in notice
    assert "JNIM ambush kills soldiers near the Niger border" in notice
    digest = text.split("scheduled digest posts itself:")[1]
    assert "── #sahel-watch" in digest
    assert digest.count(". JNIM ambush kills soldiers") == 1  # one item, not repeated
    assert "That was the tour." in text


async def test_the_prompt_answers_typed_commands() -> None:
    out = io.StringIO()
    await run_demo(interactive=True, stream=out, input=io.StringIO("/actor jnim\n/help\nquit\n"))
    text = out.getvalue()
    prompt = text.split("Your turn:")[1]
    assert "JNIM [armed_group]" in prompt
    assert "Commands:" in prompt


def test_briefbot_demo_runs_as_a_command_without_tokens(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK", "DISCORD"))}
    env["HOME"] = str(tmp_path)  # nothing from the user's data directory is needed
    done = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "That was the tour." in done.stdout
    assert "Traceback" not in done.stderr


async def test_digest_now_at_the_prompt_of_a_real_demo_posts_the_digest(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK", "DISCORD"))}
    env["HOME"] = str(tmp_path)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "demo",
        "--interactive",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    out = bytearray()

    async def read(stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(65536):
            out.extend(chunk)

    reader = asyncio.create_task(read(proc.stdout))
    errors = asyncio.create_task(proc.stderr.read())

    def after_prompt() -> str:
        text = out.decode("utf-8", "replace")
        return text.split("Your turn:", 1)[1] if "Your turn:" in text else ""

    try:
        assert await eventually(lambda: bool(after_prompt()), 120), out.decode()
        proc.stdin.write(b"/digest now\n")
        await proc.stdin.drain()
        # The digest follows the notice while the prompt is still open (stdin is not closed).
        assert await eventually(lambda: "── #sahel-watch" in after_prompt(), 30), after_prompt()
        typed = after_prompt()
        notice = typed.index("Posting this channel's digest now.")
        assert notice < typed.index("── #sahel-watch")
        assert proc.returncode is None
        proc.stdin.write(b"quit\n")
        await proc.stdin.drain()
        assert await asyncio.wait_for(proc.wait(), 60) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    await reader
    assert "Traceback" not in (await errors).decode()
