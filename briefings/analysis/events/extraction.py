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

Speakers (:mod:`briefings.analysis.events.speakers`): who says so, which statements are
views rather than events, and whose a quoted paragraph is.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache
from itertools import compress
from operator import attrgetter, itemgetter

from briefings.analysis.actors.coreference import Referents
from briefings.analysis.events.claims import credit_claims
from briefings.analysis.events.clauses import SentenceView
from briefings.analysis.events.eventrows import duplicate, without_plain_statements
from briefings.analysis.events.frames import Frame
from briefings.analysis.events.roles import SentenceParser
from briefings.analysis.events.speakers import Speakers
from briefings.analysis.events.tagging import FLAGS, EventDictionary
from briefings.analysis.events.tags import ArticleIndex, actor_nodes, masked
from briefings.analysis.events.temporal import find_dates, qualifies_noun
from briefings.model import (
    ActorFindings,
    ActorInfo,
    Article,
    Event,
    EventDate,
    Sentence,
)
from briefings.text.folding import lower_in_place

_START = attrgetter("start")
_SPAN = attrgetter("start", "end")
_ACTOR_ID = attrgetter("actor_id")
_FIRST = itemgetter(0)
_FIRST_TWO = itemgetter(0, 1)
_ACCORDING = FLAGS["according"]
# Whether a sentence has a capitalised name after "in", "at", "near" (see ``_named_place``).
_NAMED_PLACE = re.compile(r" (?:in|at|near|outside|inside) (?:the\s+)?[A-Z]")
_PARENS = re.compile(r"\([^()]*\)")
# A ", which ...," aside: a date inside it belongs to the aside's events only.
_ASIDE = re.compile(r",\s+(?:which|who)\b[^,;]*(?:,|$)")
# "by 1 January 2024": a deadline, not when the event happened.
_DEADLINE = re.compile(r"\b(?:by|until|till|before|no later than)\s+(?:the\s+)?(?:end\s+of\s+)?$")
# A word ``_DEADLINE`` needs (searched first: a pattern opening with a literal is quick to find).
_DEADLINE_WORD = re.compile(r"by|til|before|than")


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


class _Run(Speakers):
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
        self.deadlines = {
            d[0]
            for d in dates
            if _DEADLINE_WORD.search(text, d[0] - 30, d[0])
            and _DEADLINE.search(text, d[0] - 30, d[0])
        }
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
            index.stops = sorted([*index.stops, *map(_FIRST, dates)])
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
            quote_speaker = self._quote_intro(sentence, made)
            previous = sentence
        return tuple(self.events)

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
        if places:  # sifted once for all the sentence's events
            places = self._off_route(places)
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
            attribution, attribution_actor = self._attribution(frame)
            if frame.speech and self._no_event(
                frame, type_, actors, recipients, s0=s0, sentence=text
            ):
                continue  # a view, an aside or an unnamed voice (see ``_no_event``)
            if self._mentioned_again(frame, dated=bool(own_dates)):
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
            respective = (
                self._respective_dates(frame, len(actors), own_dates, s1)
                if own_dates and "respectively" in text
                else None
            )
            parts: list[tuple[tuple[str, ...], list[object]]] = [(actors, row)]
            if respective is not None:  # "A and B did so on D1 and D2, respectively"
                parts = [
                    ((a,), [type_, row[1], (a,), recipients, d, *row[5:]])
                    for a, d in zip(actors, respective, strict=True)
                ]
            for doers, one in parts:
                if made and duplicate(one, made):
                    continue
                if frame.speech and frame.reported and type_ == "statement":
                    said.append(one)
                elif frame.speech:
                    spoken.append(one)
                made.append(one)
                referents.note_event(doers, recipients, statement=type_ in ("statement", "accuse"))
        if said:
            made = without_plain_statements(made, said, spoken)
        index, full = sentence.index, sentence.text
        events = [Event(index, full, *row) for row in made]  # type: ignore[arg-type]
        credit_claims(self.events, events)
        self.events.extend(events)
        seen = self.triggers_seen
        for row in made:
            word = str(row[1]).lower()
            seen.add(word)
            if row[4] is not None:
                self.trigger_dates.setdefault(word, row[4])  # type: ignore[arg-type]
                self.type_dates.setdefault(str(row[0]), row[4])  # type: ignore[arg-type]
        return events


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
