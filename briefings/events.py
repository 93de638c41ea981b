"""Events: who did what to whom, when, where and who says so — sentence by sentence.

In the spirit of the TABARI/PETRARCH coders: a dictionary of verb patterns
(``data/verbs.toml``, :mod:`briefings.verbs`) decides the type, a shallow parse
(:mod:`briefings.parser`, :mod:`briefings.speech`) finds who acts and who receives, and
the actor finder's mentions say which actor each name is. Pronouns and descriptors
resolve by the rule documented in :mod:`briefings.referents`.

Dates (:mod:`briefings.dates`): an event takes the date nearest its trigger within its
clause, else the nearest in its sentence. An event in the present tense ("is
withdrawing", "condemns") with no date in its sentence happens at the reference date. An
event with no date may inherit the last date of the preceding sentence when both sit in
the same paragraph and the sentence plainly continues it: it opens with a pronoun ("They",
"It"), a back-reference ("The attack", "The rebels") or a time connective ("Then",
"Later"). Otherwise the date is null.

Location: the most specific place (city, then region, then other, then country) named in
the event's clause, else in its sentence, else a capitalised name after "in", "at" or
"near" in the clause.

Attribution: the speaker of a speech verb ("X alleged that ...", "according to X") for the
statement itself and for everything it reports, with the verb's modality (alleged,
claimed; else reported). A quoted paragraph right after "X said:" is X's.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from operator import attrgetter

from briefings.clauses import ArticleIndex, Node, SentenceView
from briefings.dates import find_dates
from briefings.frames import Frame
from briefings.model import (
    ActorFindings,
    ActorInfo,
    Article,
    Event,
    EventDate,
    PlaceMention,
    Sentence,
)
from briefings.parser import SentenceParser
from briefings.referents import Referents
from briefings.verbs import FLAGS, Lexicon, Tag, normalise

_CONTINUES = re.compile(
    r"^[\"“‘']?(?:It|They|He|She|This|These|Then|Later|Afterwards|Subsequently|Shortly after"
    r"|The (?:[a-z-]+ )?(?:attack|attacks|offensive|assault|strike|strikes|missile|bombing|raid"
    r"|fighting|rebels|militants|group|insurgents|fighters|army|troops|soldiers|operation|siege|blast"
    r"|explosion|ambush|kidnapping|hijacking|incident|clashes))\b"
)
_START = attrgetter("start")
_ACCORDING = FLAGS["according"]
_PLACE_RANK = {"city": 0, "region": 1, "other": 2, "country": 3}
# After "in", "at", "near": a capitalised name ("in the Catatumbo region" is not one).
_CAPITAL_PLACE = re.compile(r"(?:the\s+)?((?:[A-Z][\w'’-]*)(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*)")
_NOT_PLACES = frozenset(
    {"January", "February", "March", "April", "May", "June", "July", "August", "September"}
    | {"October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday"}
    | {"Friday", "Saturday", "Sunday", "The", "A", "An", "This", "That", "Its", "Their"}
)
# "his forces", "their fighters": someone's troops, not a reference to a named actor.
_OWNED = re.compile(r"\b(his|her|its|their|our|my|your)\s+$", re.IGNORECASE)
_OWNERS = {"its": "thing", "their": "group", "his": "person", "her": "person"}
_PARENS = re.compile(r"\([^()]*\)")
_QUALIFIER = re.compile(r"\s*(?:group\s*)?")
_QUOTE_OPEN = ("“", '"', "‘")
_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "you", "who", "which", "that"})
# A ", which ...," aside: a date inside it belongs to the aside's events only.
_ASIDE = re.compile(r",\s+(?:which|who)\b[^,;]*(?:,|$)")
# "by 1 January 2024": a deadline, not when the event happened.
_DEADLINE = re.compile(r"\b(?:by|until|till|before|no later than)\s+(?:the\s+)?(?:end\s+of\s+)?$")


class EventExtractor:
    """Extracts events from analysed sentences; build once and reuse.

    Args:
        lexicon: the verb-pattern dictionary; the bundled one when omitted.
    """

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else Lexicon.default()
        self.parser = SentenceParser()

    def extract(
        self, article: Article, sentences: Sequence[Sentence], findings: ActorFindings
    ) -> tuple[Event, ...]:
        """The events of one article, in text order (see :func:`extract_events`)."""
        return _Run(self, article, sentences, findings).run()


class _Run:
    """One article's extraction: shared tags, dates, spans and reference history."""

    def __init__(
        self,
        extractor: EventExtractor,
        article: Article,
        sentences: Sequence[Sentence],
        findings: ActorFindings,
    ) -> None:
        self.x = extractor
        self.article = article
        self.text = text = article.text
        self.sentences = sentences
        norm = normalise(text)
        self.dates = find_dates(text, article.reference_date, normalised=norm)
        self.date_starts = [d[0] for d in self.dates]
        # "by 1 January 2024": a deadline, not when the event happened.
        self.deadlines = {
            d[0] for d in self.dates if _DEADLINE.search(text, max(0, d[0] - 30), d[0])
        }
        ref = article.reference_date
        self.today = EventDate(ref.isoformat(), "day") if ref is not None else None
        self.info: dict[str, ActorInfo] = {a.actor.id: a.actor for a in findings.actors}
        info = self.info
        self.mentions = [m for m in findings.mentions if m.actor_id in info]
        self.mentions.sort(key=_START)
        self.mention_starts = [m.start for m in self.mentions]
        self.places = sorted(findings.places, key=_START)
        self.place_starts = [p.start for p in self.places]
        self.parens = [(m.start(), m.end()) for m in _PARENS.finditer(text)] if "(" in text else []
        self.paren_starts = [p[0] for p in self.parens]
        blocked = [(m.start, m.end) for m in self.mentions]
        blocked += [(d[0], d[1]) for d in self.dates]
        blocked += [(p.start, p.end) for p in self.places]
        blocked += self.parens
        blocked.sort()
        tags = self.x.lexicon.tag_normalised(_masked(norm, blocked))
        self.index = ArticleIndex(
            text,
            tags,
            self._nodes(tags),
            self.x.lexicon.determiners,
            self.x.lexicon.prepositions,
        )
        self.trigger_starts = [
            t[0] for t in tags if t[2].is_verb or t[2].is_noun or t[2].flags & _ACCORDING
        ]
        self.referents = Referents(findings, sentences, mentions=self.mentions)
        self.events: list[Event] = []

    def _nodes(self, tags: list[Tag]) -> list[Node]:
        """Actor nodes (mentions outside parentheses, one per name) and reference nodes."""
        nodes: list[Node] = []
        parens = self.parens
        for m in self.mentions:
            if parens and self._in_parens(m.start):
                continue
            if nodes and nodes[-1][2] == (m.actor_id,) and m.start - nodes[-1][1] <= 1:
                nodes[-1] = (nodes[-1][0], m.end, nodes[-1][2], None)
                continue
            nodes.append((m.start, m.end, (m.actor_id,), None))
        refs: list[Node] = []
        for start, end, entry in tags:
            if entry.refer:
                owner = _OWNED.search(self.text, max(0, start - 7), start)
                if owner is None:
                    refs.append((start, end, (), entry.refer))
                elif entry.refer in ("military", "armed") and owner.group(1).lower() in _OWNERS:
                    # "its forces", "their fighters": the owner's forces stand for the owner.
                    refs.append((owner.start(1), end, (), _OWNERS[owner.group(1).lower()]))
        return _merge_refs(self.text, nodes, refs) if refs else nodes

    def run(self) -> tuple[Event, ...]:
        quote_speaker: tuple[list[str], int] | None = None
        previous: Sentence | None = None
        for sentence in self.sentences:
            if sentence.kind in ("title", "subtitle"):
                continue
            frames = self._frames(sentence) if self._has_trigger(sentence) else []
            if quote_speaker is not None and self._opens_quote(sentence, previous):
                self._quoted(frames, quote_speaker[0], sentence)
            made = self._events(sentence, frames, previous) if frames else []
            quote_speaker = None
            if sentence.text.rstrip().endswith(":"):
                speakers = [e for e in made if e.attribution_actor]
                if speakers:
                    quote_speaker = ([speakers[-1].attribution_actor or ""], sentence.block)
            previous = sentence
        return tuple(self.events)

    # ------------------------------------------------------------------ nodes

    def _has_trigger(self, sentence: Sentence) -> bool:
        """Whether any event word or "according to" lies in the sentence (else no parse)."""
        starts = self.trigger_starts
        i = bisect_left(starts, sentence.start)
        return i < len(starts) and starts[i] < sentence.end

    def _frames(self, sentence: Sentence) -> list[Frame]:
        return self.x.parser.parse(SentenceView(self.index, (sentence.start, sentence.end)))

    def _in_parens(self, pos: int) -> bool:
        i = bisect_left(self.paren_starts, pos) - 1
        return i >= 0 and pos < self.parens[i][1]

    def _resolve(self, nodes: Sequence[Node], frame: Frame) -> list[str]:
        if not nodes:
            return []
        if len(nodes) == 1 and nodes[0][3] is None:
            return list(nodes[0][2])
        out: list[str] = []
        for start, _end, ids, klass in nodes:
            if klass is None:
                found = ids
            elif klass == "them":
                found = self.referents.resolve("them", start)
            elif klass == "tactic":
                found = ()
            elif klass == "government":
                found = self._government_near(start) or self.referents.resolve(klass, start)
            else:
                found = self.referents.resolve(klass, start)
            for actor_id in found:
                if actor_id not in out:
                    out.append(actor_id)
        return out

    def _government_near(self, pos: int) -> tuple[str, ...]:
        """ "the junta in Mali": the government of the state named right after it."""
        j = bisect_left(self.mention_starts, pos)
        if j < len(self.mentions):
            m = self.mentions[j]
            between = self.text[pos : m.start]
            if len(between) < 40 and re.search(r"\b(?:in|of)\s+(?:the\s+)?$", between):
                info = self.info.get(m.actor_id)
                if info is not None and info.type in ("state", "government"):
                    for actor_id, other in self.info.items():
                        if other.type == "government" and other.country == info.country:
                            return (actor_id,)
                    return (m.actor_id,)
        return ()

    # ------------------------------------------------------------------ events

    def _events(
        self, sentence: Sentence, frames: list[Frame], previous: Sentence | None
    ) -> list[Event]:
        made: list[Event] = []
        own_dates = self._dates_in(sentence.start, sentence.end)
        text = sentence.text
        asides = (
            [m.span() for m in _ASIDE.finditer(self.text, sentence.start, sentence.end)]
            if own_dates and (", which" in text or ", who" in text)
            else []
        )
        places = self._places_in(sentence.start, sentence.end)
        for frame in frames:
            actors = self._resolve(frame.actors, frame)
            recipients = [a for a in self._resolve(frame.recipients, frame) if a not in actors]
            type_ = frame.type
            if frame.copy_previous:
                source = next(
                    (e for e in reversed(self.events) if e.sentence != sentence.index), None
                )
                if source is None:
                    continue
                type_, actors = source.type, list(source.actors)
            speaker = self._resolve(frame.speaker, frame)
            attribution, attribution_actor = None, None
            if speaker:
                attribution_actor = speaker[0]
                attribution = " and ".join(self.info[a].name for a in speaker)
            elif frame.speaker_span is not None and not frame.passive:
                attribution = self._speaker_text(frame.speaker_span)
            if frame.speech and not actors and not recipients and not frame.reported:
                continue  # "Analysts say ...": an unnamed voice that reports no event
            event = Event(
                sentence=sentence.index,
                text=sentence.text,
                type=type_,
                trigger=self.text[frame.start : frame.end] or frame.lemma,
                actors=tuple(actors),
                recipients=tuple(recipients),
                date=self._date(frame, sentence, previous, own_dates, asides),
                location=self._location(frame, places, frames),
                attribution=attribution,
                attribution_actor=attribution_actor,
                modality=frame.modality,
            )
            if _duplicate(event, made):
                continue
            made.append(event)
            self.referents.note_event(
                event.actors, event.recipients, statement=event.type in ("statement", "accuse")
            )
        self.events.extend(made)
        return made

    def _speaker_text(self, span: tuple[int, int]) -> str | None:
        """A speaker named by no actor ("the army", "An American defense official")."""
        words = self.text[span[0] : span[1]].strip(' ,;:–—"“”').split()
        while words and (words[0][0].isdigit() or words[0].lower() in ("on", "in", "and", "but")):
            words.pop(0)
        phrase = " ".join(words)
        if not 0 < len(words) <= 8 or phrase.lower() in _PRONOUNS:
            return None
        return phrase

    def _opens_quote(self, sentence: Sentence, previous: Sentence | None) -> bool:
        return previous is not None and sentence.text.lstrip().startswith(_QUOTE_OPEN)

    def _quoted(self, frames: list[Frame], speaker: list[str], sentence: Sentence) -> None:
        node: Node = (-1, -1, tuple(speaker), None)
        for frame in frames:
            if not frame.speaker:
                frame.speaker = [node]
        if not any(f.speech for f in frames):
            frame = Frame(sentence.start, sentence.start, "statement", "quote")
            frame.actors = [node]
            frame.speaker = [node]
            frame.speech = True
            frame.clause = (sentence.start, sentence.end)
            frames.insert(0, frame)

    def _date(
        self,
        frame: Frame,
        sentence: Sentence,
        previous: Sentence | None,
        own: list[tuple[int, int, EventDate]],
        asides: list[tuple[int, int]],
    ) -> EventDate | None:
        if own:
            usable = own
            if asides:
                mine = [a for a in asides if a[0] <= frame.start < a[1]]
                usable = [
                    d
                    for d in own
                    if not any(a[0] <= d[0] < a[1] for a in asides if a not in mine)
                    and (not mine or mine[0][0] <= d[0] < mine[0][1])
                ]
            cs, ce = frame.clause
            deadlines = self.deadlines
            plain = [d for d in usable if d[0] not in deadlines]
            pools = [[d for d in plain if cs <= d[0] < ce]]
            if not frame.speech:  # a statement's date is its own, not what it reports
                pools += [plain, usable]
            for pool in pools:
                if pool:
                    return min(pool, key=lambda d: abs(d[0] - frame.start))[2]
            return self.today if frame.present else None
        if frame.present:
            return self.today
        if (
            previous is not None
            and previous.block == sentence.block
            and _CONTINUES.match(sentence.text)
        ):
            earlier = self._dates_in(previous.start, previous.end)
            if earlier:
                return earlier[-1][2]
        return None

    def _dates_in(self, a: int, b: int) -> list[tuple[int, int, EventDate]]:
        starts = self.date_starts
        return self.dates[bisect_left(starts, a) : bisect_left(starts, b)]

    def _location(
        self, frame: Frame, places: list[PlaceMention], frames: list[Frame]
    ) -> str | None:
        """The most specific place named in the event's clause, else in its sentence outside
        the other events' clauses, else a capitalised name after "in"/"at"/"near"."""
        cs, ce = frame.clause
        if places:
            found = [p for p in places if cs <= p.start < ce] or [
                p
                for p in places
                if not any(f.clause[0] <= p.start < f.clause[1] for f in frames if f is not frame)
            ]
            if found:
                start = frame.start
                best = min(found, key=lambda p: (_PLACE_RANK.get(p.kind, 2), abs(p.start - start)))
                return best.name
        text = self.text
        for word in (" in ", " at ", " near ", " outside ", " inside "):
            at = text.find(word, cs, ce)
            while at >= 0:
                m = _CAPITAL_PLACE.match(text, at + len(word), ce)
                if m is not None:
                    j = bisect_left(self.mention_starts, m.start(1))
                    inside = j < len(self.mentions) and self.mentions[j].start < m.end(1)
                    name = m.group(1)
                    if not inside and name not in _NOT_PLACES and not self._dates_in(*m.span(1)):
                        return name
                at = text.find(word, at + 1, ce)
        return None

    def _places_in(self, a: int, b: int) -> list[PlaceMention]:
        starts = self.place_starts
        return self.places[bisect_left(starts, a) : bisect_left(starts, b)]


