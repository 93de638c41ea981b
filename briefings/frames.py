"""The shallow parse of one sentence into event frames: trigger, type, who acts, who receives.

* **Verbs.** The subject is the actor group right before the verb, else — after "and",
  "but" or a comma — the previous verb's subject, else the first actor in the clause that
  no preposition governs, else (in a relative clause) the actor the clause hangs on.
  Actors after the verb are recipients, after "with" partners (actors of cooperation,
  talks and fighting), after "in"/"near"/"from" places (see
  :meth:`briefings.clauses.SentenceView.role`). A participle after "be" is passive: the
  subject receives and "by X" acts.
* **Nouns.** "Azerbaijan's blockade of Artsakh", "attacks by the Houthis", "fighting
  between A and B": actors before the noun or after "by"/"between", recipients after
  "of"/"against"/"on". The object of a light verb ("launched an offensive") takes the light
  verb's subject; a subject noun counts when an occurrence verb follows ("fighting
  resumed", "a missile was launched"); a bare back-reference ("after the attack") does not.
* **Speech.** A speech verb makes a statement (or accusation) by its subject; what it
  reports inherits the speaker as attribution and the verb's modality (alleged, claimed).
  "According to X" attributes the whole sentence to X.
* **No event:** after a future or goal word ("will", "the goal was"), after a negation, a
  modal without "have" (a forecast), and an infinitive that is only a purpose or a demand
  ("called on X to leave": the call is the event). A threat or demand verb absorbs what it
  threatens or demands ("threatened tariffs", "vowed to overthrow X").
"""

from __future__ import annotations

import re
from bisect import insort
from dataclasses import dataclass, field

from briefings.clauses import Node, SentenceView
from briefings.model import EventType, Modality
from briefings.verbs import FLAGS, Entry

_PREMOD_GAP = re.compile(r"^(?:['’]s?)?(?:[\s–-]+[\w'’-]+){0,3}[\s–-]*$")
_APPOSITION = re.compile(r",\s+(?:the|a|an)\s")
_MODALITY_RANK = {
    "reported": 0,
    "threatened": 1,
    "claimed": 2,
    "alleged": 3,
    "planned": 4,
    "possible": 5,
}
_F = FLAGS
_ACCORDING = _F["according"]
_ALLEGED = _F["alleged"]
_ASPECT = _F["aspect"]
_BASE = _F["base"]
_BE = _F["be"]
_BOUNDARY = _F["boundary"]
_DEMAND = _F["demand"]
_DENIAL = _F["denial"]
_FUTURE = _F["future"]
_GOAL = _F["goal"]
_HAVE = _F["have"]
_ING = _F["ing"]
_LIGHT = _F["light"]
_MODAL = _F["modal"]
_NEGATION = _F["negation"]
_OCCUR = _F["occur"]
_PART = _F["part"]
_PLAN = _F["plan"]
_POSSIBLE = _F["possible"]
_RELATIVE = _F["relative"]
_S = _F["s"]
_SPEECH = _F["speech"]
_RULES_OUT = _FUTURE | _GOAL | _NEGATION
_PAST = _F["past"] | _PART
_FINITE = _BASE | _S
_REPORTING = _SPEECH | _DEMAND | _DENIAL
_OCCURRING = _ASPECT | _OCCUR
_VERBAL = _BE | _HAVE | _MODAL | _FUTURE
_AUX = ("to", "not", "also", "is", "are", "was", "were", "be", "been")
_NOT_PRESENT = ("to", "did", "does", "do", "let", "make", "help", "must", "will")


@dataclass(slots=True)
class Frame:
    """One event found in a sentence, before its references and date are resolved."""

    start: int
    end: int
    type: EventType
    lemma: str
    actors: list[Node] = field(default_factory=list)
    recipients: list[Node] = field(default_factory=list)
    modality: Modality = "reported"
    speaker: list[Node] = field(default_factory=list)
    speaker_span: tuple[int, int] | None = None
    """Where the speaker is named, when no actor could be resolved there ("the army")."""
    present: bool = False
    passive: bool = False
    clause: tuple[int, int] = (0, 0)
    copy_previous: bool = False
    speech: bool = False
    reported: int = 0
    """How many events of the sentence this statement reports."""


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    entry: Entry
    verb: bool
    pos: int
    frame: Frame | None = None
    absorbed: bool = False
    subject: list[Node] = field(default_factory=list)
    trailing: int = -1
    aside_end: int = -1


