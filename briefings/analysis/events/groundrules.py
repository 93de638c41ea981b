"""The ground rules of the sentence parser (readings, cues, roles).

:class:`FrameRules` holds what every rule of the parser relies on: which reading
(verb or noun) a dictionary word has in context, what rules an event out (a future, goal or
negation word before it in its clause) and what modality its clause gives it, where a
verb's object ends, whether it is passive, and what an actor after it is to the event. The
rules proper live in :mod:`briefings.analysis.events.attribution`,
:mod:`briefings.analysis.events.nouns` and :mod:`briefings.analysis.events.roles`.
"""

from __future__ import annotations

import re

from briefings.analysis.events.clauses import SentenceView
from briefings.analysis.events.frames import (
    ALLEGED,
    BASE,
    BE,
    DEMAND,
    FINITE,
    HAVE,
    ING,
    LIGHT,
    MODAL,
    OCCURRING,
    PART,
    PAST,
    PLAN,
    POSSIBLE,
    REPORTING,
    RULES_OUT,
    S_FORM,
    TERRITORY,
    WEAPON,
    Candidate,
    Frame,
    Report,
)
from briefings.analysis.events.tagging import PREPOSITION, Entry
from briefings.analysis.events.tags import Node
from briefings.model import Modality
from briefings.text.cuefiles import word_set

PREMOD_GAP = re.compile(r"^(?:['’]s?)?(?:[\s–-]+[\w'’-]+){0,3}[\s–-]*$")
_APPOSITION = re.compile(r",\s+(?:the|a|an)\s")
# After a participle: a word that is no preposition or article — the noun it qualifies.
_ADJECTIVE_NEXT = re.compile(
    r" (?!(?:by|in|on|at|to|from|with|for|of|into|the|a|an|and|or|as|after|before)\b)[A-Za-z]"
)
# "added X to its list of designated ...": a listing, a sanction rather than speech.
LISTING = re.compile(r"\bto\s+(?:the|its|their|our|a|his|her)\s+(?:[\w.-]+\s+){0,3}[Ll]ist\b")
# A lone capitalised name opening a clause before "was"/"were"/",": "Mellit was seized".
_LONE_NAME = re.compile(r"[\s,;:–—(]*([A-Z][\w'’-]+)(?=\s+(?:was|were|had been|has been)\s|,)")
# The object of a capture: "(of) (the) (key) Kidal" — where a place name would start.
_TAKEN_NAME = re.compile(
    r"\s+(?:of\s+)?(?:the\s+)?(?:(?!(?:in|at|on|near|from|to|with|by|for|and)\s)[a-z][\w-]*\s+){0,2}?"
    r"(?=[A-Z])"
)
# "any company that ...", "anyone who ...", "whichever state ...": a hypothetical one.
_ANY_BEFORE = re.compile(
    r"\b(?:[Aa]ny|[Ww]hichever|[Ww]hatever)(?:\s+[\w'’-]+){0,3},?\s+$"
    r"|\b(?:[Aa]nyone|[Aa]nybody|[Ww]hoever)\s+$"
)
# "those who support X": whoever does it (up to a coordinator that may end the clause).
_THOSE_BEFORE = re.compile(r"\b[Tt]hose\s+$")
_AND = re.compile(r"\b(?:and|but)\s")


_COUNTS = word_set("event_cues.toml", "counts")
_ARTICLE_WORDS = frozenset(("the", "a", "an", "and", "or", "their", "its", "his", "her"))
_NEXT_WORD = re.compile(r" ([A-Za-z][\w-]*)")
_AUX = ("to", "not", "also", "is", "are", "was", "were", "be", "been")
_PRESENT_BE = frozenset({"is", "are", "am"})


_NOT_PRESENT = ("to", "did", "does", "do", "let", "make", "help", "must", "will")


