"""The actor finder's shortcuts agree with the rules they stand for, on any text."""

from __future__ import annotations

import re

from helpers.paths import ARTICLES
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefings.analysis.actors import anchors
from briefings.analysis.actors import contexts as cx
from briefings.analysis.actors import definitions as df
from briefings.analysis.actors import lexicon as lx
from briefings.analysis.actors.finder import _COORDINATION_FIRST, _PLACE_NOUN_FIRST, ActorFinder
from briefings.analysis.actors.gazetteer import Gazetteer
from briefings.analysis.actors.offices import unnamed_minister_matches
from briefings.analysis.actors.states import _BEFORE_NEXT_WORD, _LOWER_ASCII
from briefings.formats import parse
from briefings.formats.base import build_article
from briefings.model import ArticleActor, Mention, PlaceMention, Sentence
from briefings.text.folding import fold_in_place
from briefings.text.sentences import split_sentences

FIXTURES = ARTICLES

_WORDS = (
    "in the of and or from to out bound for ethnic fellow regimes government military junta "
    "President president Mali Mali's Malian Russian Russia troops region State ( ) , / & "
    "previously formerly known as Front Ministry Defence x: place: Place: north The A "
    "country. Mali, (FLA) IN involvement support aid Aid backing EU and"
).split()
_GAPS = (" ", "  ", "\t", "\n", ", ", " (", "-", "\u2003", "\u00a0", "\u200b", "")
texts = st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GAPS)), max_size=40).map(
    lambda parts: "".join(word + gap for word, gap in parts)
)


def _full_left_context(norm: str, start: int) -> tuple[str, int]:
    if start < 2 or norm[start - 1] != " ":
        return "", -1
    return cx._left_context(norm, start, max(0, start - 48))


def _reference_norm() -> str:
    return fold_in_place((FIXTURES / "mali_collapse.txt").read_text(encoding="utf-8"))


@settings(max_examples=300, deadline=None)
@given(texts)
@example("regimes from ")  # a government noun before "from": the full rules decide
def test_left_context_shortcuts_agree_with_the_window_rules(text: str) -> None:
    for start in range(len(text) + 1):
        full = _full_left_context(text, start)
        assert cx.left_context(text, start) == full
        assert cx.dropped(text, start) == (full[0] == "drop")


def test_left_context_shortcuts_on_the_reference_article() -> None:
    norm = _reference_norm()
    for start in range(len(norm) + 1):
        assert cx.left_context(norm, start) == _full_left_context(norm, start)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_pattern_gates_never_hide_a_match(text: str) -> None:
    for at in range(len(text) + 1):
        nxt = cx.NEXT_WORD.match(text, at)
        if nxt:
            assert text[at : at + 1] in _BEFORE_NEXT_WORD
        if nxt and cx.STATE_ACTION.match(text, at):
            assert not nxt.group(1) and nxt.group(2)[0] in _LOWER_ASCII
        if text[at : at + 1] == " " and cx.PLACE_NOUN_AFTER.match(text, at):
            after = text[at + 1 : at + 2]
            assert after in _PLACE_NOUN_FIRST or after.isspace()
        if lx.FORMER_NAME.match(text, at):
            head = text[at : at + 4].lstrip()
            assert not head or head[0] in "(,"
        for end in range(at, min(len(text), at + 40) + 1):
            if cx.COORDINATION.match(text, at, end):
                assert text[at : at + 8].lstrip()[:1] in _COORDINATION_FIRST


_BACKTRACKING_RUN = re.compile(lx.RUN.pattern.replace("*+", "*").replace("++", "+"))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_possessive_runs_match_like_backtracking_ones(text: str) -> None:
    spans = [m.span() for m in lx.RUN.finditer(text)]
    assert spans == [m.span() for m in _BACKTRACKING_RUN.finditer(text)]


_OFFICE_WORDS = (
    "the The Minister Ministers minister of the Foreign foreign Affairs affairs Defence "
    "Finance and Interior internal Emergency situations Kenya X9 \u017fecurity state"
).split()
_OFFICE_GAPS = (" ", "  ", "\t", "\n", ", ", "-", "'", "_", ".", "\u00a0", "")
office_texts = st.lists(
    st.tuples(st.sampled_from(_OFFICE_WORDS), st.sampled_from(_OFFICE_GAPS)), max_size=30
).map(lambda parts: "".join(word + gap for word, gap in parts))


