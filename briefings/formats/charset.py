"""Guessing the legacy encoding of undeclared, non-UTF-8 input (charset-normalizer's job).

charset-normalizer ranks candidate encodings by how chaotic and how coherent the decoded
text looks. On short Western text its ranking among the Latin code pages is close to a
coin toss (French cp1252 comes out as cp1250, "à" as "ŕ"), so when its best guess is a
Latin code page, the candidates of that family are compared by how many of their
non-ASCII characters are letters or common punctuation, and windows-1252 — what the web
means by undeclared "Latin-1" — wins a tie. Cyrillic, Greek, CJK and other guesses stand.
"""

from __future__ import annotations

import codecs
import logging

_LATIN = frozenset(
    [
        "cp1250",
        "cp1252",
        "cp1254",
        "cp1257",
        "cp1258",
        "cp437",
        "cp775",
        "cp850",
        "cp852",
        "cp857",
        "cp858",
        "cp860",
        "cp861",
        "cp863",
        "cp865",
        "latin_1",
        "iso8859_2",
        "iso8859_3",
        "iso8859_4",
        "iso8859_9",
        "iso8859_10",
        "iso8859_13",
        "iso8859_14",
        "iso8859_15",
        "iso8859_16",
        "mac_roman",
        "mac_latin2",
        "mac_iceland",
        "mac_turkish",
        "hp_roman8",
    ]
)
_PUNCTUATION = frozenset("“”‘’„‚«»‹›–—…•·°§©®™€£¥¢¿¡ \u00a0")
_SAMPLE = 65536

logging.getLogger("charset_normalizer").setLevel(logging.CRITICAL)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return None


def _plausible(data: bytes, encoding: str) -> float:
    """The share of non-ASCII characters that are letters or common punctuation."""
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return -1.0
    odd = [c for c in text if not c.isascii()]
    if not odd:
        return 1.0
    return sum(1 for c in odd if c.isalpha() or c in _PUNCTUATION) / len(odd)


def detect_legacy(data: bytes) -> str | None:
    """The Python codec that most likely reads ``data`` (which is not UTF-8), or None.

    Args:
        data: raw bytes with no byte-order mark and no declared encoding.
    """
    from charset_normalizer import from_bytes

    sample = data[:_SAMPLE]
    if len(data) > _SAMPLE:
        # Never cut a multibyte character at the end of the sample.
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    results = list(from_bytes(sample))
    if not results:
        return None
    best = _codec(results[0].encoding)
    if best is None or best in ("utf_8", "ascii"):
        return None
    if best not in _LATIN:
        return best
    names = ["cp1252", *(_codec(r.encoding) for r in results)]
    candidates = list(dict.fromkeys(n for n in names if n is not None and n in _LATIN))
    scores = {name: _plausible(sample, name) for name in candidates}
    # max() keeps the first of equals: cp1252, then the detector's order.
    return max(candidates, key=lambda name: scores[name])
