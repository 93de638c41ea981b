"""``briefbot discord-invite``: print the link that adds the bot to a Discord server."""

from __future__ import annotations

import argparse

from bot.cli.common import UsageError, platform_options


def _application_id(args: argparse.Namespace) -> int:
    value: object = args.application_id
    if value is None:
        value = platform_options(args.config, "discord").get("application_id")
    if value is None:
        raise UsageError(
            "the application id is needed: pass --application-id, or set "
            "platforms.discord.application_id in the config (Developer Portal → your "
            "application → General Information → Application ID)"
        )
    text = str(value).strip()
    if not text.isdigit():
        raise UsageError(f"the application id must be a number, not {value!r}")
    return int(text)


def _cmd_invite(args: argparse.Namespace) -> int:
    from adapters.discord.invite import explain, invite_url

    print(invite_url(_application_id(args), guild_id=args.guild))
    if args.explain:
        for line in explain():
            print(f"# {line}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``discord-invite``.

    Args:
        sub: the sub-command parsers of ``briefbot``.
    """
    parser = sub.add_parser(
        "discord-invite",
        help="print the URL that adds the bot to a Discord server",
        description=(
            "Print the OAuth2 URL that adds briefbot to a Discord server with exactly the "
            "scopes (bot, applications.commands) and the permissions it uses: View Channel, "
            "Send Messages, Send Messages in Threads and Embed Links."
        ),
    )
    parser.add_argument("--config", metavar="FILE", help="read platforms.discord.application_id")
    parser.add_argument("--application-id", metavar="ID", help="the application's id")
    parser.add_argument("--guild", type=int, metavar="ID", help="preselect this server")
    parser.add_argument(
        "--explain", action="store_true", help="also list each scope and permission, and why"
    )
    parser.set_defaults(handler=_cmd_invite)
