"""Pure rendering of briefbot's neutral replies into Discord messages: embeds and buttons.

:func:`render` drafts one embed per logical block of a reply, fits every draft into
Discord's per-embed limits and packs the embeds into as many messages as they need
(:mod:`adapters.discord.layout`). Article text is escaped so it shows as typed; nothing
here can mention anyone (the poster and the client also send ``allowed_mentions`` empty).
The output is plain API JSON, so it is golden-file tested without a client.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from adapters.discord.layout import (
    BUTTON_LABEL_LIMIT,
    BUTTONS_PER_ROW,
    CUSTOM_ID_LIMIT,
    ROWS_PER_MESSAGE,
    Draft,
    EmbedPayload,
    ellipsize,
    escape,
    fit,
    link,
    pack,
)
from adapters.rendering import Renderers
from adapters.text import sparkline
from briefings.service import replies
from briefings.service.replies import Reply

_log = logging.getLogger(__name__)

CUSTOM_ID_PREFIX = "briefbot"
SHARE = replies.Button(label="Share", action="share", value="")
"""The button an ephemeral answer carries so its reader can post it to the channel."""

BLUE = 0x2B6CB0
GREEN = 0x2E7D32
ORANGE = 0xEF6C00
RED = 0xC62828
GREY = 0x6B7280
_NOTICE_COLORS = {"ok": GREEN, "info": BLUE, "error": RED, "refused": ORANGE, "not_found": GREY}
_NOTICE_TITLES = {"error": "Error", "refused": "Not allowed", "not_found": "Not found"}
BUTTON_STYLES = {"subscribe": 1, "unsubscribe": 4, "share": 2, "actor": 2, "brief": 2}
"""Discord button styles by action: primary, danger or secondary."""
_BUTTONS_PER_MESSAGE = BUTTONS_PER_ROW * ROWS_PER_MESSAGE


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Discord message: its embeds (API JSON), its buttons and any plain content."""

    embeds: tuple[EmbedPayload, ...]
    buttons: tuple[replies.Button, ...] = ()
    content: str = ""


def custom_id(button: replies.Button) -> str:
    """The stable custom id of a button: ``briefbot:<action>:<value>``; it survives restarts."""
    return f"{CUSTOM_ID_PREFIX}:{button.action}:{button.value}"


def components(buttons: Sequence[replies.Button]) -> list[dict[str, Any]]:
    """The action rows (API JSON) carrying ``buttons``, five to a row.

    Args:
        buttons: at most 25 buttons, each with a custom id within Discord's limit.
    """
    return [
        {
            "type": 1,
            "components": [
                {
                    "type": 2,
                    "style": BUTTON_STYLES[b.action],
                    "label": ellipsize(b.label, BUTTON_LABEL_LIMIT),
                    "custom_id": custom_id(b),
                }
                for b in buttons[i : i + BUTTONS_PER_ROW]
            ],
        }
        for i in range(0, len(buttons), BUTTONS_PER_ROW)
    ]


def message_payload(message: Outgoing) -> dict[str, Any]:
    """The API JSON of one rendered message (what the golden files hold)."""
    payload: dict[str, Any] = {"embeds": list(message.embeds)}
    if message.content:
        payload["content"] = message.content
    if message.buttons:
        payload["components"] = components(message.buttons)
    return payload


def render(reply: Reply) -> list[Outgoing]:
    """Render a reply into Discord messages, within every limit, none of its text lost.

    The reply's buttons go on its last message (25 at most a message; more continue in
    follow-on messages).

    Args:
        reply: any neutral answer of the command layer or the digest composer.
    """
    embeds = [embed for draft in _DRAFTS(reply) for embed in fit(draft)]
    messages = [Outgoing(tuple(group)) for group in pack(embeds)]
    buttons = _usable(getattr(reply, "buttons", ()))
    return attach(messages, buttons)


def attach(messages: list[Outgoing], buttons: Sequence[replies.Button]) -> list[Outgoing]:
    """Put ``buttons`` on the last of ``messages``, continuing in button-only messages.

    Args:
        messages: rendered messages (at least one).
        buttons: buttons to add after any the last message already has.
    """
    if not buttons:
        return messages
    last = messages[-1]
    pending = list(last.buttons) + list(buttons)
    out = messages[:-1]
    first = pending[:_BUTTONS_PER_MESSAGE]
    out.append(Outgoing(last.embeds, tuple(first), last.content))
    for i in range(_BUTTONS_PER_MESSAGE, len(pending), _BUTTONS_PER_MESSAGE):
        out.append(Outgoing((), tuple(pending[i : i + _BUTTONS_PER_MESSAGE]), "More actions:"))
    return out


