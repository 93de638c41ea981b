"""The command layer over a real store (SQLite and PostgreSQL): replies, refusals, digests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest
from helpers.store_samples import ACTORS, MALI, NOW, make_analysis

from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.chat.access import Caller, ChannelRef, Permission
from briefings.chat.commands import HELP, Commands
from briefings.chat.grammar import COMMAND_NAMES
from briefings.chat.requests import DigestScheduleCommand
from briefings.service.answers import Answers
from briefings.service.replies import (
    ActorProfile,
    Digest,
    DigestSettingsView,
    EventList,
    Help,
    Notice,
    SubscriptionList,
)
from briefings.service.schedules import cron_days, friendly_days, next_run, stored_time, time_text
from briefings.store import DigestSettings, Store

CLOCK_NOW = datetime(2026, 4, 27, 11, 0, tzinfo=UTC)  # a Monday
USER = Caller("slack", "T1", "U1", "C1")
DM = Caller("slack", "T1", "U1", None)


@dataclass
class FakePolicy:
    """A platform policy with fixed answers."""

    manage: Permission = field(default_factory=lambda: Permission(True))
    post: Permission = field(default_factory=lambda: Permission(True))
    asked: list[str] = field(default_factory=list)

    async def may_manage(self, caller: Caller) -> Permission:
        self.asked.append(f"manage:{caller.channel}")
        return self.manage

    async def can_post(self, caller: Caller) -> Permission:
        self.asked.append(f"post:{caller.channel}")
        return self.post


@dataclass
class RecordingControl:
    """A scheduler stand-in that records what the command layer told it."""

    changed: list[DigestSettings] = field(default_factory=list)
    posted: list[ChannelRef] = field(default_factory=list)

    async def on_changed(self, setting: DigestSettings) -> None:
        self.changed.append(setting)

    async def post_now(self, channel: ChannelRef) -> None:
        self.posted.append(channel)


@pytest.fixture
async def answers(store: Store) -> Answers:
    await store.sync_actors(ACTORS.values(), now=NOW)
    analysis = make_analysis(
        "Pro-Russian regime in Mali begins to collapse",
        MALI,
        id="https://wire.example/mali",
        url="https://wire.example/mali",
        source="wire.example",
    )
    await store.save(analysis, now=NOW)
    return Answers(store, Gazetteer(list(ACTORS.values())), lambda: CLOCK_NOW)


@pytest.fixture
def policy() -> FakePolicy:
    return FakePolicy()


@pytest.fixture
def control() -> RecordingControl:
    return RecordingControl()


@pytest.fixture
def commands(answers: Answers, policy: FakePolicy, control: RecordingControl) -> Commands:
    return Commands(answers, policy, control)


async def test_help_and_unknown_commands(commands: Commands) -> None:
    reply = await commands.handle(USER, "help")
    assert isinstance(reply, Help) and reply.entries == HELP
    assert tuple(e.name for e in HELP) == COMMAND_NAMES
    one = await commands.handle(USER, "help", "digest")
    assert isinstance(one, Help) and {e.name for e in one.entries} == {"digest"}
    usage = " ".join(e.usage for e in one.entries)
    for word in ("exclude", "types", "keywords", "empty", "actors", "now", "off"):
        assert f"digest {word}" in usage or f"| {word}" in usage, word
    assert isinstance(await commands.handle(USER, "help", "nope"), Notice)
    unknown = await commands.handle(USER, "frobnicate")
    assert isinstance(unknown, Notice) and unknown.kind == "error"
    assert "help" in unknown.text


async def test_lookups(commands: Commands) -> None:
    profile = await commands.handle(USER, "actor", "wagner")
    assert isinstance(profile, ActorProfile) and profile.actor.name == "Africa Corps"
    events = await commands.handle(USER, "event", "siege")
    assert isinstance(events, EventList) and events.entries
    assert events.entries[0].location == "Bamako"
    typed = await commands.handle(USER, "event", "type:coerce siege 30d")
    assert isinstance(typed, EventList) and typed.since == CLOCK_NOW - timedelta(days=30)
    brief = await commands.handle(USER, "brief", "7d")
    assert isinstance(brief, Digest) and len(brief.items) == 1
    assert brief.title == "Briefing: last 7 days"
    cuba = await commands.handle(USER, "brief", "7d Ukraine")
    assert isinstance(cuba, Digest) and len(cuba.items) == 1
    nobody = await commands.handle(USER, "brief", "7d Israel")
    assert isinstance(nobody, Digest) and nobody.is_empty


async def test_unknown_actor_is_a_notice_without_nonsense(commands: Commands) -> None:
    reply = await commands.handle(USER, "actor", "xyzzy")
    assert isinstance(reply, Notice) and reply.kind == "not_found"
    assert reply.suggestions == () and reply.buttons == ()
    assert "xyzzy" in reply.text


async def test_did_you_mean_buttons_redo_the_command(commands: Commands) -> None:
    looked_up = await commands.handle(USER, "actor", "jnm")
    assert isinstance(looked_up, Notice) and looked_up.kind == "not_found"
    assert [s.id for s in looked_up.suggestions] == ["jnim"]
    assert [(b.action, b.value) for b in looked_up.buttons] == [("actor", "jnim")]
    subscribed = await commands.handle(USER, "subscribe", "jnm")
    assert isinstance(subscribed, Notice)
    assert [(b.action, b.value) for b in subscribed.buttons] == [("subscribe", "jnim")]


async def test_bad_arguments_say_what_to_type(commands: Commands) -> None:
    reply = await commands.handle(USER, "brief", "7x")
    assert isinstance(reply, Notice) and reply.kind == "error"
    assert "24h" in reply.text
    reply = await commands.handle(USER, "event", "")
    assert isinstance(reply, Notice) and "event siege" in reply.text


async def test_subscribe_list_unsubscribe(commands: Commands, policy: FakePolicy) -> None:
    reply = await commands.handle(USER, "subscribe", "wagner daily")
    assert isinstance(reply, Notice) and reply.kind == "ok"
    assert "Africa Corps" in reply.text and "daily" in reply.text
    assert [(b.action, b.value) for b in reply.buttons] == [("unsubscribe", "africa-corps")]
    again = await commands.handle(USER, "subscribe", "Africa Corps")
    assert isinstance(again, Notice) and "already follow" in again.text
    listed = await commands.handle(USER, "subscriptions")
    assert isinstance(listed, SubscriptionList)
    assert [(e.actor.id, e.mode) for e in listed.entries] == [("africa-corps", "instant")]
    # Subscribing oneself needs no permission.
    assert policy.asked == []
    gone = await commands.handle(USER, "unsubscribe", "wagner")
    assert isinstance(gone, Notice) and gone.kind == "ok"
    assert [(b.action, b.value) for b in gone.buttons] == [("subscribe", "africa-corps")]
    again = await commands.handle(USER, "unsubscribe", "wagner")
    assert isinstance(again, Notice) and again.kind == "info"


async def test_channel_subscriptions_need_the_right_to_manage(
    commands: Commands, policy: FakePolicy
) -> None:
    policy.manage = Permission(False, "Only channel managers may do that.")
    refused = await commands.handle(USER, "subscribe", "JNIM here")
    assert refused == Notice("refused", "Only channel managers may do that.")
    policy.manage = Permission(True)
    policy.post = Permission(False)
    cannot_post = await commands.handle(USER, "subscribe", "JNIM here")
    assert isinstance(cannot_post, Notice) and cannot_post.kind == "refused"
    assert "cannot post" in cannot_post.text
    policy.post = Permission(True)
    ok = await commands.handle(USER, "subscribe", "JNIM here")
    assert isinstance(ok, Notice) and ok.kind == "ok" and ok.text.startswith("This channel")
    channel = await commands.handle(USER, "subscriptions", "here")
    assert isinstance(channel, SubscriptionList) and [e.actor.id for e in channel.entries] == [
        "jnim"
    ]
    mine = await commands.handle(USER, "subscriptions")
    assert isinstance(mine, SubscriptionList) and mine.entries == ()
    in_dm = await commands.handle(DM, "subscribe", "JNIM here")
    assert isinstance(in_dm, Notice) and in_dm.kind == "error"


async def test_digest_alone_shows_the_settings(commands: Commands, policy: FakePolicy) -> None:
    view = await commands.handle(USER, "digest")
    assert view == DigestSettingsView(
        channel="C1",
        enabled=False,
        schedule="daily 08:00",
        timezone="UTC",
        actors=(),
        post_when_empty=False,
        next_run=None,
    )
    assert policy.asked == []  # anyone may look


async def test_digest_schedule(
    commands: Commands, answers: Answers, control: RecordingControl
) -> None:
    reply = await commands.handle(USER, "digest", "08:00 Europe/Berlin")
    assert isinstance(reply, Notice) and reply.kind == "ok"
    assert "daily at 08:00 Europe/Berlin" in reply.text
    assert "next: Tue 28 Apr 08:00" in reply.text
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and stored.enabled and stored.time_of_day == "08:00"
    assert stored.days == "*" and stored.timezone == "Europe/Berlin"
    assert control.changed == [stored]
    reply = await commands.handle(USER, "digest", "weekdays 07:30 America/New_York")
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and stored.days == "mon-fri"
    assert stored.timezone == "America/New_York"
    # 11:00 UTC on Monday is 07:00 in New York: the next run is today.
    view = await commands.handle(USER, "digest")
    assert isinstance(view, DigestSettingsView)
    assert (
        view.enabled and view.schedule == "weekdays 07:30" and view.timezone == "America/New_York"
    )
    assert view.next_run == datetime(2026, 4, 27, 11, 30, tzinfo=UTC)
    # Days and zone are kept when only the time changes.
    await commands.handle(USER, "digest", "6pm")
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and (stored.time_of_day, stored.days) == ("18:00", "mon-fri")
    assert stored.timezone == "America/New_York"


async def test_digest_actors_and_other_filters(commands: Commands, answers: Answers) -> None:
    reply = await commands.handle(USER, "digest", "actors JNIM, Africa Corps")
    assert isinstance(reply, Notice) and reply.kind == "ok"
    assert "about JNIM, Africa Corps" in reply.text
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and stored.actors == ("jnim", "africa-corps")
    view = await commands.handle(USER, "digest")
    assert isinstance(view, DigestSettingsView)
    assert [a.name for a in view.actors] == ["JNIM", "Africa Corps"]
    bad = await commands.handle(USER, "digest", "actors JNIM, xyzzy")
    assert isinstance(bad, Notice) and bad.kind == "not_found" and "xyzzy" in bad.text
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and stored.actors == ("jnim", "africa-corps")  # unchanged
    family = await commands.handle(USER, "digest", "exclude Russia")
    assert isinstance(family, Notice) and "Russia includes Africa Corps" in family.text
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and stored.exclude_actors == ("russia", "africa-corps")
    await commands.handle(USER, "digest", "exclude Russia only")
    await commands.handle(USER, "digest", "types coerce, assault")
    await commands.handle(USER, "digest", "keywords gold")
    await commands.handle(USER, "digest", "empty on")
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None
    assert stored.exclude_actors == ("russia",)
    assert stored.event_types == ("coerce", "assault")
    assert stored.keywords == ("gold",)
    assert stored.post_when_empty
    await commands.handle(USER, "digest", "actors all")
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and stored.actors == ()


async def test_digest_changes_are_refused_with_the_reason(
    commands: Commands, policy: FakePolicy, answers: Answers, control: RecordingControl
) -> None:
    policy.manage = Permission(False, "You need Manage Channels.")
    for text in ("08:00 Europe/Berlin", "actors JNIM", "off", "now"):
        reply = await commands.handle(USER, "digest", text)
        assert reply == Notice("refused", "You need Manage Channels."), text
    policy.manage = Permission(True)
    policy.post = Permission(False, "Invite briefbot to #sahel first.")
    reply = await commands.handle(USER, "digest", "08:00")
    assert reply == Notice("refused", "Invite briefbot to #sahel first.")
    assert await answers.digest_settings("slack", "T1", "C1") is None
    assert control.changed == [] and control.posted == []
    # Turning it off never needs the bot to post.
    off = await commands.handle(USER, "digest", "off")
    assert isinstance(off, Notice) and off.kind == "ok" and "off" in off.text
    assert control.changed[-1].enabled is False


async def test_digest_on_off_now(
    commands: Commands, answers: Answers, control: RecordingControl
) -> None:
    await commands.handle(USER, "digest", "09:15 UTC")
    await commands.handle(USER, "digest", "off")
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and not stored.enabled
    view = await commands.handle(USER, "digest")
    assert isinstance(view, DigestSettingsView) and not view.enabled and view.next_run is None
    await commands.handle(USER, "digest", "on")
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and stored.enabled and stored.time_of_day == "09:15"
    now = await commands.handle(USER, "digest", "now")
    assert isinstance(now, Notice) and now.kind == "ok"
    assert control.posted == [ChannelRef("slack", "T1", "C1")]
    assert [s.enabled for s in control.changed] == [True, False, True]


async def test_digest_needs_a_channel_and_a_scheduler(answers: Answers) -> None:
    commands = Commands(answers, FakePolicy())
    in_dm = await commands.handle(DM, "digest")
    assert isinstance(in_dm, Notice) and "channel" in in_dm.text
    no_scheduler = await commands.handle(USER, "digest", "now")
    assert isinstance(no_scheduler, Notice) and no_scheduler.kind == "error"
    # Without a scheduler a change is still saved.
    saved = await commands.handle(USER, "digest", "08:00")
    assert isinstance(saved, Notice) and saved.kind == "ok"
    assert await answers.digest_settings("slack", "T1", "C1") is not None


async def test_run_takes_typed_commands(commands: Commands, answers: Answers) -> None:
    reply = await commands.run(USER, DigestScheduleCommand(time(6, 0), "weekends", "Asia/Tokyo"))
    assert isinstance(reply, Notice) and reply.kind == "ok"
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and stored.days == "sat,sun"


async def test_buttons(commands: Commands) -> None:
    reply = await commands.press(USER, "subscribe", "jnim")
    assert isinstance(reply, Notice) and reply.kind == "ok" and "JNIM" in reply.text
    listed = await commands.handle(USER, "subscriptions")
    assert isinstance(listed, SubscriptionList) and [e.actor.id for e in listed.entries] == ["jnim"]
    reply = await commands.press(USER, "unsubscribe", "jnim")
    assert isinstance(reply, Notice) and reply.kind == "ok"
    profile = await commands.press(USER, "actor", "africa-corps")
    assert isinstance(profile, ActorProfile) and profile.actor.id == "africa-corps"
    brief = await commands.press(USER, "brief", "7d")
    assert isinstance(brief, Digest)
    gone = await commands.press(USER, "actor", "no-such-id")
    assert isinstance(gone, Notice) and gone.kind == "not_found"
    odd = await commands.press(USER, "share", "jnim")
    assert isinstance(odd, Notice) and odd.kind == "error"


def test_days_round_trip() -> None:
    for friendly, cron in (("daily", "*"), ("weekdays", "mon-fri"), ("weekends", "sat,sun")):
        assert cron_days(friendly) == cron and friendly_days(cron) == friendly
    assert cron_days("mon,wed") == "mon,wed" == friendly_days("mon,wed")


def test_next_run_across_days_and_daylight_saving() -> None:
    berlin = DigestSettings("slack", "T", "C", time_of_day="02:30", timezone="Europe/Berlin")
    # 2026-03-29 is the spring-forward day in Berlin: 02:30 does not exist; it runs an hour
    # later by the wall clock (03:30 CEST = 01:30 UTC).
    before = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    assert next_run(berlin, before) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # 2026-10-25: 02:30 happens twice; the first (CEST, 00:30 UTC) counts.
    autumn = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    assert next_run(berlin, autumn) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    friday_evening = datetime(2026, 5, 1, 20, 0, tzinfo=UTC)
    weekdays = DigestSettings("slack", "T", "C", time_of_day="08:00", days="mon-fri")
    assert next_run(weekdays, friday_evening) == datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    wrap = DigestSettings("slack", "T", "C", time_of_day="08:00", days="fri-mon")
    tuesday = datetime(2026, 4, 28, 9, 0, tzinfo=UTC)
    assert next_run(wrap, tuesday) == datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    off = DigestSettings("slack", "T", "C", enabled=False)
    assert next_run(off, tuesday) is None


async def test_digest_times_with_seconds_are_stored_and_scheduled(
    commands: Commands, answers: Answers
) -> None:
    await commands.handle(USER, "digest", "07:30:45 Europe/Berlin")
    stored = await answers.digest_settings("slack", "T1", "C1")
    assert stored is not None and stored.time_of_day == "07:30:45"
    after = datetime(2026, 4, 27, 12, 0, tzinfo=UTC)
    assert next_run(stored, after) == datetime(2026, 4, 28, 5, 30, 45, tzinfo=UTC)
    view = await commands.handle(USER, "digest")
    assert isinstance(view, DigestSettingsView) and view.schedule == "daily 07:30:45"
    # A stored HH:MM:SS from the config path schedules too.
    seconds = DigestSettings("slack", "T", "C", time_of_day="08:00:30", timezone="UTC")
    assert next_run(seconds, after) == datetime(2026, 4, 28, 8, 0, 30, tzinfo=UTC)
    assert stored_time("8:05") == time(8, 5) and time_text(time(8, 5)) == "08:05"
    with pytest.raises(ValueError, match="not a time of day"):
        stored_time("08")


async def test_subscribe_daily_at_a_chosen_time_is_stored_and_listed(
    commands: Commands, answers: Answers
) -> None:
    reply = await commands.handle(USER, "subscribe", "wagner daily 07:30 America/New_York")
    assert isinstance(reply, Notice) and reply.kind == "ok"
    assert "daily at 07:30 America/New_York" in reply.text
    await commands.handle(USER, "subscribe", "JNIM daily")
    listed = await commands.handle(USER, "subscriptions")
    assert isinstance(listed, SubscriptionList)
    assert [(e.actor.id, e.delivery) for e in listed.entries] == [
        ("africa-corps", "daily at 07:30 America/New_York"),
        ("jnim", "daily"),
    ]
    (stored,) = await answers.store.subscriptions.for_actors(["africa-corps"])
    assert (stored.daily_time, stored.timezone) == ("07:30", "America/New_York")
    # Going instant drops the chosen time.
    await commands.handle(USER, "subscribe", "wagner")
    (stored,) = await answers.store.subscriptions.for_actors(["africa-corps"])
    assert (stored.mode, stored.daily_time, stored.timezone) == ("instant", None, None)
