"""The noun rules of the sentence parser: event nouns into frames (who acts, who receives).

"Azerbaijan's blockade of Artsakh", "attacks by the Houthis", "fighting between A and B":
actors before the noun or after "by"/"between", recipients after "of"/"against"/"on". The
object of a light verb ("launched an offensive") takes the light verb's subject; a subject
noun counts when an occurrence verb follows ("fighting resumed", "a missile was
launched"); a bare back-reference ("after the attack") does not. After "involved in" /
"responsible for" the clause's subject is the doer. The verb rules are in
:mod:`briefings.analysis.events.roles`.
"""

import re

from briefings.analysis.events.attribution import SpeechRules
from briefings.analysis.events.frames import (
    BE,
    DEMAND,
    GROUP_NOUN,
    LIGHT,
    OCCURRING,
    REPORTING,
    TAKE,
    UNDO,
    WEAPON,
    Candidate,
    Frame,
    stronger,
)
from briefings.analysis.events.groundrules import PREMOD_GAP
from briefings.analysis.events.tags import Node
from briefings.text.cuefiles import word_set

# What a state claims as its own (a standing claim, not something said).
TITLE_CLAIMED = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:sovereignty|ownership|jurisdiction|title|territorial)\b"
)


# Before an event noun: its doer is the clause's subject ("X was involved in killings").
_TAKES_PART = re.compile(
    r"\b(?:(?:involved|implicated|complicit|participated|engaged|took part|taking part|a role)"
    r"\s+in|responsible\s+for)\s+(?:[\w'’-]+\s+){0,3}$"
)


# A reduced relative clause: "<noun> <subject> claims" with nothing claimed after it.
_NO_OBJECT = re.compile(r"\s*(?:[.,;:)]|as\b|$)")
_NOUN_BEFORE = re.compile(r"\b([a-z]+)\s+$")
_NO_NOUN = word_set("event_cues.toml", "no_noun")

# A plural noun (no comma after it) that an "-ing" form can qualify.
_PLURAL = re.compile(r"^[a-z]{3,}s$")
_NOT_PLURAL = frozenset({"was", "has", "its", "this", "thus", "his", "hers", "ours", "theirs"})

# A place or a day named after an event noun: "the attack in Kabul", "... on 5 May".
_WHEN_OR_WHERE = re.compile(
    r"\b(?:in|at|near|outside)\s+(?:the\s+)?[A-Z]|\bon\s+(?:\d|[A-Z][a-z]+\s+\d)"
)

# A lower-case word right after a noun that is no past form ("programme", not "landed").
_PLAIN_NEXT = re.compile(
    r" (?!(?:and|or|but|as|than|then|now|also|which|that|who|today|yesterday|overnight"
    r"|again|early|late|last|this)\b)[a-z]+(?<!ed)\b(?![-’'])"
)

# "the kidnapping (of X) was blamed on", "... has been attributed to": the doer follows.
_BLAMED_ON = re.compile(
    r"[^,;.]{0,80}?\b(?:was|were|is|are|has been|have been|had been)\s+(?:\w+\s+)?"
    r"(?:blamed\s+on|attributed\s+to)\s+(?:the\s+)?"
)

# Between a speech verb and the noun that opens what is said: "said (that) the".
_OPENS_REPORT = re.compile(
    r"\s+(?:that\s+)?(?:the|a|an|its|their|his|her|these|those)\s+(?:[a-z-]+\s+)?"
)

# A relative clause right after an event noun: "the strike that killed ...".
_RELATIVE_AFTER = re.compile(r",?\s+(?:that|which)\s")

# Words that open a clause of their own after a demand ("called for talks after X struck").
NEW_CLAUSE = re.compile(
    r"[;:]|\b(?:after|before|as|while|when|because|since|following|amid|but|which|who|that)\b"
)


