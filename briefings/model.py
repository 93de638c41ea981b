"""The neutral data model of the core: articles, sentences, actors, events and summaries."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

BlockKind = Literal["title", "subtitle", "paragraph", "bullet"]
ActorType = Literal[
    "state", "government", "military", "armed_group", "organisation", "company", "person", "other"
]
EventType = Literal[
    "assault",
    "coerce",
    "sanction",
    "threaten",
    "accuse",
    "aid",
    "withdraw",
    "cooperate",
    "consult",
    "protest",
    "statement",
    "other",
]
Modality = Literal["reported", "alleged", "claimed", "threatened", "planned", "possible"]
DatePrecision = Literal["day", "month", "year", "decade", "range"]
MentionKind = Literal["name", "alias", "acronym", "demonym", "metonym", "descriptor", "reference"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Block:
    """One line of an article: its title, its dek, a paragraph or a bullet.

    ``start`` is the offset of ``text`` in :attr:`Article.text`; ``section`` indexes
    :attr:`Article.sections` (-1 for the title and the subtitle).
    """

    kind: BlockKind
    text: str
    start: int
    section: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True, slots=True)
class Section:
    """A labelled part of an article ("Details", "Context", or no label) and its blocks."""

    label: str | None
    blocks: tuple[Block, ...]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "paragraph")

    @property
    def bullets(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "bullet")


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article.

    ``text`` is the canonical text: every block on its own line, title first. All
    offsets in the core (blocks, sentences, mentions) point into it.
    """

    id: str
    title: str
    subtitle: str | None
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]
    text: str
    source: str | None = None
    url: str | None = None
    published: date | None = None
    fetched: datetime | None = None
    language: str | None = None
    format: str = "text"
    notes: tuple[str, ...] = ()
    """Warnings from parsing a user should see (e.g. "invalid UTF-8 replaced")."""
    byline: str | None = None
    """Who the byline says wrote it ("Jane Roe" from "By Jane Roe, Secretary of State")."""

    @property
    def reference_date(self) -> date | None:
        """The date relative expressions resolve against: publication, else ingestion."""
        if self.published is not None:
            return self.published
        return self.fetched.date() if self.fetched is not None else None

    @property
    def body_blocks(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.section >= 0)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def fingerprint(self) -> str:
        """A content hash that ignores case, whitespace and punctuation: same story, same print."""
        words = " ".join(_WORD.findall(self.text.casefold()))
        return hashlib.blake2b(words.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its offsets in :attr:`Article.text` and the block it lies in."""

    index: int
    text: str
    start: int
    end: int
    block: int
    section: int
    kind: BlockKind


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an actor: exact surface, span in :attr:`Article.text`, sentence."""

    actor_id: str
    surface: str
    start: int
    end: int
    sentence: int
    kind: MentionKind = "name"


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in the text (a location, not an actor), with its span and sentence."""

    name: str
    surface: str
    start: int
    end: int
    sentence: int
    country: str | None = None
    kind: Literal["country", "city", "region", "other"] = "other"


@dataclass(frozen=True, slots=True)
class ActorInfo:
    """An actor as the gazetteer (or discovery) knows it."""

    id: str
    name: str
    type: ActorType
    aliases: tuple[str, ...] = ()
    country: str | None = None
    demonyms: tuple[str, ...] = ()
    parent: str | None = None
    former_names: tuple[str, ...] = ()
    description: str | None = None
    discovered: bool = False


@dataclass(frozen=True, slots=True)
class ArticleActor:
    """An actor found in one article: who, how it was named there, and how central it is."""

    actor: ActorInfo
    mentions: tuple[Mention, ...]
    salience: float
    linked_aliases: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.actor.id

    @property
    def name(self) -> str:
        return self.actor.name


@dataclass(frozen=True, slots=True)
class ActorFindings:
    """What actor matching found in one article.

    ``actors`` are the article's actors by descending salience; ``mentions`` every mention
    of them by offset (including pronoun-free references such as demonyms and metonyms);
    ``places`` the places named as geography (a state named only as a place is here, not
    in ``actors``).
    """

    actors: tuple[ArticleActor, ...]
    mentions: tuple[Mention, ...]
    places: tuple[PlaceMention, ...]


@dataclass(frozen=True, slots=True)
class EventDate:
    """A resolved date: ISO text (``2026-04-25``, ``2026-04``, ``2026``, ``2010s``,
    ``2024-10/2026-04``) and its precision."""

    value: str
    precision: DatePrecision
    surface: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, when, where, and who says so — from one sentence."""

    sentence: int
    text: str
    type: EventType
    trigger: str
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    date: EventDate | None
    location: str | None
    attribution: str | None
    attribution_actor: str | None
    modality: Modality


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """A key point and the sentence it comes from."""

    text: str
    sentence: int


@dataclass(frozen=True, slots=True)
class Summary:
    """An extractive summary: TL;DR plus ranked key points."""

    tldr: str
    key_points: tuple[KeyPoint, ...]
    preset: str = "standard"


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the core learns from one article."""

    article: Article
    sentences: tuple[Sentence, ...]
    actors: tuple[ArticleActor, ...]
    events: tuple[Event, ...]
    summary: Summary
    places: tuple[PlaceMention, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    """Stages of the analysis that failed on this article (the rest is still here)."""

    def actor(self, actor_id: str) -> ArticleActor | None:
        for a in self.actors:
            if a.id == actor_id:
                return a
        return None
