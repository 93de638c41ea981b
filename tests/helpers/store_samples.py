"""Hand-built analyses and a small stand-in analyser for the store and ingest tests.

The stand-in finds a fixed list of actors by name and one event per sentence that holds a
trigger word; it is deterministic and fast, so store tests do not depend on the analysis.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from briefings.formats.base import build_article
from briefings.model import (
    ActorInfo,
    Analysis,
    Article,
    ArticleActor,
    Event,
    EventDate,
    KeyPoint,
    Mention,
    Summary,
)
from briefings.text.sentences import split_sentences

NOW = datetime(2026, 4, 27, 9, 0, tzinfo=UTC)

ACTORS: dict[str, ActorInfo] = {
    a.id: a
    for a in (
        ActorInfo("jnim", "JNIM", "armed_group", aliases=("Jama'at Nasr al-Islam wal Muslimin",)),
        ActorInfo(
            "fla", "Azawad Liberation Front", "armed_group", aliases=("FLA",), discovered=True
        ),
        ActorInfo("mali", "Mali", "state", demonyms=("Malian",), country="ML"),
        ActorInfo("mali-junta", "Malian junta", "government", country="ML", parent="mali"),
        ActorInfo("russia", "Russia", "state", demonyms=("Russian",), country="RU"),
        ActorInfo(
            "africa-corps",
            "Africa Corps",
            "military",
            country="RU",
            parent="russia",
            former_names=("Wagner Group", "Wagner"),
        ),
        ActorInfo("united-states", "United States", "state", aliases=("US", "USA"), country="US"),
        ActorInfo("cuba", "Cuba", "state", country="CU"),
        ActorInfo("iran", "Iran", "state", country="IR"),
        ActorInfo("israel", "Israel", "state", country="IL"),
        ActorInfo("eu", "European Union", "organisation", aliases=("EU",)),
        ActorInfo("ukraine", "Ukraine", "state", country="UA"),
    )
}
_SURFACES: list[tuple[str, str]] = sorted(
    ((surface, a.id) for a in ACTORS.values() for surface in (a.name, *a.aliases, *a.former_names)),
    key=lambda item: -len(item[0]),
)
_ACTOR_RE = re.compile(r"\b(" + "|".join(re.escape(s) for s, _ in _SURFACES) + r")\b")
_BY_SURFACE = dict(_SURFACES)
_TRIGGERS = {
    "offensive": "assault",
    "attacked": "assault",
    "siege": "coerce",
    "blockade": "coerce",
    "sanctions": "sanction",
    "threatened": "threaten",
    "alleged": "accuse",
    "armed": "aid",
    "withdrawing": "withdraw",
    "withdrew": "withdraw",
    "agreed": "cooperate",
    "bombed": "assault",
}
_TRIGGER_RE = re.compile(r"\b(" + "|".join(_TRIGGERS) + r")\b")
_MONTHS = "January February March April May June July August September October November December"
_DAY_RE = re.compile(r"\bOn (" + "|".join(_MONTHS.split()) + r") (\d{1,2})\b")
_DECADE_RE = re.compile(r"\bin the (\d{3}0)s\b")


def analyse(article: Article) -> Analysis:
    """A deterministic stand-in for the core analysis (actors by name, events by trigger)."""
    sentences = split_sentences(article)
    found: dict[str, list[Mention]] = {}
    events: list[Event] = []
    ref = article.reference_date or NOW.date()
    for s in sentences:
        in_sentence: list[str] = []
        for m in _ACTOR_RE.finditer(s.text):
            actor_id = _BY_SURFACE[m.group(1)]
            start = s.start + m.start()
            found.setdefault(actor_id, []).append(
                Mention(actor_id, m.group(1), start, start + len(m.group(1)), s.index)
            )
            if actor_id not in in_sentence:
                in_sentence.append(actor_id)
        trigger = _TRIGGER_RE.search(s.text)
        if trigger is None or s.kind == "title":
            continue
        when: EventDate | None = None
        day = _DAY_RE.search(s.text)
        decade = _DECADE_RE.search(s.text)
        if day:
            month = _MONTHS.split().index(day.group(1)) + 1
            when = EventDate(f"{ref.year}-{month:02d}-{int(day.group(2)):02d}", "day", day.group(0))
        elif decade:
            when = EventDate(f"{decade.group(1)}s", "decade", decade.group(0))
        alleged = trigger.group(1) == "alleged"
        events.append(
            Event(
                sentence=s.index,
                text=s.text,
                type=_TRIGGERS[trigger.group(1)],  # type: ignore[arg-type]
                trigger=trigger.group(1),
                actors=tuple(in_sentence[:1]),
                recipients=tuple(in_sentence[1:]),
                date=when,
                location="Bamako" if "Bamako" in s.text else None,
                attribution=s.text.split(" alleged")[0] if alleged else None,
                attribution_actor=in_sentence[0] if alleged and in_sentence else None,
                modality="alleged" if alleged else "reported",
            )
        )
    total = sum(len(v) for v in found.values()) or 1
    actors = tuple(
        sorted(
            (
                ArticleActor(ACTORS[actor_id], tuple(ms), round(len(ms) / total, 4))
                for actor_id, ms in found.items()
            ),
            key=lambda a: (-a.salience, a.id),
        )
    )
    body = [s for s in sentences if s.section >= 0][:3]
    summary = Summary(
        tldr=article.title + (f" — {article.subtitle}" if article.subtitle else ""),
        key_points=tuple(KeyPoint(s.text, s.index) for s in body),
    )
    return Analysis(article, sentences, actors, tuple(events), summary)


def make_article(
    title: str,
    paragraphs: Sequence[str],
    *,
    id: str | None = None,
    url: str | None = None,
    source: str | None = None,
    subtitle: str | None = None,
    published: date | None = date(2026, 4, 27),
    fetched: datetime = NOW,
    bullets: Sequence[str] = (),
) -> Article:
    """An article from its parts (one "Details" section, then bullets)."""
    parts = [("paragraph", p) for p in paragraphs] + [("bullet", b) for b in bullets]
    return build_article(
        title,
        subtitle,
        [("Details", parts)],
        id=id,
        url=url,
        source=source,
        published=published,
        fetched=fetched,
    )


def make_analysis(
    title: str,
    paragraphs: Sequence[str] = (),
    *,
    salience: Mapping[str, float] | None = None,
    **kwargs: object,
) -> Analysis:
    """An analysed article (see :func:`make_article`).

    With ``salience`` its actors are exactly those, with those scores, and it has no events
    or key points: the notifier and the scheduler decide on these numbers, so pinning them
    keeps their tests still when the stand-in analysis changes.
    """
    analysis = analyse(make_article(title, paragraphs, **kwargs))  # type: ignore[arg-type]
    if salience is None:
        return analysis
    pinned = sorted(salience.items(), key=lambda kv: -kv[1])
    names = {actor_id: ACTORS[actor_id].name for actor_id, _ in pinned}
    actors = tuple(
        ArticleActor(ACTORS[i], (Mention(i, names[i], 0, len(names[i]), 0),), value)
        for i, value in pinned
    )
    return replace(analysis, actors=actors, events=(), summary=Summary(title, ()))


MALI = [
    "On April 25, JNIM and the Azawad Liberation Front launched a major offensive against "
    "the Malian junta in Mali.",
    "The rebels declared a total siege of Bamako.",
    "The Russian Ministry of Defence alleged that Ukraine and the EU backed the offensive.",
    "Africa Corps is now withdrawing from some areas of Mali.",
    "The United States armed al-Qaeda in the 2010s, Russia said.",
    "The United States imposed a blockade on Cuba's energy imports.",
]

_OTHER = (
    "Analysts say the balance of power in the region has shifted over the past year.",
    "Prices of staple goods have risen sharply in markets across the country.",
    "Diplomats describe the mood as tense but not yet desperate.",
)
_TEMPLATES = (
    "On {month} {day}, {a} attacked positions held by {b} near {place}.",
    "{a} threatened new sanctions on {b}.",
    "{a} and {b} agreed to a ceasefire in {place}.",
    "{a} alleged that {b} had supplied drones to fighters in {place}.",
    "{a} declared a siege of {place}, cutting routes used by {b}.",
    "{a} withdrew its troops from {place}.",
)
_NAMES = ("JNIM", "Mali", "Russia", "Africa Corps", "the United States", "Iran", "Israel", "Cuba")
_PLACES = ("Bamako", "Gao", "Kidal", "Timbuktu", "Havana", "Tehran")


def synthetic(count: int, *, seed: int = 5, words: int = 350) -> list[tuple[str, str]]:
    """``count`` reference-sized articles as (name, text) in the reference text format."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        a, b = rng.sample(_NAMES, 2)
        lines = [f"{a} steps up pressure on {b} (report {i})", f"A dispatch numbered {i}."]
        total = 12
        section = 0
        while total < words:
            sentences = []
            for _ in range(rng.randint(3, 5)):
                if rng.random() < 0.25:
                    sentences.append(rng.choice(_OTHER))
                    continue
                x, y = rng.sample(_NAMES, 2)
                text = rng.choice(_TEMPLATES).format(
                    a=x,
                    b=y,
                    place=rng.choice(_PLACES),
                    month=rng.choice(_MONTHS.split()),
                    day=rng.randint(1, 28),
                )
                sentences.append(text[0].upper() + text[1:])
            label = ("Details. ", "Context. ", "► ")[min(section, 2)]
            para = " ".join(sentences)
            lines.append(label + para)
            total += len(para.split())
            section += 1
        out.append((f"story-{i:04d}.txt", "\n".join(lines) + "\n"))
    return out
