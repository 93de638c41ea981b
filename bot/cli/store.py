"""``briefbot ingest`` and ``briefbot db upgrade``: fill the store and migrate it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from bot.cli.common import UsageError, add_article_options, add_database_options, database_of
from bot.redaction import redact_url

PROGRESS_FROM = 20
"""Show a progress bar (on a terminal) from this many inputs on."""


def _cmd_ingest(args: argparse.Namespace) -> int:
    published = None
    if args.published:
        try:
            published = date.fromisoformat(args.published)
        except ValueError:
            raise UsageError(
                f"--published must be a date like 2026-04-27, not {args.published!r}"
            ) from None
    return asyncio.run(_ingest(args, database_of(args), published))


async def _ingest(args: argparse.Namespace, url: str, published: date | None) -> int:
    from briefings.analysis.pipeline import Analyzer
    from briefings.service.ingest import Ingestor
    from briefings.service.inputs import expand
    from briefings.store import Store

    analyzer = Analyzer.with_extra_actors([Path(p) for p in args.actors], preset=args.preset)
    total = len(expand(args.paths)[0])
    async with await Store.open(url) as store:
        ingestor = Ingestor(
            store, analyzer.analyse, actors=analyzer.gazetteer.actors, format=args.format
        )
        if total >= PROGRESS_FROM and sys.stderr.isatty():
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task("ingesting", total=total)
                report = await ingestor.ingest(
                    args.paths,
                    now=datetime.now(UTC),
                    published=published,
                    progress=lambda done, _: bar.update(task, completed=done),
                )
        else:
            report = await ingestor.ingest(args.paths, now=datetime.now(UTC), published=published)
    for rejection in report.rejected:
        print(f"briefbot: rejected {rejection.source}: {rejection.reason}", file=sys.stderr)
    for skipped in report.skipped:
        print(f"briefbot: {skipped.describe()}", file=sys.stderr)
    print(report.summary_line())
    print(f"database: {redact_url(url)}")
    return 2 if (report.rejected or report.skipped) and report.stored == 0 else 0


def _cmd_db(args: argparse.Namespace) -> int:
    from briefings.store import upgrade
    from briefings.store.engine import head_revision

    url = database_of(args)
    asyncio.run(upgrade(url))
    print(f"{redact_url(url)}: at the latest schema ({head_revision()})")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``ingest`` and ``db upgrade``."""
    p = sub.add_parser("ingest", help="store articles from files, folders, globs or stdin")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, globs, or - for stdin")
    add_article_options(
        p,
        format_help="input format of every file (default: detected per file)",
        published_help="publication date for every input",
    )
    p.add_argument(
        "--actors", action="append", default=[], metavar="FILE", help="an extra gazetteer file"
    )
    add_database_options(p)
    p.set_defaults(handler=_cmd_ingest)

    db = sub.add_parser("db", help="database maintenance")
    dbsub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    up = dbsub.add_parser("upgrade", help="bring the database to the latest schema")
    add_database_options(up)
    up.set_defaults(handler=_cmd_db)
