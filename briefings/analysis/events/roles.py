"""The sentence parser: verbs and nouns into frames (who acts, who receives).

* **Verbs.** The subject is the actor group right before the verb, else — after "and",
  "but" or a comma — the previous verb's subject, else the first actor in the clause that
  no preposition governs, else (in a relative clause) the actor the clause hangs on.
  Actors after the verb are recipients, after "with" partners (actors of cooperation,
  talks and fighting), after "in"/"near"/"from" places (see
  :meth:`briefings.analysis.events.clauses.SentenceView.role`). A participle after "be" is
  passive: the
  subject receives and "by X" acts.
* **Nouns.** "Azerbaijan's blockade of Artsakh", "attacks by the Houthis", "fighting
  between A and B": actors before the noun or after "by"/"between", recipients after
  "of"/"against"/"on". The object of a light verb ("launched an offensive") takes the light
  verb's subject; a subject noun counts when an occurrence verb follows ("fighting
  resumed", "a missile was launched"); a bare back-reference ("after the attack") does not.
  After "involved in" / "responsible for" the clause's subject is the doer.
* **No event:** after a future or goal word ("will", "the goal was"), after a negation, a
  modal without "have" (a forecast), and an infinitive that is only a purpose or a demand
  ("called on X to leave": the call is the event). A threat or demand verb absorbs what it
  threatens or demands ("threatened tariffs", "vowed to overthrow X").
* **Speech** is in :mod:`briefings.analysis.events.attribution`.
"""

from __future__ import annotations

import re
from bisect import insort

from briefings.analysis.events.attribution import SpeechRules
from briefings.analysis.events.clauses import SentenceView
from briefings.analysis.events.frames import (
    ASPECT,
    BE,
    DEMAND,
    DENIAL,
    GROUP_NOUN,
    ING,
    LIGHT,
    OCCURRING,
    PART,
    PLAN,
    REPORTING,
    SPEECH,
    TAKE,
    TRANSFER,
    WEAPON,
    Candidate,
    Frame,
    coordinated,
    short_gap,
    stronger,
)
from briefings.analysis.events.groundrules import LISTING, PREMOD_GAP
from briefings.analysis.events.tags import Node

# What a state claims as its own (a standing claim, not something said).
_TITLE_CLAIMED = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:sovereignty|ownership|jurisdiction|title|territorial)\b"
)


# Before an event noun: its doer is the clause's subject ("X was involved in killings").
_TAKES_PART = re.compile(
    r"\b(?:(?:involved|implicated|complicit|participated|engaged|took part|taking part|a role)"
    r"\s+in|responsible\s+for)\s+(?:[\w'’-]+\s+){0,3}$"
)


# Words that open a clause of their own after a demand ("called for talks after X struck").
_NEW_CLAUSE = re.compile(
    r"[;:]|\b(?:after|before|as|while|when|because|since|following|amid|but|which|who|that)\b"
)


class SentenceParser:
    """Parses sentence views into frames; holds no per-article state."""

    def parse(self, view: SentenceView) -> list[Frame]:
        """The frames (events before resolution) of one sentence."""
        return _Parse(view).run()


