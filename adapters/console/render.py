"""Plain-text rendering for a terminal: :func:`reply_lines` renders any neutral reply as
lines of text; :func:`analysis_lines` renders one analysed article (``briefbot extract``)."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Sequence
from datetime import date, datetime
from typing import TextIO

from adapters.rendering import Renderers
from briefings.model import Analysis
from briefings.service import replies
from briefings.service.replies import Reply

WIDTH = 88
_MARKS = {"ok": "✓", "info": "i", "error": "!", "refused": "✗", "not_found": "?"}
_ROLES = {"with": "with", "against": "against", "by": "targeted by"}


def analysis_lines(analysis: Analysis) -> list[str]:
    """Plain-text lines describing one analysed article (what ``briefbot extract`` prints)."""
    article = analysis.article
    out = [article.title]
    if article.subtitle:
        out.append(article.subtitle)
    out += ["", f"TL;DR: {analysis.summary.tldr}"]
    if analysis.summary.key_points:
        out.append("Key points:")
        out += [f"  • {k.text}" for k in analysis.summary.key_points]
    if analysis.actors:
        out += ["", "Actors:"]
        for actor in analysis.actors:
            forms = sorted({m.surface for m in actor.mentions})
            out.append(
                f"  {actor.name} [{actor.actor.type}] salience {actor.salience:.2f}"
                f" — {', '.join(forms)}"
            )
    if analysis.events:
        names = {a.id: a.name for a in analysis.actors}
        out += ["", "Events:"]
        for event in analysis.events:
            who = ", ".join(names.get(i, i) for i in event.actors) or "?"
            whom = ", ".join(names.get(i, i) for i in event.recipients)
            when = event.date.value if event.date else "undated"
            line = f"  [{when}] {event.type}: {who}" + (f" → {whom}" if whom else "")
            if event.location:
                line += f" @ {event.location}"
            if event.modality != "reported":
                line += f" ({event.modality}"
                line += f" by {event.attribution})" if event.attribution else ")"
            out.append(line)
    return out


def print_analysis(analysis: Analysis, stream: TextIO | None = None) -> None:
    """Print an analysis: plain text, one item a line."""
    target = stream if stream is not None else sys.stdout
    for line in analysis_lines(analysis):
        target.write(line + "\n")


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


def _names(refs: Sequence[replies.ActorRef]) -> str:
    return ", ".join(r.name for r in refs)


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [first or indent]


def _source(src: replies.SourceLink) -> str:
    bits = [src.title]
    if src.source and src.source not in src.title:
        bits.append(f"({src.source})")
    if src.published:
        bits.append(_day(src.published))
    if src.url:
        bits.append(f"<{src.url}>")
    return " ".join(bits)


def _buttons(buttons: Sequence[replies.Button]) -> list[str]:
    return ["  " + "  ".join(f"[{b.label}]" for b in buttons)] if buttons else []


def _event(entry: replies.EventEntry, *, with_actors: bool = True) -> list[str]:
    when = entry.date
    if when is None:
        when = (
            f"undated, reported {_day(entry.source.published)}"
            if entry.source.published
            else "undated"
        )
    head = f"  [{when}] {entry.type}"
    if with_actors and entry.actors:
        head += f": {_names(entry.actors)}"
        if entry.recipients:
            head += f" → {_names(entry.recipients)}"
    if entry.location:
        head += f" @ {entry.location}"
    if entry.modality != "reported":
        head += f" ({entry.modality}" + (f" by {entry.attribution})" if entry.attribution else ")")
    elif entry.attribution:
        head += f" (according to {entry.attribution})"
    if entry.member:
        head += f" [via {entry.member}]"
    return [head, *_wrap(entry.text, "      "), f"      — {_source(entry.source)}"]


def _digest(digest: replies.Digest) -> list[str]:
    out = [
        f"{digest.title}",
        f"{_when(digest.start)} – {_when(digest.end)}",
        "",
    ]
    out = [*out[:2], *_notes(digest.notes), ""]
    if digest.is_empty:
        return [*out, digest.empty_text]
    for n, item in enumerate(digest.items, 1):
        out += _wrap(item.headline, "    ", f"{n:>2}. ")
        tldr = item.tldr
        if tldr.startswith(item.headline):
            tldr = tldr[len(item.headline) :].lstrip(" —–-:.")
        if tldr:
            out += _wrap(tldr, "    ")
        for point in item.key_points:
            out += _wrap(point, "      ", "    • ")
        if item.actors:
            out += _wrap(f"Actors: {_names(item.actors)}", "      ", "    ")
        for src in item.sources:
            out += _wrap(_source(src), "      ", "    ↳ ")
        out.append("")
    return [*out, *_buttons(digest.buttons)]


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


def _profile(profile: replies.ActorProfile) -> list[str]:
    actor = profile.actor
    out = [f"{actor.name} [{actor.type}]" + (f" — {profile.country}" if profile.country else "")]
    out += _notes(profile.notes)
    if profile.aliases:
        out += _wrap(f"Also: {', '.join(profile.aliases)}", "  ")
    total = sum(n for _, n in profile.mentions)
    if profile.mentions:
        first, last = profile.mentions[0][0], profile.mentions[-1][0]
        out.append(f"  Mentioned {total} times, {_day(first)} to {_day(last)}")
    if profile.timeline:
        out += ["", "Timeline:"]
        for entry in profile.timeline:
            out += _event(entry)
        if profile.more:
            how = f": type /{profile.more_command}" if profile.more_command else ""
            out.append(f"  … {profile.more} more{how}")
    if profile.related:
        out += ["", "Related:"]
        out += [f"  {r.actor.name} ({_ROLES[r.role]}, {r.count})" for r in profile.related]
    if profile.sources:
        out += ["", "Sources:"]
        out += [f"  {_source(s)}" for s in profile.sources]
    return [*out, *_buttons(profile.buttons)]


def _notes(notes: Sequence[str]) -> list[str]:
    return [line for note in notes for line in _wrap(note, "    ", "  i ")]


def _events(events: replies.EventList) -> list[str]:
    since = f" since {_day(events.since)}" if events.since else ""
    if not events.entries:
        return [f"No events found for {events.query!r}{since}."]
    out = [f"Events for {events.query!r}{since}:"]
    for entry in events.entries:
        out += _event(entry)
    return out


def _subscriptions(subs: replies.SubscriptionList) -> list[str]:
    if not subs.entries:
        return ["No subscriptions. Try /subscribe JNIM."]
    return ["Subscriptions:"] + [f"  {e.actor.name} ({e.delivery})" for e in subs.entries]


def _settings(view: replies.DigestSettingsView) -> list[str]:
    state = "on" if view.enabled else "off"
    out = [
        f"Digest for {view.channel}: {state}, {view.schedule} {view.timezone}",
        "  Actors: " + (_names(view.actors) if view.actors else "all"),
        "  When empty: " + ("post a 'nothing new' line" if view.post_when_empty else "skip"),
    ]
    if view.next_run is not None and view.enabled:
        out.append(f"  Next: {_when(view.next_run)}")
    return out


def _help(help_: replies.Help) -> list[str]:
    # Each usage on its own line and its description wrapped under it: one long usage (the
    # digest's) must not push every description past the terminal's edge.
    out = ["Commands:"]
    for entry in help_.entries:
        out.extend(_wrap(entry.usage, "    ", "  "))
        out.extend(_wrap(entry.description, "      "))
    return out


def _notice(notice: replies.Notice) -> list[str]:
    out = _wrap(notice.text, "  ", f"{_MARKS.get(notice.kind, '-')} ")
    if notice.suggestions:
        out.append("  Did you mean: " + _names(notice.suggestions) + "?")
    return [*out, *_buttons(notice.buttons)]


def reply_lines(reply: Reply) -> list[str]:
    """Plain-text lines for any neutral reply (a digest, a profile, a notice, ...).

    Args:
        reply: what the command layer or the scheduler produced.
    """
    return _KINDS(reply)


_KINDS = Renderers(_digest, _profile, _events, _subscriptions, _settings, _help, _notice)
