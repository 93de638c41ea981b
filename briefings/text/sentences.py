"""Sentence splitting with character offsets into the article's canonical text.

One compiled pattern finds candidate boundaries in each block: terminal punctuation
(``.`` ``!`` ``?`` ``…``), possibly wrapped in closing quotes or brackets, then space,
then something that can open a sentence (a capital or a digit, maybe after an opening
quote). A candidate after a period is then checked against the word before it:

- titles and fixed abbreviations ("Gen.", "Dr.", "Lt. Col.", "St.", "e.g.", "i.e.",
  "approx.") never end a sentence;
- "No.", "Fig." and month or weekday abbreviations ("Jan.", "Sept.", "Mon.") never end
  one before a number ("Jan. 6", "No. 10"), and otherwise only before a usual opener;
- initials ("John F. Kennedy"), dotted acronyms ("U.S.", "a.m.") and words such as
  "Inc." or "etc." end one only when the next word usually opens a sentence ("The",
  "He", "In" ...), so "the U.S. The next day" breaks and "the U.S. Army" does not.

Decimals ("3.5 million") and hyphenated names ("al-Qaeda") hold no candidate at all.

Quotes: a quote that closes before a lower-case word ('"Why?" he asked') continues the
sentence; one followed by a capitalised word after a period ('the coup”. The Russian')
ends it. Inside a quotation that opens in mid-sentence, a full stop before "And", "But"
or "Or" goes on with the quoted speech ('Rice said, “The fields are littered. And every
time ...”' is one sentence), while a stronger start ('he said, “It is final. The United
States calls ...”') splits it as usual. A spaced ellipsis after a full stop ('the
region. . . .We have') starts a new sentence.

The title is one sentence; every other block (dek, paragraph, bullet) is split, so a
bullet is always at least its own sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields

from briefings.model import Article, Sentence

_OPENERS = "\"“‘'«(\\["
_CLOSERS = "\"”’'»)\\]"
_UPPER = "A-Z0-9À-ÖØ-ÞΑ-ΩА-Я"
_BOUNDARY = re.compile(
    rf"(?P<punct>[.!?…][.!?…{_CLOSERS}]*)\s+"
    rf"(?=[{_OPENERS}]*(?P<next>[{_UPPER}][\w'’-]*)|\.\s?\.)"
)


def _wordset(words: str) -> frozenset[str]:
    """The set of the space-separated words in ``words``."""
    return frozenset(words.split())


_NEVER_BREAK = _wordset(
    """Mr Mrs Ms Mx Dr Prof Gen Lt Col Sgt Capt Cpt Maj Adm Cmdr Cdr Brig Cpl Pvt Gov Sen Rep
    Rev Fr Hon Pres Supt Insp Amb Mt Ft St Ste Messrs Mme Mlle Gens Sens Reps Sgts Lts
    e.g eg i.e ie approx appr ca cf vs viz al"""
)
_BEFORE_NUMBER = _wordset(
    """No Nos Nr no nos Art Sec Fig Figs Vol Vols Ch Pp pp p Jan Feb Mar Apr Jun Jul Aug Sep
    Sept Oct Nov Dec Mon Tue Tues Wed Thu Thurs Fri Sat Sun"""
)
_MAYBE_BREAK = _wordset(
    """Inc Corp Ltd Co Cos Bros Jr Sr etc Plc plc LLC Ave Blvd Rd Dept Univ Assn Gov't"""
)
_STARTERS = _wordset(
    """The A An He She It They We I You This That These Those There Its His Her Their Our My
    In On At By For From With After Before When While As If Since Although Though Because
    But And Or So Yet However Meanwhile Still Also Then Now Later Earlier Last Next One Two
    Some Many Most Several Both All Each No None Such What Who Why How Where According
    Officials Police Witnesses During Despite Under Over Among"""
)


