"""The cue-file loader: bundled files load, malformed ones fail with a message to act on."""

from __future__ import annotations

import re

import pytest

from briefings.errors import BriefingError
from briefings.text.cuefiles import CueFileError, alternation, load, parse, word_set


def test_bundled_event_cues_load_as_word_sets() -> None:
    counts = word_set("event_cues.toml", "counts")
    assert {"ten", "dozens"} <= counts
    assert "said" in word_set("event_cues.toml", "no_noun")


def test_bundled_actor_cues_pass_the_check() -> None:
    assert isinstance(load("actor_cues.toml")["org_heads"], dict)


def test_a_list_of_words_and_a_table_of_lists_parse() -> None:
    data = parse("x.toml", 'verbs = ["raid", "shell"]\n[heads]\narmed = ["Brigade"]\n')
    assert data == {"verbs": ["raid", "shell"], "heads": {"armed": ["Brigade"]}}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("verbs = [1, 2]\n", "verbs"),
        ('verbs = "raid"\n', "verbs"),
        ('verbs = ["raid", ""]\n', "verbs"),
        ("[heads]\narmed = [3]\n", "heads.armed"),
    ],
)
def test_a_value_that_is_no_list_of_words_names_its_file_and_key(text: str, names: str) -> None:
    with pytest.raises(CueFileError, match=rf"x\.toml: {names} must be a list of words"):
        parse("x.toml", text)


def test_broken_toml_is_a_briefing_error_naming_the_file() -> None:
    with pytest.raises(BriefingError, match=r"x\.toml is not valid TOML"):
        parse("x.toml", "verbs = [\n")


def test_a_missing_list_is_named() -> None:
    with pytest.raises(CueFileError, match="the list no_such_list is missing"):
        word_set("event_cues.toml", "no_such_list")


def test_groups_of_words_parse_but_not_a_mix_of_words_and_groups() -> None:
    assert parse("x.toml", 'variants = [["Ahmed", "Ahmad"]]\n') == {
        "variants": [["Ahmed", "Ahmad"]]
    }
    with pytest.raises(CueFileError, match="variants must be a list of words"):
        parse("x.toml", 'variants = ["Ahmed", ["Ahmad"]]\n')


def test_a_list_as_an_alternation_is_escaped_and_longest_first() -> None:
    pattern = re.compile(rf"(?:{alternation('actor_cues.toml', 'rule_heads')})(?![\w-])")
    assert pattern.fullmatch("administration") and pattern.fullmatch("regime")
    assert not pattern.match("regimes")
    heads = alternation("actor_cues.toml", "rule_heads").split("|")
    assert [len(h) for h in heads] == sorted((len(h) for h in heads), reverse=True)
    with pytest.raises(CueFileError, match="the list no_such_list is missing"):
        alternation("actor_cues.toml", "no_such_list")
