"""Events: who did what to whom, when, where and who says so — sentence by sentence.

In the spirit of the TABARI/PETRARCH coders: a dictionary of verb patterns
(``data/verbs.toml``, :mod:`briefings.verbs`) decides the type, a shallow parse
(:mod:`briefings.frames`) finds who acts and who receives, and the actor finder's mentions
say which actor each name is. Pronouns and descriptors resolve by the rule documented in
:mod:`briefings.referents`.

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
from functools import cache

from briefings.dates import find_dates
from briefings.frames import Frame, Node, SentenceParser
from briefings.model import (
    ActorFindings,
    ActorInfo,
    Article,
    Event,
    EventDate,
    PlaceMention,
    Sentence,
)
from briefings.referents import Referents
from briefings.verbs import Lexicon, Tag, normalise

_CONTINUES = re.compile(
    r"^[\"“‘']?(?:It|They|He|She|This|These|Then|Later|Afterwards|Subsequently|Shortly after"
    r"|The (?:[a-z-]+ )?(?:attack|attacks|offensive|assault|strike|strikes|missile|bombing|raid"
    r"|fighting|rebels|militants|group|insurgents|fighters|army|troops|soldiers|operation|siege|blast"
    r"|explosion|ambush|kidnapping|hijacking|incident|clashes))\b"
)
_PLACE_RANK = {"city": 0, "region": 1, "other": 2, "country": 3}
_CAPITAL_PLACE = re.compile(
    r"\b(?:in|at|near|outside|inside)\s+(?:the\s+)?((?:[A-Z][\w'’-]*)(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*)"
)
_PARENS = re.compile(r"\([^()]*\)")
_QUALIFIER = re.compile(r"\s*(?:group\s*)?")
_QUOTE_OPEN = ("“", '"', "‘")


class EventExtractor:
    """Extracts events from analysed sentences; build once and reuse.

    Args:
        lexicon: the verb-pattern dictionary; the bundled one when omitted.
    """

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else Lexicon.default()
        self.parser = SentenceParser(self.lexicon.determiners)

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
        self.info: dict[str, ActorInfo] = {a.id: a.actor for a in findings.actors}
        self.mentions = sorted(
            (m for m in findings.mentions if m.actor_id in self.info), key=lambda m: m.start
        )
        self.mention_starts = [m.start for m in self.mentions]
        self.places = sorted(findings.places, key=lambda p: p.start)
        self.place_starts = [p.start for p in self.places]
        self.parens = [(m.start(), m.end()) for m in _PARENS.finditer(text)]
        blocked = [(m.start, m.end) for m in self.mentions]
        blocked += [(d[0], d[1]) for d in self.dates]
        blocked += [(p.start, p.end) for p in self.places]
        blocked += self.parens
        blocked.sort()
        self.tags = _unblocked(self.x.lexicon.tag_normalised(norm), blocked)
        self.tag_starts = [t[0] for t in self.tags]
        self.referents = Referents(findings, sentences)
        self.events: list[Event] = []

    def run(self) -> tuple[Event, ...]:
        quote_speaker: tuple[list[str], int] | None = None
        previous: Sentence | None = None
        for sentence in self.sentences:
            if sentence.kind in ("title", "subtitle"):
                continue
            frames = self._frames(sentence)
            if quote_speaker is not None and self._opens_quote(sentence, previous):
                self._quoted(frames, quote_speaker[0], sentence)
            made = self._events(sentence, frames, previous)
            quote_speaker = None
            if sentence.text.rstrip().endswith(":"):
                speakers = [e for e in made if e.attribution_actor]
                if speakers:
                    quote_speaker = ([speakers[-1].attribution_actor or ""], sentence.block)
            previous = sentence
        return tuple(self.events)

    # ------------------------------------------------------------------ nodes

    def _frames(self, sentence: Sentence) -> list[Frame]:
        s0, s1 = sentence.start, sentence.end
        i = bisect_left(self.tag_starts, s0)
        tags: list[Tag] = []
        while i < len(self.tags) and self.tags[i][0] < s1:
            tags.append(self.tags[i])
            i += 1
        nodes: list[Node] = []
        j = bisect_left(self.mention_starts, s0)
        while j < len(self.mentions) and self.mentions[j].start < s1:
            m = self.mentions[j]
            j += 1
            if self._in_parens(m.start):
                continue
            if nodes and nodes[-1][2] == (m.actor_id,) and m.start - nodes[-1][1] <= 1:
                nodes[-1] = (nodes[-1][0], m.end, nodes[-1][2], None)
                continue
            nodes.append((m.start, m.end, (m.actor_id,), None))
        refs: list[Node] = [(t[0], t[1], (), t[2].refer) for t in tags if t[2].refer]
        if refs:
            nodes = _merge_refs(self.text, nodes, refs)
        return self.x.parser.parse(self.text, (s0, s1), tags, nodes)

    def _in_parens(self, pos: int) -> bool:
        return any(a < pos < b for a, b in self.parens)

    def _resolve(self, nodes: Sequence[Node], frame: Frame) -> list[str]:
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
            elif frame.speech and not frame.passive:
                attribution = self._speaker_text(frame)
            if frame.speech and not actors and not recipients and attribution is None:
                continue
            event = Event(
                sentence=sentence.index,
                text=sentence.text,
                type=type_,
                trigger=self.text[frame.start : frame.end] or frame.lemma,
                actors=tuple(actors),
                recipients=tuple(recipients),
                date=self._date(frame, sentence, previous, frames),
                location=self._location(frame, sentence),
                attribution=attribution,
                attribution_actor=attribution_actor,
                modality=frame.modality,
            )
            if _duplicate(event, made):
                continue
            made.append(event)
            self.referents.note_event(event.actors, event.recipients)
        self.events.extend(made)
        return made

    def _speaker_text(self, frame: Frame) -> str | None:
        words = self.text[frame.clause[0] : frame.start].strip(' ,;:–—"“”').split()
        while words and (words[0][0].isdigit() or words[0].lower() in ("on", "in", "and", "but")):
            words.pop(0)
        phrase = " ".join(words)
        return phrase if 0 < len(words) <= 8 and phrase[0].isupper() else None

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
        self, frame: Frame, sentence: Sentence, previous: Sentence | None, frames: list[Frame]
    ) -> EventDate | None:
        own = self._dates_in(sentence.start, sentence.end)
        if own:
            cs, ce = frame.clause
            in_clause = [d for d in own if cs <= d[0] < ce]
            if not in_clause:
                # A date in another event's clause belongs to that event.
                in_clause = [
                    d
                    for d in own
                    if not any(f.clause[0] <= d[0] < f.clause[1] for f in frames if f is not frame)
                ]
            if in_clause:
                best = min(in_clause, key=lambda d: abs(d[0] - frame.start))
                return best[2]
            return self._today() if frame.present else None
        if frame.present:
            return self._today()
        if (
            previous is not None
            and previous.block == sentence.block
            and _CONTINUES.match(sentence.text)
        ):
            earlier = self._dates_in(previous.start, previous.end)
            if earlier:
                return earlier[-1][2]
        return None

    def _today(self) -> EventDate | None:
        ref = self.article.reference_date
        return EventDate(ref.isoformat(), "day") if ref is not None else None

    def _dates_in(self, a: int, b: int) -> list[tuple[int, int, EventDate]]:
        i = bisect_left(self.date_starts, a)
        out = []
        while i < len(self.dates) and self.dates[i][0] < b:
            out.append(self.dates[i])
            i += 1
        return out

    def _location(self, frame: Frame, sentence: Sentence) -> str | None:
        cs, ce = frame.clause
        for a, b in ((cs, ce), (sentence.start, sentence.end)):
            found = self._places_in(a, b)
            if found:
                best = min(
                    found, key=lambda p: (_PLACE_RANK.get(p.kind, 2), abs(p.start - frame.start))
                )
                return best.name
        for m in _CAPITAL_PLACE.finditer(self.text, cs, ce):
            j = bisect_left(self.mention_starts, m.start(1))
            if j < len(self.mentions) and self.mentions[j].start < m.end(1):
                continue
            return m.group(1)
        return None

    def _places_in(self, a: int, b: int) -> list[PlaceMention]:
        i = bisect_left(self.place_starts, a)
        out = []
        while i < len(self.places) and self.places[i].start < b:
            out.append(self.places[i])
            i += 1
        return out


def _unblocked(tags: list[Tag], blocked: list[tuple[int, int]]) -> list[Tag]:
    """The tags that overlap no blocked span (actor names, places, dates, parentheses)."""
    if not blocked:
        return tags
    out: list[Tag] = []
    k = 0
    for tag in tags:
        while k < len(blocked) and blocked[k][1] <= tag[0]:
            k += 1
        clash = False
        j = k
        while j < len(blocked) and blocked[j][0] < tag[1]:
            if blocked[j][1] > tag[0]:
                clash = True
                break
            j += 1
        if not clash:
            out.append(tag)
    return out


def _merge_refs(text: str, nodes: list[Node], refs: list[Node]) -> list[Node]:
    """Add reference nodes, except those that only qualify a name next to them
    ("Houthi rebels", "jihadist group JNIM", "Russian troops")."""
    kept = list(nodes)
    for ref in refs:
        qualifies = False
        for node in nodes:
            before = 0 <= ref[0] - node[1] <= 2 and not text[node[1] : ref[0]].strip(" -")
            after = 0 <= node[0] - ref[1] <= 8 and _QUALIFIER.fullmatch(text, ref[1], node[0])
            if before or after:
                qualifies = True
        if not qualifies:
            kept.append(ref)
    kept.sort()
    return kept


def _duplicate(event: Event, made: list[Event]) -> bool:
    """Whether an event of the same sentence already says as much (or more)."""
    for i, other in enumerate(made):
        if (
            other.type != event.type
            or other.actors != event.actors
            or other.modality != event.modality
            or other.date != event.date
        ):
            continue
        if set(event.recipients) <= set(other.recipients):
            return True
        if set(other.recipients) <= set(event.recipients):
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
