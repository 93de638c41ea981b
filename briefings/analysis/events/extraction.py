"""Events: who did what to whom, when, where and who says so — sentence by sentence.

In the spirit of the TABARI/PETRARCH coders: a dictionary of verb patterns
(``data/verbs.toml``, :mod:`briefings.analysis.events.tagging`) decides the type, a shallow parse
(:mod:`briefings.analysis.events.roles`, :mod:`briefings.analysis.events.attribution`) finds
who acts and who receives, and
the actor finder's mentions say which actor each name is. Pronouns and descriptors
resolve by the rule documented in :mod:`briefings.analysis.actors.coreference`.

Dates (:mod:`briefings.analysis.events.temporal`): an event takes the date nearest its
trigger within its
clause, else the nearest in its sentence. An event in the present tense ("is
withdrawing", "condemns") with no date in its sentence happens at the reference date. An
event with no date may inherit the last date of the preceding sentence when both sit in
the same paragraph and the sentence plainly continues it: it opens with a pronoun ("They",
"It"), a back-reference ("The attack", "The rebels") or a time connective ("Then",
"Later"). Else a sentence that names an earlier event again ("condemned the attack",
"since the kidnapping") gives its events that event's date. Otherwise the date is null.

Location: the most specific place (city, then region, then other, then country) named in
the event's clause, else in its sentence, else a capitalised name after "in", "at" or
"near" in the clause.

A plain "said" whose speaker stands aside ("Air defence, X said, remains vital"; "'...,' he
said.") and that reports no event and names no addressee is a view, not an event; so is a
plain statement by the actor of the event it reports ("X announced it will send tanks"),
which that event carries as its source.

Attribution: the speaker of a speech verb ("X alleged that ...", "according to X") for the
statement itself and for everything it reports, with the verb's modality (alleged,
claimed; else reported). A quoted paragraph right after "X said:" is X's.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache
from itertools import compress
from operator import attrgetter, itemgetter

from briefings.analysis.actors.coreference import Referents
from briefings.analysis.events.clauses import SentenceView
from briefings.analysis.events.frames import Frame
from briefings.analysis.events.roles import SentenceParser
from briefings.analysis.events.tagging import FLAGS, EventDictionary
from briefings.analysis.events.tags import ArticleIndex, Node, actor_nodes, masked
from briefings.analysis.events.temporal import find_dates, qualifies_noun
from briefings.model import (
    ActorFindings,
    ActorInfo,
    Article,
    Event,
    EventDate,
    PlaceMention,
    Sentence,
)
from briefings.text.folding import lower_in_place

_CONTINUES = re.compile(
    r"^[\"“‘']?(?:It|They|He|She|This|These|Then|Later|Afterwards|Subsequently|Shortly after"
    r"|The (?:[a-z-]+ )?(?:attack|attacks|offensive|assault|strike|strikes|missile|bombing|raid"
    r"|fighting|rebels|militants|group|insurgents|fighters|army|troops|soldiers|operation|siege|blast"
    r"|explosion|ambush|kidnapping|hijacking|incident|clashes))\b"
)
# A speaker named amid or after what is said: "..., X said" / "..., he said".
_AN_ASIDE = re.compile(r"[,”\"]\s*(?:[A-Z][\w.'’-]*|he|she|they|it)(?:\s+[A-Z][\w.'’-]*){0,3}\s*$")
_FIRST_OF = itemgetter(0)
_START = attrgetter("start")
_SPAN = attrgetter("start", "end")
_ACTOR_ID = attrgetter("actor_id")
_FIRST = itemgetter(0)
_FIRST_TWO = itemgetter(0, 1)
_ACCORDING = FLAGS["according"]
_PLACE_RANK = {"city": 0, "region": 1, "other": 2, "country": 3}
_ROUTE = re.compile(
    r"(?:[-–]\w+)?\s+(?:road|highway|motorway|route|corridor|axis|railway|pipeline)s?\b",
    re.IGNORECASE,
)
"""A place naming a route ("the Dakar road", "the Bamako-Dakar corridor") is not where an
event happens."""
# After "in", "at", "near": a capitalised name ("in the Catatumbo region" is not one).
_CAPITAL_PLACE = re.compile(r"(?:the\s+)?((?:[A-Z][\w'’-]*)(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*)")
# Whether a sentence has any such name (see ``_Run._named_place``).
_NAMED_PLACE = re.compile(r" (?:in|at|near|outside|inside) (?:the\s+)?[A-Z]")
_NOT_PLACES = frozenset(
    {"January", "February", "March", "April", "May", "June", "July", "August", "September"}
    | {"October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday"}
    | {"Friday", "Saturday", "Sunday", "The", "A", "An", "This", "That", "Its", "Their"}
)
_IN_OF = re.compile(r"\b(?:in|of)\s+(?:the\s+)?$")
_PARENS = re.compile(r"\([^()]*\)")
_QUOTE_OPEN = ("“", '"', "‘")
_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "you", "who", "which", "that"})
# A ", which ...," aside: a date inside it belongs to the aside's events only.
_ASIDE = re.compile(r",\s+(?:which|who)\b[^,;]*(?:,|$)")
# "The offensive", "this attack": a definite event noun, maybe a back-reference.
_BACK_REFERENCE = re.compile(r"(?:^|[.;:]\s+|\b)(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]hese)\s+$")
# "the attack", "this offensive": an event noun named again.
_THE_EVENT = re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+([a-z]+)\b")
# "by 1 January 2024": a deadline, not when the event happened.
_DEADLINE = re.compile(r"\b(?:by|until|till|before|no later than)\s+(?:the\s+)?(?:end\s+of\s+)?$")


class EventExtractor:
    """Extracts events from analysed sentences; build once and reuse.

    Args:
        lexicon: the verb-pattern dictionary; the bundled one when omitted.
    """

    def __init__(self, lexicon: EventDictionary | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else EventDictionary.default()
        self.parser = SentenceParser()

    def extract(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        findings: ActorFindings,
        *,
        warnings: list[str] | None = None,
    ) -> tuple[Event, ...]:
        """The events of one article, in text order (see :func:`extract_events`)."""
        return _Run(self, article, sentences, findings).run(warnings)


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
        norm = lower_in_place(text)
        ref = article.reference_date
        self.dates = dates = find_dates(text, ref, normalised=norm)
        self.date_starts = list(map(_FIRST, dates))
        # "by 1 January 2024": a deadline, not when the event happened.
        self.deadlines = {d[0] for d in dates if _DEADLINE.search(text, max(0, d[0] - 30), d[0])}
        # "the 2024 election": a year that dates its noun, not the clause (unless alone).
        self.qualifiers = {
            d[0] for d in dates if d[2].precision == "year" and qualifies_noun(text, d[0], d[1])
        }
        self.today = EventDate(ref.isoformat(), "day") if ref is not None else None
        self.info: dict[str, ActorInfo] = {a.actor.id: a.actor for a in findings.actors}
        info = self.info
        found = findings.mentions
        self.mentions = mentions = list(
            compress(found, map(info.__contains__, map(_ACTOR_ID, found)))
        )
        mentions.sort(key=_START)
        self.mention_starts = list(map(_START, mentions))
        self.places = places = sorted(findings.places, key=_START)
        self.place_starts = list(map(_START, places))
        self.parens = [m.span() for m in _PARENS.finditer(text)] if "(" in text else []
        blocked = list(map(_SPAN, mentions))
        blocked += map(_FIRST_TWO, dates)
        blocked += map(_SPAN, places)
        blocked += self.parens
        blocked.sort()
        lexicon = extractor.lexicon
        self.index = index = ArticleIndex(
            text, masked(norm, blocked), lexicon, noun_contexts=lexicon.noun_contexts
        )
        index.add_nodes(actor_nodes(text, mentions, self.parens, index.references))
        if dates:  # "On March 6 JNIM attacked": the date ends the phrase "on" governs
            index.stops = sorted([*index.stops, *map(_FIRST_OF, dates)])
        self.trigger_starts = index.trigger_starts
        self.referents = Referents(findings, sentences, mentions=mentions, byline=article.byline)
        self.events: list[Event] = []
        self.triggers_seen: set[str] = set()
        """The lower-cased triggers of the events found so far (see ``_mentioned_again``)."""
        self.trigger_dates: dict[str, EventDate] = {}
        """The date of the first dated event of each lower-cased trigger (``_date_of_the``)."""
        self.type_dates: dict[str, EventDate] = {}
        """The date of the first dated event of each type (``_date_of_the``)."""
        self.entries = extractor.lexicon.entries

    def run(self, warnings: list[str] | None = None) -> tuple[Event, ...]:
        """Every sentence's events; a sentence whose rules raise is skipped with a warning
        (appended to ``warnings``; raised when that is None)."""
        quote_speaker: tuple[list[str], int] | None = None
        previous: Sentence | None = None
        triggers = self.trigger_starts
        n_triggers = len(triggers)
        index = self.index
        parse = self.x.parser.parse
        for sentence in self.sentences:
            if sentence.kind in ("title", "subtitle"):
                continue
            start, end = sentence.start, sentence.end
            # Parse only a sentence with an event word or "according to" in it.
            i = bisect_left(triggers, start)
            try:
                frames = (
                    parse(SentenceView(index, (start, end)))
                    if (i < n_triggers and triggers[i] < end)
                    else []
                )
                if quote_speaker is not None and self._opens_quote(sentence, previous):
                    self._quoted(frames, quote_speaker[0], sentence)
                made = self._events(sentence, frames, previous) if frames else []
            except Exception as exc:  # one sentence's failure must not cost the others
                if warnings is None:
                    raise
                warnings.append(
                    f"event extraction failed on sentence {sentence.index} "
                    f"({type(exc).__name__}: {exc}); its events are missing"
                )
                made = []
            quote_speaker = None
            if sentence.text.rstrip().endswith(":"):
                speakers = [e for e in made if e.attribution_actor]
                if speakers:
                    quote_speaker = ([speakers[-1].attribution_actor or ""], sentence.block)
                    # "X elaborated:" only introduces the quote, which is X's statement.
                    intro = [e for e in made if e.type == "statement" and not e.recipients]
                    if len(intro) == len(made):
                        del self.events[len(self.events) - len(made) :]
            previous = sentence
        return tuple(self.events)

    # ------------------------------------------------------------------ nodes

    def _resolve(self, nodes: Sequence[Node]) -> tuple[str, ...]:
        if len(nodes) == 1:
            if nodes[0][3] is None:
                return nodes[0][2]
        elif not nodes:
            return ()
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
        return tuple(out)

    def _government_near(self, pos: int) -> tuple[str, ...]:
        """ "the junta in Mali": the government of the state named right after it."""
        j = bisect_left(self.mention_starts, pos)
        if j < len(self.mentions):
            m = self.mentions[j]
            between = self.text[pos : m.start]
            if len(between) < 40 and _IN_OF.search(between):
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
        """The sentence's events. Each is built as a row of :class:`Event`'s fields after
        ``sentence`` and ``text`` (cheap to compare and update); the kept rows become
        events at the end."""
        made: list[list[object]] = []
        said: list[list[object]] = []  # plain statements that report an event
        spoken: list[list[object]] = []  # the other statements, accusations and denials
        s0, s1 = sentence.start, sentence.end
        starts = self.date_starts
        own_dates = self.dates[bisect_left(starts, s0) : bisect_left(starts, s1)] if starts else []
        text = sentence.text
        asides = (
            [m.span() for m in _ASIDE.finditer(self.text, s0, s1)]
            if own_dates and (", which" in text or ", who" in text)
            else []
        )
        starts = self.place_starts
        places = self.places[bisect_left(starts, s0) : bisect_left(starts, s1)] if starts else []
        resolve = self._resolve
        referents = self.referents
        inherited: EventDate | None = None  # the previous sentence's date, once looked up
        looked = False
        # Whether a capitalised name follows "in", "at"... anywhere in the sentence (else no
        # event of it finds its place that way); looked up once, when first needed.
        named: bool | None = None
        for frame in frames:
            nodes = frame.actors
            if not nodes:
                actors: tuple[str, ...] = ()
            elif len(nodes) == 1 and nodes[0][3] is None:
                actors = nodes[0][2]
            else:
                actors = resolve(nodes)
            nodes = frame.recipients
            if not nodes:
                recipients: tuple[str, ...] = ()
            else:
                if len(nodes) == 1 and nodes[0][3] is None:
                    recipients = nodes[0][2]
                else:
                    recipients = resolve(nodes)
                if recipients and actors:
                    recipients = tuple([a for a in recipients if a not in actors])
            type_ = frame.type
            if frame.copy_previous:
                source = next(
                    (e for e in reversed(self.events) if e.sentence != sentence.index), None
                )
                if source is None:
                    continue
                type_, actors = source.type, source.actors
            attribution, attribution_actor = None, None
            if frame.speaker:
                speaker = resolve(frame.speaker)
                if speaker:
                    attribution_actor = speaker[0]
                    info = self.info
                    attribution = (
                        info[speaker[0]].name
                        if len(speaker) == 1
                        else " and ".join(info[a].name for a in speaker)
                    )
                elif frame.speaker_span is not None and not frame.passive:
                    attribution = self._speaker_text(frame.speaker_span)
            elif frame.speaker_span is not None and not frame.passive:
                attribution = self._speaker_text(frame.speaker_span)
            if frame.speech and not recipients and not frame.reported:
                if not actors:
                    continue  # "Analysts say ...": an unnamed voice that reports no event
                if (
                    frame.lemma == "say"
                    and type_ == "statement"
                    and self.text[frame.end : frame.end + 1] in (",", ".")
                    and _AN_ASIDE.search(self.text, max(s0, frame.start - 40), frame.start)
                ):
                    continue  # "Air defence, X said, remains vital": a view, no event
            if not own_dates and self._mentioned_again(frame):
                continue  # "The offensive occurred amid ...": the offensive already reported
            if own_dates:
                when = self._date(frame, own_dates, asides)
            elif frame.present:
                when = self.today
            else:
                if not looked:
                    inherited, looked = self._inherited(sentence, previous), True
                    if inherited is None and self.trigger_dates:
                        inherited = self._date_of_the(s0, s1)
                when = inherited
            where = self._location(frame, places, frames) if places else None
            if where is None:
                if named is None:
                    named = _NAMED_PLACE.search(self.text, s0, s1) is not None
                if named:
                    where = self._named_place(frame)
            row: list[object] = [
                type_,
                self.text[frame.start : frame.end] or frame.lemma,
                actors,
                recipients,
                when,
                where,
                attribution,
                attribution_actor,
                frame.modality,
            ]
            if made and _duplicate(row, made):
                continue
            if frame.speech and frame.reported and type_ == "statement":
                said.append(row)
            elif frame.speech:
                spoken.append(row)
            made.append(row)
            referents.note_event(actors, recipients, statement=type_ in ("statement", "accuse"))
        if said:
            made = _without_plain_statements(made, said, spoken)
        index, full = sentence.index, sentence.text
        events = [Event(index, full, *row) for row in made]  # type: ignore[arg-type]
        self.events.extend(events)
        self.triggers_seen.update(str(row[1]).lower() for row in made)
        for row in made:
            if row[4] is not None:
                self.trigger_dates.setdefault(str(row[1]).lower(), row[4])  # type: ignore[arg-type]
                self.type_dates.setdefault(str(row[0]), row[4])  # type: ignore[arg-type]
        return events

    def _date_of_the(self, s0: int, s1: int) -> EventDate | None:
        """For a sentence with no date of its own: the date of an earlier event it names
        again ("condemned the attack", "since the kidnapping", "the day of the rebellion")."""
        for m in _THE_EVENT.finditer(self.text, s0, s1):
            word = m.group(1).lower()
            when = self.trigger_dates.get(word)
            if when is None:  # "struck" reported, "the attack" named: the same kind of event
                entry = self.entries.get(word)
                if entry is not None and entry.noun_type is not None:
                    when = self.type_dates.get(entry.noun_type)
            if when is not None:
                return when
        return None

    def _mentioned_again(self, frame: Frame) -> bool:
        """Whether an undated "the <event noun>" repeats an event of the same word reported
        in an earlier sentence (a back-reference, not a new occurrence)."""
        if frame.speech or frame.end <= frame.start:
            return False
        word = self.text[frame.start : frame.end].lower()
        if not _BACK_REFERENCE.search(self.text, max(0, frame.start - 30), frame.start):
            return False
        return word in self.triggers_seen

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
        own: list[tuple[int, int, EventDate]],
        asides: list[tuple[int, int]],
    ) -> EventDate | None:
        """The date of an event in a sentence with dates: the nearest in its clause, else
        (unless it is a statement) the nearest in the sentence."""
        usable = own
        if asides:
            mine = [a for a in asides if a[0] <= frame.start < a[1]]
            usable = [
                d
                for d in own
                if not any(a[0] <= d[0] < a[1] for a in asides if a not in mine)
                and (not mine or mine[0][0] <= d[0] < mine[0][1])
            ]
        if self.qualifiers and len(usable) > 1:
            for d in usable:  # "against the 2024 Mozambican general election": its own year
                if d[0] in self.qualifiers and 0 <= frame.start - d[1] <= 30:
                    between = self.text[d[1] : frame.start]
                    if not any(ch in between for ch in ",;:()"):
                        # "On 23 April 2023, X held 2023 local elections": the day within it
                        year = d[2].value
                        within = [o[2] for o in usable if o[2].value.startswith(year + "-")]
                        return within[0] if len(within) == 1 else d[2]
            plain = [d for d in usable if d[0] not in self.qualifiers]
            if plain:
                usable = plain
        cs, ce = frame.clause
        deadlines = self.deadlines
        pos = frame.start
        best: tuple[int, int, EventDate] | None = None
        nearest: tuple[int, int, EventDate] | None = None  # in the sentence, not a deadline
        best_gap = nearest_gap = -1
        for d in usable:
            if deadlines and d[0] in deadlines:
                continue
            gap = abs(d[0] - pos)
            if nearest is None or gap < nearest_gap:
                nearest, nearest_gap = d, gap
            if cs <= d[0] < ce and (best is None or gap < best_gap):
                best, best_gap = d, gap
        if best is not None:
            return best[2]
        if not frame.speech:  # a statement's date is its own, not what it reports
            if nearest is not None:
                return nearest[2]
            if usable:
                return min(usable, key=lambda d: abs(d[0] - pos))[2]
        return self.today if frame.present else None

    def _inherited(self, sentence: Sentence, previous: Sentence | None) -> EventDate | None:
        """The last date of the previous sentence when this one continues it."""
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
        the other events' clauses (else :meth:`_named_place`)."""
        cs, ce = frame.clause
        start = frame.start
        best: PlaceMention | None = None
        best_key = (0, 0)
        places = [p for p in places if not _ROUTE.match(self.text, p.end)]
        for p in places:
            if cs <= p.start < ce:
                key = (_PLACE_RANK.get(p.kind, 2), abs(p.start - start))
                if best is None or key < best_key:
                    best, best_key = p, key
        if best is None:
            for p in places:
                if not any(f.clause[0] <= p.start < f.clause[1] for f in frames if f is not frame):
                    key = (_PLACE_RANK.get(p.kind, 2), abs(p.start - start))
                    if best is None or key < best_key:
                        best, best_key = p, key
        return best.name if best is not None else None

    def _named_place(self, frame: Frame) -> str | None:
        """A capitalised name after "in", "at", "near"... in the event's clause that names
        no actor or date."""
        cs, ce = frame.clause
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


