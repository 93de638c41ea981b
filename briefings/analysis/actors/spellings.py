"""Spelling variants of one person's name folded to one key ("Abdel Karim" = "Abdul Karim")."""

from __future__ import annotations

import re

from briefings.analysis.actors import lexicon as lx
from briefings.text.folding import fold_in_place

_VARIANTS: dict[str, str] = {}
for _group in lx.CUES.get("name_variants", ()):
    for _form in _group:
        _VARIANTS[str(_form).lower().replace("-", " ")] = str(_group[0]).lower()


_VARIANT_RE = re.compile(
    r"(?<![\w])(?:"
    + "|".join(re.escape(v) for v in sorted(_VARIANTS, key=len, reverse=True))
    + r")(?![\w])"
)


def name_key(name: str) -> str:
    """A key that spellings of one person's name share ("Abdel Karim" = "Abdul Karim")."""
    low = fold_in_place(name).lower().replace("-", " ").replace(".", "")
    low = _VARIANT_RE.sub(lambda m: _VARIANTS[m.group()], low)
    return " ".join(low.split())
