"""Extractive, structure-aware summaries: a one-line TL;DR and ranked key points.

The TL;DR is the title and the dek when the article has a dek; otherwise it is the lede
(the first body sentence that is not a "Key: value" field), as in news writing. Key points
are body sentences ranked by position (the lead of a section and of a paragraph first), by
section role (a "Details" or "Driving the news" section before "Context" or "Background"),
by the salience of the actors they name and by the events they report (a dated occurrence
beats a comment).
A sentence counts its most salient actor and only a share of the others' salience, so
a background sentence that lists many actors does not outrank the news sentence; a
sentence whose events all ended over a year before the reference date is background too,
and so is one that frames the news ("comes amid", "marked the first time", "continues
to"); claiming or denying responsibility counts more than an attack. Every key point keeps
the index of its source sentence. A sentence that carries an allegation or a claim
without naming who makes it is shown with its attribution.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from briefings.model import Article, ArticleActor, Event, KeyPoint, Sentence, Summary

PRESETS: dict[str, int] = {"short": 0, "standard": 3, "full": 10}
"""Key points per preset: ``short`` is the TL;DR alone, ``full`` up to ten in text order."""

_ROLE_WEIGHTS: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        re.compile(
            r"^(details|driving the news|the news|what happened|zoom in|state of play)", re.I
        ),
        1.0,
    ),
    (re.compile(r"^(why it matters|the big picture|bottom line|the bottom line)", re.I), 0.85),
    (re.compile(r"^(what they'?re saying|the other side|reality check|yes,? but)", re.I), 0.7),
    (re.compile(r"^(context|background|flashback|catch up quick|between the lines)", re.I), 0.6),
    (re.compile(r"^(by the numbers|what'?s next|go deeper|see also|references)", re.I), 0.5),
)
_EVENT_WEIGHTS: dict[str, float] = {
    "assault": 0.35,
    "coerce": 0.35,
    "withdraw": 0.3,
    "cooperate": 0.3,
    "sanction": 0.25,
    "aid": 0.2,
    "threaten": 0.2,
    "consult": 0.2,
    "protest": 0.2,
    "accuse": 0.2,
    "statement": 0.15,
    "other": 0.1,
}
# Weights, set on the development set and checked for a flat optimum around them.
_PARAGRAPH_LEAD = 0.8  # first sentence of a later paragraph (a section lead scores 1)
_PARAGRAPH_REST = 0.65  # any other sentence
_POSITION_DECAY = 0.08  # per sentence of the body before this one
_SALIENCE_WEIGHT = 0.15
_OTHER_ACTORS = 0.25  # the share of the other actors' salience a sentence also counts
_BACKGROUND_PENALTY = 0.25
_FRAMING_PENALTY = 0.5  # a sentence that frames the news is kept only when little else is left
_DATE_BONUS = 0.35
_CLAIM_WEIGHT = 0.5
_OLD_NEWS_PENALTY = 0.5
_BACKGROUND_OPENER = re.compile(
    r"^(while|although|though|despite|primarily|since|as|because|unlike|like|for example|"
    r"for instance|in the past|historically)\b",
    re.I,
)
# A sentence that frames the news rather than reporting it: what it came amid, that it
# marked a first, an ongoing state ("continues to", "has been beset by").
_FRAMING = re.compile(
    r"\b(?:comes?|came|occurred|took\s+place|unfolded)\s+(?:amid|in\s+the\s+midst\s+of|"
    r"against\s+the\s+backdrop\s+of)\b|\bmark(?:s|ed)\s+the\s+first\b|"
    r"\bcontinu(?:es|e|ed)\s+to\b|\b(?:has|have)\s+been\s+beset\b",
    re.I,
)
_FRAMING_WORDS = ("amid", "midst", "backdrop", "first", "ontinu", "beset")


def _framing(text: str) -> bool:
    """Whether a sentence frames the news; a cheap word test spares most sentences the search."""
    for word in _FRAMING_WORDS:
        if word in text:
            return _FRAMING.search(text) is not None
    return False


_HEDGED = frozenset({"alleged", "claimed"})
_SAYS_FORMS = frozenset(
    (
        *("say", "says", "said", "saying", "told", "tells", "state", "states", "stated"),
        *("claim", "claims", "claimed", "claiming", "report", "reports", "reported"),
        *("allege", "alleges", "alleged", "allegedly", "alleging", "reportedly"),
        *("accuse", "accuses", "accused", "accusing", "announce", "announces", "announced"),
        *("deny", "denies", "denied", "insist", "insists", "insisted"),
        *("assert", "asserts", "asserted", "contend", "contends", "contended"),
        *("maintain", "maintains", "maintained", "blame", "blames", "blamed"),
        *("purported", "purportedly", "apparently"),
    )
)
"""Words by which a sentence attributes or hedges its own claim ("the group claimed"),
besides "according to"."""
# Every word starts with one of these letters: testing the letter first spares most places
# the word boundary and the alternatives.
_SAYS = re.compile(
    r"(?=[abcdimprst])\b(?:according to|" + "|".join(sorted(_SAYS_FORMS)) + r")\b", re.I
)
""":data:`_SAYS_FORMS` or "according to" in any case, for text that is not ASCII."""
_ACCORDING_TO = re.compile(r"\baccording to\b")

# Claiming or denying responsibility is news in itself, not a mere comment.
_CLAIM_OR_DENIAL = re.compile(r"^(?:claim|deni|deny|refute|reject)", re.I)
# Claiming responsibility or denying a part in it weighs more than the act itself.
_OWNING_OR_DENYING = re.compile(r"^(?:claim\w*\s+responsibility|deni|deny)", re.I)
_WORD = re.compile(r"\w+")


def _event_weight(event: Event) -> float:
    """How much reporting this event makes a sentence a key point."""
    if event.type in ("statement", "accuse") and _CLAIM_OR_DENIAL.match(event.trigger):
        if _OWNING_OR_DENYING.match(event.trigger):
            return _CLAIM_WEIGHT
        return _EVENT_WEIGHTS["assault"]
    return _EVENT_WEIGHTS.get(event.type, 0.1)


def _top_event_weight(events: Sequence[Event]) -> float:
    """``max(_event_weight(e) for e in events)`` for a non-empty sequence, without a generator."""
    best = _event_weight(events[0])
    for event in events[1:]:
        best = max(best, _event_weight(event))
    return best


_UNREALISED = ("possible", "planned")


def _all_unrealised(events: Sequence[Event]) -> bool:
    """Whether every event is only possible or planned (no generator: a plain loop)."""
    unrealised = True
    for event in events:
        if event.modality not in _UNREALISED:
            unrealised = False
            break
    return unrealised


def _role_weight(label: str | None) -> float:
    if not label:
        return 0.95
    for pattern, weight in _ROLE_WEIGHTS:
        if pattern.match(label):
            return weight
    return 0.8


def _dated(sentence: Sentence, events: Sequence[Event], previous: str) -> float:
    """1 for an event dated by a day or month named in the sentence itself, less for one
    carried over from the sentence before, nothing for the date of an earlier event named
    again ("condemned the attack")."""
    best = 0.0
    for event in events:
        date = event.date
        if date is None:
            continue
        explicit = bool(date.surface) and date.surface in sentence.text
        if not explicit and date.surface and date.surface not in previous:
            continue
        if date.precision in ("day", "month"):
            best = max(best, 1.0 if explicit else 0.4)
        elif explicit:
            best = max(best, 0.3)
    return best


def _old_news(events: Sequence[Event], reference: date) -> bool:
    """Whether every dated event of a sentence ended over a year before the reference:
    background ("Since 2014, ...", "In 2019 ...") rather than the news."""
    ends = []
    for event in events:
        if event.date is None:
            continue
        last = event.date.value.rpartition("/")[2]
        if not last[:4].isdigit():
            return False
        ends.append(int(last[:4]) if last[4:5] != "s" else int(last[:4]) + 9)
    return bool(ends) and max(ends) < reference.year - 1 + (reference.month > 6)


_FIELD = re.compile(r"[A-Z][\w'’ /-]{0,30}:\s")


def _field(sentence: Sentence) -> bool:
    """A "Key: value" line: a short label, a colon and a few words (a bullet may hold more:
    an infobox list); a labelled sentence of prose ("Why it matters: the junta …") is no field."""
    if ":" not in sentence.text[1:32] or not _FIELD.match(sentence.text):
        return False
    return len(sentence.text.split()) <= (15 if sentence.kind == "bullet" else 8)


_TYPOGRAPHIC = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'))
_ASCII_WORD = re.compile(r"[a-z0-9_]+")
"""``\\w+`` for lower-cased ASCII text, without the Unicode category look-ups."""


def _words(text: str) -> set[str]:
    if not text.isascii():
        # Curly quotes are no word characters, nor are the ASCII quotes that replace them.
        for curly, straight in _TYPOGRAPHIC:
            if curly in text:
                text = text.replace(curly, straight)
    if text.isascii():
        return set(_ASCII_WORD.findall(text.lower()))
    if "\u0130" not in text and "\u03a3" not in text:
        # Lower-casing the text first changes no word's extent and lowers each word as
        # alone, but for "İ" (two characters in lower case) and "Σ" (its lower case
        # depends on the letters around it).
        return set(_WORD.findall(text.lower()))
    return {w.lower() for w in _WORD.findall(text)}


def _similar(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) > 0.7


def summarise(
    article: Article,
    sentences: Sequence[Sentence],
    actors: Sequence[ArticleActor],
    events: Sequence[Event],
    *,
    preset: str = "standard",
) -> Summary:
    """Build the summary of one analysed article.

    Args:
        article: the parsed article.
        sentences: its sentences, as split by :func:`briefings.text.sentences.split_sentences`.
        actors: its actors with salience.
        events: its events.
        preset: ``short``, ``standard`` or ``full`` (see :data:`PRESETS`).
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown summary preset {preset!r}; choose one of {', '.join(PRESETS)}")
    # A labelled field ("Date: 2026-01-16", "Place: …", an infobox line) is data, not prose:
    # neither the lede nor a key point.
    body = [s for s in sentences if s.section >= 0 and not _field(s)]
    lede: Sentence | None = None
    if article.subtitle:
        tldr = f"{article.title} — {article.subtitle}" if article.title else article.subtitle
    elif body:
        lede = body[0]
        tldr = lede.text
    else:
        tldr = article.title
    limit = PRESETS[preset]
    if limit == 0 or not body:
        return Summary(tldr=tldr, key_points=(), preset=preset)

    # A sentence counts its most salient actor and a share of the others': a background
    # sentence that lists many actors must not outrank the news sentence about one or two.
    named: dict[int, list[float]] = {}
    for actor in actors:
        for sentence_index in {m.sentence for m in actor.mentions}:
            named.setdefault(sentence_index, []).append(actor.salience)
    salience: dict[int, float] = {}
    for sentence_index, values in named.items():
        top = max(values)
        salience[sentence_index] = top + _OTHER_ACTORS * (sum(values) - top)
    by_sentence: dict[int, list[Event]] = {}
    for event in events:
        by_sentence.setdefault(event.sentence, []).append(event)

    reference = article.reference_date
    scored: list[tuple[float, Sentence]] = []
    section_rank: dict[int, int] = {}
    block_rank: dict[int, int] = {}
    role_weights: dict[int, float] = {}  # by section: its label's weight, looked up once
    for order, sentence in enumerate(body):
        section = sentence.section
        in_section = section_rank.get(section, 0)
        section_rank[section] = in_section + 1
        block = sentence.block
        in_block = block_rank.get(block, 0)
        block_rank[block] = in_block + 1
        if sentence is lede:
            continue
        role = role_weights.get(section)
        if role is None:
            label = article.sections[section].label if section < len(article.sections) else None
            role = role_weights[section] = _role_weight(label)
        position = (
            1.0 if in_section == 0 else (_PARAGRAPH_LEAD if in_block == 0 else _PARAGRAPH_REST)
        )
        position *= 1.0 / (1.0 + _POSITION_DECAY * order)
        score = position * role
        index = sentence.index
        text = sentence.text
        score += _SALIENCE_WEIGHT * min(salience.get(index, 0.0), 2.0)
        framing = _framing(text)
        # What a framing sentence reports is the backdrop ("comes amid a wider offensive"),
        # not the news: its events add nothing to its weight.
        found = () if framing else by_sentence.get(index, ())
        if found:
            score += _top_event_weight(found)
            previous = sentences[index - 1].text if 0 < index <= len(sentences) else ""
            score += _DATE_BONUS * _dated(sentence, found, previous)
            if reference is not None and _old_news(found, reference):
                score -= _OLD_NEWS_PENALTY
            if _all_unrealised(found):
                score -= 0.15
        if framing:
            score -= _FRAMING_PENALTY
        elif _BACKGROUND_OPENER.match(text):
            score -= _BACKGROUND_PENALTY
        length = len(text.split())
        if length < 6:
            score -= 0.4
        elif length > 55:
            score -= 0.2
        scored.append((score, sentence))

    scored.sort(key=lambda pair: (-pair[0], pair[1].index))
    chosen: list[Sentence] = []
    seen: list[set[str]] = [_words(tldr)]
    for _, sentence in scored:
        words = _words(sentence.text)
        if any(_similar(words, other) for other in seen):
            continue
        chosen.append(sentence)
        seen.append(words)
        if len(chosen) == limit:
            break
    words_of = {s.index: words for s, words in zip(chosen, seen[1:], strict=True)}
    chosen.sort(key=lambda s: s.index)
    points = tuple(
        KeyPoint(
            text=_attributed(s, by_sentence.get(s.index, ()), words_of[s.index]),
            sentence=s.index,
        )
        for s in chosen
    )
    return Summary(tldr=tldr, key_points=points, preset=preset)


