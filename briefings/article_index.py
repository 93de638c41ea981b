"""An article's dictionary words, actor nodes and punctuation, sorted once for the parser.

:class:`ArticleIndex` tags the article with the dictionary (:mod:`briefings.verbs`) and, in the
same pass, sorts the tags into the lists the sentence parser searches: verbs and nouns, words
that can make an event, clause openers, cue words, "according to", pronouns and descriptors.
It also finds the punctuation that ends a clause or a walk back to a preposition. A
:class:`briefings.clauses.SentenceView` is a window on it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter, methodcaller

from briefings.verbs import (
    KIND_ACCORDING,
    KIND_BOUNDARY,
    KIND_CANDIDATE,
    KIND_CUE,
    KIND_REFERENCE,
    KIND_TRIGGER,
    Lexicon,
    Tag,
)

Node = tuple[int, int, tuple[str, ...], str | None]
"""An actor node: ``(start, end, actor ids, None)`` or a reference ``(start, end, (), class)``."""

CLAUSE_MARKS = (
    ";",
    ":",
    " – ",
    " — ",
    " - ",
    ", and ",
    ", but ",
    ", while ",
    ", whereas ",
    ", with ",
)
"""Punctuation (and a comma before a coordinator) that opens a clause."""
_COMMA_MARK = re.compile("|".join(re.escape(m) for m in CLAUSE_MARKS if m.startswith(", ")))
_EVENT_WORD = KIND_CANDIDATE | KIND_TRIGGER
"""The kinds of most event verbs and nouns (nothing else to sort them into)."""
_START = methodcaller("start")
_FIRST = itemgetter(0)


class ArticleIndex:
    """What the parser needs of one article, sorted by offset once.

    Build it from the (masked) normalised text, then give it the nodes with
    :meth:`add_nodes` (the reference nodes come from :attr:`references`).

    Args:
        text: the article text.
        normalised: the text as :func:`briefings.verbs.normalise` gives it, with actor
            names, places, dates and parentheses blanked out (no tag falls inside them).
        lexicon: the dictionary.
        noun_contexts: a cache for ``SentenceView.noun_context`` shared by the
            articles of one dictionary (a pure function of two words).
    """

    __slots__ = (
        "according",
        "according_starts",
        "boundaries",
        "boundary_starts",
        "candidate_starts",
        "candidates",
        "cue_starts",
        "cues",
        "determiners",
        "node_starts",
        "nodes",
        "noun_contexts",
        "prepositions",
        "punct",
        "references",
        "stops",
        "tag_starts",
        "tags",
        "text",
        "trigger_starts",
    )

    def __init__(
        self,
        text: str,
        normalised: str,
        lexicon: Lexicon,
        *,
        noun_contexts: dict[tuple[str, ...], tuple[int, int]] | None = None,
    ) -> None:
        self.text = text
        self.determiners = lexicon.determiners
        self.prepositions = lexicon.prepositions
        self.noun_contexts = noun_contexts if noun_contexts is not None else {}
        # Tag the text (see ``Lexicon.tag_normalised``) and sort the tags each rule searches
        # into lists in the same pass (see ``briefings.verbs.KIND_*``).
        tags: list[Tag] = []
        candidates: list[Tag] = []
        boundaries: list[Tag] = []
        cues: list[Tag] = []
        according: list[Tag] = []
        references: list[Tag] = []
        triggers: list[int] = []
        padded = f" {normalised} "
        add_tag, add_candidate, add_trigger = tags.append, candidates.append, triggers.append
        event_word = _EVENT_WORD
        for last, (length, entry) in lexicon.matches(padded):
            if padded[last + 1] != " ":
                continue
            kinds = entry.kinds
            if kinds == event_word:
                start = last - length + 1
                tag = (start, last, entry)
                add_tag(tag)
                add_candidate(tag)
                add_trigger(start)
            elif not kinds:
                if not entry.ignore:
                    add_tag((last - length + 1, last, entry))
            else:
                tag = (last - length + 1, last, entry)
                tags.append(tag)
                if kinds & KIND_CANDIDATE:
                    candidates.append(tag)
                if kinds & KIND_TRIGGER:
                    triggers.append(tag[0])
                if kinds & KIND_BOUNDARY:
                    boundaries.append(tag)
                if kinds & KIND_CUE:
                    cues.append(tag)
                if kinds & KIND_ACCORDING:
                    according.append(tag)
                if kinds & KIND_REFERENCE:
                    references.append(tag)
        self.tags = tags
        self.tag_starts = list(map(_FIRST, tags))
        self.candidates = candidates
        self.candidate_starts = list(map(_FIRST, candidates))
        self.trigger_starts = triggers
        """Where a word that can make an event stands (see ``Entry.trigger``)."""
        self.boundaries = boundaries
        self.boundary_starts = list(map(_FIRST, boundaries))
        self.cues = cues
        self.cue_starts = list(map(_FIRST, cues))
        self.according = according
        self.according_starts = list(map(_FIRST, according))
        self.references = references
        """The pronouns and descriptors (``Entry.refer``) among the tags."""
        self.stops = stops(text)
        """Where a comma, semicolon or colon stands (it ends a walk back to a preposition)."""
        self.nodes: list[Node] = []
        self.node_starts: list[int] = []
        self.punct: list[int] = []

    def add_nodes(self, nodes: list[Node]) -> None:
        """Set the actor and reference nodes (outside parentheses), sorted by offset."""
        self.nodes = nodes
        self.node_starts = node_starts = list(map(_FIRST, nodes))
        found: list[int] = []
        for at in clause_marks(self.text):
            i = bisect_right(node_starts, at) - 1
            if not (i >= 0 and nodes[i][1] > at):  # not inside a name
                found.append(at)
        self.punct = found


def stops(text: str) -> list[int]:
    """Where a comma, semicolon or colon stands in ``text``, in order."""
    found: list[int] = []
    find = text.find
    for char in (",", ";", ":"):
        at = find(char)
        while at >= 0:
            found.append(at)
            at = find(char, at + 1)
    found.sort()
    return found


def clause_marks(text: str) -> list[int]:
    """Where each of :data:`CLAUSE_MARKS` occurs in ``text``, in order. Searched by their
    rare characters: a pattern that starts and ends with a space is slow to find."""
    found: list[int] = []
    find = text.find
    for char in (";", ":"):
        at = find(char)
        while at >= 0:
            found.append(at)
            at = find(char, at + 1)
    for char in ("–", "—", "-"):  # " – ", " — ", " - "
        at = find(char)
        while at >= 0:
            if text[at - 1 : at] == " " and text[at + 1 : at + 2] == " ":
                found.append(at - 1)
            at = find(char, at + 1)
    found += map(_START, _COMMA_MARK.finditer(text))  # ", and " ...: one comma each
    found.sort()
    return found