@settings(max_examples=500, deadline=None)
@given(office_texts)
@example("the Minister of Foreign Affairs of Kenya, and the Defence Minister")
@example("xthe Minister of X9 and Kenya the internal\n affairs Minister-")
def test_unnamed_minister_window_finds_what_the_whole_text_scan_does(text: str) -> None:
    def spans(found: list[re.Match[str]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        return [(m.span(), m.span("office")) for m in found]

    assert spans(unnamed_minister_matches(text)) == spans(list(cx.UNNAMED_MINISTER.finditer(text)))


_ANCHOR_WORDS = (
    "group groups Group party militia Ltd Ltd. Inc Inc. S.A. known calling analysts Analysts "
    "men government x-group subgroup Co. Corp union reunion"
).split()
anchor_texts = st.lists(
    st.tuples(st.sampled_from(_ANCHOR_WORDS), st.sampled_from((*_GAPS, "\n", "_", "-", "."))),
    max_size=30,
).map(lambda parts: "".join(word + gap for word, gap in parts))


def _plain_noun_index(norm: str) -> dict[str, list[int]]:
    """Every noun after a blank or a line break, not followed by a word character or hyphen."""
    nouns = {
        n for t in (anchors.SUFFIXES, anchors.COLLECTIVE_NOUNS, anchors.SELF_NAMING) for n in t
    }
    nouns |= set(anchors.SOURCES) | set(anchors.ACR_NOUNS) | set(anchors.RULE_HEADS)
    nouns |= set(anchors.GANG_NOUNS) | set(anchors.NOUNS_BEFORE_NAME)
    index: dict[str, list[int]] = {}
    for noun in nouns:
        for at in range(3, len(norm) - len(noun) + 1):
            after = norm[at + len(noun) : at + len(noun) + 1] or " "
            if (
                norm.startswith(noun, at)
                and norm[at - 1] in " \t\n"
                and not (after.isalnum() or after in "_-")
            ):
                index.setdefault(noun, []).append(at)
    return index


@settings(max_examples=300, deadline=None)
@given(anchor_texts)
@example("A b group, the Ltd. firm\tInc. and\nanalysts")
def test_noun_index_is_the_plain_scan(text: str) -> None:
    anchors._LAST_INDEX.clear()
    assert anchors._noun_index(text) == _plain_noun_index(text)


def test_noun_index_is_the_plain_scan_on_the_reference_article() -> None:
    norm = _reference_norm()
    anchors._LAST_INDEX.clear()
    assert anchors._noun_index(norm) == _plain_noun_index(norm)


_LOOKBEHIND_FIRST = (
    (df._RULER_END, r"(?<![\w-])[Tt]he[ \t]+(?P<name>[A-Z][\w'-]+)[ \t]+$"),
    (df._ALLCAPS_END, r"(?<![\w-])[A-Z][A-Z0-9-]{1,11}[ \t]+$"),
    (df._NAME_END, r"(?<![\w'-])[A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*){0,3}[ \t]+$"),
    (
        df._COMPANY_END,
        r"(?<![\w-])(?P<name>[A-Z][\w&'-]*(?:[ \t]+(?:(?:of|and|&|de)[ \t]+)?[A-Z][\w&'-]*){0,5})"
        r",?[ \t]+$",
    ),
)


@settings(max_examples=300, deadline=None)
@given(texts)
@example("the Karimov regime, the FLA group and Acme Holdings of Kenya Ltd")
def test_name_patterns_with_a_late_look_behind_search_like_the_plain_ones(text: str) -> None:
    for fast, plain_form in _LOOKBEHIND_FIRST:
        plain = re.compile(plain_form)
        for end in range(len(text) + 1):
            for start in (max(0, end - 16), max(0, end - 60), 0):
                got = fast.search(text, start, end)
                want = plain.search(text, start, end)
                assert (got and (got.span(), got.groupdict())) == (
                    want and (want.span(), want.groupdict())
                )


def test_findings_equal_objects_built_by_their_constructors() -> None:
    finder = ActorFinder(Gazetteer.default())
    art = parse((FIXTURES / "mali_collapse.txt").read_bytes(), format="text")
    found = finder.find(art, split_sentences(art))
    for m in found.mentions:
        twin = Mention(m.actor_id, m.surface, m.start, m.end, m.sentence, m.kind)
        assert m == twin and hash(m) == hash(twin) and repr(m) == repr(twin)
    for a in found.actors:
        assert a == ArticleActor(a.actor, a.mentions, a.salience, a.linked_aliases)
    for p in found.places:
        fields = (p.name, p.surface, p.start, p.end, p.sentence, p.country, p.kind)
        assert p == PlaceMention(*fields)


def test_sentences_equal_objects_built_by_their_constructor() -> None:
    for path in sorted(FIXTURES.glob("*.txt")):
        art = parse(path.read_bytes(), format="text")
        for sent in split_sentences(art):
            fields = (sent.index, sent.text, sent.start, sent.end, sent.block, sent.section)
            twin = Sentence(*fields, sent.kind)
            assert sent == twin and hash(sent) == hash(twin) and repr(sent) == repr(twin)


def test_a_reused_finder_finds_what_a_fresh_one_does() -> None:
    bodies = [
        "Mali's Defence Minister was killed. Iran's foreign ministry condemned it.",
        "The Malian Defence Minister resigned. The Iranian Foreign Ministry said so.",
        "An American defense official spoke; the US Defense Secretary did not.",
        "Mali's Defence Minister met Russian troops near Bamako.",
    ]
    reused = ActorFinder(Gazetteer.default())
    for body in bodies:
        art = build_article("A headline", None, [(None, [("paragraph", body)])])
        sentences = split_sentences(art)
        fresh = ActorFinder(Gazetteer.default())
        assert reused.find(art, sentences) == fresh.find(art, sentences)
