"""The ``briefbot`` command line: one entry point, a module per group of sub-commands.

Each module in this package exposes ``register(sub)``, which adds its sub-commands and sets
``handler`` (a function of the parsed arguments returning the exit code) on each of them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from bot.cli import discord, extract, lookup, run, slack, store
from bot.failures import BROKEN_PIPE, ENVIRONMENT, Failure, explain_chain
from briefings.errors import BriefingError

Handler = Callable[[argparse.Namespace], int]

_MODULES = (extract, slack, discord, lookup, store, run)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="briefbot",
        description="Briefings from news articles for Slack, Discord and the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"briefbot {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _MODULES:
        module.register(sub)
    return parser


def _version() -> str:
    try:
        return version("briefbot")
    except PackageNotFoundError:
        return "(not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; the exit code: 0 on success, 2 on a user error, 1 when the machine
    failed the command (disk full, damaged database), 141 when the output was closed early;
    a one-line message on stderr in each case."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        code = handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BriefingError as exc:
        failure = explain_chain(exc)
        if failure is not None and failure.code == ENVIRONMENT:  # its cause says more
            return _fail(failure)
        print(f"briefbot: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        failure = explain_chain(exc)
        if failure is None:
            raise
        return _fail(failure)


def _fail(failure: Failure) -> int:
    if failure.code == BROKEN_PIPE:
        _silence_stdout()
    print(f"briefbot: error: {failure.message}", file=sys.stderr)
    return failure.code


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush of what is
    still buffered does not fail on the closed pipe again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
