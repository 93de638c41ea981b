"""The plain-text parser: headline, optional dek, labelled sections, paragraphs and bullets.

The layout it reads, one block per line:

- line 1 is the headline (unless it is plainly a paragraph: over 20 words and two or
  more sentences, or over 60 words; then the text has no headline);
- a byline ("By Jane Doe") or a date line ("April 27, 2026", "Published: 2026-02-18")
  above it, right under it or right under the dek is consumed (the date fills
  ``published`` when none was given); so is a labelled date line ("Published:",
  "Updated:", "Date:") anywhere else, as at the foot of a story, and so are a wire dateline that
  opens the first paragraph ("KHARTOUM, April 22 (Newswire) - ") and closing credits
  ("Reporting by ...; Editing by ...");
- the next line is a dek (subtitle) only when it is short (at most 40 words and two
  sentences), is not itself a label or a bullet, and the line after it opens a labelled
  section that starts the story ("Details.", "Driving the news:", an unknown label), as
  in a briefing; otherwise it is the first paragraph, as in most news copy (a line
  followed by "Why it matters:" is the lede that label comments on);
- a line that starts with a label ("Details.", "Why it matters:") opens a section, and the
  rest of that line is its first paragraph; a short standalone line without final
  punctuation ("Background") followed by text is a section heading;
- bullets (``►`` ``▶`` ``•`` ``‣`` ``–`` ``-`` ``*`` or ``1.`` ``2)``) belong to the
  current section.

Hard-wrapped text (paragraphs separated by blank lines, lines wrapped under ~100
characters) is unwrapped first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from briefings.formats.base import DATELINE, Origin, clean_lines
from briefings.formats.datelines import parse_date_line, parse_labelled_date_line
from briefings.formats.structure import SectionCollector, is_heading, split_bullet, split_label
from briefings.model import Article

_DEK_MAX_WORDS = 40
_HEADLINE_MAX_WORDS = 20
_HEADLINE_LONG_WORDS = 60
_WRAP_MAX = 100
_WRAP_LONG = 45
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’')\]]*\s+[\"“‘'(\[]*[A-Z0-9]")
_BYLINE = re.compile(
    r"^(?:By|From)\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|van|von|al-?\w*)){0,7}"
    r"(?:\s*[,|–—-]\s*.{0,60})?$"
)
_LEDE_LABELS = frozenset(
    label.casefold()
    for label in (
        "Why it matters",
        "The big picture",
        "Big picture",
        "Between the lines",
        "Yes, but",
        "The bottom line",
        "Bottom line",
        "Zoom in",
        "Zoom out",
        "Reality check",
        "What they're saying",
        "What they’re saying",
        "The other side",
        "What's next",
        "What’s next",
        "By the numbers",
        "Go deeper",
        "Catch up quick",
        "Our thought bubble",
        "The intrigue",
        "State of play",
        "Flashback",
        "Context",
        "Background",
        "Follow the money",
        "How it works",
    )
)
"""Labels that follow a lede: the line before them is the story's first paragraph."""
_CREDITS = re.compile(
    r"^\(?(?:Reporting|Additional reporting|Writing|Editing|Edited|Compiled|Produced)\b"
    r".{0,200}\bby\b.{0,200}$",
    re.IGNORECASE,
)
_ENDS_SENTENCE = re.compile(r"[.!?:;…\"”’')\]]$")


@dataclass(slots=True)
class _Line:
    """One non-blank line, classified once: a bullet, a labelled line or plain text."""

    text: str
    bullet: str | None
    label: tuple[str, str] | None

    @property
    def plain(self) -> bool:
        return self.bullet is None and self.label is None

    def extend(self, more: str) -> None:
        self.text = f"{self.text} {more}"
        if self.bullet is not None:
            self.bullet = f"{self.bullet} {more}"
        elif self.label is not None:
            self.label = (self.label[0], f"{self.label[1]} {more}".strip())


def _classify(text: str) -> _Line:
    bullet = split_bullet(text)
    return _Line(text, bullet, None if bullet is not None else split_label(text))


def _is_wrapped(lines: Sequence[str]) -> bool:
    """True when the text looks hard-wrapped: blank-line paragraphs of short lines."""
    filled = [ln for ln in lines if ln]
    if len(filled) < 4 or len(filled) == len(lines):
        return False
    if max(len(ln) for ln in filled) > _WRAP_MAX:
        return False
    if sum(1 for ln in filled if len(ln) >= _WRAP_LONG) * 2 < len(filled):
        return False
    run = 0
    for ln in lines:
        if ln:
            run += 1
            if run > 1:
                return True
        else:
            run = 0
    return False


