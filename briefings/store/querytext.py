"""The search query language, its FTS5 rendering, and a relevance score computed in Python.

A query is words (all must match), ``"quoted phrases"``, ``-word`` (must not match),
``a OR b`` and, on SQLite, ``prefix*``; at most :data:`MAX_TERMS` of them (control
characters are dropped first). Its FTS5 rendering is flat (one ``NOT`` over one ``OR``
group), so no query nests deeper than the parser's stack. Common English words standing
alone are dropped, as PostgreSQL's English configuration does, so both backends agree.

SQLite's ``bm25()`` reads a term's whole posting list to weigh it, which costs
milliseconds for a common word in a large store. The store instead takes the most recent
matches and scores them here: BM25's term-frequency saturation and length
normalisation, without the corpus-wide term weights (every candidate matches every
required term, so those weights would change little).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from briefings.errors import SearchTooComplexError

MAX_TERMS = 32
"""The most words and phrases one query may hold (required and excluded together)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_SUFFIXES = ("ing", "ed", "s")
_K1 = 1.2
_B = 0.75
_AVERAGE_WORDS = 22.0
"""A typical event sentence's length in words, for length normalisation."""

STOPWORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
    )
)
"""Common English words a bare query term drops, as PostgreSQL's English search does."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that must appear in this order; ``prefix`` lets the last one be a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts5(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@dataclass(slots=True)
class Query:
    """A parsed query: groups that must all match (each: phrases, any of which may),
    and phrases that must not."""

    groups: list[list[Phrase]] = field(default_factory=list)
    excluded: list[Phrase] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups


def clean_query(text: str) -> str:
    """The query with control characters (NUL, escapes, ...) turned into spaces."""
    return _CONTROL.sub(" ", text)


def parse_query(text: str) -> Query:
    """Parse a user's query (see the module docstring).

    Raises:
        SearchTooComplexError: it holds more than :data:`MAX_TERMS` terms.
    """
    text = clean_query(text)
    query = Query()
    terms = 0
    join_next = False
    for match in _TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        prefix = False
        if bare is not None:
            if bare.casefold() == "or":
                join_next = bool(query.groups)
                continue
            if bare.startswith("-") and len(bare) > 1:
                minus, bare = "-", bare[1:]
            prefix = bare.endswith("*")
            words = _WORD.findall(bare)
            if len(words) == 1 and not prefix and words[0].casefold() in STOPWORDS:
                continue
        else:
            words = _WORD.findall(quoted)
        if not words:
            continue
        terms += 1
        if terms > MAX_TERMS:
            raise SearchTooComplexError(
                f"That search is too complex: use at most {MAX_TERMS} words, phrases and "
                "-exclusions."
            )
        phrase = Phrase(tuple(words), prefix)
        if minus:
            query.excluded.append(phrase)
        elif join_next:
            query.groups[-1].append(phrase)
        else:
            query.groups.append([phrase])
        join_next = False
    return query


def fts5_expression(query: Query) -> str | None:
    """The FTS5 expression of a query, every term quoted; None when nothing is required."""
    if query.empty:
        return None
    parts = []
    for group in query.groups:
        terms = [p.fts5() for p in group]
        parts.append(terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")")
    expression = " AND ".join(parts)
    if query.excluded:
        excluded = " OR ".join(p.fts5() for p in query.excluded)
        expression = f"({expression}) NOT ({excluded})"
    return expression


def fts5_query(text: str) -> str | None:
    """The FTS5 expression for a user's query, or None when it holds nothing to look for."""
    return fts5_expression(parse_query(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem for counting matches: folded, one common suffix and a final "e"
    removed ("sieges", "siege" → "sieg"; "attacked", "attacking" → "attack")."""
    folded = unicodedata.normalize("NFKD", word)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            folded = folded[: -len(suffix)]
            break
    if folded.endswith("e") and len(folded) >= 4:
        folded = folded[:-1]
    return folded


def relevance(text: str, query: Query) -> float:
    """How well ``text`` matches ``query``: saturated, length-normalised term frequencies."""
    tokens = list(map(stem, _WORD.findall(text)))
    if not tokens:
        return 0.0
    norm = _K1 * (1 - _B + _B * len(tokens) / _AVERAGE_WORDS)
    score = 0.0
    for group in query.groups:
        for phrase in group:
            count = _occurrences(tokens, phrase)
            if count:
                score += count * (_K1 + 1) / (count + norm)
    return score


@lru_cache(maxsize=4096)
def _stems(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(stem, words))


def _occurrences(tokens: list[str], phrase: Phrase) -> int:
    """How often the phrase's stems occur in ``tokens`` in a row (the last as a prefix if
    the phrase says so); candidates are found with ``list.index``, not word by word."""
    words = _stems(phrase.words)
    last = len(words) - 1
    first = words[0]
    if last == 0:
        if phrase.prefix:
            return sum(1 for t in tokens if t.startswith(first))
        return tokens.count(first)
    end = len(tokens) - last
    if end <= 0:
        return 0
    middle = list(words[1:last])
    final = words[last]
    count = 0
    i = -1
    while True:
        try:
            i = tokens.index(first, i + 1, end)
        except ValueError:
            return count
        tail = tokens[i + last]
        if tokens[i + 1 : i + last] == middle and (
            tail == final or (phrase.prefix and tail.startswith(final))
        ):
            count += 1
