"""Recognising article structure in lines: section labels, headings and bullets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefings.model import BlockKind

KNOWN_LABELS: tuple[str, ...] = (
    "Details",
    "Context",
    "Background",
    "Why it matters",
    "The big picture",
    "Big picture",
    "Driving the news",
    "Between the lines",
    "What's next",
    "What’s next",
    "By the numbers",
    "Yes, but",
    "The bottom line",
    "Bottom line",
    "Catch up quick",
    "Go deeper",
    "Zoom in",
    "Zoom out",
    "Flashback",
    "State of play",
    "What they're saying",
    "What they’re saying",
    "The other side",
    "Reality check",
    "What to watch",
    "What we're watching",
    "What we’re watching",
    "The intrigue",
    "Follow the money",
    "How it works",
    "Our thought bubble",
    "The latest",
    "Key points",
    "Analysis",
    "Summary",
)
"""Section labels known by name (Smart Brevity and briefing styles); others are inferred."""

_KNOWN = "|".join(re.escape(label) for label in sorted(KNOWN_LABELS, key=len, reverse=True))
_KNOWN_LABEL = re.compile(
    rf"^(?P<label>{_KNOWN})(?:\s*(?:[:.]|…|\.\.\.|\s[—–-])\s*(?P<rest>.*)|\s*:?\s*)$",
    re.IGNORECASE,
)
_CAP = r"[A-Z0-9À-ÖØ-Þ][\w'’&/-]*"
_UNKNOWN_DOT_LABEL = re.compile(
    rf"^(?P<label>{_CAP}(?: (?:{_CAP}|of|and|the|in|on|for|to|a)){{0,3}})\.\s+"
    r"(?P<rest>[\"“‘'(\[]*[A-Z0-9À-ÖØ-Þ].*)$"
)
_UNKNOWN_COLON_LABEL = re.compile(
    r"^(?P<label>[A-Z0-9À-ÖØ-Þ][\w'’&/-]*(?: [\w'’&/-]+){0,4}):\s+(?P<rest>\S.*)$"
)
_BULLET = re.compile(r"^(?:[►▶•‣–—\-*·▪◦●○■□➤➢→]|\(?\d{1,2}[.)]|\(?[a-h]\))\s+(?P<rest>\S.*)$")
_TERMINAL = re.compile(r"[.!?;:,…\"”’')\]]$")
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|wrote|writes|stated|states|asked|asks|"
    r"tweeted|posted|declared|announced|warned|argued|noted|explained|replied|elaborated)\b",
    re.IGNORECASE,
)
_ABBREVIATIONS = (
    "Mr Mrs Ms Dr Gen Lt Col Sgt Capt Cpt Maj Adm Cmdr Gov Sen Rep Rev Prof St No Nos Jr Sr "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Fig Vol Inc Corp Ltd Co Mt Ft Pres "
    "Brig Cpl Pvt Hon"
)
_ABBREVIATION_LABELS = frozenset(_ABBREVIATIONS.split())
_HEADING_MAX_WORDS = 8
_HEADING_MAX_CHARS = 70
_LABEL_MAX_CHARS = 40


def split_bullet(line: str) -> str | None:
    """The text of a bullet line without its glyph or number, or None when not a bullet."""
    m = _BULLET.match(line)
    return m.group("rest") if m else None


def starts_with_known_label(line: str) -> bool:
    """Whether a line opens with one of :data:`KNOWN_LABELS` ("Why it matters:", "Details.")."""
    return _KNOWN_LABEL.match(line) is not None


def split_label(line: str) -> tuple[str, str] | None:
    """Split a line that opens a labelled section into (label, rest of the line).

    Known labels ("Details.", "Why it matters:") match in any case, alone on the line or
    followed by text; unknown labels are 1-4 capitalised words ending in "." or 1-5 words
    starting with a capital and ending in ":", followed by text. The label is returned
    without its punctuation; ``rest`` may be empty.
    """
    m = _KNOWN_LABEL.match(line)
    if m:
        label = m.group("label")
        canonical = next(k for k in KNOWN_LABELS if k.casefold() == label.casefold())
        return canonical, (m.group("rest") or "").strip()
    m = _UNKNOWN_DOT_LABEL.match(line)
    if m:
        label = m.group("label")
        words = label.split()
        if (
            len(label) <= _LABEL_MAX_CHARS
            and not (len(words) == 1 and (len(label) <= 2 or label in _ABBREVIATION_LABELS))
            and words[-1] not in _ABBREVIATION_LABELS
            and len(words[-1]) > 1
            and not label.isdigit()
        ):
            return label, m.group("rest")
        return None
    m = _UNKNOWN_COLON_LABEL.match(line)
    if m:
        label = m.group("label")
        if len(label) <= _LABEL_MAX_CHARS and not _SPEECH.search(label):
            return label, m.group("rest")
    return None


def is_heading(line: str) -> bool:
    """True for a short standalone line without final punctuation ("Background", "Attack").

    The caller decides whether text follows it; a line ending in ":" is a heading only when
    it is a known label (see :func:`split_label`).
    """
    if not line or len(line) > _HEADING_MAX_CHARS or _TERMINAL.search(line):
        return False
    first = line[0]
    if not (first.isupper() or first.isdigit()):
        return False
    words = line.split()
    return len(words) <= _HEADING_MAX_WORDS and not line.replace(" ", "").isdigit()


def split_pieces(text: str) -> list[str]:
    """Join the lines of one paragraph, starting a new piece where a bullet or label starts.

    Used for paragraphs from Markdown and HTML, whose line breaks are not block breaks.
    """
    out: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if out and split_bullet(line) is None and split_label(line) is None:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


@dataclass
class SectionCollector:
    """Collects blocks into ordered sections as a parser walks a document.

    Opening a label while the current section is still empty merges the two labels
    ("Background" then "Tigray war" becomes "Background: Tigray war").
    """

    sections: list[tuple[str | None, list[tuple[BlockKind, str]]]] = field(
        default_factory=lambda: [(None, [])]
    )

    def open(self, label: str | None) -> None:
        """Start a new section with this label."""
        current_label, blocks = self.sections[-1]
        if not blocks:
            if current_label and label:
                label = f"{current_label}: {label}"
            self.sections[-1] = (label, blocks)
        else:
            self.sections.append((label, []))

    def add(self, kind: BlockKind, text: str) -> None:
        """Add a paragraph or a bullet to the current section (empty text is ignored)."""
        if text.strip():
            self.sections[-1][1].append((kind, text))

    def add_line(self, line: str, *, paragraph_labels: bool = True) -> None:
        """Add one line of prose: a bullet, a labelled paragraph or a plain paragraph."""
        rest = split_bullet(line)
        if rest is not None:
            self.add("bullet", rest)
            return
        if paragraph_labels:
            found = split_label(line)
            if found is not None:
                label, text = found
                self.open(label)
                self.add("paragraph", text)
                return
        self.add("paragraph", line)

    @property
    def empty(self) -> bool:
        """True while no block was added."""
        return not any(blocks for _, blocks in self.sections)
