"""Pieces the sub-commands share: the usage error and argument helpers."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from briefings.errors import BriefingError

INPUT_FORMATS = ("auto", "text", "md", "html", "json", "feed")
""":data:`briefings.formats.FORMATS`, written out so that the command line starts without
importing the parsers (a test keeps the two equal)."""
SUMMARY_PRESETS = ("short", "standard", "full")
"""The keys of :data:`briefings.analysis.summary.PRESETS`, written out for the same reason."""


class UsageError(BriefingError):
    """A command-line argument is malformed."""


class _Placeholders(Mapping[str, str]):
    """An environment where every ``${NAME}`` reads as a placeholder: no secret is needed."""

    def __getitem__(self, name: str) -> str:
        return f"unset-{name}"

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def platform_options(path: str | None, platform: Literal["slack", "discord"]) -> dict[str, Any]:
    """A platform's keys in a config file, read with every ``${NAME}`` a placeholder (the
    manifest and the invite link need no secret); nothing without a file."""
    if path is None:
        return {}
    from bot.config import load_config

    platforms = load_config(path, environ=_Placeholders()).platforms
    return (platforms.slack if platform == "slack" else platforms.discord).options()


def add_article_options(
    parser: argparse.ArgumentParser, *, format_help: str, published_help: str
) -> None:
    """Add ``--format``, ``--published`` and ``--preset``: how input articles are read."""
    parser.add_argument("--format", default="auto", choices=INPUT_FORMATS, help=format_help)
    parser.add_argument("--published", metavar="YYYY-MM-DD", help=published_help)
    parser.add_argument(
        "--preset", default="standard", choices=SUMMARY_PRESETS, help="summary length"
    )


def add_database_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--db`` and ``--config``, the two ways to name the database."""
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL or SQLite file (default: $BRIEFBOT_DB, else --config's, else a "
        "file in the user data directory)",
    )
    parser.add_argument("--config", metavar="FILE", help="take the database from this config")


def database_of(args: argparse.Namespace) -> str:
    """The database URL a command names: ``--db``, else ``$BRIEFBOT_DB``, else the one of
    ``--config``'s file, else the default."""
    from bot.config import database_url, load_config

    settings = load_config(args.config) if args.config else None
    return database_url(args.db, settings)