@dataclass(slots=True)
class _Report:
    """What a speech verb reports: a span of the sentence, its speaker and modality."""

    start: int
    end: int
    owner: Frame
    modality: Modality
    denied: bool = False


class SentenceParser:
    """Parses sentence views into frames; holds no per-article state."""

    def parse(self, view: SentenceView) -> list[Frame]:
        """The frames (events before resolution) of one sentence."""
        return _Parse(view).run()


class _Parse:
    """The working state of one sentence's parse."""

    def __init__(self, view: SentenceView) -> None:
        self.v = view
        self.text = view.text
        self.reports: list[_Report] = []
        self.cands: list[_Cand] = []
        seen: list[tuple[int, bool, Entry]] = []
        for start, end, entry in view.tags[view.t_lo : view.t_hi]:
            if not (entry.is_verb or entry.is_noun):
                continue
            verb = self._reading(start, end, entry, seen)
            if verb is not None:
                self.cands.append(_Cand(start, end, entry, verb, len(self.cands)))
                seen.append((start, verb, entry))

    # ------------------------------------------------------------------ readings

    def _reading(
        self, start: int, end: int, entry: Entry, seen: list[tuple[int, bool, Entry]]
    ) -> bool | None:
        """True for a verb reading, False for a noun, None when neither fits."""
        v = self.v
        if start > v.s0 + 1 and self.text[start].isupper():
            return None  # part of a name: "the Battle of Laukkai", "Second Karabakh War"
        before = v.words_before(start)
        det, article = v.noun_context(before)
        if not entry.is_verb:
            return False
        flags = entry.flags
        nxt = v.next_tag(end)
        if (
            flags & _PAST
            and det == 1
            and nxt is not None
            and nxt[2].is_noun
            and nxt[0] - end <= 1
            and not flags & _FINITE
        ):
            return None  # an adjective: "the group's third claimed attack"
        if not entry.is_noun:
            # After an article or a possessive a verb form is a noun or an adjective
            # ("Russia's ally", "all state institutions", "an alleged attack").
            if flags & _PAST and article == 1:
                return None
            return None if det and flags & _FINITE else True
        if flags & _PAST and not flags & _FINITE:
            return None if article == 1 else True
        if not before or det:
            return False
        prev = before[-1].rstrip(",")
        if prev in _AUX:
            return True
        if (
            nxt is not None
            and nxt[0] - end <= 1
            and nxt[2].is_verb
            and not nxt[2].is_noun
            and not nxt[2].flags & ~(_PAST | _FINITE | _ING | _OCCURRING | _LIGHT)
        ):
            return False  # "fighting resumed"
        if prev in v.ix.prepositions:
            return False  # "a respite in fighting"
        if not flags & _ING and v.light_verb_before(start, seen):
            return False  # "pledged personnel and financial support"
        if prev == "and":
            return bool(flags & _ING)
        if v.actor_ending_before(start, 3) is not None:
            return (
                self.text[end : end + 7]
                .lstrip()
                .lower()
                .startswith(("the ", "a ", "an ", "its ", "their "))
            )
        return True

    # ------------------------------------------------------------------ the parse

    def run(self) -> list[Frame]:
        according = self._according() if self.v.flags & _ACCORDING else []
        for c in self.cands if self.v.flags & _REPORTING else ():
            if c.verb and c.entry.flags & _REPORTING:
                c.trailing = self._trailing(c)
                if c.trailing >= 0:  # the speaker's phrase is a clause of its own
                    insort(self.v.bounds, c.trailing)
                    if c.aside_end < self.v.s1:
                        insort(self.v.bounds, c.aside_end)
        for c in self.cands:
            c.frame = self._verb(c) if c.verb else self._noun(c)
        frames = [c.frame for c in self.cands if c.frame is not None and not c.absorbed]
        self._attribute(frames, according)
        return frames

    def _according(self) -> list[Node]:
        """The source of "according to X" (its clause ends at the comma after X)."""
        v = self.v
        for _start, end, entry in v.tags[v.t_lo : v.t_hi]:
            if entry.flags & _ACCORDING:
                ce = v.clause(end)[1]
                comma = self.text.find(",", end, ce)
                if comma > 0:
                    insort(v.bounds, comma)
                    ce = comma
                nodes = v.nodes_in(end, ce)
                if nodes:
                    return v.group_starting_at(nodes[0], ce)
        return []

    def _cue(self, c: _Cand, clause_start: int) -> tuple[bool, Modality]:
        """Whether the clause before ``c`` rules it out, and the modality it gives."""
        modality: Modality = "reported"
        modal_at = -1
        threat = c.entry.verb_type == "threaten" or c.entry.noun_type == "threaten"
        for start, _end, entry in self.v.tags_between(clause_start, c.start):
            flags = entry.flags
            if not flags:
                continue
            if flags & _RULES_OUT:
                if threat:
                    continue
                return True, modality
            if flags & _MODAL:
                modal_at = start
            elif flags & _HAVE and modal_at >= 0:
                modality, modal_at = "possible", -2
            elif flags & _PLAN:
                modality = "planned"
            elif flags & _POSSIBLE:
                modality = "possible"
            elif flags & _ALLEGED and modality == "reported":
                modality = "alleged"
        return modal_at >= 0, modality

    def _floor(self, c: _Cand, cs: int) -> int:
        """The clause start, or the end of the speech verb whose report holds ``c``."""
        for report in self.reports:
            if report.start <= c.start < report.end and report.start > cs:
                return report.start
        return cs

    def _subject(self, c: _Cand, cs: int) -> list[Node]:
        v = self.v
        near = v.actor_ending_before(c.start, 60)
        if near is not None and near[0] >= cs and _short_gap(v.gap(near[1], c.start)):
            prep = v.governing(near[0])
            if prep is None or prep.key in ("with", "of"):
                return v.group_ending_at(near, cs)
        if _coordinated(self.text[max(v.s0, c.start - 30) : c.start]):
            prev = self._previous_verb(c)
            if prev is not None and prev.subject:
                return prev.subject
            if prev is None:  # "X has not joined the strikes but has sent warships"
                first = v.subject_of_clause(v.s0, cs)
                if first:
                    return first
        candidates = [n for n in v.nodes_in(cs, c.start) if not v.possessive(n, c.start)]
        fallback: Node | None = None
        for node in candidates:
            prep = v.governing(node[0])
            if prep is None:
                return v.group_starting_at(node, c.start)
            if prep.key == "of" and fallback is None:
                fallback = node
        if fallback is not None:
            return v.group_starting_at(fallback, c.start)
        opener = cs
        if self.text[cs] == ",":  # after a ", which ...," aside: the subject before it
            opener = v.clause(cs - 1)[0]
        if opener in v.relative_at:
            near = v.actor_ending_before(opener, 30)
            if near is not None:
                return v.group_ending_at(near, v.s0)
        return []

    def _previous_verb(self, c: _Cand) -> _Cand | None:
        """The latest verb before ``c``, passing over a speaker's aside (", X said,")."""
        for other in reversed(self.cands[: c.pos]):
            if other.verb and other.trailing < 0:
                return other
        return None

    def _object_end(self, c: _Cand, ce: int) -> int:
        for other in self.cands[c.pos + 1 :]:
            if other.start >= ce:
                break
            if other.verb and (other.entry.verb_type or other.entry.flags & _REPORTING):
                ce = other.start
                break
        if "," in self.text[c.end : ce]:
            v = self.v
            for m in _APPOSITION.finditer(self.text, c.end, ce):
                if v.nodes_in(c.end, m.start()) and not v.inside_actor(m.end()):
                    return m.start()
        return ce

    def _is_passive(self, c: _Cand, cs: int) -> bool:
        if not c.entry.flags & _PART:
            return False
        v = self.v
        for _start, end, entry in reversed(v.tags_between(max(cs, c.start - 40), c.start)):
            if entry.flags & _BE:
                return len(self.text[end : c.start].split()) <= 2 and not v.nodes_in(end, c.start)
            if entry.is_verb or entry.flags & _HAVE:
                break
        return self.text.startswith(" by ", c.end) and v.prev_word(c.start) not in (
            "has",
            "have",
            "had",
        )

    def _verb(self, c: _Cand) -> Frame | None:
        v, e = self.v, c.entry
        cs, ce = v.clause(c.start)
        cs = self._floor(c, cs)
        passive = self._is_passive(c, cs)
        if c.trailing >= 0:
            return self._trailing_speech(c, c.trailing, ce)
        subject = c.subject = self._subject(c, cs)
        if v.prev_word(c.start) == "to" and not self._planned(c):
            return self._infinitive(c, cs)
        if e.verb_type is None and not e.flags & (_REPORTING | _LIGHT):
            return None  # "began", "continued": only a subject to lend
        prev_noun = self._noun_right_before(c)
        if prev_noun is not None and e.flags & (_PART | _ING) and not passive:
            # A participle after a noun modifies it: "an offensive conducted by X".
            self._lend(c, prev_noun, ce, passive=True)
            c.absorbed = True
            return None
        ruled_out, modality = self._cue(c, cs)
        if ruled_out:
            return None
        oe = self._object_end(c, ce)
        obj = self._event_noun_after(c, oe)
        threat = e.verb_type == "threaten"
        if obj is not None and (e.flags & (_LIGHT | _DEMAND) or threat):
            if e.flags & _DEMAND or threat:
                obj.absorbed = True
            else:
                self._lend(c, obj, ce, passive=passive)
                c.absorbed = True
                return None
        type_ = e.verb_type
        speech = bool(e.flags & (_SPEECH | _DENIAL))
        if type_ is None:
            if e.flags & _REPORTING:
                type_ = "statement"
            elif e.flags & _LIGHT and any(n[3] == "tactic" for n in subject):
                frame = Frame(c.start, c.end, "other", e.lemma, clause=(cs, ce))
                frame.copy_previous, frame.modality = True, modality
                return frame
            else:
                return None
        if type_ == "threaten" and modality == "reported":
            modality = "threatened"
        frame = Frame(c.start, c.end, type_, e.lemma, clause=(cs, ce), modality=modality)
        frame.speech = bool(e.flags & _REPORTING)
        frame.present = self._present(c)
        frame.passive = passive
        if passive:
            frame.recipients.extend(n for n in subject if n[3] != "thing")
        else:
            frame.actors.extend(subject)
            if frame.speech:
                frame.speaker = list(subject)
                if subject:
                    frame.speaker_span = (subject[0][0], subject[-1][1])
                elif not any(cs <= o.start < c.start for o in self.cands[: c.pos]):
                    frame.speaker_span = (cs, c.start)
        region_end = self._speech_object_end(c, oe) if speech else oe
        for node in v.nodes_in(c.end, region_end):
            if speech and self._subject_of_report(node, region_end):
                break  # "said its forces had withdrawn": not an addressee
            self._place(frame, node, active=not passive)
        if speech and (type_ in ("statement", "accuse") or self._reports_after(c)):
            self._speech(c, frame, [] if passive else subject)
        else:
            frame.speech = frame.speech and type_ == "statement"
        if frame.actors or frame.recipients or passive:
            return frame
        if not frame.speech and self._noun_subject(c, cs):
            c.absorbed = True  # "the missile struck the vessel": the missile is the event
        return None if not frame.speech or frame.speaker_span is None else frame

    def _subject_of_report(self, node: Node, end: int) -> bool:
        """Whether a verb follows ``node`` closely, making it the subject of what is said."""
        v = self.v
        nxt = v.next_tag(node[1])
        if nxt is not None and nxt[0] - node[1] <= 12 and nxt[2].flags & _VERBAL:
            return True
        for other in self.cands:
            if other.start >= node[1] and other.verb:
                return other.start - node[1] <= 30 and not v.nodes_in(node[1], other.start)
        return False

    def _trailing(self, c: _Cand) -> int:
        """Where the reported content ends when the speaker comes after it ("X struck Y, the
        army said on Saturday." / "..., said a spokesman." / "X struck Y, the army said, a
        day after ..."), else -1."""
        text, v = self.text, self.v
        comma = text.rfind(",", v.s0, c.start)
        if comma < 0 or c.start - comma > 80:
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
            if len(rest.split()) > 8 or rest.lstrip().startswith(("that", "it ", "them")):
                return -1
        for other in self.cands[c.pos + 1 :]:
            if other.start < end and other.entry.noun_type != "statement":
                return -1  # "..., X said in a statement." is still trailing
        if v.nodes_in(comma, c.start) and v.nodes_in(c.end, end):
            return -1  # "..., he denounced Shoigu": a verb with an object, not an aside
        c.aside_end = end
        for other in self.cands[: c.pos]:
            if comma < other.start < c.start:
                other.absorbed = True  # the speaker, not an event
        return comma

    def _trailing_speech(self, c: _Cand, comma: int, ce: int) -> Frame:
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
        denied = bool(c.entry.flags & _DENIAL)
        self.reports.append(_Report(v.s0, comma, frame, modality, denied))
        if c.aside_end < v.s1:
            self.reports.append(_Report(c.aside_end, v.s1, frame, modality, denied))
        return frame

    def _noun_subject(self, c: _Cand, cs: int) -> bool:
        """Whether an event noun is the subject of verb ``c`` ("the missile struck")."""
        for other in self.cands[: c.pos]:
            if other.start >= cs:
                return not other.verb
        return False

    def _place(self, frame: Frame, node: Node, *, active: bool = False) -> None:
        role = self.v.role(self.v.governing(node[0]), frame.type, active=active)
        if role == "actor":
            frame.actors.append(node)
        elif role == "recipient" and node[3] != "thing":
            frame.recipients.append(node)

    def _present(self, c: _Cand) -> bool:
        flags = c.entry.flags
        if flags & _S:
            return True
        if flags & _ING:
            return any(w in ("is", "are", "am") for w in self.v.words_before(c.start))
        if flags & _BASE and not flags & _PAST:  # "hit", "cut": read as past
            return self.v.prev_word(c.start) not in _NOT_PRESENT
        return False

    def _noun_right_before(self, c: _Cand) -> _Cand | None:
        if c.pos == 0:
            return None
        prev = self.cands[c.pos - 1]
        if prev.verb or c.start - prev.end > 2 or self.text[prev.end : c.start].strip():
            return None
        return prev

    def _event_noun_after(self, c: _Cand, oe: int) -> _Cand | None:
        if c.pos + 1 < len(self.cands):
            other = self.cands[c.pos + 1]
            if other.start < oe and not other.verb:
                gap = self.text[c.end : other.start]
                return other if len(gap) <= 45 and "," not in gap else None
        return None

    def _speech_object_end(self, c: _Cand, oe: int) -> int:
        for start, _end, entry in self.v.tags_between(c.end, oe):
            if entry.flags & (_RELATIVE | _BOUNDARY):
                oe = start
                break
        for quote in ("“", '"'):
            i = self.text.find(quote, c.end, oe)
            if i >= 0:
                oe = i
        return oe

    def _speech(self, c: _Cand, frame: Frame, speaker: list[Node]) -> None:
        """Mark what a speech verb reports: its region, speaker and modality."""
        modality = c.entry.speech or "reported"
        frame.modality = _stronger(frame.modality, modality)
        frame.speaker = list(speaker)
        end = self.v.s1
        for other in self.cands[c.pos + 1 :]:
            if other.verb and other.entry.flags & (_SPEECH | _DENIAL):
                end = other.start
                break
        if frame.type == "accuse":
            for node in self.v.nodes_in(c.end, end):
                if node not in frame.recipients and node[3] != "thing":
                    frame.recipients.append(node)
        denied = bool(c.entry.flags & _DENIAL)
        self.reports.append(_Report(c.end, end, frame, modality, denied))

    def _reports_after(self, c: _Cand) -> bool:
        """Whether a clause follows the verb ("warned that ...", "agreed: ...")."""
        return self.text[c.end : c.end + 8].lstrip().startswith(("that ", ":", "“", '"'))

    def _planned(self, c: _Cand) -> bool:
        """Whether ``c`` follows "plans to" / "is preparing to" (a planned event)."""
        before = self.v.tags_between(c.start - 25, c.start)
        return bool(before) and bool(before[-1][2].flags & _PLAN)

    def _infinitive(self, c: _Cand, cs: int) -> Frame | None:
        """An infinitive: kept after an aspect verb, lent to a threat or demand, else none."""
        gov = self.cands[c.pos - 1] if c.pos else None
        if gov is None or not gov.verb or c.start - gov.end > 60:
            return None
        v = self.v
        flags = gov.entry.flags
        if flags & _ASPECT and c.entry.verb_type:
            ruled_out, modality = self._cue(c, cs)
            if ruled_out:
                return None
            clause = v.clause(c.start)
            frame = Frame(c.start, c.end, c.entry.verb_type, c.entry.lemma, clause=clause)
            frame.actors.extend(gov.subject)
            frame.modality = modality
            for node in v.nodes_in(c.end, self._object_end(c, clause[1])):
                self._place(frame, node)
            return frame
        if gov.frame is not None and (gov.entry.verb_type == "threaten" or flags & _DEMAND):
            for node in v.nodes_in(c.end, self._object_end(c, v.clause(c.start)[1])):
                if node not in gov.frame.recipients and node[3] != "thing":
                    gov.frame.recipients.append(node)
        return None

    def _lend(self, light: _Cand, noun: _Cand, ce: int, *, passive: bool) -> None:
        """Give a light verb's subject (or its "by" agent) and tense to its event noun."""
        noun.subject = light.subject
        frame = noun.frame
        if frame is None:
            return
        if not frame.actors:
            if passive:
                for node in self.v.nodes_in(light.end, ce):
                    prep = self.v.governing(node[0])
                    if prep is not None and prep.key == "by":
                        frame.actors.append(node)
            else:
                frame.actors.extend(light.subject)
        frame.present = frame.present or self._present(light)

    def _noun(self, c: _Cand) -> Frame | None:
        v, e = self.v, c.entry
        type_ = e.noun_type
        if type_ is None:
            return None
        clause_start, ce = v.clause(c.start)
        cs = self._floor(c, clause_start)
        ruled_out, modality = self._cue(c, cs)
        if ruled_out:
            return None
        if type_ == "threaten" and modality == "reported":
            modality = "threatened"
        frame = Frame(c.start, c.end, type_, e.lemma, clause=(cs, ce), modality=modality)
        phrase_start = c.start
        near = v.actor_ending_before(c.start, 40)
        if (
            near is not None
            and near[0] >= cs
            and _PREMOD_GAP.match(v.gap(near[1], c.start))
            and not v.tags_between(near[1], c.start)
        ):
            group = v.group_ending_at(near, cs)
            frame.actors.extend(group)
            phrase_start = group[0][0]
        oe = self._object_end(c, ce)
        if c.pos + 1 < len(self.cands):
            other = self.cands[c.pos + 1]
            if other.start < oe and not other.verb:
                oe = other.start
        for node in v.nodes_in(c.end, oe):
            prep = v.governing(node[0])
            if prep is not None:
                role = v.role(prep, type_)
                if role == "actor":
                    frame.actors.append(node)
                elif role == "recipient" and node[3] != "thing":
                    frame.recipients.append(node)
        prev_verb = self._previous_verb_in(c, clause_start)
        prep = v.governing(phrase_start)
        if (
            prev_verb is not None
            and prev_verb.frame is not None
            and prev_verb.entry.verb_type == "accuse"
            and prep is not None
            and prep.key in ("of", "for")
            and not frame.actors
        ):
            # "accused X of killing civilians": X is said to have done it.
            frame.actors.extend(prev_verb.frame.recipients)
            frame.modality = _stronger(frame.modality, prev_verb.frame.modality)
            return frame if frame.actors else None
        lent = prev_verb is not None and prev_verb.absorbed and bool(c.subject)
        if prev_verb is not None and prev_verb.entry.flags & _LIGHT and (prep is None or lent):
            # "launched an offensive", "pledged $2 billion in military aid"
            if not frame.actors:
                frame.actors.extend(prev_verb.subject)
            frame.present = self._present(prev_verb)
            return frame
        by = prep is not None and prep.key == "by"
        if by:
            frame.recipients.extend(self._passive_subject(cs, phrase_start))
        follows = self._occurs_after(c, ce) if prep is None and prev_verb is None else None
        if follows is not None:
            if self._cue(follows, c.end)[0]:
                return None  # "talks are expected to resume next week"
            frame.present = self._present(follows)
        if not frame.actors and frame.recipients and not by:
            earlier = self._previous_frame(c, cs)
            if earlier is not None:
                frame.actors.extend(earlier.actors)
        if frame.actors or frame.recipients:
            return frame
        if follows is not None:
            for node in v.nodes_in(follows.end, max(oe, ce)):
                self._place(frame, node)
            return frame
        if prev_verb is not None and prep is None and prev_verb.entry.verb_type:
            return None  # the object of "fired a missile" is part of the firing
        if prev_verb is not None and prep is None and not self._determined(c):
            frame.actors.extend(v.subject_of_clause(cs, c.start))
            return frame if frame.actors else None
        if prep is not None and prev_verb is not None and prev_verb.entry.verb_type is None:
            # "resulting in the killing of X": the clause subject did it.
            frame.actors.extend(v.subject_of_clause(cs, c.start))
            return frame if frame.actors and frame.recipients else None
        return None

    def _previous_frame(self, c: _Cand, cs: int) -> Frame | None:
        """The latest event already found in the same clause ("the attacks ..., resulting
        in the killing of X": the killing is the attackers')."""
        for other in reversed(self.cands[: c.pos]):
            if other.start < cs:
                return None
            if other.frame is not None and other.frame.actors and not other.absorbed:
                return other.frame
        return None

    def _determined(self, c: _Cand) -> bool:
        return self.v.prev_word(c.start) in (
            "the",
            "this",
            "that",
            "these",
            "those",
            "its",
            "their",
            "his",
            "her",
        )

    def _previous_verb_in(self, c: _Cand, cs: int) -> _Cand | None:
        for other in reversed(self.cands[: c.pos]):
            if other.start < cs:
                return None
            if other.verb:
                return other
        return None

    def _passive_subject(self, cs: int, pos: int) -> list[Node]:
        """The subject of "X was weakened by <event>": the event's recipient."""
        subject = self.v.subject_of_clause(cs, pos)
        if subject and any(t[2].flags & _BE for t in self.v.tags_between(subject[-1][1], pos)):
            return subject
        return []

    def _occurs_after(self, c: _Cand, ce: int) -> _Cand | None:
        """The verb that makes a subject noun an occurrence ("fighting resumed", "a missile
        was launched"), if one follows in the clause."""
        for other in self.cands[c.pos + 1 :]:
            if other.start >= ce:
                return None
            if other.verb:
                between = self.v.nodes_in(c.end, other.start)
                if "," in self.text[c.end : other.start] or any(
                    self.v.governing(n[0]) is None for n in between
                ):
                    return None  # "after the attack, Russia sent ...": not its subject
                flags = other.entry.flags
                if flags & _OCCURRING or (other.entry.verb_type and not flags & _REPORTING):
                    return other
                if flags & _LIGHT and self._is_passive(other, self.v.clause(other.start)[0]):
                    return other
                return None
        return None

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
                    frame.modality = _stronger(frame.modality, report.modality)
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


def _short_gap(gap: str) -> bool:
    """At most two words (and a possessive) between a subject and its verb, with no comma
    or coordinator: "JNIM launched", "the army has now", "Prigozhin's forces took"."""
    if "," in gap:
        return False
    words = gap.split()
    if len(words) > 3 or (len(words) == 3 and words[0] not in ("'s", "’s")):
        return False
    return not any(w in ("and", "or", "but") for w in words)


def _coordinated(before: str) -> bool:
    """Whether a verb follows a coordinator: "..., and has threatened", "..., blaming"."""
    words = before.rsplit(None, 3)
    while words and (words[-1] in ("has", "have", "had") or words[-1].endswith("ly")):
        words.pop()
    if not words:
        return False
    last = words[-1]
    return last.endswith(",") or last in ("and", "or", "but", "then")


def _stronger(a: Modality, b: Modality) -> Modality:
    return a if _MODALITY_RANK[a] >= _MODALITY_RANK[b] else b
