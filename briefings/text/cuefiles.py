"""Cue files: the word lists in ``briefings/data`` that a user extends, read once and checked."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from briefings.errors import BriefingError


class CueFileError(BriefingError):
    """A cue file in ``briefings/data`` is malformed; the message names the file and the list."""


@cache
def load(name: str) -> dict[str, Any]:
    """The cue file ``data/<name>``, parsed and checked (read once; do not change it).

    Args:
        name: the file's name in ``briefings/data`` (``event_cues.toml``).

    Raises:
        CueFileError: see :func:`parse`.
    """
    return parse(name, resources.files("briefings").joinpath(f"data/{name}").read_text("utf-8"))


def parse(name: str, text: str) -> dict[str, Any]:
    """A cue file's text, parsed and checked: every top-level value is a list of words (or
    of lists of words, for groups) or a table of such lists.

    Args:
        name: the file's name, for the error message.
        text: its TOML text.

    Raises:
        CueFileError: the text is not TOML, or a value is not a list of words.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CueFileError(f"{name} is not valid TOML: {exc}") from exc
    for key, value in data.items():
        if isinstance(value, dict):
            for sub, words in value.items():
                _check(name, f"{key}.{sub}", words)
        else:
            _check(name, key, value)
    return data


def _check(name: str, key: str, value: object) -> None:
    if not isinstance(value, list) or not (
        all(_is_word(w) for w in value)
        or all(isinstance(g, list) and all(_is_word(w) for w in g) for g in value)
    ):
        raise CueFileError(
            f'{name}: {key} must be a list of words in quotes, like {key} = ["word", ...]'
            " (or a list of such lists)"
        )


def _is_word(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def word_set(name: str, key: str) -> frozenset[str]:
    """The words of the list ``key`` in the cue file ``name``.

    Raises:
        CueFileError: the file has no such list of words (``key`` is missing, a table or a
            list of groups).
    """
    value = load(name).get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise CueFileError(f'{name}: the list {key} is missing (add {key} = ["word", ...])')
    return frozenset(value)


def alternation(name: str, key: str) -> str:
    """The words of the list ``key`` in the cue file ``name`` as the inside of a regex group,
    escaped and longest first (``"administration|cabinet|regime"``), for a pattern that
    matches any of them: ``rf"(?:{alternation(name, key)})(?![\\w-])"``.

    Raises:
        CueFileError: as :func:`word_set`.
    """
    words = sorted(word_set(name, key), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in words)
