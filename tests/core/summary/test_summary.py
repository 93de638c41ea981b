"""The extractive summary: TL;DR, structure-aware key points, presets and attribution."""

from __future__ import annotations

import re
from datetime import date

import pytest
from helpers.paths import ARTICLES

from briefings.analysis.pipeline import Analyzer
from briefings.analysis.summary import _attributed, _says, _words, summarise
from briefings.formats import parse
from briefings.model import Event, EventDate, Sentence

REFERENCE = ARTICLES / "mali_collapse.txt"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def test_reference_tldr_is_title_and_dek(analyzer: Analyzer) -> None:
    analysis = analyzer.analyse(parse(REFERENCE.read_bytes(), published=date(2026, 4, 27)))
    assert analysis.summary.tldr.startswith(
        "Pro-Russian Regime in Mali Begins to Collapse — Mali’s"
    )
    points = [k.text for k in analysis.summary.key_points]
    assert len(points) == 3
    assert any("launched a major offensive" in p for p in points)
    assert any("killing of Mali’s Defence Minister" in p for p in points)
    assert any("total siege" in p for p in points)
    # Each key point points at its source sentence.
    for point in analysis.summary.key_points:
        assert analysis.sentences[point.sentence].text in point.text


def test_without_a_dek_the_lede_is_the_tldr(analyzer: Analyzer) -> None:
    text = (
        "Rebels take border town\n"
        "On Monday, rebels of the M23 movement captured the border town of Bunagana after two "
        "days of fighting with the Congolese army, local officials said. The army said it had "
        "withdrawn to protect civilians. Analysts say the region has been unstable for decades.\n"
        "On Tuesday, Uganda closed the border crossing. The African Union called for a ceasefire.\n"
    )
    analysis = analyzer.analyse(parse(text, published=date(2026, 3, 4)))
    assert analysis.summary.tldr.startswith("On Monday, rebels of the M23 movement captured")
    assert all(not k.text.startswith("On Monday") for k in analysis.summary.key_points)
    assert any("closed the border" in k.text for k in analysis.summary.key_points)


def test_details_come_before_context(analyzer: Analyzer) -> None:
    text = (
        "Talks collapse\n"
        "A short dek for the story.\n"
        "Context. The two sides have fought over the region since 1991, in a long war.\n"
        "Details. On May 2, negotiators from both governments walked out of talks in Geneva.\n"
    )
    analysis = analyzer.analyse(parse(text, published=date(2026, 5, 4)))
    first = analysis.summary.key_points
    assert first and any("walked out" in k.text for k in first)


@pytest.mark.parametrize(("preset", "most"), [("short", 0), ("standard", 3), ("full", 10)])
def test_presets(analyzer: Analyzer, preset: str, most: int) -> None:
    article = parse(REFERENCE.read_bytes(), published=date(2026, 4, 27))
    analysis = analyzer.analyse(article)
    summary = summarise(
        article, analysis.sentences, analysis.actors, analysis.events, preset=preset
    )
    assert summary.preset == preset
    assert summary.tldr
    assert len(summary.key_points) <= most
    if most:
        assert len(summary.key_points) == min(most, len(analysis.sentences) - 2)
    indexes = [k.sentence for k in summary.key_points]
    assert indexes == sorted(indexes)


def test_unknown_preset_is_refused(analyzer: Analyzer) -> None:
    article = parse(REFERENCE.read_bytes())
    with pytest.raises(ValueError, match="standard"):
        summarise(article, (), (), (), preset="long")


def _event(modality: str, attribution: str | None) -> Event:
    return Event(
        sentence=3,
        text="The offensive was Western-backed.",
        type="accuse",
        trigger="backed",
        actors=(),
        recipients=(),
        date=EventDate("2026-04", "month"),
        location=None,
        attribution=attribution,
        attribution_actor=None,
        modality=modality,  # type: ignore[arg-type]
    )


def test_an_allegation_is_never_a_bare_fact() -> None:
    sentence = Sentence(3, "The offensive was Western-backed.", 0, 33, 2, 0, "paragraph")
    text = _attributed(sentence, [_event("alleged", "the Russian Ministry of Defence")])
    assert text == "According to the Russian Ministry of Defence: The offensive was Western-backed."
    assert _attributed(sentence, [_event("reported", "Reuters")]) == sentence.text
    named = Sentence(
        3, "Moscow alleged the offensive was Western-backed.", 0, 48, 2, 0, "paragraph"
    )
    assert _attributed(named, [_event("alleged", "Moscow")]) == named.text


@pytest.mark.parametrize(
    "text",
    [
        "The group claimed the attack in a statement and said it had seized two vehicles.",
        "The warning came a day after the US Treasury imposed sanctions on four companies "
        "accused of shipping Iranian oil to the Houthis.",
        "The offensive was reportedly Western-backed.",
    ],
)
def test_a_sentence_that_attributes_itself_gets_no_prefix(text: str) -> None:
    sentence = Sentence(3, text, 0, len(text), 2, 0, "paragraph")
    assert _attributed(sentence, [_event("claimed", "JNIM")]) == text


# The attribution words as one case-insensitive pattern: the rule the word-set test in
# ``_says`` stands for.
_SAYS_RULE = re.compile(
    r"\b(?:according to|sa(?:y|ys|id|ying)|claim(?:s|ed|ing)?|alleg(?:e|es|ed|edly|ing)|"
    r"accus(?:e|es|ed|ing)|report(?:s|ed|edly)?|told|tells|stat(?:e|es|ed)|announc(?:e|es|ed)|"
    r"den(?:y|ies|ied)|insist(?:s|ed)?|assert(?:s|ed)?|contend(?:s|ed)?|maintain(?:s|ed)?|"
    r"blam(?:e|es|ed)|purported(?:ly)?|reportedly|apparently)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "text",
    [
        "The convoy was hit near the river, according to local officials.",
        "ACCORDING TO the mayor, the bridge fell.",
        "According  to nobody in particular, nothing happened.",
        "The envoy Said nothing at the summit.",
        "The statesman visited the port; the statement followed.",
        "The militia, which had been blamed before, withdrew.",
        "Rebels reportedly took the airfield on Monday.",
        "The ministry’s spokesman denied any role in the strike.",
        "A “said” in quotes still counts, as does Reportedly.",
        "Officials in Tiraspol counted the votes.",
        "The group’s 2said_ tag is no word of attribution.",
        "Troops entered Ségou after the clashes.",
        "The council, apparently split, adjourned.",
        "The old chronicle ſaid the town fell.",
        "The İnsisted form is no word here.",
        "Rebels, the ministry “denied”, held the ridge.",
    ],
)
def test_attribution_words_match_the_rule(text: str) -> None:
    assert _says(text, _words(text)) == (_SAYS_RULE.search(text) is not None)


@pytest.mark.parametrize(
    "text",
    [
        "The Ministry’s “Statement” on Ségou",
        "ΟΔΟΣ'Β and ΑΣ.Β: final and inner sigma",
        "İSTANBUL talks resumed",
        "Plain ASCII Words, Twice: words",
    ],
)
def test_word_sets_lower_each_word_as_alone(text: str) -> None:
    assert _words(text) == {w.lower() for w in re.findall(r"\w+", text)}
