"""An article's dictionary words, actor nodes and punctuation, sorted once for the parser.

:class:`ArticleIndex` tags the article with the dictionary
(:mod:`briefings.analysis.events.tagging`) and, in the
same pass, sorts the tags into the lists the sentence parser searches: verbs and nouns, words
that can make an event, clause openers, cue words, "according to", pronouns and descriptors.
It also finds the punctuation that ends a clause or a walk back to a preposition, and builds
the actor and reference nodes (:func:`actor_nodes`). A
:class:`briefings.analysis.events.clauses.SentenceView` is a window on it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import chain
from operator import gt, itemgetter, methodcaller, sub

from briefings.analysis.events.tagging import (
    KIND_ACCORDING,
    KIND_BOUNDARY,
    KIND_CANDIDATE,
    KIND_CUE,
    KIND_REFERENCE,
    KIND_TRIGGER,
    EventDictionary,
    Tag,
)
from briefings.model import Mention

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
_SECOND = itemgetter(1)
# "his forces", "their fighters": someone's troops, not a reference to a named actor.
_OWNED = re.compile(r"\b(his|her|its|their|our|my|your)\s+$", re.IGNORECASE)
_OWNER_ENDS = frozenset("srySRY\u017f")  # the last letters _OWNED may find ("ſ" folds to "s")
_OWNERS = {"its": "thing", "their": "group", "his": "person", "her": "person"}
_QUALIFIER = re.compile(r"\s*(?:group\s*)?")


class ArticleIndex:
    """What the parser needs of one article, sorted by offset once.

    Build it from the (masked) normalised text, then give it the nodes with
    :meth:`add_nodes` (the reference nodes come from :attr:`references`).

    Args:
        text: the article text.
        normalised: the text as :func:`briefings.text.folding.lower_in_place` gives it,
            with actor
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
        lexicon: EventDictionary,
        *,
        noun_contexts: dict[tuple[str, ...], tuple[int, int]] | None = None,
    ) -> None:
        self.text = text
        self.determiners = lexicon.determiners
        self.prepositions = lexicon.prepositions
        self.noun_contexts = noun_contexts if noun_contexts is not None else {}
        # Tag the text (see ``EventDictionary.tag_normalised``) and sort the tags each rule searches
        # into lists in the same pass (see ``briefings.analysis.events.tagging.KIND_*``).
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


def actor_nodes(
    text: str,
    mentions: Sequence[Mention],
    parens: Sequence[tuple[int, int]],
    references: list[Tag],
) -> list[Node]:
    """Actor nodes (mentions outside parentheses, one per name) and reference nodes.

    Args:
        text: the article text.
        mentions: the mentions of known actors, by offset.
        parens: the spans of the parenthetical asides, by offset.
        references: the pronoun and descriptor tags (:attr:`ArticleIndex.references`).
    """
    nodes: list[Node] = []
    n_parens = len(parens)
    k = 0  # the first parenthesis that does not end before the mention
    last: Node | None = None
    for m in mentions:
        start = m.start
        if n_parens:
            while k < n_parens and parens[k][1] <= start:
                k += 1
            if k < n_parens and parens[k][0] < start:
                continue
        if last is not None and start < last[1]:
            # Nested names ("Iran" in "Iran-backed groups"): the longer one is the node.
            if start == last[0] and m.end > last[1]:
                last = nodes[-1] = (start, m.end, (m.actor_id,), None)
            continue
        if last is not None and last[2][0] == m.actor_id and start - last[1] <= 1:
            last = nodes[-1] = (last[0], m.end, last[2], None)
            continue
        last = (start, m.end, (m.actor_id,), None)
        nodes.append(last)
    refs: list[Node] = []
    for start, end, entry in references:
        refer = entry.refer
        if refer:
            # "his forces": an owner word and a space right before (checked cheaply first).
            window = text[max(0, start - 7) : start]
            tail = window.rstrip()
            owner = (
                _OWNED.search(text, max(0, start - 7), start)
                if len(tail) < len(window) and tail[-1:] in _OWNER_ENDS
                else None
            )
            if owner is None:
                refs.append((start, end, (), refer))
            elif refer in ("military", "armed") and owner.group(1).lower() in _OWNERS:
                # "its forces", "their fighters": the owner's forces stand for the owner.
                refs.append((owner.start(1), end, (), _OWNERS[owner.group(1).lower()]))
    return _merge_refs(text, nodes, refs) if refs else nodes


def masked(norm: str, blocked: list[tuple[int, int]]) -> str:
    """``norm`` with the blocked spans (actor names, places, dates, parentheses) blanked
    out with ``_``, so that no dictionary word is found inside them."""
    if not blocked:
        return norm
    starts = list(map(_FIRST, blocked))
    ends = list(map(_SECOND, blocked))
    if not any(map(gt, ends[:-1], starts[1:])):  # no two spans overlap: all in C
        kept = list(map(norm.__getitem__, map(slice, [0, *ends], [*starts, len(norm)])))
        blanks = list(map("_".__mul__, map(sub, ends, starts)))
        blanks.append("")
        return "".join(chain.from_iterable(zip(kept, blanks, strict=True)))
    pieces: list[str] = []
    pos = 0
    for start, end in blocked:
        if end <= pos:
            continue
        cut = max(start, pos)
        pieces.append(norm[pos:cut])
        pieces.append("_" * (end - cut))
        pos = end
    pieces.append(norm[pos:])
    return "".join(pieces)


def _merge_refs(text: str, nodes: list[Node], refs: list[Node]) -> list[Node]:
    """Add reference nodes, except those that only qualify a name next to them
    ("Houthi rebels", "Prigozhin's forces", "jihadist group JNIM")."""
    starts = [n[0] for n in nodes]
    kept = list(nodes)
    for ref in refs:
        i = bisect_left(starts, ref[0])
        before = nodes[i - 1] if i else None
        after = nodes[i] if i < len(nodes) else None
        qualifies = (
            before is not None
            and 0 <= ref[0] - before[1] <= 3
            and not text[before[1] : ref[0]].strip(" -'’s")
        ) or (
            after is not None
            and 0 <= after[0] - ref[1] <= 8
            and _QUALIFIER.fullmatch(text, ref[1], after[0]) is not None
        )
        if not qualifies:
            kept.append(ref)
    kept.sort()
    return kept
