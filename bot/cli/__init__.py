"""The ``briefbot`` command line: one entry point, a module per group of sub-commands.

Each module in this package exposes ``register(sub)``, which adds its sub-commands and sets
``handler`` (a function of the parsed arguments returning the exit code) on each of them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from bot.cli import discord, extract, lookup, run, slack, store
from briefings.errors import BriefingError

Handler = Callable[[argparse.Namespace], int]

_MODULES = (extract, slack, discord, lookup, store, run)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="briefbot",
        description="Briefings from news articles for Slack, Discord and the terminal.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; exit code 0 on success, 2 on a user error (message on stderr)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except BriefingError as exc:
        print(f"briefbot: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
