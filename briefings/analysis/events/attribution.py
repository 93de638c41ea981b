"""Speech in a sentence: who says what, speakers named last, denials and attribution.

A speech verb makes a statement (or an accusation) by its subject, and what it reports —
the rest of the sentence up to the next speech verb, or, when the speaker comes last ("X
struck Y, the army said on Saturday" / "..., the army said, a day after ..."), everything
around the speaker's phrase — inherits the speaker as attribution and the verb's modality
(alleged, claimed; else reported). What a denial reports is no event. "According to X"
attributes the whole sentence to X and is itself a statement by X.
"""

from __future__ import annotations

import re
from bisect import insort

from briefings.analysis.events.frames import (
    BOUNDARY,
    DENIAL,
    RELATIVE,
    SPEECH,
    VERBAL,
    Candidate,
    Frame,
    Report,
    stronger,
)
from briefings.analysis.events.groundrules import FrameRules
from briefings.analysis.events.tags import Node

# The first word after a speech verb, when it is a lower-case one.
_FIRST_WORD = re.compile(r"\s+([a-z]+)\b")
_OBJECT_PRONOUNS = frozenset(
    ("himself", "herself", "itself", "themselves", "him", "her", "them", "it", "us", "me")
)
# Words after a speaker's verb that take no object: "..., the army said late on Sunday".
_AFTER_SPEAKER = frozenset(
    {"late", "earlier", "later", "today", "yesterday", "last", "this", "overnight", "when"}
    | {"while", "adding", "citing", "without", "after", "before", "again", "also", "then"}
    | {"separately", "previously", "recently", "publicly", "repeatedly", "had", "has"}
)
# Before a participle that qualifies a noun ("the internationally contested islands").
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "these"})


