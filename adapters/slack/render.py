"""Block Kit rendering of briefbot's neutral replies: pure functions from a Reply to messages.

:func:`render` turns any :data:`briefings.service.replies.Reply` into one or more
:class:`~adapters.slack.kit.Message` objects, each within Slack's limits and each with a
plain-text fallback. Buttons carry action ids ``briefbot:<action>:<n>``; the app maps
them back to commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from adapters.rendering import Renderers
from adapters.slack.kit import (
    Block,
    ButtonSpec,
    Layout,
    Message,
    actions,
    context,
    escape,
    fields,
    header,
    link,
    sections,
)
from adapters.text import sparkline
from briefings.service import replies
from briefings.service.replies import Reply

SUBSCRIBE_BUTTONS_PER_ITEM = 3
_ICONS = {
    "ok": ":white_check_mark:",
    "info": ":information_source:",
    "error": ":warning:",
    "refused": ":no_entry:",
    "not_found": ":mag:",
}
_SHORT_LABELS = {
    "subscribe": "Subscribe",
    "unsubscribe": "Unsubscribe",
    "share": "Share in channel",
    "actor": "Open",
    "brief": "Brief",
    "run": "Choose",
}
_ROLES = {"with": "Acts with", "against": "Acts against", "by": "Targeted by"}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render a reply for one request.

    Attributes:
        prefix: the slash-command prefix, for command names shown in help and hints.
        share: the command text behind an ephemeral answer; adds a "Share in channel"
            button that re-runs it for the channel.
        rerun: what a "did you mean" button runs; ``{}`` stands for the suggested name.
    """

    prefix: str = ""
    share: str | None = None
    rerun: str = "actor {}"


def render(reply: Reply, options: RenderOptions | None = None) -> list[Message]:
    """Render a neutral reply as Slack messages (usually one; more when limits need it).

    Args:
        reply: what the command layer or the digest composer returned.
        options: the prefix, share and "did you mean" settings of this request.
    """
    opts = options if options is not None else RenderOptions()
    kinds: Renderers[Layout] = Renderers(
        _digest,
        _profile,
        _events,
        lambda subs: _subscriptions(subs, opts),
        lambda view: _settings(view, opts),
        lambda help_: _help(help_, opts),
        lambda notice: _notice(notice, opts),
    )
    layout = kinds(reply)
    shareable = not isinstance(reply, replies.Notice) or reply.kind in ("ok", "info")
    if opts.share is not None and shareable:
        layout.add(actions([_spec(replies.Button("Share in channel", "share", opts.share))]))
    return layout.pages()


def _spec(button: replies.Button, action: str | None = None) -> ButtonSpec:
    name = action or button.action
    style = "primary" if name == "subscribe" else None
    return ButtonSpec(button.label, name, button.value, _SHORT_LABELS.get(name, "Go"), style)


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    return value.isoformat()


def _names(refs: Sequence[replies.ActorRef]) -> str:
    return " · ".join(escape(r.name) for r in refs)


def _source(src: replies.SourceLink) -> str:
    text = link(src.title, src.url)
    extra = ", ".join(x for x in (escape(src.source or ""), _day(src.published)) if x)
    return f"{text} ({extra})" if extra else text


def _digest(digest: replies.Digest) -> Layout:
    title = escape(digest.title)
    span = f"{_day(digest.start)} – {_day(digest.end)}"
    count = f"{len(digest.items)} stor{'y' if len(digest.items) == 1 else 'ies'}"
    layout = Layout(title, f"{count}, {span}")
    layout.add(header(title) + context([span, count]))
    if digest.notes:
        layout.add(context([escape(n) for n in digest.notes]))
    if digest.is_empty:
        layout.add(sections(escape(digest.empty_text)), escape(digest.empty_text))
    for item in digest.items:
        layout.add(_item(item), f"• {escape(item.headline)}")
    if digest.buttons:
        layout.add(actions([_spec(b) for b in digest.buttons]))
    return layout