def _masked(norm: str, blocked: list[tuple[int, int]]) -> str:
    """``norm`` with the blocked spans (actor names, places, dates, parentheses) blanked
    out with ``_``, so that no dictionary word is found inside them."""
    pieces: list[str] = []
    pos = 0
    for start, end in blocked:
        if end <= pos:
            continue
        cut = max(start, pos)
        pieces.append(norm[pos:cut])
        pieces.append("_" * (end - cut))
        pos = end
    pieces.append(norm[pos:])
    return "".join(pieces)


def _merge_refs(text: str, nodes: list[Node], refs: list[Node]) -> list[Node]:
    """Add reference nodes, except those that only qualify a name next to them
    ("Houthi rebels", "Prigozhin's forces", "jihadist group JNIM")."""
    starts = [n[0] for n in nodes]
    kept = list(nodes)
    for ref in refs:
        i = bisect_left(starts, ref[0])
        before = nodes[i - 1] if i else None
        after = nodes[i] if i < len(nodes) else None
        qualifies = (
            before is not None
            and 0 <= ref[0] - before[1] <= 3
            and not text[before[1] : ref[0]].strip(" -'’s")
        ) or (
            after is not None
            and 0 <= after[0] - ref[1] <= 8
            and _QUALIFIER.fullmatch(text, ref[1], after[0]) is not None
        )
        if not qualifies:
            kept.append(ref)
    kept.sort()
    return kept


def _duplicate(event: Event, made: list[Event]) -> bool:
    """Whether an event of the same sentence already says as much (or more): the same
    type, actors, modality and date, and no new recipient. The one kept takes the other's
    place when it names none ("drones at Ukraine ..., killing three in Kharkiv")."""
    for i, other in enumerate(made):
        if (
            other.type != event.type
            or other.actors != event.actors
            or other.modality != event.modality
            or other.date != event.date
        ):
            continue
        if set(event.recipients) <= set(other.recipients):
            if other.location is None and event.location is not None:
                made[i] = replace(other, location=event.location)
            return True
        if set(other.recipients) <= set(event.recipients):
            if event.location is None and other.location is not None:
                event = replace(event, location=other.location)
            made[i] = event
            return True
    return False


@cache
def _default_extractor() -> EventExtractor:
    return EventExtractor()


def extract_events(
    article: Article, sentences: Sequence[Sentence], findings: ActorFindings
) -> tuple[Event, ...]:
    """The events the article reports, in text order.

    Args:
        article: the parsed article (its text and reference date).
        sentences: its sentences with offsets (titles and deks yield no events).
        findings: the actors, mentions and places the actor finder found in it.
    """
    return _default_extractor().extract(article, sentences, findings)
