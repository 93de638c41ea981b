"""Neutral replies the rendering tests share: ordinary, hostile and oversized."""

from __future__ import annotations

from datetime import UTC, date, datetime

from briefings.service.replies import (
    ActorProfile,
    ActorRef,
    Button,
    Digest,
    DigestItem,
    DigestSettingsView,
    EventEntry,
    EventList,
    Help,
    HelpEntry,
    Notice,
    Relation,
    SourceLink,
    SubscriptionEntry,
    SubscriptionList,
)

JNIM = ActorRef("jnim", "JNIM", "armed_group")
AFRICA_CORPS = ActorRef("africa-corps", "Africa Corps", "military")
MALI = ActorRef("mali", "Mali", "state")
HOSTILE = "<!channel> & <!here> ping <@U123> and @everyone <https://evil.test|click>"

SOURCE = SourceLink(
    "Mali's junta under siege",
    "https://news.example/mali?a=1&b=2",
    "Example News",
    date(2026, 4, 27),
)

SIEGE = EventEntry(
    text="JNIM fighters blockaded the roads into Bamako.",
    type="coerce",
    date="2026-04-25",
    date_precision="day",
    actors=(JNIM,),
    recipients=(MALI,),
    location="Bamako",
    attribution=None,
    modality="reported",
    source=SOURCE,
)
ALLEGED = EventEntry(
    text="Africa Corps units withdrew from Kidal.",
    type="withdraw",
    date="2026-04",
    date_precision="month",
    actors=(AFRICA_CORPS,),
    recipients=(),
    location="Kidal",
    attribution="the Russian Ministry of Defence",
    modality="alleged",
    source=SourceLink("Kidal report", None, "Wire", None),
)


def item(n: int, tldr: str = "The junta lost control of the north.") -> DigestItem:
    return DigestItem(
        story_id=f"s{n}",
        headline=f"Story {n}: Mali's collapse & the Sahel",
        tldr=tldr,
        key_points=("Bamako is under blockade.", "Africa Corps pulled back."),
        actors=(JNIM, AFRICA_CORPS, MALI, ActorRef("fla", "FLA", "armed_group")),
        sources=(SOURCE, SourceLink("Second take", "https://other.example/x", "Other", None)),
        event_count=3,
        published=datetime(2026, 4, 27, 6, 30, tzinfo=UTC),
    )


START = datetime(2026, 4, 26, 8, 0, tzinfo=UTC)
END = datetime(2026, 4, 27, 8, 0, tzinfo=UTC)

DIGEST = Digest(
    title="Sahel watch: last 24 hours",
    start=START,
    end=END,
    items=(item(1), item(2)),
    buttons=(Button("Brief for 7 days", "brief", "7d"),),
)
EMPTY_DIGEST = Digest(title="Sahel watch", start=START, end=END, items=())
BIG_DIGEST = Digest(
    title="Everything", start=START, end=END, items=tuple(item(n) for n in range(40))
)

PROFILE = ActorProfile(
    actor=AFRICA_CORPS,
    aliases=("Wagner", "Wagner PMC"),
    country="Russia",
    mentions=((date(2026, 4, 25), 1), (date(2026, 4, 26), 4), (date(2026, 4, 27), 2)),
    timeline=(ALLEGED, SIEGE),
    related=(Relation(JNIM, 5, "against"), Relation(MALI, 3, "with")),
    sources=(SOURCE,),
    since=datetime(2026, 3, 28, tzinfo=UTC),
    buttons=(Button("Subscribe to Africa Corps", "subscribe", "africa-corps"),),
)
MEMBER_EVENT = EventEntry(
    text="The army retook Kidal.",
    type="assault",
    date=None,
    date_precision=None,
    actors=(ActorRef("mali-military", "Malian military", "military"),),
    recipients=(),
    location="Kidal",
    attribution="JNIM",
    modality="claimed",
    source=SOURCE,
    member="Malian military",
)
PROFILE_FAMILY = ActorProfile(
    actor=MALI,
    aliases=(),
    country=None,
    mentions=((date(2026, 4, 27), 2),),
    timeline=(SIEGE, MEMBER_EVENT),
    related=(),
    sources=(SOURCE,),
    since=None,
    notes=("Mali includes Malian military (for Mali alone: `actor Mali only`).",),
    more=7,
    more_command="actor Mali all",
)
DIGEST_NOTES = Digest(
    title="Briefing: last 7 days",
    start=START,
    end=END,
    items=(item(1),),
    notes=("Showing Africa Corps for 'wagnr'.",),
)
EVENTS = EventList(query="siege Bamako", since=None, entries=(SIEGE, ALLEGED))
NO_EVENTS = EventList(query="xyzzy", since=START, entries=())
SUBSCRIPTIONS = SubscriptionList(
    entries=(SubscriptionEntry(JNIM, "instant"), SubscriptionEntry(AFRICA_CORPS, "daily"))
)
NO_SUBSCRIPTIONS = SubscriptionList(entries=())
SETTINGS = DigestSettingsView(
    channel="C0NEWS",
    enabled=True,
    schedule="weekdays 07:30",
    timezone="America/New_York",
    actors=(JNIM, AFRICA_CORPS),
    post_when_empty=False,
    next_run=datetime(2026, 4, 28, 11, 30, tzinfo=UTC),
)
HELP = Help(
    entries=(
        HelpEntry("brief", "brief [24h|7d]", "Stories of the last day or week."),
        HelpEntry("actor", "actor NAME", "What briefbot knows about an actor."),
    )
)
OK = Notice("ok", "Subscribed to JNIM (instant).")
DID_YOU_MEAN = Notice("not_found", "No actor named “wagnr”.", suggestions=(AFRICA_CORPS, JNIM))
REFUSED = Notice("refused", "Only a workspace admin can change this channel's digest.")


def hostile_digest(text: str, url: str, title: str | None = None) -> Digest:
    """A digest of one story whose every text is ``text``, markup a platform must not act on.

    The story links to ``url``; the digest is titled ``text`` too, unless ``title`` is given.
    """
    story = DigestItem(
        story_id="hostile",
        headline=text,
        tldr=text,
        key_points=(text,),
        actors=(ActorRef("x", text, "other"),),
        sources=(SourceLink(text, url, text, None),),
        event_count=1,
        published=None,
    )
    return Digest(title=title or text, start=START, end=END, items=(story,))


HOSTILE_DIGEST = hostile_digest(HOSTILE, "https://x.test/<!channel>|a")

GOLDEN = {
    "digest": DIGEST,
    "digest_empty": EMPTY_DIGEST,
    "profile": PROFILE,
    "profile_family": PROFILE_FAMILY,
    "digest_notes": DIGEST_NOTES,
    "events": EVENTS,
    "events_none": NO_EVENTS,
    "subscriptions": SUBSCRIPTIONS,
    "subscriptions_none": NO_SUBSCRIPTIONS,
    "settings": SETTINGS,
    "help": HELP,
    "notice_ok": OK,
    "notice_did_you_mean": DID_YOU_MEAN,
    "notice_refused": REFUSED,
    "digest_hostile": HOSTILE_DIGEST,
}
