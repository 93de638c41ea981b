"""Discovery of actors the gazetteer lacks: organisations, people, acronyms and former names.

It reads the capitalised runs of the text (tokens joined by spaces and connectors such as
"of the", "bin", "de la"), cut where a connector follows a word that is not an organisation
head or a title ("Deployment | of the | Multinational Security Support Mission"). A run:

- ending in a place head ("Hamid Karzai International Airport", "Kaduna State", "Southern
  Military District") is a place, and swallows the names inside it;
- ending in an organisation head, or holding "<head> of" ("Artsakh Defence Army", "Haitian
  National Police", "Ministry of Energy") is an organisation; a state or demonym that opens
  it is its country ("Artsakh" in "Artsakh Defence Army" is not a mention of Artsakh);
- with a ship prefix ("USS Carney") is a named warship (military);
- otherwise its trailing name-like tokens (two to five, no title word, month or known actor)
  are a person when a title precedes them ("Minister of Defence Sergei Shoigu", "governor
  Uba Sani"), a speech or action verb follows ("Samvel Shahramanyan signed"), an appositive
  or frame precedes ("the president of Artsakh, …", "the presidency of …"), a possessive
  follows ("Bakura Doro's"), or the line lists people ("Commander1: …"). A title with a
  lone surname ("Ms. Rice", "Spokesperson Miller") and a bare surname later in the text
  refer to that person.

Sentence-initial capitals of common words ("The", "After", "Today") never start a name.
An acronym in brackets after a name ("Azawad Liberation Front (FLA)") is linked to it: its
later uses name the same actor. "(previously the Wagner PMC group)", "formerly known as …"
link a former name the same way.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from briefings.analysis.actors import definitions as df
from briefings.analysis.actors import lexicon as lx
from briefings.model import ActorInfo, ActorType, MentionKind
from briefings.text.folding import fold_in_place, slug
from briefings.text.intervals import Containment
from briefings.text.occurrences import WORD, Occurrences

Span = tuple[int, int, str, str]
"""What the gazetteer pass found at an offset: (start, end, "actor"|"state"|"place", target)."""


@dataclass(slots=True)
class FoundActor:
    """An actor created by discovery."""

    actor_id: str
    name: str
    type: ActorType
    country: str | None = None
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FoundMention:
    """A mention created by discovery."""

    actor_id: str
    start: int
    end: int
    kind: MentionKind


@dataclass(frozen=True, slots=True)
class FoundPlace:
    """A place (or facility) span found by discovery."""

    start: int
    end: int
    name: str


@dataclass(slots=True)
class Discovery:
    """Everything discovery adds to the gazetteer pass."""

    actors: list[FoundActor] = field(default_factory=list)
    mentions: list[FoundMention] = field(default_factory=list)
    places: list[FoundPlace] = field(default_factory=list)
    absorbed: list[tuple[int, int]] = field(default_factory=list)
    names: list[tuple[int, int]] = field(default_factory=list)
    linked: dict[str, list[str]] = field(default_factory=dict)


_JOIN_OF = (
    frozenset(lx.ORG_HEADS)
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
_ACRONYM = re.compile(r"\((?P<acr>[A-Z][A-Za-z0-9&.'-]{1,11})\)")
_FORMER_HINTS = ("previously", "formerly", "known as", "successor")
_BRACKET_OR_COMMA = frozenset("(,")
_ROLE_BEFORE = re.compile(r"([\w-]+)[ \t]+$")
StateLookup = Callable[[str], ActorInfo | None]


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int
    conn: bool


@dataclass(slots=True)
class _Ctx:
    text: str
    norm: str
    covered: Mapping[int, Span]
    state: StateLookup
    out: Discovery
    persons: dict[str, str] = field(default_factory=dict)  # surname -> actor id
    person_keys: dict[str, str] = field(default_factory=dict)  # folded full name -> actor id
    run_start: int = 0
    last_person_end: int = -1
    refs: list[tuple[int, int, str]] = field(default_factory=list)
    ends: dict[int, Span] = field(default_factory=dict)
    starts: list[int] = field(default_factory=list)
    actor_ids: set[str] = field(default_factory=set)
    words: Occurrences | None = None


def discover(text: str, norm: str, covered: Mapping[int, Span], state: StateLookup) -> Discovery:
    """Find organisations, people, acronym links and former names the gazetteer pass missed.

    Args:
        text: the article text (names are taken from it).
        norm: the same text with quotes, dashes and accents folded (same offsets).
        covered: what the gazetteer pass found, by start offset.
        state: looks a state actor up by id (for demonym-led names).
    """
    ctx = _Ctx(text, norm, covered, state, Discovery())
    _definitions(ctx)
    known = ctx.covered.get
    for m in lx.RUN.finditer(norm):
        start, end = m.span()
        span = known(start)
        if span is not None and span[1] >= end:
            continue
        text_of_run = m.group()
        if start > 3 and norm[start - 2] in "htd" and norm[start - 3] in "srnt":
            unit = lx.ORDINAL_BEFORE.search(norm, max(0, start - 12), start)
            if unit is not None:
                start = unit.start()
                text_of_run = norm[start:end]
        if _worth_a_look(known, text_of_run, start):
            _run(ctx, text_of_run, start)
    acronyms = "(" in norm
    former = any(hint in norm for hint in _FORMER_HINTS)
    if acronyms or former:
        ctx.ends = {sp[1]: sp for sp in ctx.covered.values() if sp[2] != "place"}
        for found in ctx.out.mentions:
            known_end = ctx.ends.get(found.end)
            if known_end is None or found.start < known_end[0]:
                # a longer name ending at the same place owns a bracket after it
                ctx.ends[found.end] = (found.start, found.end, "actor", found.actor_id)
        if acronyms:
            _acronyms(ctx)
        if former:
            _former_names(ctx)
    _initials(ctx)
    _references(ctx)
    return ctx.out


def _initials(ctx: _Ctx) -> None:
    """An organisation's initials used alone name it ("Border Guard Directorate … the BGD")."""
    for actor in list(ctx.out.actors):
        if actor.type == "person" or actor.actor_id in ctx.out.linked:
            continue
        words = [w for w in actor.name.split() if w[:1].isupper()]
        if len(words) < 3:
            continue
        acronym = "".join(w[0] for w in words)
        if acronym in ctx.norm:
            before = len(ctx.out.mentions)
            _link_everywhere(ctx, acronym, actor.actor_id, "acronym")
            if len(ctx.out.mentions) > before:
                ctx.out.linked.setdefault(actor.actor_id, []).append(acronym)


