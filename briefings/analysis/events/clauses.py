"""A sentence as the event parser sees it: nodes, clauses, prepositions and actor groups.

The article is indexed once (:class:`briefings.analysis.events.tags.ArticleIndex`: dictionary tags,
actor and reference nodes, punctuation that ends a clause); a :class:`SentenceView` is a
window on it. Clauses
run between openers: clause words from the dictionary ("which", "while", "that", "as"),
";", ":", a spaced dash, and ", and" / ", but" / ", with". A ", which ...," aside closes
at its second comma. The governing preposition of a phrase is found by walking back over
coordinated actors ("against X, Y and Z") and, past a coordinator, over event nouns.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from briefings.analysis.events.tagging import FLAGS, PREPOSITION, Entry, Tag
from briefings.analysis.events.tags import ArticleIndex, Node
from briefings.model import EventType

_JOIN = re.compile(
    r"^\s*(?:(?:,|–|-|/|&)\s*(?:(?:and|or)\s+)?|(?:and|or|as well as|along with|together with)\s+)"
    r"(?:(?:the|a|an|its|their|both)\s+)?(?:[a-z][\w-]*\s+){0,2}$|^\s*$"
)
# Between coordinated possessors ("Ghana's and the AU's"): joins only when both own.
_POSSESSIVE_JOIN = re.compile(r"^['’]s?\s*(?:,\s*)?(?:(?:and|or)\s+)?(?:the\s+)?$")
_ASIDE = re.compile(r"\s*\([^()]*\)")
_ARTICLES = frozenset(
    {"the", "a", "an", "this", "these", "those", "its", "their", "his", "her", "our", "my"}
)
_QUOTES = "\"“”‘’'(),.;:–—-"
_LIGHT = FLAGS["light"]
_BOUNDARY = FLAGS["boundary"]
_RELATIVE = FLAGS["relative"]
_COORDINATION = FLAGS["coordination"]
_PLACE_OR_AGENT = FLAGS["prep_place"] | FLAGS["prep_actor"]
_PREP_ACTOR = FLAGS["prep_actor"]
_PREP_PARTNER = FLAGS["prep_partner"]
_PREP_PLACE = FLAGS["prep_place"]
_PREP_OTHER = FLAGS["prep_other"]
# "with" joins the actors of these ("a press conference with X": X speaks too).
_PARTNER_TYPES = frozenset({"cooperate", "consult", "assault", "statement"})
_NOUN_CONTEXT_CACHE = 20_000
"""How many word pairs :meth:`SentenceView.noun_context` remembers before it starts over."""


def _noun_context(before: tuple[str, ...], determiners: frozenset[str]) -> tuple[int, int]:
    """See :meth:`SentenceView.noun_context`."""
    broad = strict = 0
    distance = 0
    for raw in reversed(before):
        distance += 1
        word = raw.strip("\"“”‘’'(,")
        if word in _ARTICLES or word.endswith(("'s", "’s", "s'", "s’")):
            return (broad or distance), (strict or distance)
        if word in determiners or (
            distance == 1 and (word[:1].isdigit() or ("-" in word and "then-" not in word))
        ):
            broad = broad or distance
            continue
        if not word.isalpha() or word in ("and", "or", "to", "has", "have", "had"):
            break
    return broad, strict


class SentenceView:
    """One sentence of an :class:`ArticleIndex`: its tags, nodes and clause bounds.

    Args:
        index: the article index.
        span: the sentence's ``(start, end)`` in the article text.
    """

    def __init__(self, index: ArticleIndex, span: tuple[int, int]) -> None:
        self.ix = index
        self.text = text = index.text
        self.s0, self.s1 = s0, s1 = span
        # The sentence's own tags and nodes (searched without bounds).
        starts = index.tag_starts
        lo, hi = bisect_left(starts, s0), bisect_left(starts, s1)
        self.tags = index.tags[lo:hi]
        self.tag_starts = starts[lo:hi]
        starts = index.node_starts
        lo, hi = bisect_left(starts, s0), bisect_left(starts, s1)
        self.actors = index.nodes[lo:hi]
        """The sentence's actor and reference nodes."""
        self.actor_starts = starts[lo:hi]
        self._before: dict[int, list[str]] = {}
        self._governing: dict[int, Entry | None] = {}
        self.relative_at: set[int] = set()
        punct = index.punct
        bounds = punct[bisect_left(punct, s0) : bisect_left(punct, s1)]
        bounds.append(s0)
        starts = index.boundary_starts
        lo, hi = bisect_left(starts, s0), bisect_left(starts, s1)
        if lo < hi:
            for start, end, entry in index.boundaries[lo:hi]:
                bounds.append(start)
                if entry.flags & _RELATIVE:
                    self.relative_at.add(start)
                    if text[max(s0, start - 2) : start].strip() == ",":
                        close = text.find(",", end, s1)  # ", which ...," closes here
                        if close > 0:
                            bounds.append(close)
        bounds.sort()
        self.bounds = bounds
        starts = index.candidate_starts
        self.candidates = index.candidates[bisect_left(starts, s0) : bisect_left(starts, s1)]
        """The sentence's verbs and nouns (see
        :class:`briefings.analysis.events.groundrules.FrameRules`)."""
        starts = index.according_starts
        lo = bisect_left(starts, s0)
        self.according = index.according[lo : bisect_left(starts, s1, lo)] if starts else []
        """The sentence's "according to" words."""

    # ------------------------------------------------------------------ positions

    def clause(self, pos: int) -> tuple[int, int]:
        """The ``(start, end)`` of the clause holding ``pos``."""
        bounds = self.bounds
        i = bisect_right(bounds, pos)
        if 0 < i < len(bounds):
            return bounds[i - 1], bounds[i]
        return (bounds[i - 1] if i else self.s0), (bounds[i] if i < len(bounds) else self.s1)

    def words_before(self, pos: int) -> list[str]:
        """Up to two lower-case words before ``pos`` (punctuation-only tokens dropped)."""
        cached = self._before.get(pos)
        if cached is None:
            lo = pos - 40
            chunk = self.text[lo if lo > self.s0 else self.s0 : pos].lower()
            words = chunk.rsplit(None, 2)[-2:]
            if len(words) == 2 and not words[0].strip(_QUOTES):
                words = words[1:]
            if words and not words[-1].strip(_QUOTES):
                words = [w for w in chunk.rsplit(None, 3)[-3:] if w.strip(_QUOTES)][-2:]
            cached = self._before[pos] = words
        return cached

    def prev_word(self, pos: int) -> str | None:
        words = self._before.get(pos)
        if words is None:
            words = self.words_before(pos)
        return words[-1].strip(_QUOTES) if words else None

    def gap(self, a: int, b: int) -> str:
        """The text between two offsets without parenthetical asides."""
        between = self.text[a:b]
        return _ASIDE.sub("", between) if "(" in between else between

    def noun_context(self, before: Sequence[str]) -> tuple[int, int]:
        """How far back (1 or 2 words, else 0) a determiner or possessive stands: first
        counting modifiers such as "military" or "joint" as determiners, then counting
        articles and possessives only."""
        key = tuple(before)
        cache = self.ix.noun_contexts
        found = cache.get(key)
        if found is None:
            if len(cache) > _NOUN_CONTEXT_CACHE:
                cache.clear()
            found = cache[key] = _noun_context(key, self.ix.determiners)
        return found

    # ------------------------------------------------------------------ lookups

    def tags_between(self, a: int, b: int) -> list[Tag]:
        starts = self.tag_starts
        return self.tags[bisect_left(starts, a) : bisect_left(starts, b)]

    def cues_between(self, a: int, b: int) -> list[Tag]:
        """:meth:`tags_between` for the words that rule out or qualify an event only."""
        starts = self.ix.cue_starts
        return self.ix.cues[
            bisect_left(starts, a if a > self.s0 else self.s0) : bisect_left(
                starts, b if b < self.s1 else self.s1
            )
        ]

    def next_tag(self, pos: int) -> Tag | None:
        tags = self.tags
        i = bisect_left(self.tag_starts, pos)
        return tags[i] if i < len(tags) else None

    def nodes_in(self, a: int, b: int) -> list[Node]:
        starts = self.actor_starts
        return self.actors[bisect_left(starts, a) : bisect_left(starts, b)]

    def actor_ending_before(self, pos: int, slack: int) -> Node | None:
        i = bisect_right(self.actor_starts, pos)
        if i:
            node = self.actors[i - 1]
            if 0 <= pos - node[1] <= slack:
                return node
        return None

    def inside_actor(self, pos: int) -> bool:
        i = bisect_right(self.actor_starts, pos)
        return i > 0 and self.actors[i - 1][1] > pos

    # ------------------------------------------------------------------ prepositions

    def governing(self, pos: int) -> Entry | None:
        """The preposition that governs the phrase starting at ``pos``, if any.

        Walks back over coordinated actors ("against X, Y and Z") and, once past a
        coordinator, over event nouns ("by a bombing and the blockade"); a comma or a clause
        opener before it, or any other word, ends the walk. "of" defers to a place or agent
        preposition just before it ("from some areas of Mali").
        """
        cache = self._governing
        if pos in cache:
            return cache[pos]
        found = cache[pos] = self._walk_back(pos)
        return found

    def _walk_back(self, pos: int) -> Entry | None:
        tags, actors = self.tags, self.actors
        j = bisect_left(self.tag_starts, pos) - 1
        k = bisect_left(self.actor_starts, pos) - 1
        stops = self.ix.stops
        # The last stop before ``pos``; ``pos`` only falls, so it is walked back with it.
        i = bisect_left(stops, pos) - 1
        coordinated = False
        while j >= 0:  # with no word left before, nothing governs
            start, end, entry = tags[j]
            while k >= 0:  # step over the actors after the word
                actor = actors[k]
                if actor[1] > pos:
                    k -= 1
                elif actor[0] > start:
                    pos = actor[0]
                    k -= 1
                else:
                    break
            if pos - end > 60:
                return None
            while i >= 0 and stops[i] >= pos:
                i -= 1
            if i >= 0 and stops[i] >= end:
                return None  # a comma, semicolon or colon between
            flags = entry.flags
            if flags & _BOUNDARY:
                return None  # "as", "after": here a clause opener
            if flags & PREPOSITION:
                if entry.key == "of":
                    outer = self._outer_prep(j, start)
                    if outer is not None:
                        return outer
                return entry
            if flags & _COORDINATION:
                coordinated = True
            elif not (coordinated and entry.is_noun):
                return None
            pos = start
            j -= 1
        return None

    def _outer_prep(self, j: int, of_start: int) -> Entry | None:
        if j < 1:
            return None
        _start, end, entry = self.tags[j - 1]
        if of_start - end > 30 or self.nodes_in(end, of_start):
            return None
        return entry if entry.flags & _PLACE_OR_AGENT else None

    @staticmethod
    def role(prep: Entry | None, type_: EventType, *, active: bool = False) -> str:
        """What an actor after ``prep`` is to an event of ``type_``.

        None (a direct object) and "against", "on", "to", "of": recipient. "by", "between":
        actor — except "by" after an active verb ("portrayed X as an attack by Y"). "with":
        actor of cooperation, talks, fighting or a joint statement ("a press conference
        with X"), else recipient. "from": the source of aid
        or of a strike ("missiles launched from Houthi-held areas"; the finder has already
        told places from actors), else a place. "in", "near", "at"...: a place.
        """
        if prep is None:
            return "recipient"
        flags = prep.flags
        if flags & _PREP_ACTOR:
            return "other" if active and prep.key == "by" else "actor"
        if flags & _PREP_PARTNER:
            return "actor" if type_ in _PARTNER_TYPES else "recipient"
        if flags & _PREP_PLACE:
            return "actor" if prep.key == "from" and type_ in ("aid", "assault") else "place"
        if flags & _PREP_OTHER:
            return "other"
        return "recipient"

    # ------------------------------------------------------------------ actor groups

    def group_ending_at(self, node: Node, floor: int) -> list[Node]:
        """``node`` and the actors coordinated before it ("JNIM and the FLA", "US–Israel")."""
        actors = self.actors
        i = bisect_left(self.actor_starts, node[0])
        group = [node]
        while i > 0:
            prev = actors[i - 1]
            if prev[0] < floor or not self._joins(prev, group[0]):
                break
            group.insert(0, prev)
            i -= 1
        return group

    def _joins(self, prev: Node, node: Node) -> bool:
        """Whether ``prev`` is coordinated with ``node`` ("A and B", "A's and B's")."""
        gap = self.gap(prev[1], node[0])
        if _JOIN.match(gap):
            return True
        owns = self.text[node[1] : node[1] + 1] in ("'", "’")
        return owns and _POSSESSIVE_JOIN.match(gap) is not None

    def group_starting_at(self, node: Node, ceiling: int) -> list[Node]:
        """``node`` and the actors coordinated after it, up to ``ceiling``."""
        actors = self.actors
        i = bisect_left(self.actor_starts, node[0])
        group = [node]
        n = len(actors)
        while i + 1 < n:
            nxt = actors[i + 1]
            if nxt[0] >= ceiling or not _JOIN.match(self.gap(group[-1][1], nxt[0])):
                break
            group.append(nxt)
            i += 1
        return group

    def possessive(self, node: Node, limit: int) -> bool:
        """A possessive naming the owner of a following actor ("Russia's ally Iran")."""
        if self.text[node[1] : node[1] + 1] not in ("'", "’"):
            return False
        following = self.nodes_in(node[1], limit)
        return bool(following) and following[0][0] - node[1] <= 25

    def subject_of_clause(self, cs: int, pos: int) -> list[Node]:
        """The first actor group in ``[cs, pos)`` that no preposition governs."""
        for node in self.nodes_in(cs, pos):
            if self.governing(node[0]) is None and not self.possessive(node, pos):
                return self.group_starting_at(node, pos)
        return []

    def light_verb_before(self, pos: int, cands: Sequence[tuple[int, bool, Entry]]) -> bool:
        """Whether the latest verb before ``pos`` in its clause is a light verb."""
        cs = self.clause(pos)[0]
        for start, verb, entry in reversed(cands):
            if start < pos:
                return verb and bool(entry.flags & _LIGHT) and start >= cs
        return False