_CONJUNCTIONS = frozenset(("And", "But", "Or", "Nor", "Yet", "So"))
_QUOTE = re.compile('["“”«»„]')


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of the double-quoted passages of a block, paired in order.

    Curly and straight quotes mix in real copy: a straight quote closes whatever is
    open, else opens. A quote left open to the end of the block makes no span.
    """
    spans: list[tuple[int, int]] = []
    open_at = -1
    for m in _QUOTE.finditer(text):
        ch = m.group()
        if ch in "“«„":
            open_at = m.start()
        elif open_at >= 0:
            spans.append((open_at, m.start()))
            open_at = -1
        elif ch == '"':
            open_at = m.start()
    return spans


_NEVER, _NUMBERED, _MAYBE = 0, 1, 2
_WORD_KIND: dict[str, int] = {
    **dict.fromkeys(_MAYBE_BREAK, _MAYBE),
    **dict.fromkeys(_BEFORE_NUMBER, _NUMBERED),
    **dict.fromkeys(_NEVER_BREAK, _NEVER),
}


def _ends_sentence(text: str, punct_start: int, punct: str, following: str | None) -> bool:
    """Decide whether a candidate boundary really ends a sentence."""
    if following is None:
        return punct_start > 0 and text[punct_start - 1] not in " ."
    if punct != "." and punct.rstrip(_CLOSERS) != ".":
        return True
    if punct_start and text[punct_start - 1] in _CLOSERS:
        return True
    word = text[text.rfind(" ", 0, punct_start) + 1 : punct_start].lstrip(_OPENERS)
    if not word:
        return True
    kind = _WORD_KIND.get(word)
    if kind is not None:
        if kind == _NEVER:
            return False
        if kind == _NUMBERED and following[0].isdigit():
            return False
        return following in _STARTERS
    if word[-1].isdigit():
        return True
    if (len(word) == 1 and word.isupper()) or "." in word:
        return following in _STARTERS
    return True


def _inside_embedded_quote(
    text: str, quotes: list[tuple[int, int]], start: int, at: int, end: int
) -> bool:
    """True inside a quotation that opened in mid-sentence ('Rice said, "A. B."')."""
    for open_at, close_at in quotes:
        if open_at < at and end <= close_at:
            return open_at > start and not text[start:open_at].isspace()
    return False


def split_block(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) inside one block of text, trimmed of spaces."""
    spans: list[tuple[int, int]] = []
    quotes = _quote_spans(text) if ('"' in text or "“" in text or "«" in text) else None
    start = 0
    for m in _BOUNDARY.finditer(text):
        at, end = m.span("punct")
        following = m.group("next")
        if not _ends_sentence(text, at, text[at:end], following):
            continue
        if (
            quotes
            and following in _CONJUNCTIONS
            and _inside_embedded_quote(text, quotes, start, at, end)
        ):
            continue
        if end > start:
            spans.append((start, end))
        start = m.end()
    end = len(text.rstrip())
    if end > start:
        spans.append((start, end))
    return spans


def split_sentences(article: Article) -> tuple[Sentence, ...]:
    """Split an article into sentences whose offsets slice :attr:`Article.text` exactly.

    Args:
        article: a parsed article.

    Returns:
        The sentences in text order; ``block`` indexes ``article.blocks``, ``section`` and
        ``kind`` come from the block. The title block is one sentence.
    """
    sentences: list[Sentence] = []
    new = _new
    set_index, set_text, set_start, set_end, set_block, set_section, set_kind = _SETTERS
    for block_index, block in enumerate(article.blocks):
        base = block.start
        spans = [(0, len(block.text))] if block.kind == "title" else split_block(block.text)
        kind = block.kind
        section = block.section
        text = block.text
        for start, end in spans:
            # Sentence(len(sentences), text[start:end], base + start, base + end,
            # block_index, section, kind), without the frozen __init__'s per-field setattr.
            sentence = new(Sentence)
            set_index(sentence, len(sentences))
            set_text(sentence, text[start:end])
            set_start(sentence, base + start)
            set_end(sentence, base + end)
            set_block(sentence, block_index)
            set_section(sentence, section)
            set_kind(sentence, kind)
            sentences.append(sentence)
    return tuple(sentences)


_new = object.__new__
_FIELDS = ("index", "text", "start", "end", "block", "section", "kind")
if tuple(f.name for f in fields(Sentence)) != _FIELDS:
    raise RuntimeError("briefings.model.Sentence changed: update briefings.text.sentences")
_SETTERS: tuple[Callable[[object, object], None], ...] = tuple(
    getattr(Sentence, name).__set__ for name in _FIELDS
)