def read_lines(text: str) -> list[_Line]:
    """Clean, unwrap and classify the non-blank lines of a text.

    A line joins the one before it when the text is hard-wrapped, or when it starts in
    lower case after a line without final punctuation; the first line (the headline),
    bullets, labelled lines and lines after a short heading keep their own line.
    """
    raw = clean_lines(text)
    wrapped = _is_wrapped(raw)
    out: list[_Line] = []
    after_blank = True
    for ln in raw:
        if not ln:
            after_blank = True
            continue
        line = _classify(ln)
        prev = out[-1] if out and not after_blank else None
        after_blank = False
        if (
            prev is not None
            and len(out) > 1
            and line.plain
            and not (len(prev.text) < 40 and prev.plain and is_heading(prev.text))
            and (wrapped or (ln[0].islower() and not _ENDS_SENTENCE.search(prev.text)))
        ):
            prev.extend(ln)
        else:
            out.append(line)
    return out


def _sentence_count(line: str) -> int:
    return 1 + len(_SENTENCE_BREAK.findall(line))


def _is_headline(line: _Line) -> bool:
    """Line 1 is the headline unless it is plainly a paragraph (long and several sentences)."""
    words = len(line.text.split())
    if words > _HEADLINE_LONG_WORDS:
        return False
    return words <= _HEADLINE_MAX_WORDS or _sentence_count(line.text) < 2


def _is_dek(line: _Line, after: _Line | None) -> bool:
    if after is None or after.label is None or not line.plain:
        return False
    if after.label[0].casefold() in _LEDE_LABELS:
        return False
    return len(line.text.split()) <= _DEK_MAX_WORDS and _sentence_count(line.text) <= 2


def add_body(collector: SectionCollector, lines: Sequence[_Line]) -> None:
    """Add body lines (no headline, no dek) to a collector: sections, paragraphs, bullets."""
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if line.bullet is not None:
            collector.add("bullet", line.bullet)
        elif line.label is not None:
            collector.open(line.label[0])
            collector.add("paragraph", line.label[1])
        elif i < last and is_heading(line.text):
            collector.open(line.text)
        else:
            collector.add("paragraph", line.text)


def parse_body(collector: SectionCollector, text: str) -> None:
    """Add a plain-text body (no headline, no dek) to a collector."""
    add_body(collector, read_lines(text))


def parse_text(text: str, origin: Origin, *, format: str = "text") -> Article:
    """Parse plain text into an :class:`Article` (see the module docstring for the layout).

    Args:
        text: the decoded text.
        origin: where it came from; a date line in the text gives the date when the
            origin has none.
        format: the format name to record on the article.

    Raises:
        EmptyArticleError: when there is no text.
    """
    lines = read_lines(text)
    published: date | None = None
    while lines and (day := parse_date_line(lines[0].text)) is not None:
        published = published or day  # a date line above the headline
        lines = lines[1:]
    if lines and _is_headline(lines[0]):
        title, rest = lines[0].text, lines[1:]
    else:
        title, rest = "", lines
    byline: str | None = None
    while rest:
        if _BYLINE.match(rest[0].text):
            byline = byline or _byline_name(rest[0].text)
            rest = rest[1:]
            continue
        day = parse_date_line(rest[0].text)
        if day is None:
            break
        published = published or day
        rest = rest[1:]
    subtitle: str | None = None
    if (
        len(rest) > 2
        and rest[0].plain
        and len(rest[0].text.split()) <= _DEK_MAX_WORDS
        and (day := parse_date_line(rest[1].text)) is not None
    ):
        # A dek followed by the date line: "Headline / dek / Published: ..."
        published = published or day
        subtitle, rest = rest[0].text, rest[2:]
    elif rest and _is_dek(rest[0], _at(rest, 1)) and not _labelled_date(rest[1].text):
        subtitle, rest = rest[0].text, rest[1:]
    # "Published: 2026-02-18" further down (or at the foot) says when, and is no paragraph.
    kept = [ln for ln in rest if ln.bullet is not None or not _labelled_date(ln.text)]
    if len(kept) < len(rest):
        published = published or next(
            filter(None, map(parse_labelled_date_line, (ln.text for ln in rest)))
        )
        rest = kept
    if rest and rest[0].plain:
        dateline = DATELINE.match(rest[0].text)
        if dateline is not None:
            rest[0] = _classify(rest[0].text[dateline.end() :])
    while rest and rest[-1].plain and _CREDITS.match(rest[-1].text):
        rest = rest[:-1]
    collector = SectionCollector()
    add_body(collector, rest)
    return origin.article(
        title,
        subtitle,
        collector.sections,
        format=format,
        published=published,
        cleaned=True,
        byline=byline,
    )


def _byline_name(line: str) -> str:
    """The name in a byline: "By Jane Roe, Secretary of State" → "Jane Roe"."""
    name = line.split(None, 1)[1] if " " in line else line
    return re.split(r"\s*[,|–—]\s*|\s+-\s+", name, maxsplit=1)[0].strip()


def _labelled_date(line: str) -> bool:
    return len(line) <= 80 and parse_labelled_date_line(line) is not None


def _at(items: Sequence[_Line], index: int) -> _Line | None:
    return items[index] if index < len(items) else None


def is_dek_text(line: str, following: str) -> bool:
    """Whether ``line``, right under the headline and before ``following``, is a dek."""
    return _is_dek(_classify(line), _classify(following))