def _item(item: replies.DigestItem) -> list[Block]:
    url = next((s.url for s in item.sources if s.url), None)
    lines = [f"*{link(item.headline, url)}*"]
    if item.tldr:
        lines.append(escape(item.tldr))
    lines += [f"• {escape(point)}" for point in item.key_points]
    meta = []
    if item.published:
        meta.append(_day(item.published))
    if item.sources:
        meta.append("Sources: " + ", ".join(_source(s) for s in item.sources))
    if item.actors:
        meta.append("Actors: " + _names(item.actors))
    if item.event_count:
        meta.append(f"{item.event_count} event{'s' if item.event_count != 1 else ''}")
    buttons = [
        ButtonSpec(f"Subscribe to {a.name}", "subscribe", a.id, "Subscribe", "primary")
        for a in item.actors[:SUBSCRIBE_BUTTONS_PER_ITEM]
    ]
    return [{"type": "divider"}, *sections("\n".join(lines)), *context(meta), *actions(buttons)]


def _event_text(entry: replies.EventEntry, *, with_actors: bool) -> str:
    head = [f"*{escape(entry.date) if entry.date else _undated(entry)}*", escape(entry.type)]
    if entry.modality != "reported":
        head.append(f"_{escape(entry.modality)}_")
    if entry.location:
        head.append(escape(entry.location))
    lines = [" · ".join(head)]
    if with_actors and (entry.actors or entry.recipients):
        who = _names(entry.actors) or "?"
        lines.append(who + (f" → {_names(entry.recipients)}" if entry.recipients else ""))
    lines.append(escape(entry.text))
    if entry.attribution:
        lines.append(f"_according to {escape(entry.attribution)}_")
    if entry.member:
        lines.append(f"_via {escape(entry.member)}_")
    return "\n".join(lines)


def _undated(entry: replies.EventEntry) -> str:
    published = entry.source.published
    return f"undated, reported {_day(published)}" if published else "undated"


def _event(entry: replies.EventEntry, *, with_actors: bool) -> list[Block]:
    return sections(_event_text(entry, with_actors=with_actors)) + context([_source(entry.source)])


def _profile(profile: replies.ActorProfile) -> Layout:
    actor = profile.actor
    name = escape(actor.name)
    layout = Layout(name, f"{escape(actor.type)} · {len(profile.timeline)} recent events")
    facts = [escape(actor.type)]
    if profile.country:
        facts.append(escape(profile.country))
    if profile.aliases:
        facts.append("Also known as: " + ", ".join(escape(a) for a in profile.aliases))
    layout.add(header(name) + context(facts))
    if profile.notes:
        layout.add(context([escape(n) for n in profile.notes]))
    if profile.mentions:
        counts = [n for _, n in profile.mentions]
        busiest = max(profile.mentions, key=lambda m: m[1])
        since = _day(profile.since) or _day(profile.mentions[0][0])
        text = (
            f"*Mentions since {since}:* {sum(counts)} in {len(counts)} days, "
            f"most on {_day(busiest[0])} ({busiest[1]})"
        )
        spark = sparkline(counts[-60:], headroom=1)
        layout.add(sections(text + (f"\n{spark}" if spark else "")))
    if profile.timeline:
        layout.add(sections("*Timeline*"))
        for entry in profile.timeline:
            layout.add(_event(entry, with_actors=True), f"• {escape(entry.text)}")
        if profile.more:
            how = f": `/{escape(profile.more_command)}`" if profile.more_command else ""
            text = f"… {profile.more} more{how}"
            layout.add(context([text]), text)
    if profile.related:
        grouped: dict[str, list[str]] = {}
        for rel in profile.related:
            grouped.setdefault(_ROLES[rel.role], []).append(
                f"{escape(rel.actor.name)} ({rel.count})"
            )
        layout.add(fields([(role, ", ".join(names)) for role, names in grouped.items()]))
    if profile.sources:
        layout.add(sections("*Sources*\n" + "\n".join(f"• {_source(s)}" for s in profile.sources)))
    if profile.buttons:
        layout.add(actions([_spec(b) for b in profile.buttons]))
    return layout


