"""The sentence parser: verbs and nouns into frames (who acts, who receives).

* **Verbs.** The subject is the actor group right before the verb, else — after "and",
  "but" or a comma — the previous verb's subject, else the first actor in the clause that
  no preposition governs, else (in a relative clause) the actor the clause hangs on.
  Actors after the verb are recipients, after "with" partners (actors of cooperation,
  talks and fighting), after "in"/"near"/"from" places (see
  :meth:`briefings.analysis.events.clauses.SentenceView.role`). A participle after "be" is
  passive: the
  subject receives and "by X" acts.
* **Nouns** are in :mod:`briefings.analysis.events.nouns`.
* **No event:** after a future or goal word ("will", "the goal was"), after a negation, a
  modal without "have" (a forecast), and an infinitive that is only a purpose or a demand
  ("called on X to leave": the call is the event). A threat or demand verb absorbs what it
  threatens or demands ("threatened tariffs", "vowed to overthrow X").
* **Speech** is in :mod:`briefings.analysis.events.attribution`.
"""

from __future__ import annotations

import re
from bisect import insort

from briefings.analysis.events.clauses import SentenceView
from briefings.analysis.events.complements import FOR_ROLE, MONEY, SPEAKS_FOR, ComplementRules
from briefings.analysis.events.frames import (
    ASPECT,
    BASE,
    DEMAND,
    DENIAL,
    ING,
    LIGHT,
    PART,
    PAST,
    PLAN,
    RECEIVE,
    REPORTING,
    S_FORM,
    SPEECH,
    TAKE,
    TRANSFER,
    WEAPON,
    Candidate,
    Frame,
    coordinated,
    short_gap,
)
from briefings.analysis.events.groundrules import LISTING
from briefings.analysis.events.nouns import TITLE_CLAIMED
from briefings.analysis.events.tags import Node

# "to grow and threaten": a base form joined to a one-word infinitive is one too.
_JOINED_TO = re.compile(r"\bto\s+[a-z]+\s+(?:and|or)\s+$")


class SentenceParser:
    """Parses sentence views into frames; holds no per-article state."""

    def parse(self, view: SentenceView) -> list[Frame]:
        """The frames (events before resolution) of one sentence."""
        return _Parse(view).run()