def _definitions(ctx: _Ctx) -> None:
    """Names the text defines itself (:mod:`briefings.analysis.actors.definitions`), found before
    the runs."""
    text, norm = ctx.text, ctx.norm
    found = (
        df.rule_heads(text, norm, ctx.covered)
        + df.allcaps_names(text, norm, ctx.covered)
        + df.collectives(text, norm, ctx.covered)
    )
    if "(" in norm:
        found += df.acronym_definitions(text, norm, ctx.covered)
    found += df.companies(text, norm)
    if not found:
        return
    covered = dict(ctx.covered)
    ctx.covered = covered
    for d in found:
        if d.name in lx.DESIGNATIONS or any(a <= d.start < b for a, b in ctx.out.absorbed):
            continue
        actor_id = _add_actor(ctx, d.name, d.type, d.start, d.end)
        covered[d.start] = (d.start, d.end, "actor", actor_id)
        if not df.proxy(d.name):  # a proxy's backer stays an actor ("Iran-backed groups")
            ctx.out.absorbed.append((d.start, d.end))
    ctx.starts = []
    for d in found:
        actor_id = covered[d.start][3] if d.start in covered else ""
        if not actor_id.startswith("x-"):
            continue
        _link_everywhere(ctx, d.name, actor_id, "name", skip=d.start)
        if d.acronym:
            ctx.out.linked.setdefault(actor_id, []).append(d.acronym)
            _link_everywhere(ctx, d.acronym, actor_id, "acronym")


# ---------------------------------------------------------------------- runs
_CONNECTOR, _TRIGGER, _OPENER, _OTHER = range(4)
_WORD_CLASSES: dict[str, int] = {}
"""What a word of a capitalised run is, for :func:`_worth_a_look` (bounded cache)."""


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


def _worth_a_look(known: Callable[[int], Span | None], text: str, offset: int) -> bool:
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


def _tokens(text: str, offset: int) -> list[list[_Tok]]:
    """The tokens of a run, cut into pieces after words that end a sentence ("Bamako.")."""
    pieces: list[list[_Tok]] = []
    current: list[_Tok] = []
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
        current.append(_Tok(word, offset + at, offset + at + len(word), word in lx.CONNECTORS))
        if cut:
            pieces.append(current)
            current = []
    pieces.append(current)
    return pieces


