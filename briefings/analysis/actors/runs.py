"""Capitalised runs cut into segments, and the places, warships and organisations they name."""

from __future__ import annotations

from collections.abc import Callable

from briefings.analysis.actors import lexicon as lx
from briefings.analysis.actors.findings import (
    Ctx,
    FoundPlace,
    Span,
    Tok,
    add_actor,
    covering,
    sentence_initial,
)
from briefings.analysis.actors.people import name_tail, person
from briefings.model import ActorType
from briefings.text.cuefiles import word_set

_JOIN_OF = (
    frozenset(lx.ORG_HEADS)
    | frozenset(lx.QUALIFIED_HEADS)
    | lx.TITLES
    | lx.words(
        "Republic Kingdom Emirate Sultanate Secretary Head Chief Commander Governor Minister"
    )
)


_SHIPS = {
    "USS": "united-states",
    "USNS": "united-states",
    "HMS": "united-kingdom",
    "HMCS": "canada",
    "HMAS": "australia",
    "HMNZS": "new-zealand",
    "INS": "india",
    "FS": "france",
    "TCG": "turkey",
    "ROKS": "south-korea",
    "JS": "japan",
    "PNS": "pakistan",
    "BRP": "philippines",
}


_CONNECTOR, _TRIGGER, _OPENER, _OTHER = range(4)


_WORD_CLASSES: dict[str, int] = {}
"""What a word of a capitalised run is, for :func:`worth_a_look` (bounded cache)."""


def _word_class(word: str) -> int:
    if word in lx.CONNECTORS:
        cls = _CONNECTOR
    elif word.rstrip(".").rstrip("'s") in lx.RUN_TRIGGERS or word in lx.RUN_TRIGGERS:
        cls = _TRIGGER
    elif word in lx.SENTENCE_OPENERS:
        cls = _OPENER
    else:
        cls = _OTHER
    if len(_WORD_CLASSES) >= 50_000:
        _WORD_CLASSES.clear()
    _WORD_CLASSES[word] = cls
    return cls


def worth_a_look(known: Callable[[int], Span | None], text: str, offset: int) -> bool:
    """Cheap filter: a run with a trigger word or two unknown words outside known names."""
    pos = 0
    covered_to = -1
    unknown = 0
    classes = _WORD_CLASSES
    for word in text.split():
        at = text.find(word, pos)
        pos = at + len(word)
        start = offset + at
        span = known(start)
        if span is not None and span[2] != "place":
            covered_to = span[1]
            continue
        if start < covered_to:
            continue
        cls = classes.get(word)
        if cls is None:
            cls = _word_class(word)
        if cls == _TRIGGER:
            return True
        if cls == _OTHER:
            unknown += 1
            if unknown >= 2:
                return True
    return False


def _tokens(text: str, offset: int) -> list[list[Tok]]:
    """The tokens of a run, cut into pieces after words that end a sentence ("Bamako.")."""
    pieces: list[list[Tok]] = []
    current: list[Tok] = []
    pos = 0
    for raw in text.split():
        at = text.find(raw, pos)
        pos = at + len(raw)
        cut = 0
        if raw.endswith("'s"):
            cut = 2
        elif raw.endswith("'") or (
            raw[-1] == "." and not (raw in lx.ABBREVIATIONS or raw[-2:-1].isupper())
        ):
            cut = 1
        word = raw[: len(raw) - cut]
        current.append(Tok(word, offset + at, offset + at + len(word), word in lx.CONNECTORS))
        if cut:
            pieces.append(current)
            current = []
    pieces.append(current)
    return pieces


def _segments(tokens: list[Tok]) -> list[list[Tok]]:
    segments: list[list[Tok]] = []
    current: list[Tok] = []
    in_complement = False  # after "<head> of": "Institute for the Study of War"
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.conn:
            current.append(tok)
            i += 1
            continue
        j = i
        while j < len(tokens) and tokens[j].conn:
            j += 1
        first = tokens[i].text
        prev = current[-1].text if current else ""
        join = (first in ("of", "for") and (prev in _JOIN_OF or in_complement)) or (
            first in lx.NAME_CONNECTORS
        )
        if (
            not join
            and first == "and"
            and in_complement
            and j == i + 1
            and j < len(tokens)
            and tokens[j].text not in lx.TITLES
            and _since_of(current) <= 2
        ):
            join = True  # "Party of Unity and Progress": a short complement goes on
        if join and j < len(tokens):
            current.extend(tokens[i:j])
            in_complement = in_complement or first in ("of", "for")
        else:
            if current:
                segments.append(current)
            current = []
            in_complement = False
        i = j
    if current:
        segments.append(current)
    return segments


def _since_of(current: list[Tok]) -> int:
    """How many tokens follow the last "of" or "for" of a segment being built."""
    n = 0
    for tok in reversed(current):
        if tok.text in ("of", "for"):
            return n
        n += 1
    return n


def run(ctx: Ctx, text: str, offset: int) -> None:
    ctx.run_start = offset
    for piece in _tokens(text, offset):
        if len(piece) < 2:
            continue
        for segment in _joined(ctx, _segments(piece)):
            first, last = 0, len(segment)
            while first < last and (
                segment[first].text in ("The", "A", "An")
                or (
                    segment[first].text in lx.SENTENCE_OPENERS
                    and sentence_initial(ctx.norm, segment[first].start)
                )
                or (first > 0 and segment[first].conn)  # "Forces of the Transitional Council"
            ):
                first += 1
            while last > first and segment[last - 1].conn:
                last -= 1
            if last - first >= 2:
                _segment(ctx, segment[first:last])


