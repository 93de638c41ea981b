"""The documented JSON form of an analysis (the ``briefbot extract --json`` contract)."""

from __future__ import annotations

from typing import Any

from briefings.model import Analysis, Event


def event_to_dict(event: Event) -> dict[str, Any]:
    """One event in the contract's shape."""
    return {
        "sentence": event.sentence,
        "text": event.text,
        "type": event.type,
        "actors": list(event.actors),
        "recipients": list(event.recipients),
        "date": event.date.value if event.date else None,
        "date_precision": event.date.precision if event.date else None,
        "location": event.location,
        "attribution": event.attribution,
        "modality": event.modality,
    }


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The whole analysis as plain JSON-ready data, in the documented contract.

    Sentence indexes in ``key_points`` and ``events`` point into ``sentences``; event
    ``actors`` and ``recipients`` hold ids from ``actors``.
    """
    article = analysis.article
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "published": article.published.isoformat() if article.published else None,
        "sections": [
            {"label": s.label, "paragraphs": list(s.paragraphs), "bullets": list(s.bullets)}
            for s in article.sections
        ],
        "sentences": [s.text for s in analysis.sentences],
        "summary": {
            "tldr": analysis.summary.tldr,
            "key_points": [
                {"text": k.text, "sentence": k.sentence} for k in analysis.summary.key_points
            ],
        },
        "actors": [
            {
                "id": a.id,
                "name": a.name,
                "type": a.actor.type,
                "mentions": sorted({m.surface for m in a.mentions}),
                "salience": round(a.salience, 3),
            }
            for a in analysis.actors
        ],
        "events": [event_to_dict(e) for e in analysis.events],
        "warnings": list(analysis.warnings),
    }
