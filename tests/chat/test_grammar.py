"""The chat command grammar: every documented form, and errors that say what to type."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from briefings.chat.grammar import (
    UnknownCommandError,
    parse_command,
    parse_days,
    parse_time,
    parse_timezone,
    parse_window,
)
from briefings.chat.requests import (
    ActorCommand,
    BriefCommand,
    DigestCommand,
    DigestEmptyCommand,
    DigestListCommand,
    DigestScheduleCommand,
    EventCommand,
    HelpCommand,
    SubscribeCommand,
    SubscriptionsCommand,
    UnsubscribeCommand,
)
from briefings.errors import CommandError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", DigestCommand("show")),
        ("08:00 Europe/Berlin", DigestScheduleCommand(time(8, 0), None, "Europe/Berlin")),
        (
            "weekdays 07:30 America/New_York",
            DigestScheduleCommand(time(7, 30), "weekdays", "America/New_York"),
        ),
        ("mon,wed,fri 6pm utc", DigestScheduleCommand(time(18, 0), "mon,wed,fri", "UTC")),
        ("Mon - Fri 9:15", DigestScheduleCommand(time(9, 15), "weekdays", None)),
        ("every day 7:05am", DigestScheduleCommand(time(7, 5), "daily", None)),
        ("actors JNIM, Africa Corps", DigestListCommand("actors", ("JNIM", "Africa Corps"))),
        ("actors all", DigestListCommand("actors", ())),
        ("exclude Russia", DigestListCommand("exclude_actors", ("Russia",))),
        ("types Coerce, assault", DigestListCommand("event_types", ("coerce", "assault"))),
        ("keywords gold, uranium", DigestListCommand("keywords", ("gold", "uranium"))),
        ("keywords none", DigestListCommand("keywords", ())),
        ("off", DigestCommand("off")),
        ("ON", DigestCommand("on")),
        ("now", DigestCommand("now")),
        ("empty on", DigestEmptyCommand(True)),
        ("empty off", DigestEmptyCommand(False)),
    ],
)
def test_digest_forms(text: str, expected: object) -> None:
    assert parse_command("digest", text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tomorrow", "digest 08:00 Europe/Berlin"),
        ("08:00 Europe/Berln", "Did you mean Europe/Berlin?"),
        ("08:00 Mars/Olympus", "not a time zone"),
        ("weekdayz 08:00", "not a day set"),
        ("08:00 Europe/Berlin extra", "the time zone comes last"),
        ("25:00", r"25:00 is not a time \(use HH:MM, e.g. 07:30\)"),
        ("25:99 Europe/Berlin", r"25:99 is not a time \(use HH:MM"),
        ("types bombing", "not an event type"),
        ("empty maybe", "digest empty on"),
        ("actors", "digest actors JNIM"),
    ],
)
def test_digest_errors_say_what_to_type(text: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        parse_command("digest", text)


def test_brief_window_and_actors() -> None:
    assert parse_command("brief") == BriefCommand(timedelta(hours=24))
    assert parse_command("brief", "7d") == BriefCommand(timedelta(days=7))
    assert parse_command("/brief", "30d JNIM, Africa Corps") == BriefCommand(
        timedelta(days=30), ("JNIM", "Africa Corps")
    )
    assert parse_command("brief", "Mali") == BriefCommand(timedelta(hours=24), ("Mali",))
    assert parse_command("brief", "Mali 7d") == BriefCommand(timedelta(days=7), ("Mali",))
    assert parse_command("brief", "7d Mali only, JNIM") == BriefCommand(
        timedelta(days=7), ("Mali", "JNIM"), ("Mali",)
    )
    with pytest.raises(CommandError, match="counts back from now, so type 5d"):
        parse_command("brief", "-5d")
    with pytest.raises(CommandError, match="counts back from now, so type 7d"):
        parse_command("brief", "Mali -7d")
    with pytest.raises(CommandError, match="out of range"):
        parse_command("brief", "400d")
    with pytest.raises(CommandError, match="not a time window"):
        parse_command("brief", "7x")


def test_only_and_all_after_a_name() -> None:
    assert parse_command("actor", "Mali only all") == ActorCommand("Mali", True, True)
    assert parse_command("actor", "only") == ActorCommand("only")
    assert parse_command("subscribe", "Mali only daily").exact
    assert parse_command("digest", "actors Mali only, JNIM") == DigestListCommand(
        "actors", ("Mali", "JNIM"), ("Mali",)
    )


def test_a_misspelt_command_gets_the_nearest_one() -> None:
    for typed, meant in (("acter", "actor"), ("breif", "brief"), ("/digset", "digest")):
        with pytest.raises(UnknownCommandError, match=f"Did you mean /{meant}\\?"):
            parse_command(typed)
    with pytest.raises(UnknownCommandError) as caught:
        parse_command("frobnicate")
    assert caught.value.suggestion is None


def test_actor_and_event() -> None:
    assert parse_command("actor", "  russian   mod ") == ActorCommand("russian mod")
    with pytest.raises(CommandError, match="Which actor"):
        parse_command("actor", " ")
    assert parse_command("event", "siege Bamako") == EventCommand("siege Bamako")
    assert parse_command("events", "blockade 7d") == EventCommand("blockade", timedelta(days=7))
    assert parse_command("event", "type:coerce Cuba") == EventCommand("Cuba", None, "coerce")
    # A lone window-like word is a query, not a window.
    assert parse_command("event", "24h") == EventCommand("24h")
    with pytest.raises(CommandError, match="not an event type"):
        parse_command("event", "type:bombing Iran")
    with pytest.raises(CommandError, match="Search for what"):
        parse_command("event", "")


def test_subscriptions() -> None:
    assert parse_command("subscribe", "Africa Corps") == SubscribeCommand("Africa Corps")
    assert parse_command("subscribe", "JNIM daily") == SubscribeCommand("JNIM", "daily")
    assert parse_command("subscribe", "JNIM daily here") == SubscribeCommand("JNIM", "daily", True)
    assert parse_command("subscribe", "JNIM here instant") == SubscribeCommand(
        "JNIM", "instant", True
    )
    with pytest.raises(CommandError, match="Subscribe to what"):
        parse_command("subscribe", "daily")
    assert parse_command("unsubscribe", "JNIM") == UnsubscribeCommand("JNIM")
    assert parse_command("unsubscribe", "JNIM here") == UnsubscribeCommand("JNIM", True)
    assert parse_command("subscriptions") == SubscriptionsCommand()
    assert parse_command("subscriptions", "here") == SubscriptionsCommand(True)
    with pytest.raises(CommandError):
        parse_command("subscriptions", "JNIM")


def test_help_and_unknown_commands() -> None:
    assert parse_command("help") == HelpCommand()
    assert parse_command("help", "/digest") == HelpCommand("digest")
    with pytest.raises(UnknownCommandError, match="no command 'frobnicate'"):
        parse_command("frobnicate")


def test_pieces() -> None:
    assert parse_window("2w") == timedelta(weeks=2)
    assert parse_window("30 days") == timedelta(days=30)
    assert parse_time("12am") == time(0, 0)
    assert parse_time("12:30pm") == time(12, 30)
    assert parse_time("07:30:45") == time(7, 30, 45)
    assert parse_time("7:30:05pm") == time(19, 30, 5)
    with pytest.raises(CommandError):
        parse_time("13pm")
    with pytest.raises(CommandError):
        parse_time("8")
    assert parse_days("sat, sun") == "weekends"
    assert parse_days("fri-mon") == "mon,fri,sat,sun"
    assert parse_days("Monday and Thursday") == "mon,thu"
    assert parse_timezone("america/new_york") == "America/New_York"


def test_subscribe_daily_at_a_time_and_zone() -> None:
    assert parse_command("subscribe", "JNIM daily 07:30 europe/berlin") == SubscribeCommand(
        "JNIM", "daily", at=time(7, 30), timezone="Europe/Berlin"
    )
    assert parse_command("subscribe", "Africa Corps daily 6pm here") == SubscribeCommand(
        "Africa Corps", "daily", True, at=time(18, 0)
    )
    assert parse_command("subscribe", "JNIM daily UTC") == SubscribeCommand(
        "JNIM", "daily", timezone="UTC"
    )
    # A time without "daily" is refused; a zone typo gets a suggestion.
    with pytest.raises(CommandError, match="go with daily"):
        parse_command("subscribe", "JNIM instant 07:30")
    with pytest.raises(CommandError, match="Did you mean Europe/Berlin"):
        parse_command("subscribe", "JNIM daily 07:30 Europe/Berln")