class SpeechRules(FrameRules):
    """Statements, their speakers and what they report."""

    def _according(self) -> list[Node]:
        """The source of "according to X" (its clause ends at the comma after X)."""
        v = self.v
        for _start, end, _entry in v.according:
            ce = v.clause(end)[1]
            comma = self.text.find(",", end, ce)
            if comma > 0:
                insort(v.bounds, comma)
                ce = comma
            nodes = v.nodes_in(end, ce)
            if nodes:
                return v.group_starting_at(nodes[0], ce)
        return []

    def _subject_of_report(self, node: Node, end: int) -> bool:
        """Whether a verb follows ``node`` closely, making it the subject of what is said."""
        v = self.v
        nxt = v.next_tag(node[1])
        if nxt is not None and nxt[0] - node[1] <= 12 and nxt[2].flags & VERBAL:
            return True
        for other in self.cands:
            if other.start >= node[1] and other.verb:
                return other.start - node[1] <= 30 and not v.nodes_in(node[1], other.start)
        return False

    def _trailing(self, c: Candidate) -> int:
        """Where the reported content ends when the speaker comes after it ("X struck Y, the
        army said on Saturday." / "..., said a spokesman." / "X struck Y, the army said, a
        day after ..."), else -1."""
        text, v = self.text, self.v
        comma = text.rfind(",", v.s0, c.start)
        if comma < 0 or c.start - comma > 80 or self._qualifies_a_noun(c):
            return -1
        if any(
            comma < o.start < c.start and o.entry.noun_type != "statement"
            for o in self.cands[: c.pos]
        ):
            return -1  # "..., the statement said" still has the speaker last
        if len(text[v.s0 : comma].split()) < 4:
            return -1
        stop = text.find(",", c.end, v.s1)
        if stop >= 0 and len(text[c.end : stop].split()) <= 4:
            end = stop  # an aside: ", the army said,"
        else:
            end = v.s1
            rest = text[c.end : v.s1]
            # "“...,” said the Under Secretary of the Treasury for ... X": a title may be long
            inverted = not text[comma + 1 : c.start].strip(' ”"’')
            if len(rest.split()) > (20 if inverted else 8) or rest.lstrip().startswith(
                ("that", "it ", "them")
            ):
                return -1
        for other in self.cands[c.pos + 1 :]:
            if other.start < end and other.entry.noun_type != "statement":
                return -1  # "..., X said in a statement." is still trailing
        if v.nodes_in(comma, c.start) and v.nodes_in(c.end, end):
            return -1  # "..., he denounced Shoigu": a verb with an object, not an aside
        m = _FIRST_WORD.match(text, c.end, end)
        if m is not None and m.group(1) in _OBJECT_PRONOUNS:
            return -1  # "X, the guard's commander, declared himself head": no speaker after
        if (
            m is not None
            and text[comma + 1 : c.start].strip(' ”"’')
            and m.group(1) not in v.ix.prepositions
            and m.group(1) not in _AFTER_SPEAKER
            and c.entry.lemma != "tell"  # "..., residents told local radio": an addressee
        ):
            return -1  # "..., Rwanda denied involvement": the verb has an object of its own
        c.aside_end = end
        for other in self.cands[: c.pos]:
            if comma < other.start < c.start:
                other.absorbed = True  # the speaker, not an event
        return comma

    def _qualifies_a_noun(self, c: Candidate) -> bool:
        """Whether a determiner (and an adverb) stands right before ``c``: "the hotly
        disputed border" is a noun's adjective, no speaker's verb."""
        words = self.v.words_before(c.start)
        if words and words[-1] in _DETERMINERS:
            return True
        return len(words) == 2 and words[0] in _DETERMINERS and words[1].endswith("ly")

    def _trailing_speech(self, c: Candidate, comma: int, ce: int) -> Frame:
        v = self.v
        speaker = v.nodes_in(comma, c.start)
        if not speaker:  # "..., said Defence Minister X."
            speaker = v.nodes_in(c.end, c.aside_end)
        type_ = c.entry.verb_type or "statement"
        frame = Frame(c.start, c.end, type_, c.entry.lemma, clause=(comma, c.aside_end))
        frame.actors.extend(speaker)
        frame.speaker = list(speaker)
        frame.speaker_span = (comma + 1, c.start)
        frame.speech = True
        frame.present = self._present(c)
        c.subject = speaker
        modality = c.entry.speech or "reported"
        frame.modality = modality
        denied = bool(c.entry.flags & DENIAL)
        self.reports.append(Report(v.s0, comma, frame, modality, denied))
        if c.aside_end < v.s1:
            self.reports.append(Report(c.aside_end, v.s1, frame, modality, denied))
        return frame

    def _speech_object_end(self, c: Candidate, oe: int) -> int:
        for start, _end, entry in self.v.tags_between(c.end, oe):
            if entry.flags & (RELATIVE | BOUNDARY):
                oe = start
                break
        for quote in ("“", '"'):
            i = self.text.find(quote, c.end, oe)
            if i >= 0:
                oe = i
        return oe

    def _speech(self, c: Candidate, frame: Frame, speaker: list[Node]) -> None:
        """Mark what a speech verb reports: its region, speaker and modality."""
        modality = c.entry.speech or "reported"
        frame.modality = stronger(frame.modality, modality)
        frame.speaker = list(speaker)
        end = self.v.s1
        for other in self.cands[c.pos + 1 :]:
            if other.verb and other.entry.flags & (SPEECH | DENIAL):
                end = other.start
                break
        if frame.type == "accuse":
            for node in self.v.nodes_in(c.end, end):
                if node not in frame.recipients and node[3] != "thing":
                    frame.recipients.append(node)
        denied = bool(c.entry.flags & DENIAL)
        self.reports.append(Report(c.end, end, frame, modality, denied))

    def _reports_after(self, c: Candidate) -> bool:
        """Whether a clause follows the verb ("warned that ...", "agreed: ...")."""
        return self.text[c.end : c.end + 8].lstrip().startswith(("that ", ":", "“", '"'))

    def _attribute(self, frames: list[Frame], according: list[Node]) -> None:
        """Give reported events their speaker and modality; drop what a denial denies."""
        denied: list[Frame] = []
        for frame in frames:
            if frame.speech:
                continue
            for report in self.reports:
                if report.start <= frame.start < report.end and report.owner is not frame:
                    report.owner.reported += 1
                    if report.denied:
                        denied.append(frame)
                    frame.speaker = list(report.owner.speaker)
                    frame.speaker_span = report.owner.speaker_span
                    frame.modality = stronger(frame.modality, report.modality)
                    break
            else:
                if according:
                    frame.speaker = list(according)
        for frame in denied:
            frames.remove(frame)
        if according:
            v = self.v
            frame = Frame(v.s0, v.s0, "statement", "according to", clause=(v.s0, v.s1))
            frame.actors.extend(according)
            frame.speaker = list(according)
            frame.speech = True
            frames.insert(0, frame)