def _segments(tokens: list[_Tok]) -> list[list[_Tok]]:
    segments: list[list[_Tok]] = []
    current: list[_Tok] = []
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


def _since_of(current: list[_Tok]) -> int:
    """How many tokens follow the last "of" or "for" of a segment being built."""
    n = 0
    for tok in reversed(current):
        if tok.text in ("of", "for"):
            return n
        n += 1
    return n


def _sentence_initial(norm: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and norm[j] in " \t":
        j -= 1
    return j < 0 or norm[j] in ".!?\n:\"'(;[-*•►▶"


def _run(ctx: _Ctx, text: str, offset: int) -> None:
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
                    and _sentence_initial(ctx.norm, segment[first].start)
                )
            ):
                first += 1
            while last > first and segment[last - 1].conn:
                last -= 1
            if last - first >= 2:
                _segment(ctx, segment[first:last])


def _joined(ctx: _Ctx, segments: list[list[_Tok]]) -> list[list[_Tok]]:
    """Join "A B and C <head>" into one name ("General Intelligence and Security Service"):
    a short headless span before "and" belongs to the organisation named after it."""
    if len(segments) < 2:
        return segments
    out = [segments[0]]
    for seg in segments[1:]:
        prev = out[-1]
        if (
            seg[-1].text in lx.ORG_HEADS
            and len(prev) <= 3
            and ctx.norm[prev[-1].end : seg[0].start] == " and "
            and not any(t.text in lx.ORG_HEADS or _covering(ctx, t) is not None for t in prev)
        ):
            out[-1] = [*prev, *seg]
        else:
            out.append(seg)
    return out


def _covering(ctx: _Ctx, tok: _Tok) -> Span | None:
    """The gazetteer span that starts at or contains this token, if any."""
    span = ctx.covered.get(tok.start)
    if span is not None:
        return span
    if not ctx.starts:
        ctx.starts = sorted(ctx.covered)
    at = bisect.bisect_right(ctx.starts, tok.start) - 1
    if at < 0:
        return None
    span = ctx.covered[ctx.starts[at]]
    return span if span[1] > tok.start else None


def _segment(ctx: _Ctx, seg: list[_Tok]) -> None:
    s, e = seg[0].start, seg[-1].end
    whole = ctx.covered.get(s)
    if whole is not None and whole[1] >= e:
        return
    first, last = seg[0].text, seg[-1].text
    if first in _SHIPS and len(seg) >= 2:
        name = ctx.text[s:e]
        _add_actor(ctx, name, "military", s, e, country=_SHIPS[first])
        return
    if last in lx.PLACE_HEADS:
        cov = _covering(ctx, seg[-1])
        if cov is None or cov[2] == "place":
            ctx.out.places.append(FoundPlace(s, e, ctx.text[s:e]))
            ctx.out.absorbed.append((s, e))
        return
    head = _org_head(ctx, seg)
    if head is not None:
        _organisation(ctx, seg, head)
        return
    _person(ctx, seg)


def _org_head(ctx: _Ctx, seg: list[_Tok]) -> int | None:
    last = len(seg) - 1
    if seg[last].text in lx.ORG_HEADS and _covering(ctx, seg[last]) is None:
        if any(
            t.text in lx.TITLES and t.text not in lx.ORG_HEADS and not _adjective_title(seg, i)
            for i, t in enumerate(seg[:last])
        ):
            return None
        return last
    for i, tok in enumerate(seg[:-1]):
        if tok.text in lx.ORG_HEADS and seg[i + 1].conn and _covering(ctx, tok) is None:
            rest = seg[i + 1 :]
            if any(
                t.text in lx.TITLES and t.text not in lx.ORG_HEADS and not rest[k - 1].conn
                for k, t in enumerate(rest)
                if k
            ):
                return None  # "… of Defence Minister Jane Roe"; "of Justice" is a portfolio
            if _name_tail(ctx, rest) >= 2 and (
                _person_follows(ctx, rest) or any(t.text in lx.TITLES for t in seg[:i])
            ):
                return None
            return i
    return None


def _adjective_title(seg: list[_Tok], i: int) -> bool:
    """A title word used as an adjective in a body's name: "General Intelligence …"."""
    return i == 0 and len(seg) > 2 and seg[1].text in lx.PORTFOLIOS


