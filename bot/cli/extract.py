"""``briefbot extract``: analyse one article and print its summary, actors and events."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from bot.cli.common import UsageError, add_article_options


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--published must be a date like 2026-04-27, not {text!r}") from None


def read_input(path: str) -> tuple[bytes, str | None]:
    if path == "-":
        return sys.stdin.buffer.read(), None
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{path}: no such file")
    if p.is_dir():
        raise UsageError(
            f"{path} is a directory; extract reads one file (use 'briefbot ingest' for many)"
        )
    return p.read_bytes(), str(p)


def _cmd_extract(args: argparse.Namespace) -> int:
    from briefings.analysis.pipeline import Analyzer
    from briefings.formats import parse
    from briefings.serialize import analysis_to_dict

    published = _parse_day(args.published) if args.published else None
    data, source = read_input(args.file)
    # No fetch time: an archived text read here was not fetched now, so relative dates
    # ("yesterday", "on Monday") stay undated unless --published or a date line says when.
    article = parse(data, args.format, source=source, published=published)
    for note in article.notes:
        print(f"briefbot: warning: {note}", file=sys.stderr)
    analyzer = Analyzer.with_extra_actors([Path(p) for p in args.actors], preset=args.preset)
    analysis = analyzer.analyse(article)
    for warning in analysis.warnings:
        print(f"briefbot: warning: {warning}", file=sys.stderr)
    if args.json:
        json.dump(analysis_to_dict(analysis), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        from adapters.console.render import print_analysis

        print_analysis(analysis)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``extract`` sub-command."""
    p = sub.add_parser("extract", help="analyse one article: summary, actors, events")
    p.add_argument("file", help="a file, or - for standard input")
    add_article_options(
        p,
        format_help="input format (default: detected)",
        published_help="publication date for relative dates",
    )
    p.add_argument("--json", action="store_true", help="print the documented JSON form")
    p.add_argument(
        "--actors",
        action="append",
        default=[],
        metavar="FILE",
        help="an extra actor gazetteer file (TOML or JSON); may be repeated",
    )
    p.set_defaults(handler=_cmd_extract)
