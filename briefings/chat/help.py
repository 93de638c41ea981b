"""The help text: every command in one line, and each digest subcommand in detail."""

from __future__ import annotations

from briefings.chat.grammar import EVENT_TYPES, nearest_command
from briefings.service.replies import Help, HelpEntry, Notice, Reply

HELP: tuple[HelpEntry, ...] = (
    HelpEntry(
        "brief",
        "brief [24h|7d|30d] [NAME [only], …]",
        "The latest stories, merged and ranked; a state includes its government and army "
        "(`Mali only`: the state alone).",
    ),
    HelpEntry(
        "actor",
        "actor NAME [only] [all]",
        "Who an actor is: aliases, timeline, related actors (`all`: the whole timeline).",
    ),
    HelpEntry("event", "event QUERY [type:TYPE] [7d]", "Search events, e.g. `event siege`."),
    HelpEntry(
        "subscribe",
        "subscribe NAME [instant|daily [HH:MM] [TIMEZONE]] [here]",
        "Get a message when a new article names the actor, or one bundle a day at your "
        "time (`here`: in this channel).",
    ),
    HelpEntry("unsubscribe", "unsubscribe NAME [here]", "Stop following an actor."),
    HelpEntry("subscriptions", "subscriptions [here]", "The actors you (or this channel) follow."),
    HelpEntry(
        "digest",
        "digest [weekdays] 08:00 Europe/Berlin | actors | exclude | types | keywords | empty "
        "| on | off | now",
        "This channel's scheduled digest; `digest` alone shows it, `help digest` explains.",
    ),
    HelpEntry("help", "help [COMMAND]", "This list."),
)

DIGEST_HELP: tuple[HelpEntry, ...] = (
    HelpEntry("digest", "digest", "Show this channel's digest settings."),
    HelpEntry(
        "digest",
        "digest [DAYS] HH:MM [TIMEZONE]",
        "Schedule (and turn on) the digest, e.g. `digest weekdays 07:30 Europe/Berlin`; "
        "DAYS: daily, weekdays, weekends, mon,wed,fri.",
    ),
    HelpEntry(
        "digest",
        "digest actors NAME [only], … | all",
        "Only stories involving these actors (a state includes its institutions; "
        "`Mali only`: the state alone).",
    ),
    HelpEntry(
        "digest",
        "digest exclude NAME [only], … | none",
        "Never stories involving these actors.",
    ),
    HelpEntry(
        "digest",
        "digest types TYPE, … | all",
        "Only stories reporting these event types: " + ", ".join(EVENT_TYPES) + ".",
    ),
    HelpEntry(
        "digest",
        "digest keywords WORD, … | none",
        "Only stories containing one of these words.",
    ),
    HelpEntry(
        "digest",
        "digest empty on|off",
        "Post a 'nothing new' digest when a period has no stories (on), or skip it (off).",
    ),
    HelpEntry("digest", "digest on | off", "Turn the scheduled digest on or off."),
    HelpEntry("digest", "digest now", "Post this channel's digest now."),
)


def help_reply(topic: str | None) -> Reply:
    """The help for one command, or the list of all; an unknown topic gets the nearest.

    Args:
        topic: the command asked about (``digest``), or None for all.
    """
    if topic is None:
        return Help(HELP)
    if topic == "digest":
        return Help(DIGEST_HELP)
    entries = tuple(e for e in HELP if e.name == topic)
    if not entries:
        names = ", ".join(e.name for e in HELP)
        guess = nearest_command(topic)
        hint = f" Did you mean {guess}?" if guess else ""
        return Notice("error", f"There is no command {topic!r}.{hint} Commands: {names}.")
    return Help(entries)
