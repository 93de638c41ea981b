"""``briefbot demo``: an offline tour of the bot, with no token and no network.

A temporary SQLite store, the bundled sample articles (the reference article among
them, in several formats), and the console adapter: the demo ingests the samples, runs a
script of commands, subscribes the console to JNIM, lets a new article arrive (the
subscription message is printed), fast-forwards to the channel's scheduled digest (it is
printed), then offers a prompt when standard input is a terminal; what a typed command
queues (``/digest now``) is sent before the next prompt. The demo's clock starts at the real
time and is moved forward by the demo itself, never by waiting.
"""

from __future__ import annotations

import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TextIO

from adapters.console.adapter import ConsoleAdapter
from bot.drain import Drain
from bot.notifier import Notifier
from bot.pipeline import Pipeline
from bot.platforms import ConsolePolicy, console_runner
from bot.scheduler import DigestScheduler, schedule_of
from bot.sections import NotificationSettings
from bot.workers import InlineAnalyst
from briefings.analysis.pipeline import Analyzer
from briefings.chat.commands import Commands
from briefings.service.answers import Answers
from briefings.service.schedules import utc_now
from briefings.store import Store

SCRIPT = (
    "/brief 30d",
    "/actor wagner",
    "/event siege",
    "/subscribe JNIM",
    "/subscriptions",
    "/digest weekdays 08:00 Europe/Berlin",
)
"""The commands the demo runs before the new article arrives."""

WORKSPACE = "demo"
CHANNEL = "sahel-watch"


@dataclass(frozen=True, slots=True)
class Sample:
    """One bundled sample article."""

    name: str
    data: bytes
    published: date | None
    url: str | None
    source: str | None
    later: bool


def samples() -> list[Sample]:
    """The bundled samples, in the order of ``samples.toml``."""
    folder = resources.files("briefings") / "data" / "samples"
    manifest = tomllib.loads((folder / "samples.toml").read_text(encoding="utf-8"))
    out = []
    for entry in manifest["article"]:
        out.append(
            Sample(
                name=entry["file"],
                data=(folder / entry["file"]).read_bytes(),
                published=entry.get("published"),
                url=entry.get("url"),
                source=entry.get("source"),
                later=bool(entry.get("later", False)),
            )
        )
    return out


class DemoClock:
    """The demo's clock: the real time when it starts, then moved by the demo."""

    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now


async def run_demo(
    *,
    interactive: bool | None = None,
    stream: TextIO | None = None,
    input: TextIO | None = None,
) -> int:
    """Run the demo; returns the exit code.

    Args:
        interactive: offer a prompt at the end; when None, only if the input is a terminal.
        stream: where to print (standard output by default).
        input: where the prompt reads (standard input by default).
    """
    out = stream if stream is not None else sys.stdout
    source = input if input is not None else sys.stdin
    if interactive is None:
        interactive = source is not None and source.isatty()
    with tempfile.TemporaryDirectory(prefix="briefbot-demo-") as tmp:
        store = await Store.open(f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}")
        try:
            await _tour(store, out, source if interactive else None)
        finally:
            await store.close()
    return 0


async def _tour(store: Store, out: TextIO, prompt_input: TextIO | None) -> None:
    clock = DemoClock()
    analyzer = Analyzer()
    answers = Answers(store, analyzer.gazetteer, clock)
    notifier = Notifier(
        store,
        clock=clock,
        settings=NotificationSettings(burst=60, min_interval=300),
        match=answers.match,
    )
    pipeline = Pipeline(
        store,
        InlineAnalyst(analyzer),
        clock=clock,
        notifier=notifier,
        actors=analyzer.gazetteer.actors,
    )
    scheduler = DigestScheduler(store, answers, clock=clock, owner="demo")
    commands = Commands(answers, ConsolePolicy(), scheduler)
    console = ConsoleAdapter(
        stream=out,
        workspace=WORKSPACE,
        channel=CHANNEL,
        runner=console_runner(commands, workspace=WORKSPACE, channel=CHANNEL),
    )
    drain = Drain(store.outbox, {"console": console}, clock=clock)
    say = console.write

    items = samples()
    say(
        [
            "briefbot demo — offline: a temporary database, bundled sample articles and the",
            "console adapter standing in for a Slack or Discord channel (#" + CHANNEL + ").",
            "",
            f"Ingesting {sum(not s.later for s in items)} sample articles "
            "(plain text, Markdown, HTML, JSON):",
        ]
    )
    for sample in (s for s in items if not s.later):
        await _ingest(pipeline, sample, say)
    clock.now += timedelta(minutes=1)
    say([""])
    for line in SCRIPT:
        say([f"{console.channel}> {line}"])
        await console.answer(line)

    later = next(s for s in items if s.later)
    clock.now += timedelta(hours=1)
    say(["An hour later a new article arrives:"])
    await _ingest(pipeline, later, say)
    clock.now += timedelta(seconds=61)
    say(["", "A minute on, the subscription message goes out (a burst would be one message):"])
    await drain.run_once()

    setting = await store.digests.get("console", WORKSPACE, CHANNEL)
    if setting is not None:
        fire = schedule_of(setting).trigger().get_next_fire_time(None, clock.now)
        if fire is not None:
            clock.now = fire
            local = fire.strftime("%a %d %b %H:%M %Z")
            say([f"Fast-forward to {local}: the channel's scheduled digest posts itself:"])
            await scheduler.run_scheduled(setting, fire)
            await drain.run_once()

    if prompt_input is not None:
        say(
            [
                "Your turn: try /actor jnim, /event blockade, /brief 7d Mali, /help; "
                "Ctrl-D or 'quit' ends the demo.",
            ]
        )
        # What a typed command queues (``/digest now``) is sent before the next prompt.
        await console.prompt_loop(prompt_input, after=drain.run_once)
    else:
        say(
            [
                "That was the tour. Run `briefbot demo` in a terminal to type commands yourself,",
                "or `briefbot run --config config/briefbot.example.toml` for the real thing.",
            ]
        )


async def _ingest(pipeline: Pipeline, sample: Sample, say: Callable[[list[str]], None]) -> None:
    outcomes = await pipeline.data(
        sample.data,
        source="demo",
        name=sample.source or sample.name,
        url=sample.url,
        published=sample.published,
    )
    for outcome in outcomes:
        state = outcome.outcome or f"rejected ({outcome.error})"
        say([f"  {sample.name}: {state}"])