def _person_follows(ctx: _Ctx, rest: list[_Tok]) -> bool:
    """Whether the words after "<head> of" read as a person's name: a speech or action verb
    or a possessive follows them ("the Office of Jane Roe said"); "the Office of Sanctions
    Enforcement listed" stays one body."""
    e = rest[-1].end
    return lx.PERSON_VERB.match(ctx.norm, e) is not None or ctx.norm.startswith("'s", e)


def _organisation(ctx: _Ctx, seg: list[_Tok], head: int) -> None:
    country: str | None = None
    lead = _covering(ctx, seg[0])
    if lead is not None and lead[2] == "actor" and lead[1] >= seg[head].start:
        return  # the head belongs to a known actor's name
    if lead is not None and lead[2] == "state":
        info = ctx.state(lead[3]) or ctx.state(lead[3].rsplit("-", 1)[0])
        country = info.id if info is not None else None
    s, e = seg[0].start, seg[-1].end
    if ctx.text[s:e] in lx.DESIGNATIONS:
        return
    generic = seg[0].text in ("Government", "Ministry", "Department")
    if head == 0 and generic and country is None and not any(t.conn for t in seg):
        return
    kind = lx.ORG_HEADS[seg[head].text]
    otype: ActorType
    if kind == "military":
        otype = "military" if country else "armed_group"
    elif kind == "government" and country is None:
        otype = "organisation"
    else:
        otype = kind  # type: ignore[assignment]
    parent = f"{country}-government" if country and otype == "government" else None
    _add_actor(ctx, ctx.text[s:e], otype, s, e, country=country, parent=parent)
    ctx.out.absorbed.append((s, e))


def _add_actor(
    ctx: _Ctx,
    name: str,
    otype: ActorType,
    s: int,
    e: int,
    *,
    country: str | None = None,
    parent: str | None = None,
) -> str:
    actor_id = "x-" + slug(name)
    if actor_id not in ctx.actor_ids:
        ctx.actor_ids.add(actor_id)
        ctx.out.actors.append(FoundActor(actor_id, name, otype, country, parent))
    ctx.out.mentions.append(FoundMention(actor_id, s, e, "name"))
    return actor_id


# ---------------------------------------------------------------------- people
def _name_like(ctx: _Ctx, tok: _Tok) -> bool:
    text = tok.text
    if tok.conn:
        return text in lx.NAME_CONNECTORS
    if text in lx.NAME_SUFFIXES:
        return True
    if text in lx.NON_NAME or not text.replace("-", "").replace("'", "").replace(".", "").isalpha():
        return False
    if len(text) > 1 and text.isupper() and not text.endswith("."):
        return False
    cov = _covering(ctx, tok)
    return cov is None or cov[2] == "place"


def _name_tail(ctx: _Ctx, seg: list[_Tok]) -> int:
    """How many trailing tokens of ``seg`` look like a person's name."""
    n = 0
    for tok in reversed(seg):
        if not _name_like(ctx, tok):
            break
        n += 1
    while n and seg[len(seg) - n].conn:
        n -= 1
    return n


