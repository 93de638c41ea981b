"""``briefbot run``, ``briefbot demo`` and ``briefbot check-config``."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from bot.config import Settings, database_url, fault_spec, load_config
from bot.redaction import redact_url


def _settings(args: argparse.Namespace) -> Settings:
    return load_config(args.config)


def _cmd_run(args: argparse.Namespace) -> int:
    from bot.logs import setup_logging

    settings = _settings(args)
    setup_logging(args.log_level or settings.logging.level, settings.logging.format)
    url = database_url(args.db, settings)
    return asyncio.run(_run(settings, url))


async def _run(settings: Settings, url: str) -> int:
    from bot.app import App
    from bot.faults import Faults

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    spec = fault_spec()
    faults = Faults.parse(spec) if spec else None
    console_input = sys.stdin if settings.platforms.console.interactive else None
    app = App(settings, database_url=url, console_input=console_input, faults=faults)
    try:
        await app.start()
        await stop.wait()
    finally:
        await app.stop()
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from bot.platforms import check_platforms

    settings = _settings(args)
    platforms = check_platforms(settings)
    s = settings
    print(f"{s.path or 'defaults (no config file)'}: OK")
    print(f"  database: {redact_url(database_url(args.db, settings))}")
    print(f"  platforms: {', '.join(platforms) or 'none enabled'}")
    print(
        f"  feeds: {len(s.sources.feeds)}, folders: {len(s.sources.folders)}, push: "
        f"{'on' if s.sources.push.token and s.http.enabled and s.http.push else 'off'}"
    )
    print(f"  digests set in the file: {len(s.digest.channels)}; admins: {len(s.admins)}")
    if s.http.enabled:
        print(f"  http: {s.http.host}:{s.http.port}")
    if not platforms:
        print("  note: no platform is enabled, so nothing will be posted", file=sys.stderr)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return asyncio.run(run_demo(interactive=None if args.interactive is None else args.interactive))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``run``, ``demo`` and ``check-config``."""
    run = sub.add_parser("run", help="run the bot: adapters, schedules, sources")
    run.add_argument("--config", metavar="FILE", help="the TOML config ($BRIEFBOT_CONFIG)")
    run.add_argument("--db", metavar="URL", help="database URL or SQLite file ($BRIEFBOT_DB)")
    run.add_argument(
        "--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="overrides the config"
    )
    run.set_defaults(handler=_cmd_run)

    check = sub.add_parser("check-config", help="validate a config file without starting")
    check.add_argument("--config", metavar="FILE", help="the TOML config ($BRIEFBOT_CONFIG)")
    check.add_argument("--db", metavar="URL", help="database URL or SQLite file ($BRIEFBOT_DB)")
    check.set_defaults(handler=_cmd_check)

    demo = sub.add_parser(
        "demo", help="an offline tour: sample articles, a digest and commands in the terminal"
    )
    demo.add_argument(
        "--interactive",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="offer a prompt afterwards (default: when standard input is a terminal)",
    )
    demo.set_defaults(handler=_cmd_demo)
