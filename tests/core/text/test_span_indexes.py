"""The span and word indexes that keep discovery linear answer as the scans they replace."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefings.analysis.actors.discovery import discover
from briefings.analysis.actors.finder import ActorFinder
from briefings.analysis.actors.findings import Ctx
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.analysis.actors.people import _whole_words, scan_whole_words
from briefings.formats import parse
from briefings.text.intervals import Containment
from briefings.text.occurrences import Occurrences
from briefings.text.sentences import split_sentences

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=25)
probes = st.lists(st.tuples(st.integers(-2, 62), st.integers(-2, 62)), min_size=1, max_size=25)


@given(spans, probes)
@settings(max_examples=300, deadline=None)
def test_containment_agrees_with_a_scan_of_every_span(
    given_spans: list[tuple[int, int]], asked: list[tuple[int, int]]
) -> None:
    index = Containment(given_spans)
    assert bool(index) == bool(given_spans)
    for s, e in asked:
        assert index.holds(s, e) == any(a <= s and e <= b for a, b in given_spans)


_PIECES = (
    "HPMM Kadomu Kadomu's Rubate x-Rubate Rubate- U.S. Ana AnaAna ana Ségou Kadomu_Front "
    "the Wagner PMC group 2nd Œuvre ٣ KLF KLF2"
).split()
_GAPS = (" ", "  ", "\n", ", ", " (", ") ", "-", "_", ".", "'", "\u00a0", "")
texts = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=40).map(
    lambda parts: "".join(word + gap for word, gap in parts)
)
# Forms with characters other than word ones are compared where their first word stands.
_PUNCTUATED = ("Wagner.", "A. Wagner", "Kadomu (PMC", "PMC-group", "Wagner\u00a0PMC", ". A")
forms = st.sampled_from(
    [*_PIECES, "Wagner PMC", "PMC group", "A", "", "-", "Kadomu Kadomu", "_A", "-A", *_PUNCTUATED]
)


@given(texts, st.lists(forms, min_size=1, max_size=6))
@settings(max_examples=400, deadline=None)
def test_occurrences_agree_with_the_whole_word_pattern(text: str, asked: list[str]) -> None:
    index = Occurrences(text)
    for form in asked:
        pattern = re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")
        assert index.of(form) == [m.span() for m in pattern.finditer(text)]


@given(texts, st.lists(forms.filter(bool), min_size=1, max_size=6))
@settings(max_examples=400, deadline=None)
def test_surname_look_ups_agree_with_a_scan_of_the_text(text: str, asked: list[str]) -> None:
    ctx = Ctx(text, text, {}, lambda _id: None, discover("", "", {}, lambda _id: None))
    for word in asked:
        assert _whole_words(ctx, word) == scan_whole_words(text, word)


def _coined(rng: random.Random, taken: set[str]) -> str:
    """A made-up name no gazetteer knows, never the same twice."""
    while True:
        word = "".join(rng.choice(("ka", "do", "ri", "mu", "te", "lo", "zu")) for _ in range(4))
        if word not in taken:
            taken.add(word)
            return word.capitalize()


def test_a_long_article_finds_every_coined_name_and_its_later_mentions() -> None:
    """Hundreds of distinct names: each person and acronym is found, then its short form."""
    rng = random.Random(4)
    lines = []
    people, groups, taken = set(), set(), set[str]()
    for i in range(300):
        first, last, stem = _coined(rng, taken), _coined(rng, taken), _coined(rng, taken)
        acronym = f"{stem[0]}LF{chr(65 + i % 26)}{chr(65 + i // 26)}"
        people.add(f"{first} {last}")
        groups.add(acronym)
        lines.append(
            f"Details. Colonel {first} {last} said that Russia had moved fighters to Gao. "
            f"The {stem} Liberation Front ({acronym}) attacked a convoy near Kidal. "
            f"{last} accused {acronym} of breaking the truce."
        )
    text = "Fighting spreads in the north\n" + "\n".join(lines) + "\n"
    article = parse(text.encode(), "text")
    found = ActorFinder(Gazetteer.default()).find(article, split_sentences(article))
    by_name = {a.name: a for a in found.actors}
    for name in people:
        surfaces = {m.surface for m in by_name[name].mentions}
        assert surfaces == {name, name.split()[1]}, name
    acronyms = {m.surface for a in found.actors for m in a.mentions if m.kind == "acronym"}
    assert acronyms == groups
