"""The console adapter: briefbot's answers and digests rendered for a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from briefings.model import Analysis


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
