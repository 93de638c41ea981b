"""Sentence splitting: abbreviations, initials, decimals, quotes, bullets and offsets."""

from __future__ import annotations

import pytest
from helpers.paths import ARTICLES

from briefings.formats import parse
from briefings.text.sentences import split_block, split_sentences

FIXTURES = ARTICLES


def sentences_of(text: str) -> list[str]:
    return [text[start:end] for start, end in split_block(text)]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Army and the U.N. mission met in St. Louis on Jan. 6 with Dr. Smith.",
        "Lt. Col. Ahmed and Gen. Diarra spoke to Mr. Traoré and Mrs. Keita.",
        "John F. Kennedy visited No. 10 with approx. 5 aides, e.g. advisers, i.e. staff.",
        "Output grew 3.5 million tonnes to 12.25 billion in Sept. 2025.",
        "JNIM is affiliated with al-Qaeda and al-Shabaab is not.",
        "At approximately 11:30 a.m. (Sanaa time) Mar. 6, a missile was launched.",
        '"Why should we leave?" he asked.',
        'He said "Stop." and walked out.',
        "Apple Inc. Europe was fined.",
    ],
)
def test_does_not_break_inside_a_sentence(text: str) -> None:
    assert sentences_of(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The army retreated. The rebels advanced.",
            ["The army retreated.", "The rebels advanced."],
        ),
        (
            "Is it over? Nobody knows! Fighting goes on.",
            ["Is it over?", "Nobody knows!", "Fighting goes on."],
        ),
        (
            "It claimed it had “prevented the coup”. The Russian Africa Corps left.",
            ["It claimed it had “prevented the coup”.", "The Russian Africa Corps left."],
        ),
        (
            'She said: "We will stay." Then she left.',
            ['She said: "We will stay."', "Then she left."],
        ),
        (
            "Troops left the U.S. The next day they returned.",
            ["Troops left the U.S.", "The next day they returned."],
        ),
        ("It rose 3.5. The index fell.", ["It rose 3.5.", "The index fell."]),
        ("He spoke (briefly). Then he left.", ["He spoke (briefly).", "Then he left."]),
        ("The talks failed… Fighting resumed.", ["The talks failed…", "Fighting resumed."]),
        ("Casualties rose. 15 people died.", ["Casualties rose.", "15 people died."]),
        ("It was Plan B. The army chose it.", ["It was Plan B.", "The army chose it."]),
        (
            "He ended his term in Jan. The vote came later.",
            ["He ended his term in Jan.", "The vote came later."],
        ),
    ],
)
def test_breaks_between_sentences(text: str, expected: list[str]) -> None:
    assert sentences_of(text) == expected


def test_reference_article_sentences() -> None:
    article = parse((FIXTURES / "mali_collapse.txt").read_bytes())
    sentences = split_sentences(article)
    texts = [s.text for s in sentences]
    assert texts[0] == "Pro-Russian Regime in Mali Begins to Collapse"
    assert sentences[0].kind == "title" and sentences[0].section == -1
    assert sentences[1].kind == "subtitle"
    assert texts[2].startswith("On April 25, jihadist group JNIM (affiliated with al-Qaeda)")
    assert texts[2].endswith("against the pro-Russian military junta in Mali.")
    assert texts[3] == (
        "The rebel attacks were well-coordinated and unexpected, resulting in the killing of "
        "Mali’s Defence Minister."
    )
    assert texts[6].endswith('"defeated the militants and prevented the coup”.')
    assert texts[7].startswith("The Russian Africa Corps (previously the Wagner PMC group)")
    assert len(sentences) == 18
    assert [s.index for s in sentences] == list(range(18))
    for s in sentences:
        assert article.text[s.start : s.end] == s.text
        block = article.blocks[s.block]
        assert block.start <= s.start < s.end <= block.end
        assert s.section == block.section and s.kind == block.kind
    assert {s.section for s in sentences if s.kind == "bullet"} == {0, 1}


def test_each_bullet_is_at_least_one_sentence() -> None:
    article = parse("Title\nIntro paragraph here.\n- first point without a stop\n- second point\n")
    sentences = split_sentences(article)
    bullets = [s.text for s in sentences if s.kind == "bullet"]
    assert bullets == ["first point without a stop", "second point"]


def test_title_is_one_sentence_even_with_stops() -> None:
    article = parse("U.S. Strikes. Iran Responds\nThe first paragraph. The second sentence.")
    sentences = split_sentences(article)
    assert sentences[0].text == "U.S. Strikes. Iran Responds"
    assert [s.text for s in sentences[1:]] == ["The first paragraph.", "The second sentence."]


def test_quotations() -> None:
    rice = (
        "Secretary of State Rice said, “[The] fields of the Middle East are littered with "
        "broken cease-fires. And every time there's a broken cease-fire, people die, there's "
        "destruction, and there's misery.\" She said, “We need to try.”"
    )
    assert sentences_of(rice) == [rice[: rice.index(" She said")], "She said, “We need to try.”"]
    final = (
        "The decision, he emphasized, “is final and binding. The United States calls upon "
        "the PRC to abide by the ruling.”"
    )
    assert sentences_of(final) == [
        "The decision, he emphasized, “is final and binding.",
        "The United States calls upon the PRC to abide by the ruling.”",
    ]
    whole = '"It is over. We have won." The crowd cheered.'
    assert sentences_of(whole) == ['"It is over.', 'We have won."', "The crowd cheered."]


def test_spaced_ellipsis() -> None:
    text = "a durable peace in the region. . . .We have seen many agreements. They failed."
    assert sentences_of(text) == [
        "a durable peace in the region.",
        ". . .We have seen many agreements.",
        "They failed.",
    ]


def test_devset_style_article_sentences() -> None:
    article = parse((FIXTURES / "devset_crisis_in_lebanon.txt").read_bytes())
    texts = [s.text for s in split_sentences(article)]
    assert (
        "U.S. Secretary of State Condoleezza Rice says the solution to the crisis lies in "
        "extending Lebanese government sovereignty over the entire country, disbanding the "
        "militias including Hezbollah, and then introducing a United Nations-mandated "
        "stabilization force."
    ) in texts
    assert (
        "Ms. Rice has called for an international effort to provide humanitarian aid and "
        "reconstruction assistance to Lebanon." in texts
    )
