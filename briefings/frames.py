"""The shallow parse of one sentence into event frames: trigger, type, who acts, who receives.

A sentence is a row of *nodes*: actor mentions, references ("they", "the rebels") and
dictionary words (event verbs and nouns, light verbs, speech verbs, prepositions, hedges,
clause openers). Clauses run between openers ("which", "while", "that", ";", dashes).

* **Verbs.** The subject is the actor group right before the verb, else the first actor in
  the clause not governed by a preposition, else (after a relative pronoun) the actor the
  clause hangs on, else — after "and", "but" or a comma — the subject of the previous verb.
  Actors after the verb are recipients, after "by"/"between" actors, after "with" partners
  (actors of cooperation and talks), after "in"/"near"/"from" places. A participle after
  "be" is passive: subject and agent swap.
* **Nouns.** "Azerbaijan's blockade of Artsakh", "attacks by the Houthis", "fighting between
  A and B": actors before the noun or after "by"/"between", recipients after "of"/"against"/
  "on". The object of a light verb ("launched an offensive") takes the light verb's subject;
  a subject noun counts when an occurrence verb follows ("fighting resumed"); a bare
  back-reference ("after the attack") does not.
* **Speech.** A speech verb makes a statement (or accusation) by its subject, and what it
  reports inherits the speaker as attribution and the verb's modality (alleged, claimed).
* **No event:** after a future or goal word ("will", "the goal was"), after a negation, a
  modal without "have" (a forecast), and an infinitive that is only a purpose or a demand.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefings.model import EventType, Modality
from briefings.verbs import Entry, Tag

Node = tuple[int, int, tuple[str, ...], str | None]
"""An actor node: ``(start, end, actor ids, None)`` or a reference ``(start, end, (), class)``."""

_PREPS = frozenset({"prep_actor", "prep_partner", "prep_place", "prep_recipient", "prep_other"})
_PARTNER_TYPES = frozenset({"cooperate", "consult", "assault"})
_PUNCT = re.compile(r"[;:]|\s[–—-]\s|,\s+(?:and|but|while|whereas|with)\b")
_LAST_WORD = re.compile(r"([\w'’-]+)['’]?\s*$")
_SHORT_GAP = re.compile(r"^(?:['’]s?)?(?:\s+[\w'’-]+){0,2}\s*$")
_PREMOD_GAP = re.compile(r"^(?:['’]s?)?(?:[\s–-]+[\w'’-]+){0,3}[\s–-]*$")
_JOIN = re.compile(
    r"^\s*(?:(?:,|–|-|/|&)\s*(?:(?:and|or)\s+)?|(?:and|or|as well as|along with|together with)\s+)"
    r"(?:(?:the|a|an|its|their|both)\s+)?(?:[a-z][\w-]*\s+){0,2}$|^\s*$"
)
_APPOSITION = re.compile(r",\s+(?:the|a|an)\s")
_ASIDE = re.compile(r"\s*\([^()]*\)")
_COORDINATOR = re.compile(r",|\b(?:and|or|but|then)\b")
_COORD_BEFORE = re.compile(
    r"(?:,|\band|\bor|\bbut|\bthen)\s+(?:\w+ly\s+)?(?:has\s+|have\s+|had\s+)?$"
)
_MODALITY_RANK = {"reported": 0, "claimed": 1, "alleged": 2, "planned": 3, "possible": 4}


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
    speaker_text: str | None = None
    present: bool = False
    passive: bool = False
    clause: tuple[int, int] = (0, 0)
    copy_previous: bool = False
    speech: bool = False


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    entry: Entry
    verb: bool
    index: int
    frame: Frame | None = None
    absorbed: bool = False
    subject: list[Node] = field(default_factory=list)
    subject_start: int = -1


class SentenceParser:
    """Parses sentences into frames with one dictionary; holds no per-article state.

    Args:
        determiners: words that mark the next word as a noun ("the", "several", ...).
    """

    def __init__(self, determiners: frozenset[str]) -> None:
        self.determiners = determiners

    def parse(
        self, text: str, span: tuple[int, int], tags: Sequence[Tag], actors: Sequence[Node]
    ) -> list[Frame]:
        """The frames of one sentence.

        Args:
            text: the article text (all offsets point into it).
            span: the sentence's ``(start, end)``.
            tags: dictionary hits inside the sentence (none inside actor mentions).
            actors: actor and reference nodes inside the sentence, by offset.
        """
        return _Parse(self, text, span, tags, actors).run()


class _Parse:
    """The working state of one sentence's parse."""

    def __init__(
        self,
        parser: SentenceParser,
        text: str,
        span: tuple[int, int],
        tags: Sequence[Tag],
        actors: Sequence[Node],
    ) -> None:
        self.p = parser
        self.text = text
        self.s0, self.s1 = span
        self.actors = list(actors)
        self.actor_starts = [a[0] for a in self.actors]
        self.tags = list(tags)
        self.tag_starts = [t[0] for t in self.tags]
        bounds = [self.s0]
        self.reports: list[tuple[int, int, list[Node], Modality, Frame]] = []
        self.relative_at: set[int] = set()
        for start, end, entry in self.tags:
            if "boundary" in entry.words:
                bounds.append(start)
                if "relative" in entry.words:
                    self.relative_at.add(start)
                    if text[max(self.s0, start - 2) : start].strip() == ",":
                        # ", which ...," closes at the next comma.
                        close = text.find(",", end, self.s1)
                        if close > 0:
                            bounds.append(close)
        for m in _PUNCT.finditer(text, self.s0, self.s1):
            bounds.append(m.start())
        bounds.sort()
        self.bounds = bounds
        self.cands: list[_Cand] = []
        for i, (start, end, entry) in enumerate(self.tags):
            verb = self._reading(start, end, entry)
            if verb is not None:
                self.cands.append(_Cand(start, end, entry, verb, i))

    # ------------------------------------------------------------------ helpers

    def clause(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.bounds, pos)
        start = self.bounds[i - 1] if i else self.s0
        end = self.bounds[i] if i < len(self.bounds) else self.s1
        return start, end

    def prev_word(self, pos: int) -> str | None:
        m = _LAST_WORD.search(self.text, max(self.s0, pos - 30), pos)
        return m.group(1).lower() if m else None

    def _reading(self, start: int, end: int, entry: Entry) -> bool | None:
        """True for a verb reading, False for a noun, None when neither fits."""
        has_verb = entry.is_verb
        has_noun = entry.is_noun
        if not (has_verb or has_noun):
            return None
        if self.text[start].isupper() and start > self.s0 + 1:
            return None  # part of a name: "the Battle of Laukkai", "Second Karabakh War"
        before = self.text[max(self.s0, start - 30) : start].lower().split()[-2:]
        det = self._noun_context(before)
        if not has_verb:
            return False
        if not has_noun:
            # A verb after an article or a possessive is a noun use ("Russia's ally").
            return None if det == 1 else True
        forms = entry.verb_forms
        if forms & {"past", "part"} and not forms & {"base", "s"}:
            return True
        if not before or det:
            return False
        prev = before[-1]
        if prev in ("to", "not", "also", "is", "are", "was", "were", "be", "been"):
            return True
        if prev == "and":
            return "ing" in forms
        near = self._actor_ending_before(start, 3)
        if near is not None:
            after = self.text[end : end + 6].lstrip().lower()
            return after.startswith(("the ", "a ", "an ", "its ", "their "))
        return True

    def _noun_context(self, before: list[str]) -> int:
        """1 when the word right before is a determiner or possessive, 2 when the one
        before that is (with a modifier between), else 0."""
        for distance, raw in enumerate(reversed(before), start=1):
            word = raw.strip("\"“”‘’'(")
            if (
                word in self.p.determiners
                or word.endswith(("'s", "’s", "s'", "s’"))
                or (word[:1].isdigit() and distance == 1)
                or ("-" in word and distance == 1 and not word.startswith("then-"))
            ):
                return distance
            if not word.isalpha() or word in ("and", "or", "to", "has", "have", "had"):
                return 0
        return 0

    def _actor_ending_before(self, pos: int, slack: int) -> Node | None:
        i = bisect_right(self.actor_starts, pos) - 1
        if i >= 0 and 0 <= pos - self.actors[i][1] <= slack:
            return self.actors[i]
        return None

    def _tags_between(self, a: int, b: int) -> list[Tag]:
        i = bisect_right(self.tag_starts, a - 1)
        out = []
        while i < len(self.tags) and self.tags[i][0] < b:
            if self.tags[i][0] >= a:
                out.append(self.tags[i])
            i += 1
        return out

    def prep_of(self, node: Node) -> str | None:
        """The preposition governing an actor node (walking back over coordination)."""
        found = self.governing(node[0])
        return found.key if found is not None else None

    def prep_entry(self, node: Node) -> Entry | None:
        """The dictionary entry of the preposition governing an actor node, if any."""
        return self.governing(node[0])

    def governing(self, pos: int) -> Entry | None:
        """The preposition that governs the phrase starting at ``pos``, if any.

        Walks back over coordinated actors ("against X, Y and Z") and, once past a
        coordinator, over event nouns ("by a bombing and the blockade"); a comma before
        anything but an actor, or any other word, ends the walk.
        """
        j = bisect_right(self.tag_starts, pos - 1) - 1
        k = bisect_right(self.actor_starts, pos - 1) - 1
        coordinated = False
        while True:
            tag = self.tags[j] if j >= 0 and self.tags[j][0] >= self.s0 else None
            actor = self.actors[k] if k >= 0 else None
            if actor is not None and actor[1] > pos:
                k -= 1
                continue
            if tag is None and actor is None:
                return None
            if actor is not None and (tag is None or actor[0] > tag[0]):
                pos = actor[0]
                k -= 1
                continue
            assert tag is not None
            start, end, entry = tag
            gap = self.text[end:pos]
            if len(gap) > 60 or any(c in gap for c in ",;:"):
                return None
            words = entry.words
            if words & _PREPS:
                if entry.key == "of":
                    outer = self._outer_prep(start)
                    if outer is not None:
                        return outer
                return entry
            if "coordination" in words:
                coordinated = True
            elif not (coordinated and entry.is_noun):
                return None
            pos = start
            j -= 1

    def _outer_prep(self, of_start: int) -> Entry | None:
        j = bisect_right(self.tag_starts, of_start - 1) - 1
        if j < 0:
            return None
        _start, end, entry = self.tags[j]
        if of_start - end > 30 or self._actor_ending_before(of_start, of_start - end) is not None:
            return None
        if entry.words & {"prep_place", "prep_actor"}:
            return entry
        return None

    def role(self, prep: Entry | None, type_: EventType) -> str:
        """What an actor after ``prep`` is to an event of ``type_``."""
        if prep is None:
            return "recipient"
        words = prep.words
        if "prep_actor" in words:
            return "actor"
        if "prep_partner" in words:
            return "actor" if type_ in _PARTNER_TYPES else "recipient"
        if "prep_place" in words:
            return "actor" if prep.key == "from" and type_ == "aid" else "place"
        if "prep_other" in words:
            return "other"
        return "recipient"

    def gap(self, a: int, b: int) -> str:
        """The text between two offsets without parenthetical asides."""
        return _ASIDE.sub("", self.text[a:b])

    def nodes_in(self, a: int, b: int) -> list[Node]:
        i = bisect_right(self.actor_starts, a - 1)
        out = []
        while i < len(self.actors) and self.actors[i][0] < b:
            out.append(self.actors[i])
            i += 1
        return out

    def group_ending_at(self, node: Node, floor: int) -> list[Node]:
        """``node`` and the actors coordinated before it ("JNIM and the FLA", "US–Israel")."""
        i = self.actors.index(node)
        group = [node]
        while i > 0:
            prev = self.actors[i - 1]
            if prev[0] < floor or not _JOIN.match(self.gap(prev[1], group[0][0])):
                break
            group.insert(0, prev)
            i -= 1
        return group

    def group_starting_at(self, node: Node, ceiling: int) -> list[Node]:
        i = self.actors.index(node)
        group = [node]
        while i + 1 < len(self.actors):
            nxt = self.actors[i + 1]
            if nxt[0] >= ceiling or not _JOIN.match(self.gap(group[-1][1], nxt[0])):
                break
            group.append(nxt)
            i += 1
        return group

    # ------------------------------------------------------------------ the parse

    def run(self) -> list[Frame]:
        frames: list[Frame] = []
        according = self._according()
        for c in self.cands:
            frame = self._verb(c) if c.verb else self._noun(c)
            c.frame = frame
        for c in self.cands:
            if c.frame is not None and not c.absorbed:
                frames.append(c.frame)
        self._attribute(frames, according)
        return frames

    def _according(self) -> list[Node]:
        for _start, end, entry in self.tags:
            if "according" in entry.words:
                nodes = self.nodes_in(end, self.clause(end)[1])
                if nodes:
                    return self.group_starting_at(nodes[0], self.clause(end)[1])
        return []

    def _cue(self, c: _Cand, clause_start: int) -> tuple[bool, Modality]:
        """Whether the clause before ``c`` rules it out, and the modality it gives."""
        modality: Modality = "reported"
        modal_at = -1
        for start, _end, entry in self._tags_between(clause_start, c.start):
            words = entry.words
            if not words:
                continue
            if words & {"future", "goal", "negation"}:
                if c.entry.verb_type == "threaten" or c.entry.noun_type == "threaten":
                    continue
                return True, modality
            if "modal" in words:
                modal_at = start
            elif "have" in words and modal_at >= 0:
                modality = "possible"
                modal_at = -2
            elif "plan" in words:
                modality = "planned"
            elif "possible" in words:
                modality = "possible"
            elif "alleged" in words and modality == "reported":
                modality = "alleged"
        if modal_at >= 0:
            return True, modality
        return False, modality

    def _subject(self, c: _Cand, cs: int) -> list[Node]:
        near = self._actor_ending_before(c.start, 60)
        if near is not None and near[0] >= cs:
            gap = self.gap(near[1], c.start)
            if (
                _SHORT_GAP.match(gap)
                and not _COORDINATOR.search(gap)
                and self.prep_of(near) in (None, "with", "of")
            ):
                return self.group_ending_at(near, cs)
        if _COORD_BEFORE.search(self.text, max(self.s0, c.start - 30), c.start):
            prev = self._previous_verb(c)
            if prev is not None and prev.subject:
                return prev.subject
        candidates = [n for n in self.nodes_in(cs, c.start) if not self._possessive(n, c.start)]
        for node in candidates:
            if self.prep_of(node) is None:
                return self.group_starting_at(node, c.start)
        for node in candidates:
            if self.prep_of(node) == "of":
                return self.group_starting_at(node, c.start)
        if cs in self.relative_at:
            near = self._actor_ending_before(cs, 30)
            if near is not None:
                return self.group_ending_at(near, self.s0)
        if self.text[cs] == ",":
            # After a ", which ...," aside the subject is the one before the aside.
            opener = self.clause(cs - 1)[0]
            if opener in self.relative_at:
                near = self._actor_ending_before(opener, 30)
                if near is not None:
                    return self.group_ending_at(near, self.s0)
        return []

    def _possessive(self, node: Node, limit: int) -> bool:
        """A possessive naming the owner of a following actor ("Russia's ally Iran")."""
        after = self.text[node[1] : node[1] + 2]
        if not (after.startswith(("'", "’"))):
            return False
        nxt = self.nodes_in(node[1], limit)
        return bool(nxt) and nxt[0][0] - node[1] <= 25

    def _previous_verb(self, c: _Cand) -> _Cand | None:
        for other in reversed(self.cands[: self.cands.index(c)]):
            if other.verb:
                return other
        return None

    def _object_end(self, c: _Cand, ce: int) -> int:
        for other in self.cands:
            if other.start > c.start and other.verb and other.start < ce:
                e = other.entry
                if e.verb_type or e.verb_roles & {"speech", "demand"}:
                    ce = other.start
                    break
        for m in _APPOSITION.finditer(self.text, c.end, ce):
            if self.nodes_in(c.end, m.start()) and not self.nodes_in(m.end() - 1, m.end() + 1):
                return m.start()
        return ce

    def _is_passive(self, c: _Cand, cs: int) -> bool:
        forms = c.entry.verb_forms
        if "part" not in forms:
            return False
        for _start, end, entry in reversed(self._tags_between(max(cs, c.start - 40), c.start)):
            if "be" in entry.words:
                gap = self.text[end : c.start]
                return len(gap.split()) <= 2 and not self.nodes_in(end, c.start)
            if entry.is_verb or entry.words & {"have"}:
                break
        after = self.text[c.end : c.end + 4]
        prev = self.prev_word(c.start)
        return after.startswith(" by ") and prev not in ("has", "have", "had")

    def _verb(self, c: _Cand) -> Frame | None:
        e = c.entry
        cs, ce = self.clause(c.start)
        c.subject_start = cs
        passive = self._is_passive(c, cs)
        subject = self._subject(c, cs)
        c.subject = subject
        if self.prev_word(c.start) == "to":
            return self._infinitive(c, cs)
        prev_noun = self._noun_right_before(c)
        if prev_noun is not None and "part" in e.verb_forms | {"ing"} and not passive:
            # A participle after a noun modifies it: "an offensive conducted by X".
            self._lend(c, prev_noun, cs, ce, passive=True)
            c.absorbed = True
            return None
        ruled_out, modality = self._cue(c, cs)
        if ruled_out:
            return None
        oe = self._object_end(c, ce)
        obj = self._event_noun_after(c, oe)
        if obj is not None and (e.verb_roles & {"light", "demand"} or e.verb_type == "threaten"):
            if e.verb_roles & {"demand"} or e.verb_type == "threaten":
                obj.absorbed = True
            else:
                self._lend(c, obj, cs, ce, passive=passive)
                c.absorbed = True
                return None
        type_ = e.verb_type
        speech = "speech" in e.verb_roles
        if type_ is None:
            if speech or "demand" in e.verb_roles:
                type_ = "statement"
            elif "light" in e.verb_roles and any(n[3] == "tactic" for n in subject):
                frame = Frame(c.start, c.end, "other", e.lemma, clause=(cs, ce))
                frame.copy_previous = True
                frame.modality = modality
                return frame
            else:
                return None
        frame = Frame(c.start, c.end, type_, e.lemma, clause=(cs, ce), modality=modality)
        frame.speech = speech or "demand" in e.verb_roles
        frame.present = self._present(c)
        frame.passive = passive
        if passive:
            frame.recipients.extend(n for n in subject if n[3] != "thing")
        else:
            frame.actors.extend(subject)
        region_end = self._speech_object_end(c, oe) if speech else oe
        for node in self.nodes_in(c.end, region_end):
            self._place(frame, node, passive)
        if speech and (type_ in ("statement", "accuse") or self._reports_after(c)):
            self._speech(c, frame, subject if not passive else [])
        else:
            frame.speech = frame.speech and type_ == "statement"
        if (
            not frame.actors
            and not frame.recipients
            and not passive
            and (frame.speech or not self._noun_subject(c, cs))
        ):
            return None
        return frame

    def _noun_subject(self, c: _Cand, cs: int) -> bool:
        """Whether an event noun is the subject of verb ``c`` ("the missile struck")."""
        for other in self.cands:
            if other.start >= c.start:
                return False
            if other.start >= cs:
                return not other.verb
        return False

    def _place(self, frame: Frame, node: Node, passive: bool) -> None:
        role = self.role(self.prep_entry(node), frame.type)
        if role == "actor":
            frame.actors.append(node)
        elif role == "recipient" and node[3] != "thing":
            frame.recipients.append(node)

    def _present(self, c: _Cand) -> bool:
        forms = c.entry.verb_forms
        if "s" in forms:
            return True
        prev = self.prev_word(c.start)
        if "ing" in forms:
            before = self.text[max(self.s0, c.start - 20) : c.start].lower().split()[-2:]
            return any(w in ("is", "are", "am") for w in before)
        return "base" in forms and prev in ("we", "i", "they", "you")

    def _noun_right_before(self, c: _Cand) -> _Cand | None:
        i = self.cands.index(c)
        if i == 0:
            return None
        prev = self.cands[i - 1]
        if prev.verb:
            return None
        gap = self.text[prev.end : c.start]
        return prev if len(gap.strip()) == 0 and len(gap) <= 2 else None

    def _event_noun_after(self, c: _Cand, oe: int) -> _Cand | None:
        for other in self.cands[self.cands.index(c) + 1 :]:
            if other.start >= oe:
                return None
            if not other.verb:
                gap = self.text[c.end : other.start]
                return other if len(gap) <= 45 and "," not in gap else None
            return None
        return None

    def _speech_object_end(self, c: _Cand, oe: int) -> int:
        for start, _end, entry in self._tags_between(c.end, oe):
            if "relative" in entry.words or "boundary" in entry.words:
                return start
        quote = min((i for i in (self.text.find(q, c.end, oe) for q in '“"') if i >= 0), default=oe)
        return min(oe, quote)

    def _speech(self, c: _Cand, frame: Frame, speaker: list[Node]) -> None:
        """Mark what a speech verb reports: its region, speaker and modality."""
        modality = c.entry.speech or "reported"
        frame.modality = _stronger(frame.modality, modality)
        frame.speaker = list(speaker)
        end = self.s1
        for other in self.cands[self.cands.index(c) + 1 :]:
            if other.verb and "speech" in other.entry.verb_roles:
                end = other.start
                break
        if frame.type == "accuse":
            for node in self.nodes_in(c.end, end):
                if node not in frame.recipients and node[3] != "thing":
                    frame.recipients.append(node)
        self.reports.append((c.end, end, speaker, modality, frame))

    def _reports_after(self, c: _Cand) -> bool:
        """Whether a clause follows the verb ("warned that ...", "agreed: ...")."""
        follows = self.text[c.end : c.end + 8].lstrip()
        return follows.startswith(("that ", ":", "“", '"'))

    def _infinitive(self, c: _Cand, cs: int) -> Frame | None:
        """An infinitive: kept after an aspect verb, lent to a threat or demand, else none."""
        j = self.cands.index(c) - 1
        gov = self.cands[j] if j >= 0 and self.cands[j].verb else None
        if gov is None or c.start - gov.end > 60:
            return None
        roles = gov.entry.verb_roles
        if "aspect" in roles and "to" in self.text[gov.end : c.start]:
            ruled_out, modality = self._cue(c, cs)
            if ruled_out:
                return None
            frame = Frame(c.start, c.end, c.entry.verb_type or "other", c.entry.lemma)
            frame.clause = self.clause(c.start)
            frame.actors.extend(gov.subject)
            frame.modality = modality
            for node in self.nodes_in(c.end, self._object_end(c, frame.clause[1])):
                self._place(frame, node, False)
            return frame if c.entry.verb_type else None
        if gov.frame is not None and (gov.entry.verb_type == "threaten" or "demand" in roles):
            ce = self.clause(c.start)[1]
            for node in self.nodes_in(c.end, self._object_end(c, ce)):
                if node not in gov.frame.recipients and node[3] != "thing":
                    gov.frame.recipients.append(node)
        return None

    def _lend(self, light: _Cand, noun: _Cand, cs: int, ce: int, passive: bool) -> None:
        """Give a light verb's subject (or agent) and tense to its event noun."""
        noun.subject = light.subject
        noun.subject_start = cs
        if noun.frame is None:
            return
        frame = noun.frame
        if not frame.actors:
            if passive:
                for node in self.nodes_in(light.end, ce):
                    if self.prep_of(node) == "by":
                        frame.actors.append(node)
            else:
                frame.actors.extend(light.subject)
        frame.present = frame.present or self._present(light)

    def _noun(self, c: _Cand) -> Frame | None:
        e = c.entry
        cs, ce = self.clause(c.start)
        type_ = e.noun_type
        if type_ is None:
            return None
        ruled_out, modality = self._cue(c, cs)
        if ruled_out:
            return None
        frame = Frame(c.start, c.end, type_, e.lemma, clause=(cs, ce), modality=modality)
        phrase_start = c.start
        near = self._actor_ending_before(c.start, 40)
        if near is not None and near[0] >= cs:
            gap = self.text[near[1] : c.start]
            if _PREMOD_GAP.match(gap) and not self._tags_between(near[1], c.start):
                group = self.group_ending_at(near, cs)
                frame.actors.extend(group)
                phrase_start = group[0][0]
        oe = self._object_end(c, ce)
        for other in self.cands[self.cands.index(c) + 1 :]:
            if other.start >= oe:
                break
            if not other.verb:
                oe = other.start
                break
        for node in self.nodes_in(c.end, oe):
            prep = self.prep_entry(node)
            if prep is not None:
                role = self.role(prep, type_)
                if role == "actor":
                    frame.actors.append(node)
                elif role == "recipient" and node[3] != "thing":
                    frame.recipients.append(node)
        prev_verb = self._previous_verb_in(c, cs)
        prep = self.governing(phrase_start)
        if prev_verb is not None and prev_verb.entry.verb_roles & {"light"} and prep is None:
            if not frame.actors:
                frame.actors.extend(prev_verb.subject)
            frame.present = self._present(prev_verb)
            return frame
        if prep is not None and prep.key == "by":
            frame.recipients.extend(self._passive_subject(cs, phrase_start))
        if not frame.actors and frame.recipients and (prep is None or prep.key != "by"):
            earlier = self._previous_frame(c, cs)
            if earlier is not None:
                frame.actors.extend(earlier.actors)
        if frame.actors or frame.recipients:
            return frame
        if prep is None and prev_verb is None and self._occurs_after(c, ce):
            return frame
        if prev_verb is not None and prep is None and not self._determined(c):
            frame.actors.extend(self._subject_of_clause(cs, c.start))
            return frame if frame.actors else None
        if prep is not None and prev_verb is not None and prev_verb.entry.verb_type is None:
            # "resulting in the killing of X": the clause subject did it.
            frame.actors.extend(self._subject_of_clause(cs, c.start))
            return frame if frame.actors and frame.recipients else None
        return None

    def _previous_frame(self, c: _Cand, cs: int) -> Frame | None:
        """The latest event already found in the same clause ("the attacks ..., resulting
        in the killing of X": the killing is the attackers')."""
        for other in reversed(self.cands[: self.cands.index(c)]):
            if other.start < cs:
                return None
            if other.frame is not None and other.frame.actors and not other.absorbed:
                return other.frame
        return None

    def _determined(self, c: _Cand) -> bool:
        prev = self.prev_word(c.start)
        return prev in ("the", "this", "that", "these", "those", "its", "their", "his", "her")

    def _subject_of_clause(self, cs: int, pos: int) -> list[Node]:
        for node in self.nodes_in(cs, pos):
            if self.prep_of(node) is None and not self._possessive(node, pos):
                return self.group_starting_at(node, pos)
        return []

    def _previous_verb_in(self, c: _Cand, cs: int) -> _Cand | None:
        for other in reversed(self.cands[: self.cands.index(c)]):
            if other.start < cs:
                return None
            if other.verb:
                return other
        return None

    def _passive_subject(self, cs: int, pos: int) -> list[Node]:
        subject = self._subject_of_clause(cs, pos)
        if not subject:
            return []
        for _s, _e, entry in self._tags_between(subject[-1][1], pos):
            if "be" in entry.words:
                return subject
        return []

    def _occurs_after(self, c: _Cand, ce: int) -> bool:
        for other in self.cands[self.cands.index(c) + 1 :]:
            if other.start >= ce:
                return False
            if other.verb:
                return bool(other.entry.verb_roles & {"aspect", "occur"})
        return False

    def _attribute(self, frames: list[Frame], according: list[Node]) -> None:
        reports = self.reports
        for frame in frames:
            if frame.speech:
                continue
            for start, end, speaker, modality, owner in reports:
                if start <= frame.start < end and owner is not frame:
                    frame.speaker = list(speaker)
                    frame.speaker_text = owner.speaker_text
                    frame.modality = _stronger(frame.modality, modality)
                    break
            else:
                if according:
                    frame.speaker = list(according)
        if according:
            frame = Frame(self.s0, self.s0, "statement", "according to", clause=(self.s0, self.s1))
            frame.actors.extend(according)
            frame.speaker = list(according)
            frame.speech = True
            frames.insert(0, frame)


def _stronger(a: Modality, b: Modality) -> Modality:
    return a if _MODALITY_RANK[a] >= _MODALITY_RANK[b] else b