def with_share(messages: list[Outgoing]) -> list[Outgoing]:
    """Add the "Share" button to every message that has room for it.

    Args:
        messages: rendered messages of an ephemeral answer.
    """
    return [
        Outgoing(m.embeds, (*m.buttons, SHARE), m.content)
        if len(m.buttons) < _BUTTONS_PER_MESSAGE
        else m
        for m in messages
    ]


def _usable(buttons: Sequence[replies.Button]) -> list[replies.Button]:
    out = []
    for button in buttons:
        if len(custom_id(button)) > CUSTOM_ID_LIMIT:
            _log.warning("button %r left out: its value is too long for a custom id", button.label)
            continue
        out.append(button)
    return out


def when(moment: datetime, style: Literal["f", "F", "D", "R"] = "f") -> str:
    """A Discord timestamp: shown in each reader's own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def _kind(actor_type: str) -> str:
    return actor_type.replace("_", " ")


def _names(actors: Sequence[replies.ActorRef]) -> str:
    return ", ".join(escape(a.name) for a in actors)


def _source_lines(sources: Sequence[replies.SourceLink]) -> str:
    lines = []
    for s in sources:
        line = f"• {link(s.title, s.url)}"
        extra = [escape(s.source)] if s.source else []
        if s.published:
            extra.append(s.published.isoformat())
        lines.append(f"{line} ({', '.join(extra)})" if extra else line)
    return "\n".join(lines)


def _digest(digest: replies.Digest) -> list[Draft]:
    count = len(digest.items)
    window = f"{when(digest.start)} – {when(digest.end)}"
    if digest.is_empty:
        body = f"{window}\n\n{escape(digest.empty_text)}"
    else:
        body = f"{window}\n{count} {'story' if count == 1 else 'stories'}"
    if digest.notes:
        body += "\n" + "\n".join(f"*{escape(n)}*" for n in digest.notes)
    drafts = [Draft(title=escape(digest.title), description=body, color=BLUE)]
    drafts += [_item(item) for item in digest.items]
    return drafts


def _item(item: replies.DigestItem) -> Draft:
    lines = [escape(item.tldr)] if item.tldr else []
    lines += [f"• {escape(point)}" for point in item.key_points]
    url = item.sources[0].url if item.sources else None
    draft = Draft(
        title=escape(item.headline),
        url=url,
        description="\n".join(lines),
        color=BLUE,
        timestamp=item.published,
    )
    draft.add_field("Actors", _names(item.actors))
    draft.add_field("Sources", _source_lines(item.sources))
    events = f"{item.event_count} event{'' if item.event_count == 1 else 's'}"
    sources = f"{len(item.sources)} source{'' if len(item.sources) == 1 else 's'}"
    draft.footer = f"{events} · {sources}"
    return draft


def event_line(entry: replies.EventEntry) -> str:
    """One event as a timeline line: date, type, who → whom, place, claim, text and source."""
    undated = "undated"
    if entry.source.published is not None:
        undated = f"undated, reported {entry.source.published.isoformat()}"
    head = [f"**{escape(entry.date) if entry.date else undated}**", _kind(entry.type)]
    if entry.actors:
        who = _names(entry.actors)
        head.append(f"{who} → {_names(entry.recipients)}" if entry.recipients else who)
    if entry.location:
        head.append(escape(entry.location))
    lines = [" · ".join(head), f"> {escape(entry.text)}"]
    tail = []
    if entry.modality != "reported":
        claim = f"*{entry.modality}*"
        if entry.attribution:
            claim += f", according to {escape(entry.attribution)}"
        tail.append(claim)
    elif entry.attribution:
        tail.append(f"according to {escape(entry.attribution)}")
    if entry.member:
        tail.append(f"via {escape(entry.member)}")
    tail.append(link(entry.source.title, entry.source.url))
    lines.append(" · ".join(tail))
    return "\n".join(lines)


def _mentions(mentions: Sequence[tuple[Any, int]]) -> str:
    if not mentions:
        return ""
    bars = sparkline([count for _, count in mentions])
    total = sum(count for _, count in mentions)
    first, last = mentions[0][0], mentions[-1][0]
    said = f"{total} mention{'' if total == 1 else 's'}, {first} to {last}"
    return f"`{bars}` {said}" if bars else said


def _profile(profile: replies.ActorProfile) -> list[Draft]:
    actor = profile.actor
    facts = [f"**Type:** {_kind(actor.type)}"]
    if profile.country:
        facts.append(f"**Country:** {escape(profile.country)}")
    lines = [" · ".join(facts)]
    if profile.aliases:
        lines.append(f"**Also known as:** {', '.join(escape(a) for a in profile.aliases)}")
    if profile.since:
        lines.append(f"**Since:** {when(profile.since, 'D')}")
    lines += [f"*{escape(n)}*" for n in profile.notes]
    main = Draft(title=escape(actor.name), description="\n".join(lines), color=BLUE)
    main.add_field("Mentions", _mentions(profile.mentions))
    related = [
        f"• {r.role} **{escape(r.actor.name)}** ({r.count} event{'' if r.count == 1 else 's'})"
        for r in profile.related
    ]
    main.add_field("Related actors", "\n".join(related))
    main.add_field("Sources", _source_lines(profile.sources))
    drafts = [main]
    if profile.timeline:
        timeline = "\n\n".join(event_line(e) for e in profile.timeline)
        if profile.more:
            how = f": `/{escape(profile.more_command)}`" if profile.more_command else ""
            timeline += f"\n\n… {profile.more} more{how}"
        drafts.append(
            Draft(title=f"Timeline: {escape(actor.name)}", description=timeline, color=BLUE)
        )
    else:
        main.add_field("Timeline", "No events recorded in this period.")
    return drafts


def _events(events: replies.EventList) -> list[Draft]:
    title = f"Events: {escape(events.query)}" if events.query else "Events"
    since = f" since {when(events.since, 'D')}" if events.since else ""
    if not events.entries:
        return [Draft(title=title, description=f"No events found{since}.", color=GREY)]
    count = len(events.entries)
    head = f"{count} event{'' if count == 1 else 's'}{since}"
    body = "\n\n".join(event_line(e) for e in events.entries)
    return [Draft(title=title, description=f"{head}\n\n{body}", color=BLUE)]


def _subscriptions(subs: replies.SubscriptionList) -> Draft:
    if not subs.entries:
        text = "No subscriptions yet. Subscribe with `/subscribe` and an actor's name."
        return Draft(title="Subscriptions", description=text, color=GREY)
    lines = [
        f"• **{escape(e.actor.name)}** ({_kind(e.actor.type)}) — {e.delivery}" for e in subs.entries
    ]
    return Draft(title="Subscriptions", description="\n".join(lines), color=BLUE)


def _channel(channel: str) -> str:
    return f"<#{channel}>" if channel.isdigit() else escape(channel)


def _settings(view: replies.DigestSettingsView) -> Draft:
    draft = Draft(
        title="Digest settings", description=f"Channel: {_channel(view.channel)}", color=BLUE
    )
    draft.add_field("Status", "on" if view.enabled else "off", inline=True)
    draft.add_field("Schedule", escape(view.schedule), inline=True)
    draft.add_field("Time zone", escape(view.timezone), inline=True)
    draft.add_field("Actors", _names(view.actors) if view.actors else "all actors")
    draft.add_field("When nothing is new", "post anyway" if view.post_when_empty else "skip")
    if view.next_run is not None and view.enabled:
        draft.add_field("Next digest", f"{when(view.next_run, 'F')} ({when(view.next_run, 'R')})")
    return draft


def _help(help_: replies.Help) -> Draft:
    draft = Draft(title="briefbot commands", color=BLUE)
    for entry in help_.entries:
        usage = entry.usage if entry.usage.startswith("/") else f"/{entry.usage}"
        draft.add_field(usage, entry.description or entry.name)
    return draft


def _notice(notice: replies.Notice) -> Draft:
    text = notice.text
    if notice.suggestions:
        names = ", ".join(f"**{escape(a.name)}**" for a in notice.suggestions)
        text += f"\nDid you mean: {names}?"
    return Draft(
        title=_NOTICE_TITLES.get(notice.kind), description=text, color=_NOTICE_COLORS[notice.kind]
    )


_DRAFTS: Renderers[list[Draft]] = Renderers(
    _digest,
    _profile,
    _events,
    lambda subs: [_subscriptions(subs)],
    lambda view: [_settings(view)],
    lambda help_: [_help(help_)],
    lambda notice: [_notice(notice)],
)


THREAD_NAME_LIMIT = 100


def thread_name(reply: Reply) -> str:
    """The name of the forum post a reply opens: a digest's title and the day it ends."""
    if isinstance(reply, replies.Digest):
        name = f"{reply.title} — {reply.end.date().isoformat()}"
    else:
        embeds = render(reply)[0].embeds
        name = (embeds[0].get("title") if embeds else None) or "briefbot"
    return name if len(name) <= THREAD_NAME_LIMIT else name[: THREAD_NAME_LIMIT - 1] + "…"
