"""``briefbot slack-manifest``: print the Slack app manifest (YAML) for this configuration."""

from __future__ import annotations

import argparse

from bot.cli.common import UsageError, platform_options


def _cmd_manifest(args: argparse.Namespace) -> int:
    from adapters.slack.manifest import build_manifest, manifest_yaml

    options = platform_options(args.config, "slack")
    mode = args.mode or options.get("mode", "socket")
    if mode not in ("http", "socket"):
        raise UsageError(f"platforms.slack.mode must be 'http' or 'socket', not {mode!r}")
    public = args.public_url or options.get("public_url")
    path = str(options.get("path", "/slack/events"))
    request_url = f"{str(public).rstrip('/')}{path}" if public else None
    manifest = build_manifest(
        name=args.name or str(options.get("app_name", "briefbot")),
        mode=mode,
        prefix=args.prefix if args.prefix is not None else str(options.get("command_prefix", "")),
        request_url=request_url,
        reconcile=bool(options.get("reconcile", True)),
    )
    print(manifest_yaml(manifest), end="")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``slack-manifest``.

    Args:
        sub: the sub-command parsers of ``briefbot``.
    """
    parser = sub.add_parser(
        "slack-manifest",
        help="print the Slack app manifest (YAML) for the config",
        description=(
            "Print a Slack app manifest with exactly the scopes, commands, interactivity and "
            "Socket Mode setting briefbot uses with this configuration. Paste it at "
            "https://api.slack.com/apps → Create New App → From a manifest."
        ),
    )
    parser.add_argument("--config", metavar="FILE", help="the briefbot TOML file to read")
    parser.add_argument("--mode", choices=("socket", "http"), help="override platforms.slack.mode")
    parser.add_argument("--prefix", help="override platforms.slack.command_prefix")
    parser.add_argument(
        "--public-url", help="the https:// address in front of the events path (HTTP mode)"
    )
    parser.add_argument("--name", help="the app's display name")
    parser.set_defaults(handler=_cmd_manifest)