def _person(ctx: _Ctx, seg: list[_Tok]) -> None:
    norm = ctx.norm
    n = _name_tail(ctx, seg)
    if n == 0 and len(seg) >= 3 and _known_surname(ctx, seg[-1]):
        n = _name_tail(ctx, seg[:-1])
        n = n + 1 if n >= 2 else 0  # "Jane Kayitesi Wagner": a known name as a surname
    if n == 0:
        return
    name_toks = seg[len(seg) - n :]
    words = [
        t
        for t in name_toks
        if not t.conn and not t.text.endswith(".") and t.text not in lx.NAME_SUFFIXES
    ]
    before = seg[: len(seg) - n]
    s, e = name_toks[0].start, name_toks[-1].end
    # A title anywhere before the name in its span: "Director of the Office of … Jane Roe".
    titled = any(t.text in lx.TITLES for t in before)
    if titled and len(words) > 2 and any(t.text in ("of", "for") for t in before):
        # "Secretary of the Treasury Jane Roe": the office's complement ends where the
        # name's last two words (with their initials and suffixes) begin.
        keep = name_toks.index(words[-2])
        name_toks, words = name_toks[keep:], words[-2:]
        s = name_toks[0].start
    if not titled and not before:
        role = _ROLE_BEFORE.search(norm, max(0, s - 30), s)
        titled = role is not None and role.group(1).lower() in lx.ROLES
    if len(words) == 1 and len(name_toks) == 1:
        # A lone surname right after its title ("Ms. Rice"); after "Secretary of the
        # Treasury for Terrorism" the word ends an office's name.
        if titled and (before[-1].text in lx.TITLES or not any(t.conn for t in before)):
            ctx.refs.append((s, e, norm[s:e]))
        return
    if len(words) < 2 or len(words) > 5:
        return
    line_start = norm.rfind("\n", 0, s) + 1
    context = (
        titled
        or _listed_with_person(ctx, s)
        or _spoken_by(ctx, e)
        or _short_form(norm, e, words)
        or norm[line_start:s].strip().lower() in _BYLINES
        or lx.PERSON_VERB.match(norm, e) is not None
        or norm.startswith("'s", e)
        or lx.PERSON_LABEL.match(norm, line_start, s) is not None
        or lx.PERSON_BEFORE.search(norm, max(line_start, s - 60), s) is not None
    )
    if not context:
        return
    name = ctx.text[s:e]
    if name_toks[0].text in _GROUP_ARTICLES:
        # "Los Caimanes del Norte": a plural article opens a group's name, not a person's
        _add_actor(ctx, name, "organisation", s, e)
        ctx.out.absorbed.append((s, e))
        return
    key = df.name_key(" ".join(t.text for t in words))
    known = ctx.person_keys.get(key)
    if known is not None:
        ctx.out.mentions.append(FoundMention(known, s, e, "name"))
        actor_id = known
    else:
        actor_id = ctx.person_keys[key] = _add_actor(ctx, name, "person", s, e)
    ctx.persons.setdefault(words[-1].text, actor_id)
    short = _SHORT_FORM.match(norm, e)
    if short is not None and any(t.text == short.group("short") for t in words):
        ctx.persons.setdefault(short.group("short"), actor_id)  # "Wu Huihui (Wu)"
    ctx.out.absorbed.append((s, e))
    ctx.out.names.append((s, e))
    ctx.last_person_end = e


_BYLINES = frozenset(("by", "written by", "reporting by", "words by", "text by"))
_GROUP_ARTICLES = frozenset(("Los", "Las", "Les", "Os", "As"))
_LIST_JOINT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)$")
_SAID_BEFORE = re.compile(r"(?:said|says|added|wrote|noted|told\s+\w+)\s+$")
_CLAUSE_END = re.compile(
    r"\s*(?:[.,;:!?)\"']|$|(?:at|in|on|during|after|before|from|when|while|as)\s)"
)


_SHORT_FORM = re.compile(r"[ \t]*\((?P<short>[A-Z][a-z][\w'-]*)\)")


def _short_form(norm: str, e: int, words: list[_Tok]) -> bool:
    """The name gives its own short form in brackets ("Jane Roe (Roe)"), as notices do."""
    m = _SHORT_FORM.match(norm, e)
    return m is not None and any(t.text == m.group("short") for t in words)


def _listed_with_person(ctx: _Ctx, s: int) -> bool:
    """A name joined to a person's name by "and" or a comma ("Jane Roe and Ali Musa")."""
    last = ctx.last_person_end
    return 0 <= last < s and s - last < 8 and _LIST_JOINT.match(ctx.norm, last, s) is not None


def _spoken_by(ctx: _Ctx, e: int) -> bool:
    """A speech verb opens the run and the name closes the clause ("…," said Jane Roe.)."""
    start = ctx.run_start
    return (
        _SAID_BEFORE.search(ctx.norm, max(0, start - 16), start) is not None
        and _CLAUSE_END.match(ctx.norm, e) is not None
    )


def _known_surname(ctx: _Ctx, tok: _Tok) -> bool:
    """Whether a token is a one-word non-state actor name that may also be a surname."""
    span = ctx.covered.get(tok.start)
    return (
        span is not None
        and span[2] == "actor"
        and span[1] == tok.end
        and tok.text[1:].islower()
        and not tok.text.endswith(".")
    )


def _references(ctx: _Ctx) -> None:
    """Lone surnames, titled ("Ms. Rice") or bare ("Prigozhin said"), of people found here."""
    if not ctx.persons:
        return
    taken = {(m.start, m.end) for m in ctx.out.mentions}
    for s, e, surname in ctx.refs:
        actor_id = ctx.persons.get(surname)
        if actor_id is None:
            actor_id = _add_actor(ctx, surname, "person", s, e)
            continue
        ctx.out.mentions.append(FoundMention(actor_id, s, e, "reference"))
        taken.add((s, e))
    absorbed = Containment(ctx.out.absorbed)
    for surname, actor_id in ctx.persons.items():
        for s, e in _whole_words(ctx, surname):
            if (s, e) not in taken and not absorbed.holds(s, e):
                ctx.out.mentions.append(FoundMention(actor_id, s, e, "reference"))
                taken.add((s, e))