def _events(events: replies.EventList) -> Layout:
    title = escape(f"Events: {events.query}")
    count = f"{len(events.entries)} found"
    layout = Layout(title, count)
    meta = [count] + ([f"since {_day(events.since)}"] if events.since else [])
    layout.add(header(title) + context(meta))
    if not events.entries:
        text = f"No events match “{escape(events.query)}” in this period."
        layout.add(sections(text), text)
    for entry in events.entries:
        layout.add(_event(entry, with_actors=True), f"• {escape(entry.text)}")
    return layout


def _subscriptions(subs: replies.SubscriptionList, opts: RenderOptions) -> Layout:
    layout = Layout("Your subscriptions", f"{len(subs.entries)} actors")
    layout.add(header("Your subscriptions"))
    if not subs.entries:
        text = f"No subscriptions yet. Try `/{opts.prefix}subscribe NAME [instant|daily]`."
        layout.add(sections(text), text)
    for index, entry in enumerate(subs.entries):
        text = (
            f"*{escape(entry.actor.name)}* ({escape(entry.actor.type)}) · {escape(entry.delivery)}"
        )
        blocks = sections(text)
        blocks[-1]["accessory"] = {
            "type": "button",
            "text": {"type": "plain_text", "text": "Unsubscribe", "emoji": True},
            "action_id": f"briefbot:unsubscribe:{index}",
            "value": entry.actor.id,
        }
        layout.add(blocks, f"• {escape(entry.actor.name)} ({escape(entry.delivery)})")
    return layout


def _channel(channel: str) -> str:
    if channel[:1] in "CG" and channel.isalnum() and channel.isupper():
        return f"<#{channel}>"
    return escape(channel)


def _settings(view: replies.DigestSettingsView, opts: RenderOptions) -> Layout:
    state = "on" if view.enabled else "off"
    summary = f"{state}, {escape(view.schedule)} {escape(view.timezone)}"
    layout = Layout("Digest settings", summary)
    layout.add(header("Digest settings"))
    pairs = [
        ("Channel", _channel(view.channel)),
        ("Status", "on" if view.enabled else "off"),
        ("Schedule", escape(view.schedule)),
        ("Time zone", escape(view.timezone)),
        ("Actors", _names(view.actors) or "all"),
        ("When nothing is new", "post anyway" if view.post_when_empty else "stay quiet"),
    ]
    if view.next_run is not None:
        pairs.append(("Next digest", _day(view.next_run)))
    layout.add(fields(pairs))
    digest = f"/{opts.prefix}digest"
    layout.add(
        context(
            [
                f"Change it: `{digest} 08:00 Europe/Berlin` · `{digest} weekdays 07:30 "
                f"America/New_York` · `{digest} actors JNIM, Africa Corps` · `{digest} off` "
                f"· `{digest} now`"
            ]
        )
    )
    return layout


def _help(help_: replies.Help, opts: RenderOptions) -> Layout:
    layout = Layout("briefbot commands", f"{len(help_.entries)} commands")
    layout.add(header("briefbot commands"))
    for entry in help_.entries:
        text = f"`/{opts.prefix}{escape(entry.usage)}`\n{escape(entry.description)}"
        layout.add(sections(text), f"/{opts.prefix}{escape(entry.usage)}")
    return layout


def _notice(notice: replies.Notice, opts: RenderOptions) -> Layout:
    text = escape(notice.text)
    layout = Layout(text, "")
    layout.add(sections(f"{_ICONS[notice.kind]} {text}"))
    if notice.suggestions:
        layout.add(sections("Did you mean:"))
    if notice.buttons:
        layout.add(actions([_spec(b) for b in notice.buttons]))
    elif notice.suggestions:
        layout.add(
            actions(
                [
                    ButtonSpec(ref.name, "run", opts.rerun.format(ref.name), "Choose")
                    for ref in notice.suggestions
                ]
            )
        )
    return layout