def _joined(ctx: Ctx, segments: list[list[Tok]]) -> list[list[Tok]]:
    """Join "A B and C <head>" into one name ("General Intelligence and Security Service"):
    a short headless span before "and" belongs to the organisation named after it."""
    if len(segments) < 2:
        return segments
    out = [segments[0]]
    for seg in segments[1:]:
        prev = out[-1]
        if seg[-1].text not in lx.ORG_HEADS or ctx.norm[prev[-1].end : seg[0].start] != " and ":
            out.append(seg)
            continue
        # the words of ``prev`` after the last one a known name or a head explains
        # ("African Union Peace and Security Council": "Peace" opens the council's name)
        cut = len(prev)
        while cut and not (prev[cut - 1].text in lx.ORG_HEADS or covering(ctx, prev[cut - 1])):
            cut -= 1
        tail = prev[cut:]
        if 0 < len(tail) <= 3 and not (cut and any(t.conn for t in tail)):
            if cut:  # not "Ministry of Defence and National Security Council"
                out[-1] = prev[:cut]
                out.append([*tail, *seg])
            else:
                out[-1] = [*prev, *seg]
        else:
            out.append(seg)
    return out


def _segment(ctx: Ctx, seg: list[Tok]) -> None:
    s, e = seg[0].start, seg[-1].end
    whole = ctx.covered.get(s)
    if whole is not None and whole[1] >= e:
        return
    first, last = seg[0].text, seg[-1].text
    if first in _SHIPS and len(seg) >= 2:
        name = ctx.text[s:e]
        add_actor(ctx, name, "military", s, e, country=_SHIPS[first])
        return
    if last in lx.PLACE_HEADS:
        cov = covering(ctx, seg[-1])
        if cov is None or cov[2] == "place":
            ctx.out.places.append(FoundPlace(s, e, ctx.text[s:e]))
            ctx.out.absorbed.append((s, e))
        return
    head = _org_head(ctx, seg)
    if head is not None:
        _organisation(ctx, seg, head)
        return
    person(ctx, seg)


def _is_head(seg: list[Tok], i: int) -> bool:
    """Whether token ``i`` is an organisation head: a listed one, or a qualified one beside a
    qualifier ("Episcopal Conference")."""
    word = seg[i].text
    if word in lx.ORG_HEADS:
        return True
    qualifiers = lx.QUALIFIED_HEADS.get(word)
    return qualifiers is not None and any(t.text in qualifiers for t in seg)


def _org_head(ctx: Ctx, seg: list[Tok]) -> int | None:
    last = len(seg) - 1
    if _is_head(seg, last) and covering(ctx, seg[last]) is None:
        if any(
            t.text in lx.TITLES and t.text not in lx.ORG_HEADS and not _adjective_title(seg, i)
            for i, t in enumerate(seg[:last])
        ):
            return None
        return last
    for i, tok in enumerate(seg[:-1]):
        if _is_head(seg, i) and seg[i + 1].conn and covering(ctx, tok) is None:
            rest = seg[i + 1 :]
            if any(
                t.text in lx.TITLES and t.text not in lx.ORG_HEADS and not rest[k - 1].conn
                for k, t in enumerate(rest)
                if k
            ):
                return None  # "… of Defence Minister Jane Roe"; "of Justice" is a portfolio
            if name_tail(ctx, rest) >= 2 and (
                _person_follows(ctx, rest) or any(t.text in lx.TITLES for t in seg[:i])
            ):
                return None
            return i
    return None


def _adjective_title(seg: list[Tok], i: int) -> bool:
    """A title word used as an adjective in a body's name: "General Intelligence …"."""
    return i == 0 and len(seg) > 2 and seg[1].text in lx.PORTFOLIOS


def _person_follows(ctx: Ctx, rest: list[Tok]) -> bool:
    """Whether the words after "<head> of" read as a person's name: a speech or action verb
    or a possessive follows them ("the Office of Jane Roe said"); "the Office of Sanctions
    Enforcement listed" stays one body."""
    e = rest[-1].end
    return lx.PERSON_VERB.match(ctx.norm, e) is not None or ctx.norm.startswith("'s", e)


def _organisation(ctx: Ctx, seg: list[Tok], head: int) -> None:
    country: str | None = None
    lead = covering(ctx, seg[0])
    if lead is not None and lead[2] == "actor" and lead[1] >= seg[head].start:
        return  # the head belongs to a known actor's name
    for t in seg[head + 1 :]:
        if t.conn:
            continue
        known = covering(ctx, t)
        if known is not None and known[2] == "actor" and known[1] >= seg[-1].end:
            return  # "Fighters of the Ezzedine al-Qassam Brigades": the known actor's people
        break
    if lead is not None and lead[2] == "state":
        info = ctx.state(lead[3]) or ctx.state(lead[3].rsplit("-", 1)[0])
        country = info.id if info is not None else None
    s, e = seg[0].start, seg[-1].end
    if ctx.text[s:e] in lx.DESIGNATIONS:
        return
    generic = seg[0].text in ("Government", "Ministry", "Department")
    if head == 0 and generic and country is None and not any(t.conn for t in seg):
        return
    kind = lx.ORG_HEADS.get(seg[head].text, "organisation")
    otype: ActorType
    if kind == "military":
        regular = country is not None or seg[0].text[:1].isdigit()
        otype = "military" if regular or any(t.text in _BRANCHES for t in seg) else "armed_group"
    elif kind == "government" and country is None:
        otype = "organisation"
    else:
        otype = kind  # type: ignore[assignment]
    parent = f"{country}-government" if country and otype == "government" else None
    add_actor(ctx, ctx.text[s:e], otype, s, e, country=country, parent=parent)
    ctx.out.absorbed.append((s, e))


_BRANCHES = word_set("actor_cues.toml", "unit_branches")
"""Words of a regular army unit's name ("Infantry", "Armoured"): see ``_organisation``."""
