"""Event frames: one event found in a sentence, the candidates it comes from, the word flags."""

from __future__ import annotations

from briefings.analysis.events.tagging import FLAGS, Entry
from briefings.analysis.events.tags import Node
from briefings.model import EventType, Modality

_MODALITY_RANK = {
    "reported": 0,
    "threatened": 1,
    "claimed": 2,
    "alleged": 3,
    "planned": 4,
    "possible": 5,
}
_F = FLAGS
ACCORDING = _F["according"]
ALLEGED = _F["alleged"]
ASPECT = _F["aspect"]
BASE = _F["base"]
BE = _F["be"]
BOUNDARY = _F["boundary"]
DEMAND = _F["demand"]
DENIAL = _F["denial"]
FUTURE = _F["future"]
GOAL = _F["goal"]
HAVE = _F["have"]
ING = _F["ing"]
LIGHT = _F["light"]
MODAL = _F["modal"]
NEGATION = _F["negation"]
OCCUR = _F["occur"]
PART = _F["part"]
PLAN = _F["plan"]
POSSIBLE = _F["possible"]
RELATIVE = _F["relative"]
S_FORM = _F["s"]
GROUP_NOUN = _F["group_noun"]
TAKE = _F["take"]
UNDO = _F["undo"]
RECEIVE = _F["receive"]
TERRITORY = _F["territory"]
TRANSFER = _F["transfer"]
WEAPON = _F["weapon"]
SPEECH = _F["speech"]
RULES_OUT = FUTURE | GOAL | NEGATION
PAST = _F["past"] | PART
FINITE = BASE | S_FORM
REPORTING = SPEECH | DEMAND | DENIAL
OCCURRING = ASPECT | OCCUR
VERBAL = BE | HAVE | MODAL | FUTURE


_COORDINATORS = frozenset({"and", "or", "but"})


class Frame:
    """One event found in a sentence, before its references and date are resolved.

    A plain class with slots (built for most verbs and nouns, so kept cheap to make).
    """

    __slots__ = (
        "actors",
        "clause",
        "copy_previous",
        "end",
        "lemma",
        "modality",
        "passive",
        "present",
        "recipients",
        "reported",
        "speaker",
        "speaker_span",
        "speech",
        "start",
        "type",
    )

    def __init__(
        self,
        start: int,
        end: int,
        type_: EventType,
        lemma: str,
        *,
        clause: tuple[int, int] = (0, 0),
        modality: Modality = "reported",
    ) -> None:
        self.start = start
        self.end = end
        self.type: EventType = type_
        self.lemma = lemma
        self.actors: list[Node] = []
        self.recipients: list[Node] = []
        self.modality: Modality = modality
        self.speaker: list[Node] = []
        self.speaker_span: tuple[int, int] | None = None
        """Where the speaker is named, when no actor could be resolved there ("the army")."""
        self.present = False
        self.passive = False
        self.clause = clause
        self.copy_previous = False
        self.speech = False
        self.reported = 0
        """How many events of the sentence this statement reports."""


class Candidate:
    """A verb or noun of the sentence, in its reading, and what the rules found for it."""

    __slots__ = (
        "absorbed",
        "aside_end",
        "end",
        "entry",
        "frame",
        "intended",
        "pos",
        "start",
        "subject",
        "trailing",
        "verb",
    )

    def __init__(self, start: int, end: int, entry: Entry, verb: bool, pos: int) -> None:
        self.start = start
        self.end = end
        self.entry = entry
        self.verb = verb
        self.pos = pos
        self.frame: Frame | None = None
        self.absorbed = False
        self.subject: list[Node] = []
        self.trailing = -1
        self.aside_end = -1
        self.intended = False
        """A verb that reports no occurrence of its own: an infinitive that a threat or
        demand governs ("urged X to extend ..."), or the grounds of a sanction ("for
        supplying drones"); an event noun it takes is no event either."""


class Report:
    """What a speech verb reports: a span of the sentence, its speaker and modality."""

    __slots__ = ("denied", "end", "modality", "owner", "start")

    def __init__(
        self, start: int, end: int, owner: Frame, modality: Modality, denied: bool = False
    ) -> None:
        self.start = start
        self.end = end
        self.owner = owner
        self.modality: Modality = modality
        self.denied = denied


def short_gap(gap: str) -> bool:
    """At most two words (and a possessive) between a subject and its verb, with no comma
    or coordinator: "JNIM launched", "the army has now", "Prigozhin's forces took"."""
    if "," in gap:
        return False
    words = gap.split()
    if len(words) > 3 or (len(words) == 3 and words[0] not in ("'s", "’s")):
        return False
    return _COORDINATORS.isdisjoint(words)


def coordinated(before: str) -> bool:
    """Whether a verb follows a coordinator: "..., and has threatened", "..., blaming"."""
    words = before.rsplit(None, 3)
    while words and (words[-1] in ("has", "have", "had") or words[-1].endswith("ly")):
        words.pop()
    if not words:
        return False
    last = words[-1]
    return last.endswith(",") or last in ("and", "or", "but", "then")


def stronger(a: Modality, b: Modality) -> Modality:
    return a if _MODALITY_RANK[a] >= _MODALITY_RANK[b] else b
