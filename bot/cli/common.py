"""Pieces the sub-commands share: the usage error and argument helpers."""

from __future__ import annotations

import argparse

from briefings.errors import BriefingError


class UsageError(BriefingError):
    """A command-line argument is malformed."""


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