def _without_plain_statements(
    made: list[list[object]],
    said: list[list[object]],
    spoken: list[list[object]],
) -> list[list[object]]:
    """The rows less the plain statements whose speaker is the actor of an event they
    report ("X and Y announced their intent to donate tanks to Z"): the event keeps the
    speaker as its source. An accusation, a denial or a statement about others stays.

    Rows hold :class:`Event`'s fields from ``type`` on (see ``_Run._events``)."""
    reported = [
        row
        for row in made
        if row[0] != "statement" and row[6] is not None and not any(row is r for r in spoken)
    ]
    if not reported:
        return made
    drop = [
        row
        for row in said
        if row[2] and any(set(row[2]) <= set(other[2]) for other in reported)  # type: ignore[call-overload]
    ]
    return [row for row in made if not any(row is d for d in drop)]


def _duplicate(row: list[object], made: list[list[object]]) -> bool:
    """Whether an event of the same sentence already says as much (or more): the same
    type, actors, modality and date, and no new recipient. The one kept takes the other's
    place when it names none ("drones at Ukraine ..., killing three in Kharkiv").

    Rows hold :class:`Event`'s fields from ``type`` on (see ``_Run._events``)."""
    for i, other in enumerate(made):
        if other[0] != row[0] or other[2] != row[2] or other[8] != row[8] or other[4] != row[4]:
            continue
        mine, theirs = set(row[3]), set(other[3])  # type: ignore[call-overload]
        if mine <= theirs:
            if other[5] is None and row[5] is not None:
                other[5] = row[5]
            return True
        if theirs <= mine:
            if row[5] is None and other[5] is not None:
                row[5] = other[5]
            made[i] = row
            return True
    return False


@cache
def _default_extractor() -> EventExtractor:
    return EventExtractor()


def extract_events(
    article: Article,
    sentences: Sequence[Sentence],
    findings: ActorFindings,
    *,
    warnings: list[str] | None = None,
) -> tuple[Event, ...]:
    """The events the article reports, in text order.

    Args:
        article: the parsed article (its text and reference date).
        sentences: its sentences with offsets (titles and deks yield no events).
        findings: the actors, mentions and places the actor finder found in it.
        warnings: when given, a sentence whose extraction raises is skipped and a
            warning appended here; otherwise the exception propagates.
    """
    return _default_extractor().extract(article, sentences, findings, warnings=warnings)
