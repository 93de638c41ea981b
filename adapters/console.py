"""The console adapter: briefbot's answers and digests rendered for a terminal.

:class:`ConsoleAdapter` satisfies :class:`adapters.base.Adapter`: it "posts" to channels
and users by printing, and with a command runner it answers commands typed at a prompt
(``/actor wagner``). :func:`reply_lines` renders any neutral reply as plain text lines;
:func:`analysis_lines` renders one analysed article (``briefbot extract``).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sys
import textwrap
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import TextIO

from adapters.base import DeliveryError, Reachability, Sent, Target
from briefings.model import Analysis
from briefings.service.replies import (
    ActorProfile,
    ActorRef,
    Button,
    Digest,
    DigestSettingsView,
    EventEntry,
    EventList,
    Help,
    Notice,
    Reply,
    SourceLink,
    SubscriptionList,
)

CommandRunner = Callable[[str], Awaitable[Reply]]
"""Runs one typed command line (``/actor wagner``) and returns the reply."""

WIDTH = 88
_MARKS = {"ok": "✓", "info": "i", "error": "!", "refused": "✗", "not_found": "?"}
_ROLES = {"with": "with", "against": "against", "by": "targeted by"}


def analysis_lines(analysis: Analysis) -> list[str]:
    """Plain-text lines describing one analysed article (what ``briefbot extract`` prints)."""
    article = analysis.article
    out = [article.title]
    if article.subtitle:
        out.append(article.subtitle)
    out += ["", f"TL;DR: {analysis.summary.tldr}"]
    if analysis.summary.key_points:
        out.append("Key points:")
        out += [f"  • {k.text}" for k in analysis.summary.key_points]
    if analysis.actors:
        out += ["", "Actors:"]
        for actor in analysis.actors:
            forms = sorted({m.surface for m in actor.mentions})
            out.append(
                f"  {actor.name} [{actor.actor.type}] salience {actor.salience:.2f}"
                f" — {', '.join(forms)}"
            )
    if analysis.events:
        names = {a.id: a.name for a in analysis.actors}
        out += ["", "Events:"]
        for event in analysis.events:
            who = ", ".join(names.get(i, i) for i in event.actors) or "?"
            whom = ", ".join(names.get(i, i) for i in event.recipients)
            when = event.date.value if event.date else "undated"
            line = f"  [{when}] {event.type}: {who}" + (f" → {whom}" if whom else "")
            if event.location:
                line += f" @ {event.location}"
            if event.modality != "reported":
                line += f" ({event.modality}"
                line += f" by {event.attribution})" if event.attribution else ")"
            out.append(line)
    return out


def print_analysis(analysis: Analysis, stream: TextIO | None = None) -> None:
    """Print an analysis: plain text, one item a line."""
    target = stream if stream is not None else sys.stdout
    for line in analysis_lines(analysis):
        target.write(line + "\n")


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


def _names(refs: Sequence[ActorRef]) -> str:
    return ", ".join(r.name for r in refs)


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [first or indent]


def _source(src: SourceLink) -> str:
    bits = [src.title]
    if src.source and src.source not in src.title:
        bits.append(f"({src.source})")
    if src.published:
        bits.append(_day(src.published))
    if src.url:
        bits.append(f"<{src.url}>")
    return " ".join(bits)


def _buttons(buttons: Sequence[Button]) -> list[str]:
    return ["  " + "  ".join(f"[{b.label}]" for b in buttons)] if buttons else []


def _event(entry: EventEntry, *, with_actors: bool = True) -> list[str]:
    when = entry.date
    if when is None:
        when = (
            f"undated, reported {_day(entry.source.published)}"
            if entry.source.published
            else "undated"
        )
    head = f"  [{when}] {entry.type}"
    if with_actors and entry.actors:
        head += f": {_names(entry.actors)}"
        if entry.recipients:
            head += f" → {_names(entry.recipients)}"
    if entry.location:
        head += f" @ {entry.location}"
    if entry.modality != "reported":
        head += f" ({entry.modality}" + (f" by {entry.attribution})" if entry.attribution else ")")
    elif entry.attribution:
        head += f" (according to {entry.attribution})"
    if entry.member:
        head += f" [via {entry.member}]"
    return [head, *_wrap(entry.text, "      "), f"      — {_source(entry.source)}"]


def _digest(digest: Digest) -> list[str]:
    out = [
        f"{digest.title}",
        f"{_when(digest.start)} – {_when(digest.end)}",
        "",
    ]
    out = [*out[:2], *_notes(digest.notes), ""]
    if digest.is_empty:
        return [*out, digest.empty_text]
    for n, item in enumerate(digest.items, 1):
        out += _wrap(item.headline, "    ", f"{n:>2}. ")
        tldr = item.tldr
        if tldr.startswith(item.headline):
            tldr = tldr[len(item.headline) :].lstrip(" —–-:.")
        if tldr:
            out += _wrap(tldr, "    ")
        for point in item.key_points:
            out += _wrap(point, "      ", "    • ")
        if item.actors:
            out += _wrap(f"Actors: {_names(item.actors)}", "      ", "    ")
        for src in item.sources:
            out += _wrap(_source(src), "      ", "    ↳ ")
        out.append("")
    return [*out, *_buttons(digest.buttons)]


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


def _profile(profile: ActorProfile) -> list[str]:
    actor = profile.actor
    out = [f"{actor.name} [{actor.type}]" + (f" — {profile.country}" if profile.country else "")]
    out += _notes(profile.notes)
    if profile.aliases:
        out += _wrap(f"Also: {', '.join(profile.aliases)}", "  ")
    total = sum(n for _, n in profile.mentions)
    if profile.mentions:
        first, last = profile.mentions[0][0], profile.mentions[-1][0]
        out.append(f"  Mentioned {total} times, {_day(first)} to {_day(last)}")
    if profile.timeline:
        out += ["", "Timeline:"]
        for entry in profile.timeline:
            out += _event(entry)
        if profile.more:
            how = f": type /{profile.more_command}" if profile.more_command else ""
            out.append(f"  … {profile.more} more{how}")
    if profile.related:
        out += ["", "Related:"]
        out += [f"  {r.actor.name} ({_ROLES[r.role]}, {r.count})" for r in profile.related]
    if profile.sources:
        out += ["", "Sources:"]
        out += [f"  {_source(s)}" for s in profile.sources]
    return [*out, *_buttons(profile.buttons)]


def _notes(notes: Sequence[str]) -> list[str]:
    return [line for note in notes for line in _wrap(note, "    ", "  i ")]


def _events(events: EventList) -> list[str]:
    since = f" since {_day(events.since)}" if events.since else ""
    if not events.entries:
        return [f"No events found for {events.query!r}{since}."]
    out = [f"Events for {events.query!r}{since}:"]
    for entry in events.entries:
        out += _event(entry)
    return out


def _subscriptions(subs: SubscriptionList) -> list[str]:
    if not subs.entries:
        return ["No subscriptions. Try /subscribe JNIM."]
    return ["Subscriptions:"] + [f"  {e.actor.name} ({e.delivery})" for e in subs.entries]


def _settings(view: DigestSettingsView) -> list[str]:
    state = "on" if view.enabled else "off"
    out = [
        f"Digest for {view.channel}: {state}, {view.schedule} {view.timezone}",
        "  Actors: " + (_names(view.actors) if view.actors else "all"),
        "  When empty: " + ("post a 'nothing new' line" if view.post_when_empty else "skip"),
    ]
    if view.next_run is not None and view.enabled:
        out.append(f"  Next: {_when(view.next_run)}")
    return out


def _help(help_: Help) -> list[str]:
    width = max((len(e.usage) for e in help_.entries), default=0)
    return ["Commands:"] + [f"  {e.usage:<{width}}  {e.description}" for e in help_.entries]


def _notice(notice: Notice) -> list[str]:
    out = _wrap(notice.text, "  ", f"{_MARKS.get(notice.kind, '-')} ")
    if notice.suggestions:
        out.append("  Did you mean: " + _names(notice.suggestions) + "?")
    return [*out, *_buttons(notice.buttons)]


def reply_lines(reply: Reply) -> list[str]:
    """Plain-text lines for any neutral reply (a digest, a profile, a notice, ...).

    Args:
        reply: what the command layer or the scheduler produced.
    """
    if isinstance(reply, Digest):
        return _digest(reply)
    if isinstance(reply, ActorProfile):
        return _profile(reply)
    if isinstance(reply, EventList):
        return _events(reply)
    if isinstance(reply, SubscriptionList):
        return _subscriptions(reply)
    if isinstance(reply, DigestSettingsView):
        return _settings(reply)
    if isinstance(reply, Help):
        return _help(reply)
    return _notice(reply)


class ConsoleAdapter:
    """Prints what the bot posts; answers typed commands when given a runner.

    Args:
        stream: where to print (standard output when omitted).
        workspace: the workspace name console targets use.
        channel: the console's channel id.
        runner: runs a typed command; without one the prompt is not offered.
        input: where typed commands come from (standard input when omitted).
        prompt: shown before each command when the input is a terminal.
    """

    def __init__(
        self,
        *,
        stream: TextIO | None = None,
        workspace: str = "local",
        channel: str = "console",
        runner: CommandRunner | None = None,
        input: TextIO | None = None,
        prompt: str = "briefbot> ",
    ) -> None:
        self._stream = stream
        self.workspace = workspace
        self.channel = channel
        self._runner = runner
        self._input = input
        self._prompt = prompt
        self._posted = 0
        self._reader: asyncio.Task[None] | None = None

    @property
    def platform(self) -> str:
        return "console"

    @property
    def stream(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stdout

    def target(self, kind: str = "channel", ident: str | None = None) -> Target:
        """A target on this console: its channel, or a user."""
        if kind == "user":
            return Target("console", self.workspace, ident or "you", "user")
        return Target("console", self.workspace, ident or self.channel, "channel")

    async def start(self) -> None:
        """Start reading commands, when a runner and an input were given."""
        if self._runner is not None and self._input is not None:
            self._reader = asyncio.create_task(self._read(self._input))

    async def _read(self, source: TextIO) -> None:
        """Read commands while the bot runs; when they end, say that the bot goes on."""
        try:
            ended = await self.prompt_loop(source)
            why = "quit" if ended == "quit" else "end of input"
            self.write(
                [
                    f"({why}: no more commands are read here; briefbot goes on running "
                    "until it gets Ctrl-C or SIGTERM)"
                ]
            )
        except BrokenPipeError:
            return  # the output is closed: no answer can be shown, so none is asked for

    async def stop(self) -> None:
        """Stop reading commands."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None

    def write(self, lines: Sequence[str]) -> None:
        """Print lines and flush."""
        out = self.stream
        for line in lines:
            out.write(line.rstrip() + "\n")
        out.flush()

    async def publish(self, target: Target, reply: Reply, *, key: str) -> Sent:
        """Print a reply under a header naming the target."""
        self._posted += 1
        where = f"#{target.id}" if target.kind == "channel" else f"@{target.id}"
        try:
            self.write([f"── {where} " + "─" * max(4, 40 - len(where)), *reply_lines(reply), ""])
        except BrokenPipeError:
            raise DeliveryError(
                "the console's output is closed (a pipe whose reader has gone?)", permanent=False
            ) from None
        return Sent((f"console-{self._posted}",))

    async def reachable(self, target: Target) -> Reachability:
        """Every console target is reachable; other platforms' targets are not."""
        if target.platform != "console":
            return Reachability(False, f"the console cannot post to {target.platform}")
        return Reachability(True)

    async def answer(self, line: str) -> Reply | None:
        """Run one typed command and print its reply; None for a blank line."""
        if self._runner is None or not line.strip():
            return None
        reply = await self._runner(line.strip())
        self.write([*reply_lines(reply), ""])
        return reply

    async def prompt_loop(
        self, source: TextIO, *, after: Callable[[], Awaitable[object]] | None = None
    ) -> str:
        """Read commands until end of input (``quit`` or ``exit`` also stop).

        At a terminal (standard input and output both), lines are read through GNU
        readline when Python has it: arrow keys edit the line and walk the session's
        history, as in a shell.

        Args:
            source: where the commands come from.
            after: awaited after each command (the demo sends what the command queued).

        Returns:
            ``quit`` when told to stop, ``end`` at the end of the input.
        """
        interactive = source.isatty()
        if interactive and _can_edit(source, self.stream):
            lines = _edited_lines(self._prompt)
            interactive = False  # readline shows the prompt itself
        else:
            lines = _lines(source)
        if interactive:
            self._show_prompt()
        async for line in lines:
            if line.strip().lower() in ("quit", "exit", "/quit", "/exit"):
                return "quit"
            await self.answer(line)
            if after is not None:
                await after()
            if interactive:
                self._show_prompt()
        return "end"

    def _show_prompt(self) -> None:
        self.stream.write(self._prompt)
        self.stream.flush()


def _can_edit(source: TextIO, stream: TextIO) -> bool:
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


async def _edited_lines(prompt: str) -> AsyncIterator[str]:
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


async def _lines(source: TextIO) -> AsyncIterator[str]:
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
