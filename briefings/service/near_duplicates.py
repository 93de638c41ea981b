"""Near-duplicate stories: the same story from several sources, found by shingles and MinHash.

The same story arriving from several sources becomes one digest item that lists every
source. Two stories are near-duplicates when they have the same content
fingerprint, or when the Jaccard similarity of their sets of word 3-shingles is at least
:data:`JACCARD_THRESHOLD`. Comparing every pair would cost O(n²), so each story gets a
bottom-k MinHash sketch (the :data:`SKETCH_SIZE` smallest 64-bit shingle hashes); stories
whose sketches share at least :data:`MIN_SHARED_SKETCH` values become candidate pairs
through an inverted index of sketch values (a value in more than :data:`MAX_POSTING`
sketches is a stock phrase and is skipped), and only candidate pairs are compared exactly.
Merged stories form clusters (union-find).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import Protocol

from briefings.text.folding import plain

SHINGLE_SIZE = 3
"""Words per shingle (the code pairs three word lists; change both together)."""
SKETCH_SIZE = 64
MIN_SHARED_SKETCH = 8
JACCARD_THRESHOLD = 0.5
MAX_POSTING = 64
"""A sketch value shared by more stories than this is a stock phrase, not evidence."""
_MASK = (1 << 64) - 1
_WORD = re.compile(r"[^\W_]+")


class Text(Protocol):
    """What near-duplicate detection reads of a story."""

    @property
    def fingerprint(self) -> str | None:
        """The content fingerprint (equal fingerprints: the same story)."""
        ...

    @property
    def text(self) -> str:
        """The story's text."""
        ...


def words(text: str) -> list[str]:
    """The words of a text, case-folded and without accents."""
    return _WORD.findall(plain(text))


def _shingles(text: str) -> frozenset[int]:
    """Hashes of the word 3-shingles of a text (tuples of CRC-32 word hashes, hashed).

    Integer and tuple hashes do not depend on ``PYTHONHASHSEED``, so merges are stable
    from one run to the next.
    """
    hashes = [zlib.crc32(w.encode("utf-8")) for w in words(text)]
    if len(hashes) < SHINGLE_SIZE:
        return frozenset({hash(tuple(hashes)) & _MASK}) if hashes else frozenset()
    return frozenset(
        hash(shingle) & _MASK for shingle in zip(hashes, hashes[1:], hashes[2:], strict=False)
    )


def near_duplicate_groups(stories: Sequence[Text]) -> list[list[int]]:
    """Indexes of ``stories`` grouped into near-duplicate clusters (see the module docstring).

    Args:
        stories: the stories to compare.

    Returns:
        Every story's index in exactly one group; groups and members in input order.
    """
    parent = list(range(len(stories)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    by_print: dict[str, int] = {}
    for i, story in enumerate(stories):
        if story.fingerprint:
            first = by_print.setdefault(story.fingerprint, i)
            if first != i:
                union(first, i)
    sets = [_shingles(s.text) for s in stories]
    postings: dict[int, list[int]] = {}
    for i, shingles in enumerate(sets):
        for value in sorted(shingles)[:SKETCH_SIZE]:
            postings.setdefault(value, []).append(i)
    shared: dict[tuple[int, int], int] = {}
    for members in postings.values():
        if len(members) > MAX_POSTING:
            continue
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                pair = (members[a], members[b])
                shared[pair] = shared.get(pair, 0) + 1
    for (i, j), count in shared.items():
        needed = min(MIN_SHARED_SKETCH, len(sets[i]), len(sets[j]))
        if count < needed or find(i) == find(j):
            continue
        inter = len(sets[i] & sets[j])
        if inter / (len(sets[i]) + len(sets[j]) - inter) >= JACCARD_THRESHOLD:
            union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(stories)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())
