"""The verb-pattern dictionary (``data/verbs.toml``), compiled into one Aho-Corasick tagger.

The dictionary lists, per event type, the verbs and nouns that report it; the roles some
verbs play (light verbs that lend their subject to an event noun, speech verbs, demands,
aspect verbs); the function words the shallow parser needs (be, modals, hedges,
prepositions by role, clause boundaries) and the pronouns and descriptors that refer to
an earlier actor. :meth:`EventDictionary.tag` finds all of them in a text in one pass.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, cast, get_args

import ahocorasick

from briefings.model import EventType, Modality
from briefings.text.folding import lower_in_place

EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)
"""Every event type, in the order of :data:`briefings.model.EventType`."""
_SPEECH_MODALITY: dict[str, Modality] = {
    "speech_reported": "reported",
    "speech_alleged": "alleged",
    "speech_claimed": "claimed",
}
_VERB_ROLES = (
    "light",
    "demand",
    "aspect",
    "occur",
    "denial",
    "transfer",
    "take",
    "undo",
    "receive",
)


_FLAG_NAMES = (
    # function-word categories ([words] in the dictionary)
    "be",
    "have",
    "modal",
    "future",
    "goal",
    "plan",
    "possible",
    "alleged",
    "reported",
    "negation",
    "according",
    "boundary",
    "relative",
    "coordination",
    "to",
    "prep_recipient",
    "prep_actor",
    "prep_partner",
    "prep_place",
    "prep_other",
    "weapon",
    "territory",
    "group_noun",
    # verb roles ([roles]; the three speech_* roles are one flag)
    *_VERB_ROLES,
    "speech",
    # verb forms
    "base",
    "s",
    "past",
    "part",
    "ing",
)
FLAGS: dict[str, int] = {name: 1 << i for i, name in enumerate(_FLAG_NAMES)}
"""One bit per word category, verb role and verb form: ``entry.flags & FLAGS["be"]``."""
PREPOSITION = sum(FLAGS[n] for n in _FLAG_NAMES if n.startswith("prep_"))
# Verb roles that can make an event of a verb with no event type of its own ("transfer",
# "receive": with a weapon or money as object).
_LENDS = (
    FLAGS["speech"]
    | FLAGS["demand"]
    | FLAGS["denial"]
    | FLAGS["light"]
    | FLAGS["transfer"]
    | FLAGS["receive"]
)
# What the sentence parser looks up a word for (``Entry.kinds``), so that an article's tags
# are sorted into the lists it searches once.
KIND_CANDIDATE = 1
"""An event verb or noun, or any other verb: read as a verb or a noun in context."""
KIND_BOUNDARY = 2
"""A word that opens a clause."""
KIND_CUE = 4
"""A word that rules out or qualifies what follows in its clause (future, goal, negation,
modal, have, plan, hedge, allegation)."""
KIND_ACCORDING = 8
""""according to" and its like."""
KIND_REFERENCE = 16
"""A pronoun or descriptor that stands for an actor named earlier."""
KIND_TRIGGER = 32
"""A word that can make an event (see ``Entry.trigger``)."""
_CUES = sum(
    FLAGS[n] for n in ("future", "goal", "negation", "modal", "have", "plan", "possible", "alleged")
)


@dataclass(slots=True)
class Entry:
    """Everything the dictionary says about one word or phrase (all its readings)."""

    key: str
    verb_type: EventType | None = None
    verb_forms: set[str] = field(default_factory=set)
    verb_roles: set[str] = field(default_factory=set)
    speech: Modality | None = None
    noun_type: EventType | None = None
    words: set[str] = field(default_factory=set)
    refer: str | None = None
    ignore: bool = False
    lemma: str = ""
    is_verb: bool = False
    is_noun: bool = False
    flags: int = 0
    """:data:`FLAGS` bits of ``words``, ``verb_roles`` and ``verb_forms``, for speed."""
    trigger: bool = False
    """Whether the word can make an event: an event verb or noun, a verb that reports, lends
    its subject or demands, or "according to" (a sentence without one yields no event)."""
    kinds: int = 0
    """The ``KIND_*`` bits: which lists of the parser's article index the word goes in
    (none for an ``ignore`` phrase)."""

    def finish(self) -> None:
        """Derive the quick-test fields once the entry is complete."""
        self.is_verb = bool(self.verb_forms)
        self.is_noun = self.noun_type is not None
        self.flags = sum(FLAGS[n] for n in self.words | self.verb_roles | self.verb_forms)
        self.trigger = (
            self.is_noun
            or (self.is_verb and (self.verb_type is not None or bool(self.flags & _LENDS)))
            or bool(self.flags & FLAGS["according"])
        )
        flags = self.flags
        self.kinds = (
            0
            if self.ignore
            else (
                (KIND_CANDIDATE if self.is_verb or self.is_noun else 0)
                | (KIND_BOUNDARY if flags & FLAGS["boundary"] else 0)
                | (KIND_CUE if flags & _CUES else 0)
                | (KIND_ACCORDING if flags & FLAGS["according"] else 0)
                | (KIND_REFERENCE if self.refer else 0)
                | (KIND_TRIGGER if self.trigger else 0)
            )
        )


Tag = tuple[int, int, Entry]
"""One dictionary hit: ``(start, end, entry)`` in the tagged text."""


def _third(base: str) -> str:
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if len(base) > 1 and base.endswith("y") and base[-2] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


def _past(base: str) -> str:
    if base.endswith("e"):
        return base + "d"
    if len(base) > 1 and base.endswith("y") and base[-2] not in "aeiou":
        return base[:-1] + "ied"
    return base + "ed"


def _ing(base: str) -> str:
    if base.endswith("ie"):
        return base[:-2] + "ying"
    if base.endswith("e") and not base.endswith("ee"):
        return base[:-1] + "ing"
    return base + "ing"


def _plural(noun: str) -> str | None:
    if " of " in noun or "'" in noun or (noun.endswith("s") and not noun.endswith("ss")):
        return None
    return _third(noun)


def verb_forms(spec: str) -> dict[str, str]:
    """The inflected forms of a verb spec (``"strike/struck/struck"``, ``"pull out"``).

    Returns:
        form name (``base``, ``s``, ``past``, ``part``, ``ing``) to surface text.
    """
    head, _, tail = spec.partition(" ")
    parts = head.split("/")
    base = parts[0]
    past = parts[1] if len(parts) > 1 else _past(base)
    forms = {
        "base": base,
        "s": _third(base),
        "past": past,
        "part": parts[2] if len(parts) > 2 else past,
        "ing": parts[3] if len(parts) > 3 else _ing(base),
    }
    suffix = f" {tail}" if tail else ""
    return {name: surface + suffix for name, surface in forms.items()}


def noun_forms(spec: str) -> list[str]:
    """The singular and plural of a noun spec (``"crisis/crises"``, ``"offensive"``)."""
    parts = spec.split("/")
    if len(parts) > 1:
        return parts
    plural = _plural(spec)
    return [spec] if plural is None else [spec, plural]


class EventDictionary:
    """The compiled dictionary; build it once (:meth:`default`) and reuse it.

    Args:
        data: the parsed TOML dictionary (see ``briefings/data/verbs.toml``).
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.entries: dict[str, Entry] = {}
        for type_name, table in data.get("event", {}).items():
            if type_name not in EVENT_TYPES:
                raise ValueError(f"verbs.toml: unknown event type {type_name!r}")
            event_type = cast(EventType, type_name)
            for spec in table.get("verbs", ()):
                for form, surface in verb_forms(spec).items():
                    entry = self._entry(surface, spec)
                    entry.verb_forms.add(form)
                    if entry.verb_type is None:
                        entry.verb_type = event_type
            for spec in table.get("nouns", ()):
                for surface in noun_forms(spec):
                    entry = self._entry(surface, spec)
                    if entry.noun_type is None:
                        entry.noun_type = event_type
        for role, specs in data.get("roles", {}).items():
            for spec in specs:
                for form, surface in verb_forms(spec).items():
                    entry = self._entry(surface, spec)
                    entry.verb_forms.add(form)
                    if role in _SPEECH_MODALITY:
                        entry.verb_roles.add("speech")
                        entry.speech = entry.speech or _SPEECH_MODALITY[role]
                    elif role in _VERB_ROLES:
                        entry.verb_roles.add(role)
                    else:
                        raise ValueError(f"verbs.toml: unknown verb role {role!r}")
        self.determiners = frozenset(data.get("words", {}).get("determiner", ()))
        for category, words in data.get("words", {}).items():
            if category == "determiner":
                continue
            for word in words:
                entry = self._entry(word, word)
                if category == "ignore":
                    entry.ignore = True
                else:
                    entry.words.add(category)
        for klass, words in data.get("refer", {}).items():
            for word in words:
                entry = self._entry(word, word)
                entry.refer = entry.refer or klass
        self._automaton = ahocorasick.Automaton()
        for entry in self.entries.values():
            entry.finish()
        self.prepositions = frozenset(
            key for key, entry in self.entries.items() if entry.flags & PREPOSITION
        )
        for key, entry in self.entries.items():
            self._automaton.add_word(f" {key}", (len(key) + 1, entry))
        self._automaton.make_automaton()
        self.noun_contexts: dict[tuple[str, ...], tuple[int, int]] = {}
        """A cache for the parser's reading of the two words before a verb or noun."""

    def _entry(self, surface: str, lemma: str) -> Entry:
        key = " ".join(surface.lower().replace("’", "'").split())
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = Entry(key=key, lemma=lemma.partition("/")[0])
        return entry

    @classmethod
    def default(cls) -> EventDictionary:
        """The bundled dictionary (parsed once per process)."""
        return _bundled()

    def tag(self, text: str) -> list[Tag]:
        """Every dictionary word and phrase in ``text``, leftmost-longest, by offset.

        Args:
            text: any text; offsets in the result point into it.
        """
        return self.tag_normalised(lower_in_place(text))

    def matches(self, padded: str) -> Iterator[tuple[int, tuple[int, Entry]]]:
        """The raw automaton hits in ``padded`` (a normalised text with a space either
        side): ``(last, (length + 1, entry))`` where ``last`` is the offset of the match's last
        character. A hit is a tag when ``padded[last + 1]`` is a space and the entry is not
        an ``ignore`` phrase; :meth:`tag_normalised` applies both."""
        return cast(Iterator[tuple[int, tuple[int, Entry]]], self._automaton.iter_long(padded))

    def tag_normalised(self, normalised: str) -> list[Tag]:
        """:meth:`tag` for a text already folded by
        :func:`~briefings.text.folding.lower_in_place`."""
        padded = f" {normalised} "
        # Keys start with a space; the character after the match must end the word.
        return [
            (last - length + 1, last, entry)
            for last, (length, entry) in self._automaton.iter_long(padded)
            if padded[last + 1] == " " and not entry.ignore
        ]


@cache
def _bundled() -> EventDictionary:
    text = resources.files("briefings").joinpath("data/verbs.toml").read_text("utf-8")
    return EventDictionary(tomllib.loads(text))
