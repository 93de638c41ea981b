"""``briefbot brief``, ``briefbot actor`` and ``briefbot events``: ask the store from a terminal.

Output is rich (colour, tables, links) on a terminal, plain text when piped, and JSON with
``--json`` (the neutral reply's fields; dates as ISO text). An unknown or ambiguous actor
exits with code 1 and says so (with "did you mean" candidates when there are any).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from adapters.text import sparkline
from bot.cli.common import add_database_options, database_of
from briefings.service.replies import (
    ActorProfile,
    ActorRef,
    Digest,
    EventEntry,
    EventList,
    Reply,
    SourceLink,
)


def _window(text: str) -> timedelta:
    from briefings.chat.grammar import parse_window
    from briefings.errors import CommandError

    try:
        return parse_window(text)
    except CommandError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _json_ready(value: Any) -> Any:
    from bot.payloads import encode_value

    return encode_value(value)


def _print_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=1)
    out.write("\n")


def _names(refs: Sequence[ActorRef]) -> str:
    return ", ".join(r.name for r in refs)


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _source(link: SourceLink) -> Text:
    text = Text(link.title, style=f"link {link.url}" if link.url else "")
    if link.source:
        text.append(f" ({link.source})", style="dim")
    if link.published:
        text.append(f" {_day(link.published)}", style="dim")
    return text


def _event_row(entry: EventEntry) -> tuple[Text, Text, Text, Text]:
    when = Text(entry.date or "undated", style="bold" if entry.date else "dim")
    who = Text(_names(entry.actors) or "?")
    if entry.recipients:
        who.append(f" → {_names(entry.recipients)}")
    what = Text(entry.text)
    if entry.modality != "reported":
        claim = f"{entry.modality}" + (f" by {entry.attribution}" if entry.attribution else "")
        what.append(f"\n[{claim}]", style="yellow")
    elif entry.attribution:
        what.append(f"\n[according to {entry.attribution}]", style="yellow")
    what.append("\n")
    what.append_text(_source(entry.source))
    return when, Text(entry.type, style="magenta"), who, what


def _events_table(entries: Sequence[EventEntry], title: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True, expand=True)
    table.add_column("When", no_wrap=True)
    table.add_column("Type", no_wrap=True)
    table.add_column("Who", ratio=1)
    table.add_column("What", ratio=3)
    for entry in entries:
        table.add_row(*_event_row(entry))
    return table


def _rich_profile(console: Console, profile: ActorProfile) -> None:
    head = Text(profile.actor.name, style="bold")
    head.append(f" [{profile.actor.type}]", style="cyan")
    if profile.country:
        head.append(f" — {profile.country}")
    console.print(head)
    if profile.aliases:
        console.print(Text("Also: " + ", ".join(profile.aliases), style="dim"))
    if profile.mentions:
        total = sum(n for _, n in profile.mentions)
        first, last = profile.mentions[0][0], profile.mentions[-1][0]
        line = Text(f"{total} mentions, {_day(first)} to {_day(last)}  ")
        line.append(sparkline([n for _, n in profile.mentions]), style="green")
        console.print(line)
    if profile.timeline:
        console.print(_events_table(profile.timeline, "Timeline"))
    else:
        console.print(Text("No events recorded for it yet.", style="dim"))
    if profile.related:
        table = Table(title="Related", title_justify="left")
        table.add_column("Actor")
        table.add_column("How")
        table.add_column("Events", justify="right")
        roles = {"with": "acts with", "against": "acts against", "by": "acted on by"}
        for rel in profile.related:
            table.add_row(rel.actor.name, roles[rel.role], str(rel.count))
        console.print(table)
    if profile.sources:
        console.print(Text("Sources", style="bold"))
        for link in profile.sources:
            console.print(Text("  ").append_text(_source(link)))


def _rich_digest(console: Console, digest: Digest) -> None:
    console.rule(Text(digest.title, style="bold"))
    console.print(
        Text(f"{digest.start:%Y-%m-%d %H:%M} – {digest.end:%Y-%m-%d %H:%M} UTC", style="dim")
    )
    if digest.is_empty:
        console.print(digest.empty_text)
        return
    for n, item in enumerate(digest.items, 1):
        console.print(Text(f"{n}. ", style="bold").append(item.headline, style="bold"))
        if item.tldr and item.tldr != item.headline:
            console.print(_indent(Text(item.tldr, style="italic"), 3))
        for point in item.key_points:
            console.print(_indent(Text("• " + point), 3))
        meta = Text()
        if item.actors:
            meta.append(_names(item.actors), style="cyan")
        meta.append(f"  {item.event_count} events", style="dim")
        console.print(_indent(meta, 3))
        for link in item.sources:
            console.print(_indent(Text("↳ ").append_text(_source(link)), 3))
        console.print()


def _indent(text: Text, width: int) -> Padding:
    return Padding(text, (0, 0, 0, width))


def render(reply: Reply, out: TextIO, *, rich: bool, width: int | None = None) -> None:
    """Print a reply: rich on a terminal, else the console adapter's plain text.

    Args:
        reply: the reply.
        out: where to print.
        rich: use colour, tables and links.
        width: the width to lay rich output out in (the terminal's when None).
    """
    if not rich:
        from adapters.console.render import reply_lines

        for line in reply_lines(reply):
            out.write(line + "\n")
        return
    console = Console(file=out, highlight=False, soft_wrap=False, width=width)
    if isinstance(reply, ActorProfile):
        _rich_profile(console, reply)
    elif isinstance(reply, Digest):
        _rich_digest(console, reply)
    elif isinstance(reply, EventList):
        since = f" since {_day(reply.since)}" if reply.since else ""
        if reply.entries:
            console.print(_events_table(reply.entries, f"Events for {reply.query!r}{since}"))
        else:
            console.print(f"No events found for {reply.query!r}{since}.")
    else:
        from adapters.console.render import reply_lines

        for line in reply_lines(reply):
            console.print(Text(line))


Work = Callable[[Any], Awaitable[Reply]]
"""What a sub-command asks of the answering service."""


async def _answer(url: str, work: Work) -> Reply:
    from briefings.analysis.actors.gazetteer import Gazetteer
    from briefings.service.answers import Answers
    from briefings.service.schedules import utc_now
    from briefings.store import Store

    store = await Store.open(url)
    try:
        return await work(Answers(store, Gazetteer.default(), utc_now))
    finally:
        await store.close()


def _run(args: argparse.Namespace, work: Work, out: TextIO | None = None) -> int:
    from briefings.service.names import ActorNotFoundError, AmbiguousActorError

    stream = out if out is not None else sys.stdout
    url = database_of(args)
    try:
        reply = asyncio.run(_answer(url, work))
    except (ActorNotFoundError, AmbiguousActorError) as exc:
        choices = exc.suggestions if isinstance(exc, ActorNotFoundError) else exc.choices
        if args.json:
            kind = "not_found" if isinstance(exc, ActorNotFoundError) else "ambiguous"
            _print_json(
                {"error": kind, "message": str(exc), "candidates": _json_ready(choices)}, stream
            )
        else:
            message = str(exc)  # "briefbot knows no actor called …" names itself already
            print(
                message if message.startswith("briefbot") else f"briefbot: {message}",
                file=sys.stderr,
            )
        return 1
    if args.json:
        _print_json(_json_ready(reply), stream)
    else:
        render(reply, stream, rich=stream.isatty())
    return 0


def _since(args: argparse.Namespace) -> datetime | None:
    from briefings.service.schedules import utc_now

    window: timedelta | None = args.since
    return utc_now() - window if window is not None else None


def _cmd_brief(args: argparse.Namespace) -> int:
    from briefings.service.answers import Answers
    from briefings.service.composition import DigestFilters

    async def work(answers: Answers) -> Reply:
        ids = [(await answers.resolve_actor(n)).require().id for n in args.actor]
        filters = DigestFilters(
            actors=frozenset(ids),
            exclude_actors=frozenset(
                [(await answers.resolve_actor(n)).require().id for n in args.exclude]
            ),
            event_types=frozenset(args.type),
            keywords=tuple(args.keyword),
        )
        return await answers.brief(args.since, filters, limit=args.limit)

    return _run(args, work)


def _cmd_actor(args: argparse.Namespace) -> int:
    from briefings.service.answers import Answers

    async def work(answers: Answers) -> Reply:
        return await answers.profiles.actor_profile(" ".join(args.name), _since(args))

    return _run(args, work)


def _cmd_events(args: argparse.Namespace) -> int:
    from briefings.service.answers import Answers

    async def work(answers: Answers) -> Reply:
        return await answers.search_events(
            " ".join(args.query), _since(args), args.actor, args.type, limit=args.limit
        )

    return _run(args, work)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    add_database_options(p)


def _since_option(p: argparse.ArgumentParser, help: str, default: timedelta | None = None) -> None:
    p.add_argument("--since", type=_window, default=default, metavar="WINDOW", help=help)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``brief``, ``actor`` and ``events`` sub-commands."""
    from briefings.chat.grammar import EVENT_TYPES

    p = sub.add_parser("brief", help="the digest of what arrived recently")
    _since_option(p, "how far back: 24h (default), 7d, 30d, …", default=timedelta(hours=24))
    p.add_argument(
        "--actor",
        action="append",
        default=[],
        metavar="NAME",
        help="only stories involving this actor (repeatable)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="NAME",
        help="never stories involving this actor (repeatable)",
    )
    p.add_argument(
        "--type",
        action="append",
        default=[],
        choices=EVENT_TYPES,
        help="only stories reporting this event type (repeatable)",
    )
    p.add_argument(
        "--keyword",
        action="append",
        default=[],
        metavar="WORD",
        help="only stories containing this word (repeatable)",
    )
    p.add_argument("--limit", type=int, default=10, help="most stories (default 10)")
    _common(p)
    p.set_defaults(handler=_cmd_brief)

    p = sub.add_parser("actor", help="what briefbot knows about an actor")
    p.add_argument("name", nargs="+", help="a name, alias or id (e.g. wagner, 'russian mod')")
    _since_option(p, "only what was reported in this window (default: all time)")
    _common(p)
    p.set_defaults(handler=_cmd_actor)

    p = sub.add_parser("events", help="search events")
    p.add_argument("query", nargs="+", help='words; "a phrase", -word and OR work')
    _since_option(p, "only events reported in this window (default: all time)")
    p.add_argument("--actor", metavar="NAME", help="only events this actor takes part in")
    p.add_argument("--type", choices=EVENT_TYPES, help="only events of this type")
    p.add_argument("--limit", type=int, default=20, help="most events (default 20)")
    _common(p)
    p.set_defaults(handler=_cmd_events)