class _Parse(ComplementRules):
    """One sentence's parse: the verb and noun rules."""

    def run(self) -> list[Frame]:
        according = self._according() if self.v.according else []
        for c in self.cands:
            if c.verb and c.entry.flags & REPORTING and not self._to_infinitive(c):
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

    def _subject(self, c: Candidate, cs: int) -> list[Node]:
        v = self.v
        near = v.actor_ending_before(c.start, 60)
        if near is not None and near[0] >= cs and short_gap(v.gap(near[1], c.start)):
            prep = v.governing(near[0])
            if prep is None or prep.key in ("with", "of"):
                return v.group_ending_at(near, cs)
        limit = c.start
        joined = coordinated(self.text[max(v.s0, c.start - 30) : c.start])
        if joined:
            prev = self._previous_verb(c)
            if c.entry.flags & REPORTING and prev is not None and not prev.subject:
                # "X alleged that Y was backed by Z, but claimed ...": speech joins speech
                said = self._previous_speech(c)
                if said is not None and said.subject:
                    return said.subject
            if prev is not None and prev.subject:
                return prev.subject
            if prev is None:  # "X has not joined the strikes but has sent warships"
                first = v.subject_of_clause(v.s0, cs)
                if first:
                    return first
            elif prev.start >= cs:
                # "The blast killed three soldiers and injured 47": the first verb's object
                # is no subject of the second.
                limit = prev.start
        fallback: Node | None = None
        # "Austin highlighted the support the U.S. and partners have provided": an actor
        # after the last verb before ``c`` is its subject before one ahead of that verb.
        last: Candidate | None = None  # the last verb of the clause before ``limit``
        if not joined:
            for o in reversed(self.cands[: c.pos]):
                if o.verb and cs <= o.start and o.end <= limit:
                    last = o
                    break
        if last is not None:
            for node in v.nodes_in(last.end, limit):
                if v.governing(node[0]) is None and not v.possessive(node, c.start):
                    return v.group_starting_at(node, c.start)
        for node in v.nodes_in(cs, limit):
            if v.possessive(node, c.start):
                continue
            prep = v.governing(node[0])
            if prep is None:
                return v.group_starting_at(node, c.start)
            if fallback is None and (
                prep.key == "of" or SPEAKS_FOR.search(self.text, max(v.s0, node[0] - 40), node[0])
            ):
                fallback = node  # "officials of X", "a spokesman for X", "officers from X"
        if fallback is not None:
            return v.group_starting_at(fallback, c.start)
        opener = cs
        if self.text[cs] == ",":  # after a ", which ...," aside: the subject before it
            opener = v.clause(cs - 1)[0]
        if opener in v.relative_at:
            near = v.actor_ending_before(opener, 30)
            if near is not None and not any(
                o.verb and near[1] <= o.start < opener for o in self.cands[: c.pos]
            ):
                # "X, who ...": the clause hangs on X; not in "X freed hostages who ...",
                # where a verb between makes its object the antecedent
                return v.group_ending_at(near, v.s0)
        return []

    def _verb(self, c: Candidate) -> Frame | None:
        v, e = self.v, c.entry
        cs, ce = v.clause(c.start)
        if self.reports:
            cs = self._floor(c, cs)
        passive = bool(e.flags & PART) and self._is_passive(c, cs)
        if e.flags & RECEIVE and not passive:
            passive = True  # "X received tanks from Y": X is given them, as in a passive
        if e.flags & REPORTING and self._qualifies_a_noun(c):
            return None  # "the hotly disputed islands": an adjective
        if c.trailing >= 0:
            return self._trailing_speech(c, c.trailing, ce)
        subject = c.subject = self._subject(c, cs) or self._accused_of(c)
        if self._to_infinitive(c):
            if not self._planned(c):
                return self._infinitive(c, cs)
            prev = self._previous_verb(c)
            if not subject and prev is not None and c.start - prev.end < 40:
                subject = c.subject = prev.subject  # "announced its intent to donate"
        if self._intended_too(c):
            return None  # "urged them to dig deep and donate ...": asked for as well
        if (
            e.flags & ING
            and self.text.find("for", max(v.s0, c.start - 40), c.start) >= 0  # quick to rule out
            and FOR_ROLE.search(self.text, max(v.s0, c.start - 40), c.start)
            and self._grounds_of_sanction(c, cs)
        ):
            c.intended = True
            return None  # "sanctioned X for providing support to Y": the grounds
        if e.flags & ING and self._means_of_grounds(c):
            c.intended = True
            return None  # "... for providing support to Y through illicit financing"
        if e.verb_type is None and not e.flags & (REPORTING | LIGHT | TRANSFER | RECEIVE):
            return None  # "began", "continued": only a subject to lend
        if e.lemma == "claim" and (
            TITLE_CLAIMED.match(self.text, c.end) or self._claimed_before(c, subject)
        ):
            return None  # "claims sovereignty over the sea": a standing claim, not a statement
        prev_noun = self._noun_right_before(c)
        if prev_noun is not None and e.flags & (PART | ING) and not passive:
            # A participle after a noun modifies it: "an offensive conducted by X".
            self._lend(c, prev_noun, ce, passive=True)
            c.absorbed = True
            return None
        if e.flags & ING and self._describes_object(c, cs):
            return None  # "trained rebels fighting the junta": who the rebels are
        ruled_out, modality = self._cue(c, cs)
        if ruled_out:
            return None
        oe = self._object_end(c, ce)
        obj = self._event_noun_after(c, oe)
        type_ = e.verb_type
        given = False  # arms, money or aid named as what is given
        if e.flags & (TRANSFER | RECEIVE) or type_ == "aid":
            weapon = self._weapon_after(c, oe)
            if weapon < 0 and obj is not None and obj.entry.noun_type == "aid":
                weapon = obj.start  # "sent humanitarian aid to X": one aid event
            if weapon >= 0:  # "supplied drones to X": aid, and the drones attack no one
                type_, given = "aid", True
                for other in self.cands[c.pos + 1 :]:
                    if other.start >= oe or other.verb:
                        break
                    if other.start == weapon or other.entry.flags & WEAPON:
                        other.absorbed = True  # "sent tanks and missiles": all given
                        if other is obj:
                            obj = None
            elif MONEY.match(self.text, c.end, oe):
                type_, given = "aid", True  # "transferred $2 million to X", "sent funds to X"
            elif type_ is None and not e.flags & (REPORTING | LIGHT):
                return None  # "sold its stake": no event
        if e.flags & TAKE and (
            self._ground_taken_before(c, cs) if passive else self._takes_ground(c, oe)
        ):
            type_ = "assault"  # "captured the town": fighting; "captured soldiers": coercion
        threat = type_ == "threaten"
        if obj is not None and (e.flags & (LIGHT | DEMAND) or threat):
            if e.flags & DEMAND or threat:
                obj.absorbed = True
            else:
                self._lend(c, obj, ce, passive=passive)
                c.absorbed = True
                return None
        if e.lemma == "add" and LISTING.search(self.text, c.end, min(v.s1, c.end + 200)):
            type_ = "sanction"  # "added the group to its list of designated terrorists"
        speech = bool(e.flags & (SPEECH | DENIAL)) and type_ != "sanction"
        if type_ is None:
            if e.flags & REPORTING:
                type_ = "statement"
            elif e.flags & LIGHT and any(n[3] == "tactic" for n in subject):
                frame = Frame(c.start, c.end, "other", e.lemma, clause=(cs, ce))
                frame.copy_previous, frame.modality = True, modality
                return frame
            else:
                return None
        if type_ == "threaten" and modality == "reported":
            modality = "threatened"
        frame = Frame(c.start, c.end, type_, e.lemma, clause=(cs, ce), modality=modality)
        frame.speech = bool(e.flags & REPORTING) and type_ != "sanction"
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
        if type_ == "aid" and obj is not None and obj.entry.noun_type != "aid":
            region_end = min(region_end, obj.start)  # "funds its attacks on X": X is attacked
        if type_ == "sanction":
            region_end = self._grounds_start(c.end, region_end)
        for node in v.nodes_in(c.end, region_end):
            if speech and self._subject_of_report(node, region_end):
                prep = v.governing(node[0])
                if not (passive and prep is not None and prep.key == "by"):
                    break  # "said its forces had withdrawn": not an addressee
            if not passive and not speech and self._owner_of_object(c, node):
                frame.recipients.append(node)  # "disrupted a patrol by X": X's patrol
                continue
            self._place(frame, node, active=not passive)
        if speech and (type_ in ("statement", "accuse") or self._reports_after(c)):
            self._speech(c, frame, frame.actors if passive else subject)
        else:
            frame.speech = frame.speech and type_ == "statement"
        if (
            type_ == "aid"
            and e.verb_type == "aid"
            and not e.flags & TRANSFER  # "the tanks X has supplied": given all the same
            and not passive
            and not frame.recipients
            and obj is None
            and not given
        ):
            return None  # "supports a two-state solution": a stance, no aid to anyone
        if e.flags & DEMAND and not frame.actors and not passive:
            return None  # "the accord calls for X to withdraw": what a text asks, no statement
        if frame.actors or frame.recipients or passive or type_ == "protest":
            return frame  # "thousands of supporters rallied": crowds are seldom named
        if not frame.speech and self._noun_subject(c, cs):
            c.absorbed = True  # "the missile struck the vessel": the missile is the event
        return None if not frame.speech or frame.speaker_span is None else frame

    def _to_infinitive(self, c: Candidate) -> bool:
        """Whether ``c`` follows "to", or is a base form after "to <verb> and" ("to grow
        and threaten"): an infinitive, never a speaker's tag."""
        if self.v.prev_word(c.start) == "to":
            return True
        if not c.entry.flags & BASE or c.entry.flags & (S_FORM | PAST):
            return False
        return _JOINED_TO.search(self.text, max(c.start - 30, 0), c.start) is not None

    def _intended_too(self, c: Candidate) -> bool:
        """Whether ``c`` is coordinated with an infinitive that is only asked for or
        threatened ("to withdraw and disarm", "urged them to dig deep and donate"); marks
        it so when it is."""
        prev = self._previous_verb(c)
        if prev is None or c.start - prev.end > 80:
            return False
        gap = self.text[prev.end : c.start]
        if not gap.rstrip().endswith((" and", " or")):
            return False
        asked = prev.entry.flags & DEMAND or prev.entry.verb_type == "threaten"
        if not (prev.intended or (asked and " to " in gap)):
            return False
        c.intended = True
        return True

    def _noun_subject(self, c: Candidate, cs: int) -> bool:
        """Whether an event noun is the subject of verb ``c`` ("the missile struck")."""
        for other in self.cands[: c.pos]:
            if other.start >= cs:
                return not other.verb
        return False

    def _planned(self, c: Candidate) -> bool:
        """Whether ``c`` follows "plans to" / "is preparing to" (a planned event)."""
        before = self.v.tags_between(c.start - 25, c.start)
        return bool(before) and bool(before[-1][2].flags & PLAN)

    def _infinitive(self, c: Candidate, cs: int) -> Frame | None:
        """An infinitive: kept after an aspect verb, lent to a threat or demand, else none."""
        gov = self.cands[c.pos - 1] if c.pos else None
        if gov is None or not gov.verb or c.start - gov.end > 60:
            return None
        v = self.v
        flags = gov.entry.flags
        if not flags & ASPECT and gov.entry.verb_type is None:
            c.intended = True  # "ordered the army to launch an offensive": no offensive yet
        if flags & ASPECT and c.entry.verb_type:
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
        if gov.entry.verb_type == "threaten" or flags & DEMAND:
            c.intended = True
        if gov.frame is not None and (gov.entry.verb_type == "threaten" or flags & DEMAND):
            for node in v.nodes_in(c.end, self._object_end(c, v.clause(c.start)[1])):
                if node not in gov.frame.recipients and node[3] != "thing":
                    gov.frame.recipients.append(node)
        return None

    def _lend(self, light: Candidate, noun: Candidate, ce: int, *, passive: bool) -> None:
        """Give a light verb's subject (or its "by" agent) and tense to its event noun."""
        noun.subject = light.subject
        frame = noun.frame
        if frame is None:
            return
        if passive:
            if not frame.actors:
                for node in self.v.nodes_in(light.end, ce):
                    prep = self.v.governing(node[0])
                    if prep is not None and prep.key == "by":
                        frame.actors.append(node)
        else:
            frame.actors[:0] = [n for n in light.subject if n not in frame.actors]
        frame.present = frame.present or self._present(light)
