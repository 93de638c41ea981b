"""Pronouns resolved to earlier actors: which person a "he" or "she" stands for."""

from __future__ import annotations

import pytest

from briefings.analysis.actors.coreference import Referents
from briefings.analysis.actors.finder import ActorFinder
from briefings.formats.base import build_article
from briefings.text.sentences import split_sentences


def person_at(finder: ActorFinder, text: str, pronoun: str) -> str | None:
    """The name of the person the last ``pronoun`` of ``text`` resolves to."""
    art = build_article("A headline", None, [(None, [("paragraph", text)])])
    sentences = split_sentences(art)
    findings = finder.find(art, sentences)
    referents = Referents(findings, sentences)
    pos = art.text.rindex(f" {pronoun} ") + 1
    found = referents.resolve("person", pos)
    return referents.info[found[0]].name if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "President Amara Kone met Prime Minister Ibrahim Sall in Dakar on Friday. He said "
            "the border would reopen.",
            "Amara Kone",
        ),
        (
            "Senator Laura Vint criticised Governor Paul Okafor over the budget. Later she "
            "called for an inquiry.",
            "Laura Vint",
        ),
        (
            "President Amara Kone's spokesman Ibrahim Sall rejected the report on Friday. He "
            "said it was false.",
            "Ibrahim Sall",
        ),
        (
            "Minister Tomas Ruiz thanked Ambassador Chen Wei for the loan, and Ruiz promised "
            "reforms. He left for Lima.",
            "Tomas Ruiz",
        ),
    ],
)
def test_a_pronoun_opening_a_later_sentence_is_the_subject_of_the_last(
    finder: ActorFinder, text: str, expected: str
) -> None:
    assert person_at(finder, text, "He" if " He " in text else "she") == expected


def test_a_pronoun_in_its_own_sentence_takes_the_latest_person_before_it(
    finder: ActorFinder,
) -> None:
    text = (
        "Governor Paul Okafor spoke first. Senator Laura Vint then said she would resign, "
        "and President Amara Kone said he regretted it."
    )
    assert person_at(finder, text, "he") == "Amara Kone"
    assert person_at(finder, text.replace(", and President Amara Kone said he", "."), "she") == (
        "Laura Vint"
    )


def test_a_pronoun_with_no_person_before_it_stands_for_nobody(finder: ActorFinder) -> None:
    assert (
        person_at(finder, "The Northern Front withdrew from Goma. He said it was over.", "He")
        is None
    )
