"""What a verb takes besides its subject: the grounds of a sanction, the accused of an
accusation, the owner of an object, and who speaks for whom.

"X was sanctioned for supplying Y" gives grounds, not an event; "X was accused by Y of
supplying Z" makes X the supplier (alleged); "blocked a patrol by X" makes X the one the
act is done to; "a spokesman for X", "officials from X" speak for X. The verb rules proper
are in :mod:`briefings.analysis.events.roles`.
"""

from __future__ import annotations

import re

from briefings.analysis.events.frames import ING, REPORTING, Candidate
from briefings.analysis.events.nouns import NEW_CLAUSE, NounRules
from briefings.analysis.events.tags import Node

# Someone who speaks or acts for an actor: "a spokesman for", "officials from".
SPEAKS_FOR = re.compile(
    r"\b(?:spokes(?:person|man|woman)|officials?|representatives?|envoys?|delegates?"
    r"|delegation|commanders?|officers?|leaders?|members?|head|chief)\s+(?:for|from)"
    r"\s+(?:the\s+)?$"
)
# Money as the object of a transfer: "$2 million", "millions of dollars", "funds".
MONEY = re.compile(
    r"\s+(?:(?:about|over|more than|nearly|some|at least|an estimated)\s+)?"
    r"(?:(?:US)?[$€£]|[\d.,]+\s+(?:million|billion)|(?:millions|billions|thousands)\s+of"
    r"|(?:the\s+)?(?:funds|money|cash|payments)\b)"
)
# "for supplying", "for their role in supplying": the grounds of a sanction.
FOR_ROLE = re.compile(
    r"\bfor\s+(?:(?:his|her|its|their|the)\s+(?:\w+\s+)?(?:role|involvement|part)\s+in\s+)?$"
)


class ComplementRules(NounRules):
    """The complement rules of one sentence's parse (a base of the verb rules)."""

    def _previous_speech(self, c: Candidate) -> Candidate | None:
        for other in reversed(self.cands[: c.pos]):
            if other.verb and other.entry.flags & REPORTING:
                return other
        return None

    def _accused_of(self, c: Candidate) -> list[Node]:
        """The accused as the doer of an "-ing" form after "of"/"for" that an accusation
        reports ("X was accused by Y of supplying arms": X supplied them)."""
        if not c.entry.flags & ING or self.v.prev_word(c.start) not in ("of", "for"):
            return []
        for report in self.reports:
            owner = report.owner
            if owner.type == "accuse" and report.start <= c.start < report.end:
                return [
                    n
                    for n in owner.recipients
                    if n[1] <= c.start and n[3] != "thing" and n not in owner.actors
                ]
        return []

    def _owner_of_object(self, c: Candidate, node: Node) -> bool:
        """Whether ``node`` follows "by" after an active verb's object with no event noun
        between ("blocked a supply run by X"): the object is X's, so X receives the act."""
        prep = self.v.governing(node[0])
        if prep is None or prep.key != "by" or node[3] == "thing":
            return False
        by = self.text.rfind(" by ", c.end, node[0])
        if by < 0 or not self.text[c.end : by].strip():
            return False
        # "portrayed it as an attack by X": the attack is X's
        return not any(
            c.end <= o.start < by and not self.text[o.end : by].strip() for o in self.cands
        )

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
        return len(gap) <= 80 and not NEW_CLAUSE.search(gap) and "," not in gap