# The only letters a case-insensitive pattern takes for ASCII ones ("ſ" for "s", the Kelvin
# sign for "k") or whose lower case is two characters ("İ"): text with one is searched.
_CASE_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")


def _says(text: str, words: set[str]) -> bool:
    """Whether a sentence attributes or hedges its own claim; ``words`` is ``_words(text)``."""
    if not text.isascii() and any(c in text for c in _CASE_ODD):
        return _SAYS.search(text) is not None
    if not words.isdisjoint(_SAYS_FORMS):
        return True  # one of the words is a whole word of the text, in some case
    return "according" in words and _ACCORDING_TO.search(text.lower()) is not None


def _attributed(sentence: Sentence, events: Sequence[Event], words: set[str] | None = None) -> str:
    """The sentence text, prefixed with who makes the claim when the sentence does not say.

    A sentence that names the claimant or carries its own attribution ("the group claimed",
    "accused of", "according to") is left as it is: a prefix would repeat it, or pin a
    fact on a claimant.
    """
    text = sentence.text
    if _says(text, _words(text) if words is None else words):
        return text
    for event in events:
        if event.modality in _HEDGED and event.attribution:
            if event.attribution.lower() not in sentence.text.lower():
                return f"According to {event.attribution}: {sentence.text}"
            break
    return sentence.text