def _whole_words(ctx: _Ctx, word: str) -> list[tuple[int, int]]:
    """Where ``word`` stands with no letter, digit or hyphen on either side, in text order.

    Without underscores in the text, those are the places the word index knows (its words
    are runs of letters, digits, underscores and hyphens), so a long article with many
    people is not scanned once per surname; otherwise every occurrence is tested.
    """
    norm = ctx.norm
    if "_" not in norm and WORD.fullmatch(word) is not None:
        if ctx.words is None:
            ctx.words = Occurrences(norm)
        return ctx.words.of(word)
    hits = []
    s = norm.find(word)
    while s >= 0:
        e = s + len(word)
        if _whole_word(norm, s, e):
            hits.append((s, e))
        s = norm.find(word, e)
    return hits


def _whole_word(norm: str, s: int, e: int) -> bool:
    before = norm[s - 1] if s else " "
    after = norm[e] if e < len(norm) else " "
    return not (before.isalnum() or before == "-" or after.isalnum() or after == "-")


# ---------------------------------------------------------------------- acronyms, former names
def _acronyms(ctx: _Ctx) -> None:
    norm = ctx.norm
    for m in _ACRONYM.finditer(norm):
        acr = m.group("acr")
        if sum(map(str.isupper, acr)) < 2:
            continue
        j = m.start()
        while j > 0 and norm[j - 1] in " \t":
            j -= 1
        owner = ctx.ends.get(j)
        if owner is None or owner[2] == "place":
            continue
        actor_id = owner[3]
        if acr in ctx.out.linked.get(actor_id, ()):
            continue  # defined already (:func:`_definitions`)
        inner = ctx.covered.get(m.start() + 1)
        ctx.out.linked.setdefault(actor_id, []).append(acr)
        if inner is not None and inner[3] == actor_id:
            continue
        if inner is not None:
            continue  # the acronym already names another known actor
        _link_everywhere(ctx, acr, actor_id, "acronym")


def _link_everywhere(
    ctx: _Ctx, form: str, actor_id: str, kind: MentionKind, *, skip: int = -1
) -> None:
    if ctx.words is None:
        ctx.words = Occurrences(ctx.norm)
    for s, e in ctx.words.of(fold_in_place(form)):
        if s == skip:
            continue
        span = ctx.covered.get(s)
        if span is None or span[2] == "place" or span[1] < e:
            ctx.out.mentions.append(FoundMention(actor_id, s, e, kind))


def _merge_into(ctx: _Ctx, name: str, actor_id: str) -> bool:
    """Give the mentions of a discovered actor called ``name`` to ``actor_id``."""
    found = next((a for a in ctx.out.actors if a.name == name), None)
    if found is None or found.actor_id == actor_id:
        return False
    ctx.out.actors.remove(found)
    ctx.actor_ids.discard(found.actor_id)
    ctx.out.mentions = [
        FoundMention(actor_id, m.start, m.end, "alias") if m.actor_id == found.actor_id else m
        for m in ctx.out.mentions
    ]
    return True


def _former_names(ctx: _Ctx) -> None:
    norm = ctx.norm
    # FORMER_NAME needs a bracket or a comma after blanks: test that before sorting.
    ends = [
        (end, owner)
        for end, owner in ctx.ends.items()
        if (head := norm[end : end + 4].lstrip())[:1] in _BRACKET_OR_COMMA or not head
    ]
    ends.sort()
    for end, owner in ends:
        m = lx.FORMER_NAME.match(norm, end)
        if m is None:
            continue
        s = m.start("old")
        old = ctx.text[s : m.end("old")].strip()
        inner = ctx.covered.get(s)
        if inner is not None and inner[2] == "place":
            inner = None
        ctx.out.linked.setdefault(owner[3], []).append(old)
        if inner is not None and inner[3] == owner[3]:
            continue
        if _merge_into(ctx, old, owner[3]):
            continue
        if inner is None and old[:1].isupper():
            ctx.out.mentions.append(FoundMention(owner[3], s, s + len(old), "alias"))
            _link_everywhere(ctx, old, owner[3], "alias")