class FrameRules:
    """The working state of one sentence's parse and the rules every other rule uses."""

    def __init__(self, view: SentenceView) -> None:
        self.v = view
        self.text = view.text
        self.reports: list[Report] = []
        self.cands: list[Candidate] = []
        seen: list[tuple[int, bool, Entry]] = []
        cands = self.cands
        text, first = self.text, view.s0 + 1
        for start, end, entry in view.candidates:
            if start > first and text[start].isupper():
                continue  # part of a name: "the Battle of Laukkai", "Second Karabakh War"
            if not entry.is_verb:
                verb = False
            elif not entry.flags & (PAST | FINITE) and not entry.is_noun:
                verb = True  # only an "-ing" form: a verb wherever it stands
            else:
                reading = self._reading(start, end, entry, seen)
                if reading is None:
                    continue
                verb = reading
            cands.append(Candidate(start, end, entry, verb, len(cands)))
            seen.append((start, verb, entry))

    def _reading(
        self, start: int, end: int, entry: Entry, seen: list[tuple[int, bool, Entry]]
    ) -> bool | None:
        """True for a verb reading, False for a noun, None when neither fits (for a verb
        form with a past or finite reading; ``__init__`` settles the plain cases)."""
        v = self.v
        flags = entry.flags
        before = v.words_before(start)
        det, article = v.noun_context(before)
        if flags & PAST and det == 1 and not flags & FINITE:
            nxt = v.next_tag(end)
            if nxt is not None and nxt[2].is_noun and nxt[0] - end <= 1:
                return None  # an adjective: "the group's third claimed attack"
        if (
            flags & PAST
            and not flags & FINITE
            and before
            and before[-1] in v.ix.prepositions
            and _ADJECTIVE_NEXT.match(self.text, end)
        ):
            return None  # an adjective: "the list of sanctioned states", "by armed men"
        if det == 2 and flags & DEMAND and self._demanding(end, entry):
            return True  # "the accord calls for ...": the noun before is its subject
        if (
            flags & BASE
            and not flags & (S_FORM | PAST)
            and before
            and before[-1] != "to"
            and before[-1] in v.ix.prepositions
        ):
            return None  # a base form after a preposition: "in close coordination with"
        if (
            flags & S_FORM
            and not flags & PAST
            and not entry.is_noun
            and before
            and before[-1] in v.ix.prepositions
        ):
            return None  # a plural noun after a preposition: "concerned about reports that"
        if flags & PAST and det == 1 and self._counted(before[-1], end):
            return None  # an adjective: "ten armed militants", "200 kidnapped students"
        if not entry.is_noun:
            # After an article or a possessive a verb form is a noun or an adjective
            # ("Russia's ally", "all state institutions", "an alleged attack").
            if flags & PAST and article == 1:
                return None
            return None if det and flags & FINITE and not flags & PAST else True
        if flags & PAST and not flags & FINITE:
            return None if article == 1 else True
        if not before or det:
            return False
        prev = before[-1].rstrip(",")
        if prev in _AUX:
            return True
        nxt = v.next_tag(end)
        if (
            nxt is not None
            and nxt[0] - end <= 1
            and nxt[2].is_verb
            and not nxt[2].is_noun
            and not nxt[2].flags & ~(PAST | FINITE | ING | OCCURRING | LIGHT)
        ):
            return False  # "fighting resumed"
        if prev in v.ix.prepositions:
            return False  # "a respite in fighting"
        if prev.endswith("ing") and len(before) > 1 and before[-2] in v.ix.prepositions:
            return False  # "for funding attacks": the object of a gerund
        if not flags & ING and v.light_verb_before(start, seen):
            return False  # "pledged personnel and financial support"
        if prev == "and":
            return bool(flags & ING)
        if v.actor_ending_before(start, 3) is not None:
            return (
                self.text[end : end + 7]
                .lstrip()
                .lower()
                .startswith(("the ", "a ", "an ", "its ", "their "))
            )
        return True

    def _counted(self, prev: str, end: int) -> bool:
        """Whether a participle between a number and a word that is no preposition or
        article is an adjective ("10 armed militants", not "ten died in the attack")."""
        if not (prev[:1].isdigit() or prev in _COUNTS):
            return False
        m = _NEXT_WORD.match(self.text, end)
        if m is None:
            return False
        word = m.group(1).lower()
        return word not in _ARTICLE_WORDS and word not in self.v.ix.prepositions

    def _demanding(self, end: int, entry: Entry) -> bool:
        """Whether a demand word two words after an article is the verb of the noun
        between ("the accord calls for", "the resolution demands the ..."), not a noun
        ("the rebels' demands")."""
        return not entry.is_noun or self.text.startswith((" the ", " a ", " an ", " that "), end)

    def _cue(self, c: Candidate, clause_start: int) -> tuple[bool, Modality]:
        """Whether the clause before ``c`` rules it out, and the modality it gives.

        A relative clause on "any ..." ("would target any company that keeps supplying
        arms") describes whoever might do it, not an occurrence: it is ruled out too; so is
        one on "those" ("target those who support the war") up to an "and" or "but"."""
        if clause_start in self.v.relative_at:
            lo = max(0, clause_start - 40)
            text = self.text
            # Each pattern is looked for only when a word it needs is there (quick to find).
            if (
                (
                    text.find("ny", lo, clause_start) >= 0
                    or text.find("hever", lo, clause_start) >= 0
                )
                and _ANY_BEFORE.search(text, lo, clause_start)
            ) or (
                text.find("hose", lo, clause_start) >= 0
                and _THOSE_BEFORE.search(text, lo, clause_start)
                and not _AND.search(self.text, clause_start, c.start)
            ):
                return True, "reported"
        cues = self.v.cues_between(clause_start, c.start)
        if not cues:
            return False, "reported"
        modality: Modality = "reported"
        modal_at = -1
        threat = c.entry.verb_type == "threaten" or c.entry.noun_type == "threaten"
        for start, _end, entry in cues:
            flags = entry.flags
            if flags & RULES_OUT:
                if threat:
                    continue
                return True, modality
            if flags & MODAL:
                if self.text[start].isupper() and start > self.v.s0:
                    continue  # "on the 1st of May": the month, not the modal
                modal_at = start
            elif flags & HAVE and modal_at >= 0:
                modality, modal_at = "possible", -2
            elif flags & PLAN:
                modality = "planned"
            elif flags & POSSIBLE:
                modality = "possible"
            elif flags & ALLEGED and modality == "reported":
                modality = "alleged"
        return modal_at >= 0, modality

    def _grounds_start(self, start: int, end: int) -> int:
        """Where the grounds of a sanction begin ("sanctioned X for supplying Y"): no
        actor after "for" is sanctioned."""
        at = self.text.find(" for ", start, end)
        return end if at < 0 else at

    def _floor(self, c: Candidate, cs: int) -> int:
        """The clause start, or the end of the speech verb whose report holds ``c``."""
        for report in self.reports:
            if report.start <= c.start < report.end and report.start > cs:
                return report.start
        return cs

    def _previous_verb(self, c: Candidate) -> Candidate | None:
        """The latest verb before ``c``, passing over a speaker's aside (", X said,")."""
        for other in reversed(self.cands[: c.pos]):
            if other.verb and other.trailing < 0:
                return other
        return None

    def _previous_verb_in(self, c: Candidate, cs: int) -> Candidate | None:
        for other in reversed(self.cands[: c.pos]):
            if other.start < cs:
                return None
            if other.verb:
                return other
        return None

    def _object_end(self, c: Candidate, ce: int) -> int:
        for other in self.cands[c.pos + 1 :]:
            if other.start >= ce:
                break
            if other.verb and (other.entry.verb_type or other.entry.flags & REPORTING):
                ce = other.start
                break
        if "," in self.text[c.end : ce]:
            v = self.v
            for m in _APPOSITION.finditer(self.text, c.end, ce):
                if v.nodes_in(c.end, m.start()) and not v.inside_actor(m.end()):
                    return m.start()
        return ce

    def _is_passive(self, c: Candidate, cs: int) -> bool:
        if not c.entry.flags & PART:
            return False
        v = self.v
        for _start, end, entry in reversed(v.tags_between(max(cs, c.start - 40), c.start)):
            if entry.flags & BE:
                return len(self.text[end : c.start].split()) <= 2 and not v.nodes_in(end, c.start)
            if entry.is_verb or entry.flags & HAVE:
                break
        return self.text.startswith(" by ", c.end) and v.prev_word(c.start) not in (
            "has",
            "have",
            "had",
        )

    def _place(self, frame: Frame, node: Node, *, active: bool = False) -> None:
        role = self.v.role(self.v.governing(node[0]), frame.type, active=active)
        if role == "actor":
            frame.actors.append(node)
        elif role == "recipient" and node[3] != "thing":
            frame.recipients.append(node)

    def _present(self, c: Candidate) -> bool:
        flags = c.entry.flags
        if flags & S_FORM:
            return True
        if flags & ING:
            return not _PRESENT_BE.isdisjoint(self.v.words_before(c.start))
        if flags & BASE and not flags & PAST:  # "hit", "cut": read as past
            return self.v.prev_word(c.start) not in _NOT_PRESENT
        return False

    def _noun_right_before(self, c: Candidate) -> Candidate | None:
        if c.pos == 0:
            return None
        prev = self.cands[c.pos - 1]
        if prev.verb or c.start - prev.end > 2 or self.text[prev.end : c.start].strip():
            return None
        return prev

    def _takes_ground(self, c: Candidate, oe: int) -> bool:
        """Whether a capture ("captured Kidal", "seized the airport", "the capture of the
        town") takes ground — fighting — rather than people or things (coercion)."""
        end = min(oe, c.end + 50)
        if not c.verb and not self.text.startswith(" of ", c.end):
            return False
        for tag in self.v.tags_between(c.end, end):
            if tag[2].flags & TERRITORY:
                return True
            if tag[2].flags & PREPOSITION and tag[2].key != "of":
                end = tag[0]  # "seized weapons at the port": the object ends here
                break
        m = _TAKEN_NAME.match(self.text, c.end, end)
        if m is None:
            return False
        at = m.end()
        nodes = self.v.nodes_in(at, at + 1)
        return not nodes and not self.v.inside_actor(at)

    def _ground_taken_before(self, c: Candidate, cs: int) -> bool:
        """For a passive capture ("Mellit was seized", "the border town was captured"):
        whether its subject is ground — a place word, or a lone name that is no actor."""
        for tag in self.v.tags_between(cs, c.start):
            if tag[2].flags & TERRITORY:
                return True
        m = _LONE_NAME.match(self.text, cs)
        if m is None or m.end() > c.start:
            return False
        word = m.group(1)
        return (
            word.lower() not in self.v.ix.determiners
            and not self.v.nodes_in(m.start(1), m.end(1))
            and not self.v.inside_actor(m.start(1))
            and not self.v.tags_between(m.start(1), m.end(1))
        )

    def _weapon_after(self, c: Candidate, oe: int) -> int:
        """Where a weapon named as the object of ``c`` starts ("supplied Shahed drones",
        "sent 200 missiles"), else -1."""
        tag = self.v.next_tag(c.end)
        if tag is None or tag[0] >= oe or not tag[2].flags & WEAPON:
            return -1
        gap = self.text[c.end : tag[0]]
        return tag[0] if len(gap) <= 40 and "," not in gap else -1

    def _event_noun_after(self, c: Candidate, oe: int) -> Candidate | None:
        if c.pos + 1 < len(self.cands):
            other = self.cands[c.pos + 1]
            if other.start < oe and not other.verb:
                gap = self.text[c.end : other.start]
                return other if len(gap) <= 45 and "," not in gap else None
        return None