class NounRules(SpeechRules):
    """The noun rules of one sentence's parse."""

    def _noun(self, c: Candidate) -> Frame | None:
        v, e = self.v, c.entry
        type_ = e.noun_type
        if type_ is None or (e.lemma == "claim" and TITLE_CLAIMED.match(self.text, c.end)):
            return None
        if e.flags & WEAPON and self._qualifies_next(c):
            return None  # "the drone programme", "missile parts": a weapon as a modifier
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
        owned = False  # "Ghana's sanctions": the owner is the doer
        near = v.actor_ending_before(c.start, 40)
        if (
            near is not None
            and near[0] >= cs
            and not v.tags_between(near[1], c.start)  # quicker than the pattern: first
            and PREMOD_GAP.match(v.gap(near[1], c.start))
        ):
            group = v.group_ending_at(near, cs)
            frame.actors.extend(group)
            phrase_start = group[0][0]
            owned = self.text[near[1] : near[1] + 1] in ("'", "’")
        oe = self._object_end(c, ce)
        if c.pos + 1 < len(self.cands):
            other = self.cands[c.pos + 1]
            if other.start < oe and not other.verb:
                oe = other.start
        if type_ == "sanction":
            oe = self._grounds_start(c.end, oe)
        for node in v.nodes_in(c.end, oe):
            prep = v.governing(node[0])
            if prep is not None:
                role = v.role(prep, type_)
                if role == "actor":
                    frame.actors.append(node)
                elif role == "recipient" and node[3] != "thing":
                    frame.recipients.append(node)
        if self.text.endswith("ing", c.start, c.end) and self._describes_object(c, cs):
            return None  # "armed militias fighting X": who the militias are
        if e.lemma == "claim" and self._claimed_before(c, frame.actors):
            return None  # "waters Togo claims": what is claimed, no statement
        if e.flags & GROUP_NOUN and self._names_a_group(c):
            return None  # "the Viv Ansanm alliance": part of a name, not an alliance made
        prev_verb = self._previous_verb_in(c, clause_start)
        if (
            prev_verb is not None
            and prev_verb.entry.flags & REPORTING
            and not prev_verb.entry.flags & LIGHT
            and prev_verb.entry.verb_type is None
            and _OPENS_REPORT.fullmatch(self.text, prev_verb.end, c.start)
        ):
            prev_verb = None  # "X said the strikes hit Y": the noun opens what is said
        if (
            prev_verb is not None
            and prev_verb.entry.flags & UNDO
            and not NEW_CLAUSE.search(self.text, prev_verb.end, c.start)
        ):
            return None  # "revoked the defence agreements with X": they no longer hold
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
            accuser = prev_verb.frame.actors
            frame.actors.extend(n for n in prev_verb.frame.recipients if n not in accuser)
            frame.modality = stronger(frame.modality, prev_verb.frame.modality)
            return frame if frame.actors else None
        lent = prev_verb is not None and prev_verb.absorbed and bool(c.subject)
        if (
            prev_verb is not None
            and prev_verb.entry.flags & LIGHT
            and (prep is None or lent)
            and not owned  # "X took action after Y's designation": Y's, not X's
        ):
            # "launched an offensive", "pledged $2 billion in military aid"; "held a press
            # conference with X": the subject first, then the partners
            frame.actors[:0] = [n for n in prev_verb.subject if n not in frame.actors]
            frame.present = self._present(prev_verb)
            return frame
        by = prep is not None and prep.key == "by"
        if by:
            frame.recipients.extend(self._passive_subject(cs, phrase_start))
        follows = None
        if prep is None and prev_verb is None:
            follows = self._occurs_after(c, ce) or self._done_after_relative(c)
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
        if not frame.actors and prep is None and prev_verb is None:
            m = _BLAMED_ON.match(self.text, c.end, v.s1)
            if m is not None:  # "the kidnapping was blamed on X": X is said to have done it
                nodes = v.nodes_in(m.end(), v.s1)
                if nodes:
                    frame.actors.extend(v.group_starting_at(nodes[0], v.s1))
                    frame.modality = stronger(frame.modality, "alleged")
        if frame.actors or frame.recipients:
            return frame
        if follows is not None:
            for node in v.nodes_in(follows.end, max(oe, ce, v.clause(follows.start)[1])):
                self._place(frame, node)
            return frame
        if prev_verb is not None and prep is None and prev_verb.entry.verb_type:
            if (
                prev_verb.entry.verb_type == "accuse"
                and prev_verb.frame is not None
                and _WHEN_OR_WHERE.search(self.text, c.end, min(ce, c.end + 90))
            ):
                return frame  # "condemned the attack on a hotel in X on 5 May": it happened
            return None  # the object of "fired a missile" is part of the firing
        if prev_verb is not None and prep is None and not self._determined(c):
            frame.actors.extend(v.subject_of_clause(cs, c.start))
            return frame if frame.actors else None
        if prep is not None and prev_verb is not None and prev_verb.entry.verb_type is None:
            # "resulting in the killing of X": the clause subject did it.
            frame.actors.extend(v.subject_of_clause(cs, c.start))
            return frame if frame.actors and frame.recipients else None
        return None

    def _qualifies_next(self, c: Candidate) -> bool:
        """Whether a plain lower-case word that no dictionary lists (no past form or time
        word) follows singular ``c`` right away: ``c`` modifies it ("drone programme")."""
        if self.text[c.end - 1] in "sS":
            return False  # "drones overnight": a plural is a head noun
        m = _PLAIN_NEXT.match(self.text, c.end)
        if m is None:
            return False
        nxt = self.v.next_tag(c.end)
        return nxt is None or nxt[0] > m.end()

    def _claimed_before(self, c: Candidate, subject: list[Node]) -> bool:
        """Whether a claim with no object qualifies the noun before its subject ("waters
        Togo claims", "the islands Peru claims as its own"): what is claimed, not said."""
        if not subject or not _NO_OBJECT.match(self.text, c.end):
            return False
        m = _NOUN_BEFORE.search(self.text, max(self.v.s0, subject[0][0] - 30), subject[0][0])
        return m is not None and m.group(1) not in _NO_NOUN

    def _describes_object(self, c: Candidate, cs: int) -> bool:
        """Whether an "-ing" form right after a plural noun that an earlier verb of the
        clause takes as object qualifies that noun ("armed militias fighting X")."""
        word = self.v.prev_word(c.start)
        if word is None or not _PLURAL.match(word) or word in _NOT_PLURAL:
            return False
        return any(o.verb and o.start >= cs for o in self.cands[: c.pos])

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
                return not NEW_CLAUSE.search(text, other.end, c.start)
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

    def _done_after_relative(self, c: Candidate) -> Candidate | None:
        """The passive light verb of an event noun that a relative clause follows ("the
        strike that killed the commander was carried out by X"): the verb after the
        relative clause's own verb, when it is light and passive; or, for a sentence's first
        event noun, a light verb after "being" ("the accord took effect after being signed
        by X")."""
        if c.pos == 0 or not any(o.start >= self.v.s0 for o in self.cands[: c.pos]):
            # the sentence's first event noun: "The accord took effect after being signed by X"
            for other in self.cands[c.pos + 1 :]:
                if (
                    other.verb
                    and other.entry.flags & LIGHT
                    and self.text.endswith(" being ", 0, other.start)
                ):
                    return other
        m = _RELATIVE_AFTER.match(self.text, c.end)
        if m is None:
            return None
        inner = None
        for other in self.cands[c.pos + 1 :]:
            if not other.verb:
                continue
            if inner is None:
                inner = other
                continue
            if other.entry.flags & LIGHT and self._is_passive(other, inner.end):
                return other
            return None
        return None

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
