"""Actor name resolution: ids, aliases and demonyms, folded, then fuzzy with "did you mean".

A user types "wagner", "russian mod", "usa" or "Hezbolah"; the resolver answers with the
actor it means, the choices when the name is ambiguous, or nothing but sensible
suggestions when it knows no such actor.

Every name is folded to a *key* before comparison: Unicode compatibility form, accents
dropped, case folded, dots and apostrophes removed ("U.S.A." → "usa"), other punctuation
turned into spaces, a leading "the" dropped, and a few office phrases contracted to the
forms people type ("Ministry of Defence", "Defense Ministry" → "mod"; "Ministry of Foreign
Affairs", "Foreign Ministry" → "mfa"). A name whose first word is a demonym of a state is
also indexed with the state's name in its place, so "Russian Ministry of Defence" answers
to "russia mod" as well.

Resolution runs in this order:

1. the folded key of a name, alias, former name or demonym; a key several actors share
   is ambiguous unless it is the canonical name of exactly one of them;
2. the actor id, as given or folded ("africa-corps");
3. fuzzy matching with rapidfuzz, for queries of at least :data:`MIN_FUZZY_LENGTH`
   characters. A key's score is the best of: ``ratio`` (typos: "Hezbolah"),
   ``token_sort_ratio`` (word order) and, for queries of at least
   :data:`MIN_PARTIAL_LENGTH` characters, ``partial_ratio`` against *longer* keys only and
   only where the match starts at a word of the key ("shabaab" in "al shabaab"), weighted
   by :data:`PARTIAL_WEIGHT`. Short keys are never found inside a longer query, so
   "moscow" does not suggest "SCO". Candidates under :data:`SUGGEST_CUTOFF` are never
   shown, so "xyzzy" gets no nonsense suggestions. The best candidate is accepted outright
   only when it scores at least :data:`ACCEPT_CUTOFF` and the next actor trails it by
   :data:`ACCEPT_MARGIN` points; otherwise the candidates come back as "did you mean".
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from briefings.errors import BriefingError
from briefings.service.replies import ActorRef
from briefings.text.folding import name_key

MIN_FUZZY_LENGTH = 3
"""Queries shorter than this (after folding) are matched exactly only."""
MIN_PARTIAL_LENGTH = 4
"""Queries shorter than this are not looked for inside longer names."""
PARTIAL_WEIGHT = 0.95
"""A name found inside a longer one scores a little less than a whole-name match."""
SUGGEST_CUTOFF = 82.0
"""The lowest fuzzy score (0-100) a "did you mean" candidate may have."""
ACCEPT_CUTOFF = 88.0
"""The fuzzy score at which the best candidate is taken without asking."""
ACCEPT_MARGIN = 6.0
"""How far the second actor must trail the best one for the best to be taken."""
MAX_SUGGESTIONS = 5
SHORT_QUERY = 6
"""Queries this long or shorter (and of at least :data:`MIN_PARTIAL_LENGTH` characters) also
get names one edit away as suggestions ("jnum" → JNIM): a ratio cutoff is too strict for a
typo in a short word."""

DESCRIPTORS: dict[str, frozenset[str]] = {
    "junta": frozenset(("government", "military")),
    "military junta": frozenset(("government", "military")),
    "government": frozenset(("government",)),
    "regime": frozenset(("government",)),
    "authorities": frozenset(("government",)),
    "army": frozenset(("military",)),
    "military": frozenset(("military",)),
    "armed forces": frozenset(("military",)),
    "troops": frozenset(("military",)),
    "rebels": frozenset(("armed_group",)),
    "jihadists": frozenset(("armed_group",)),
    "militants": frozenset(("armed_group",)),
    "separatists": frozenset(("armed_group",)),
}
"""Words that describe a kind of actor rather than name one, with the types they may mean."""

ResolutionKind = Literal["exact", "fuzzy", "ambiguous", "unknown"]

_WORD_START = re.compile(r"(?<![^ ])[^ ]")
_PHRASES = tuple(
    (re.compile(rf"\b{pattern}\b"), short)
    for pattern, short in (
        (r"ministry of (?:defen[cs]e|the armed forces)", "mod"),
        (r"defen[cs]e ministry", "mod"),
        (r"ministry of foreign affairs", "mfa"),
        (r"foreign (?:affairs )?ministry", "mfa"),
        (r"ministry of (?:the )?interior", "moi"),
        (r"interior ministry", "moi"),
        (r"defense", "defence"),
    )
)


def fold(text: str) -> str:
    """The comparison key of a name: its :func:`~briefings.text.folding.name_key` with office
    phrases contracted (see the module docstring)."""
    text = name_key(text)
    for pattern, short in _PHRASES:
        text = pattern.sub(short, text)
    return " ".join(text.split())


def descriptor_types(text: str) -> frozenset[str] | None:
    """The actor types a descriptor may mean ("the junta" → government, military), or None
    when the text is not a bare descriptor.

    Args:
        text: the name as typed.
    """
    return DESCRIPTORS.get(fold(text))


class ActorNotFoundError(BriefingError):
    """No actor goes by the name; ``suggestions`` holds "did you mean" candidates, if any."""

    def __init__(self, query: str, suggestions: tuple[ActorRef, ...] = ()) -> None:
        text = f"briefbot knows no actor called {query!r}."
        if suggestions:
            text += " Did you mean " + _choice_list(suggestions, "or") + "?"
        super().__init__(text)
        self.query = query
        self.suggestions = suggestions


class AmbiguousActorError(BriefingError):
    """Several actors go by the name; ``choices`` lists them."""

    def __init__(self, query: str, choices: tuple[ActorRef, ...]) -> None:
        super().__init__(f"{query!r} could mean {_choice_list(choices, 'or')}: please say which.")
        self.query = query
        self.choices = choices


def _choice_list(refs: tuple[ActorRef, ...], word: str) -> str:
    names = [r.name for r in refs]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a name resolved to.

    ``actor`` is set for ``exact`` and ``fuzzy`` answers; ``candidates`` holds the choices of
    an ``ambiguous`` name or the "did you mean" suggestions of an ``unknown`` one (possibly
    none).
    """

    query: str
    kind: ResolutionKind
    actor: ActorRef | None = None
    candidates: tuple[ActorRef, ...] = ()

    @property
    def found(self) -> bool:
        return self.actor is not None

    def require(self) -> ActorRef:
        """The actor, or the error a user should see.

        Raises:
            AmbiguousActorError: when the name is ambiguous.
            ActorNotFoundError: when no actor goes by the name.
        """
        if self.actor is not None:
            return self.actor
        if self.kind == "ambiguous":
            raise AmbiguousActorError(self.query, self.candidates)
        raise ActorNotFoundError(self.query, self.candidates)


