"""The core's text folds: what each keeps, what it drops, and which keep offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefings.service.names import fold
from briefings.text.folding import (
    fold_in_place,
    lower_in_place,
    name_key,
    plain,
    slug,
    strip_accents,
)


def test_each_fold_on_one_name() -> None:
    name = "The Ségou “Front” – Côte d’Ivoire’s U.S.-backed"
    assert fold_in_place(name) == "The Segou \"Front\" - Cote d'Ivoire's U.S.-backed"
    assert lower_in_place(name) == "the ségou  front    côte d'ivoire's u s -backed"
    assert plain(name) == "the segou “front” – cote d’ivoire’s u.s.-backed"
    assert name_key(name) == "segou front cote divoires us backed"
    assert slug(name) == "the-segou-front-cote-divoires-u-s-backed"
    assert strip_accents(name) == "The Segou “Front” – Cote d’Ivoire’s U.S.-backed"


def test_name_resolution_contracts_office_phrases_on_the_name_key() -> None:
    assert name_key("Russia's Defense Ministry") == "russias defense ministry"
    assert fold("Russia's Defense Ministry") == "russias mod"
    assert name_key("the") == "the"
    assert name_key("The U.S.A.") == fold("The U.S.A.") == "usa"


@given(st.text())
def test_in_place_folds_keep_every_offset(text: str) -> None:
    assert len(fold_in_place(text)) == len(text)
    assert len(lower_in_place(text)) == len(text)


@given(st.text())
def test_keys_are_stable_under_a_second_fold(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)
    assert slug(slug(text)) == slug(text)
    assert plain(text).isascii() or not text.isascii()