class _Parse(SpeechRules):
    """One sentence's parse: the verb and noun rules."""

    def run(self) -> list[Frame]:
        according = self._according() if self.v.according else []
        for c in self.cands:
            if c.verb and c.entry.flags & REPORTING:
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
        if coordinated(self.text[max(v.s0, c.start - 30) : c.start]):
            prev = self._previous_verb(c)
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
        for node in v.nodes_in(cs, limit):
            if v.possessive(node, c.start):
                continue
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

    def _verb(self, c: Candidate) -> Frame | None:
        v, e = self.v, c.entry
        cs, ce = v.clause(c.start)
        if self.reports:
            cs = self._floor(c, cs)
        passive = bool(e.flags & PART) and self._is_passive(c, cs)
        if c.trailing >= 0:
            return self._trailing_speech(c, c.trailing, ce)
        subject = c.subject = self._subject(c, cs)
        if v.prev_word(c.start) == "to":
            if not self._planned(c):
                return self._infinitive(c, cs)
            prev = self._previous_verb(c)
            if not subject and prev is not None and c.start - prev.end < 40:
                subject = c.subject = prev.subject  # "announced its intent to donate"
        if self._intended_too(c):
            return None  # "urged them to dig deep and donate ...": asked for as well
        if e.flags & ING and v.prev_word(c.start) == "for" and self._grounds_of_sanction(c, cs):
            c.intended = True
            return None  # "sanctioned X for providing support to Y": the grounds
        if e.flags & ING and self._means_of_grounds(c):
            c.intended = True
            return None  # "... for providing support to Y through illicit financing"
        if e.verb_type is None and not e.flags & (REPORTING | LIGHT | TRANSFER):
            return None  # "began", "continued": only a subject to lend
        if e.lemma == "claim" and _TITLE_CLAIMED.match(self.text, c.end):
            return None  # "claims sovereignty over the sea": a standing claim, not a statement
        prev_noun = self._noun_right_before(c)
        if prev_noun is not None and e.flags & (PART | ING) and not passive:
            # A participle after a noun modifies it: "an offensive conducted by X".
            self._lend(c, prev_noun, ce, passive=True)
            c.absorbed = True
            return None
        ruled_out, modality = self._cue(c, cs)
        if ruled_out:
            return None
        oe = self._object_end(c, ce)
        obj = self._event_noun_after(c, oe)
        type_ = e.verb_type
        if e.flags & TRANSFER or type_ == "aid":
            weapon = self._weapon_after(c, oe)
            if weapon < 0 and obj is not None and obj.entry.noun_type == "aid":
                weapon = obj.start  # "sent humanitarian aid to X": one aid event
            if weapon >= 0:  # "supplied drones to X": aid, and the drones attack no one
                type_ = "aid"
                for other in self.cands[c.pos + 1 :]:
                    if other.start >= oe or other.verb:
                        break
                    if other.start == weapon or other.entry.flags & WEAPON:
                        other.absorbed = True  # "sent tanks and missiles": all given
                        if other is obj:
                            obj = None
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
        for node in v.nodes_in(c.end, region_end):
            if speech and self._subject_of_report(node, region_end):
                break  # "said its forces had withdrawn": not an addressee
            self._place(frame, node, active=not passive)
        if speech and (type_ in ("statement", "accuse") or self._reports_after(c)):
            self._speech(c, frame, [] if passive else subject)
        else:
            frame.speech = frame.speech and type_ == "statement"
        if e.flags & DEMAND and not frame.actors and not passive:
            return None  # "the accord calls for X to withdraw": what a text asks, no statement
        if frame.actors or frame.recipients or passive:
            return frame
        if not frame.speech and self._noun_subject(c, cs):
            c.absorbed = True  # "the missile struck the vessel": the missile is the event
        return None if not frame.speech or frame.speaker_span is None else frame

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

    def _grounds_of_sanction(self, c: Candidate, cs: int) -> bool:
        """Whether a sanction or designation earlier in the clause (or sentence) has ``c``
        ("for providing ...") as its grounds."""
        for other in reversed(self.cands[: c.pos]):
            if other.entry.verb_type == "sanction" or other.entry.noun_type == "sanction":
                return True
        return False

    def _means_of_grounds(self, c: Candidate) -> bool:
        """Whether an "-ing" form is the means of grounds given just before ("for
        providing support to Y through illicit financing")."""
        prev = self._previous_verb(c)
        if prev is None or not prev.intended or not prev.entry.flags & ING:
            return False
        gap = self.text[prev.end : c.start]
        return len(gap) <= 80 and not _NEW_CLAUSE.search(gap) and "," not in gap

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

    def _noun(self, c: Candidate) -> Frame | None:
        v, e = self.v, c.entry
        type_ = e.noun_type
        if type_ is None or (e.lemma == "claim" and _TITLE_CLAIMED.match(self.text, c.end)):
            return None
        clause_start, ce = v.clause(c.start)
        cs = self._floor(c, clause_start) if self.reports else clause_start
        ruled_out, modality = self._cue(c, cs)
        if ruled_out:
            return None
        if type_ == "threaten" and modality == "reported":
            modality = "threatened"
        if e.flags & TAKE and self._takes_ground(c, self._object_end(c, ce)):
            type_ = "assault"  # "the capture of the airport"
        frame = Frame(c.start, c.end, type_, e.lemma, clause=(cs, ce), modality=modality)
        phrase_start = c.start
        near = v.actor_ending_before(c.start, 40)
        if (
            near is not None
            and near[0] >= cs
            and PREMOD_GAP.match(v.gap(near[1], c.start))
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
        if e.flags & GROUP_NOUN and self._names_a_group(c):
            return None  # "the Viv Ansanm alliance": part of a name, not an alliance made
        prev_verb = self._previous_verb_in(c, clause_start)
        if (prev_verb is not None and prev_verb.intended) or self._demanded(c):
            return None  # "urged them to extend the ceasefire": asked for, not done
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
            frame.modality = stronger(frame.modality, prev_verb.frame.modality)
            return frame if frame.actors else None
        lent = prev_verb is not None and prev_verb.absorbed and bool(c.subject)
        if prev_verb is not None and prev_verb.entry.flags & LIGHT and (prep is None or lent):
            # "launched an offensive", "pledged $2 billion in military aid"; "held a press
            # conference with X": the subject first, then the partners
            frame.actors[:0] = [n for n in prev_verb.subject if n not in frame.actors]
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
        if (
            not frame.actors
            and _TAKES_PART.search(self.text, max(cs, phrase_start - 60), phrase_start)
            and not any(
                r.start <= c.start < r.end and r.owner.type == "accuse" for r in self.reports
            )
        ):
            # "X has been involved in killings", "X was responsible for the massacre"; what
            # is alleged of X ("it was alleged that X was involved in ...") is the allegation
            frame.actors.extend(v.subject_of_clause(cs, phrase_start))
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

    def _demanded(self, c: Candidate) -> bool:
        """Whether event noun ``c`` is among what a demand asks for, however many "and
        for ..." follow ("calls for the withdrawal of X and for Y to end its support"):
        a demand verb earlier in the sentence with only event nouns and infinitives
        between."""
        text = self.text
        for other in reversed(self.cands[: c.pos]):
            if not other.verb:
                continue
            if other.entry.flags & DEMAND:
                return not _NEW_CLAUSE.search(text, other.end, c.start)
            if self.v.prev_word(other.start) != "to":
                return False
        return False

    def _names_a_group(self, c: Candidate) -> bool:
        """Whether a group noun ("alliance", "coalition") right after an actor's name
        names that actor ("the Viv Ansanm alliance") rather than an alliance made."""
        near = self.v.actor_ending_before(c.start, 3)
        if near is None or self.text[near[1] : c.start].strip():
            return False
        return not self.text.startswith((" with ", " between ", " of "), c.end)

    def _previous_frame(self, c: Candidate, cs: int) -> Frame | None:
        """The latest event already found in the same clause ("the attacks ..., resulting
        in the killing of X": the killing is the attackers')."""
        for other in reversed(self.cands[: c.pos]):
            if other.start < cs:
                return None
            if other.frame is not None and other.frame.actors and not other.absorbed:
                return other.frame
        return None

    def _determined(self, c: Candidate) -> bool:
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

    def _passive_subject(self, cs: int, pos: int) -> list[Node]:
        """The subject of "X was weakened by <event>": the event's recipient."""
        subject = self.v.subject_of_clause(cs, pos)
        if subject and any(t[2].flags & BE for t in self.v.tags_between(subject[-1][1], pos)):
            return subject
        return []

    def _occurs_after(self, c: Candidate, ce: int) -> Candidate | None:
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
                if flags & OCCURRING or (other.entry.verb_type and not flags & REPORTING):
                    return other
                if flags & LIGHT and self._is_passive(other, self.v.clause(other.start)[0]):
                    return other
                return None
        return None