class Resolver:
    """An index of actor names for resolution and autocomplete; build once, query often.

    Args:
        actors: every known actor by id (display name and type).
        names: (surface, actor id) pairs: names, aliases, former names, demonyms. An
            actor's display name and id are indexed whether or not they are listed here.
        demonyms: demonym → state name ("Russian" → "Russia"), used to index "Russian X"
            as "Russia X" too.
    """

    def __init__(
        self,
        actors: Mapping[str, ActorRef],
        names: Iterable[tuple[str, str]] = (),
        demonyms: Mapping[str, str] | None = None,
    ) -> None:
        self._refs = dict(actors)
        self._by_key: dict[str, set[str]] = {}
        self._canonical: dict[str, set[str]] = {}
        self._demonyms = {fold(k): fold(v) for k, v in (demonyms or {}).items()}
        for ref in self._refs.values():
            self._add(ref.name, ref.id, canonical=True)
        for surface, actor_id in names:
            if actor_id in self._refs:
                self._add(surface, actor_id, canonical=False)
        self._keys = list(self._by_key)
        self._by_length = sorted(self._keys, key=len)
        self._lengths = [len(k) for k in self._by_length]
        self._tails = sorted(
            (k[m.start() :], m.start(), k) for k in self._keys for m in _WORD_START.finditer(k)
        )
        self._ids_by_id_key = {fold(i): i for i in self._refs}

    def _add(self, surface: str, actor_id: str, *, canonical: bool) -> None:
        key = fold(surface)
        if not key:
            return
        keys = [key]
        first, _, rest = key.partition(" ")
        if rest and first in self._demonyms:
            keys.append(f"{self._demonyms[first]} {rest}")
        for k in keys:
            self._by_key.setdefault(k, set()).add(actor_id)
            if canonical:
                self._canonical.setdefault(k, set()).add(actor_id)

    def __len__(self) -> int:
        return len(self._refs)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._refs

    def get(self, actor_id: str) -> ActorRef | None:
        """The actor with this exact id, if known."""
        return self._refs.get(actor_id)

    def names_of(self, actor_id: str) -> list[str]:
        """Every folded key that leads to the actor (for tests and diagnostics)."""
        return sorted(k for k, ids in self._by_key.items() if actor_id in ids)

    def resolve(self, text: str) -> Resolution:
        """Resolve a name typed by a user.

        Args:
            text: the name as typed: an id, a name, an alias or a demonym, in any case.
        """
        query = text.strip()
        key = fold(query)
        if not key:
            return Resolution(query, "unknown")
        ids = self._by_key.get(key)
        if ids:
            if len(ids) == 1:
                return Resolution(query, "exact", self._refs[next(iter(ids))])
            canonical = self._canonical.get(key, set())
            if len(canonical) == 1:
                return Resolution(query, "exact", self._refs[next(iter(canonical))])
            return Resolution(query, "ambiguous", candidates=self._sorted(ids))
        if query in self._refs:
            return Resolution(query, "exact", self._refs[query])
        if key in self._ids_by_id_key:
            return Resolution(query, "exact", self._refs[self._ids_by_id_key[key]])
        return self._fuzzy(query, key)

    def _scores(self, key: str) -> dict[str, float]:
        """Fuzzy scores of the keys near ``key`` (see the module docstring)."""
        scores: dict[str, float] = {}

        def keep(choice: str, score: float) -> None:
            if score > scores.get(choice, -1.0):
                scores[choice] = score

        limit = MAX_SUGGESTIONS * 4
        for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
            for choice, score, _ in process.extract(
                key, self._keys, scorer=scorer, score_cutoff=SUGGEST_CUTOFF, limit=limit
            ):
                keep(choice, score)
        if MIN_PARTIAL_LENGTH <= len(key) <= SHORT_QUERY:
            for choice, _, _ in process.extract(
                key, self._keys, scorer=Levenshtein.distance, score_cutoff=1, limit=limit
            ):
                keep(choice, SUGGEST_CUTOFF)
        if len(key) >= MIN_PARTIAL_LENGTH:
            longer = self._by_length[bisect.bisect_left(self._lengths, len(key) + 1) :]
            for choice, score, _ in process.extract(
                key,
                longer,
                scorer=fuzz.partial_ratio,
                score_cutoff=SUGGEST_CUTOFF / PARTIAL_WEIGHT,
                limit=limit,
            ):
                where = fuzz.partial_ratio_alignment(key, choice)
                if where is None:
                    continue
                start = where.dest_start
                if start == 0 or choice[start - 1] == " ":
                    keep(choice, score * PARTIAL_WEIGHT)
        return scores

    def _fuzzy(self, query: str, key: str) -> Resolution:
        if len(key) < MIN_FUZZY_LENGTH:
            return Resolution(query, "unknown")
        hits = self._scores(key).items()
        best: dict[str, float] = {}
        for choice, score in hits:
            for actor_id in self._by_key[choice]:
                if score > best.get(actor_id, -1.0):
                    best[actor_id] = score
        if not best:
            return Resolution(query, "unknown")
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], self._refs[kv[0]].name))
        top_id, top_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if top_score >= ACCEPT_CUTOFF and top_score - runner_up >= ACCEPT_MARGIN:
            return Resolution(query, "fuzzy", self._refs[top_id])
        refs = tuple(self._refs[i] for i, _ in ranked[:MAX_SUGGESTIONS])
        return Resolution(query, "unknown", candidates=refs)

    def suggest(self, prefix: str, limit: int = 25) -> tuple[ActorRef, ...]:
        """Actors whose names start with (or whose words start with) ``prefix``, for autocomplete.

        Args:
            prefix: what the user has typed so far; empty gives no suggestions.
            limit: the most actors to return (Discord allows 25).
        """
        key = fold(prefix)
        if not key or limit <= 0:
            return ()
        lo = bisect.bisect_left(self._tails, (key, 0, ""))
        rank: dict[str, tuple[int, int]] = {}
        for tail, offset, k in itertools.islice(self._tails, lo, None):
            if not tail.startswith(key):
                break
            for actor_id in self._by_key[k]:
                rank[actor_id] = min(rank.get(actor_id, (1, 1 << 30)), (int(offset > 0), len(k)))
        ordered = sorted(rank, key=lambda i: (rank[i], self._refs[i].name))
        out = [self._refs[i] for i in ordered[:limit]]
        if len(out) < limit and len(key) >= MIN_FUZZY_LENGTH:
            seen = {r.id for r in out}
            extra = self._fuzzy(prefix, key).candidates
            out += [r for r in extra if r.id not in seen][: limit - len(out)]
        return tuple(out)

    def _sorted(self, ids: Iterable[str]) -> tuple[ActorRef, ...]:
        return tuple(sorted((self._refs[i] for i in ids), key=lambda r: (r.name, r.id)))
