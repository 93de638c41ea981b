"""People's names in capitalised runs, and the lone surnames that refer to them later."""

from __future__ import annotations

import re

from briefings.analysis.actors import lexicon as lx
from briefings.analysis.actors.findings import Ctx, FoundMention, Tok, add_actor, covering
from briefings.analysis.actors.spellings import name_key
from briefings.text.intervals import Containment
from briefings.text.occurrences import WORD, Occurrences

_ROLE_BEFORE = re.compile(r"([\w-]+)[ \t]+$")


def _name_like(ctx: Ctx, tok: Tok) -> bool:
    text = tok.text
    if tok.conn:
        return text in lx.NAME_CONNECTORS
    if text in lx.NAME_SUFFIXES:
        return True
    if text in lx.NON_NAME or not text.replace("-", "").replace("'", "").replace(".", "").isalpha():
        return False
    if len(text) > 1 and text.isupper() and not text.endswith("."):
        return False
    cov = covering(ctx, tok)
    return cov is None or cov[2] == "place"


def name_tail(ctx: Ctx, seg: list[Tok]) -> int:
    """How many trailing tokens of ``seg`` look like a person's name."""
    n = 0
    for tok in reversed(seg):
        if not _name_like(ctx, tok):
            break
        n += 1
    while n and seg[len(seg) - n].conn:
        n -= 1
    return n


def person(ctx: Ctx, seg: list[Tok]) -> None:
    norm = ctx.norm
    n = name_tail(ctx, seg)
    if n == 0 and len(seg) >= 3 and _known_surname(ctx, seg[-1]):
        n = name_tail(ctx, seg[:-1])
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
            title = len(before)
            while title and before[title - 1].text in lx.TITLES:
                title -= 1
            title_start = before[title].start if title < len(before) else s
            ctx.refs.append((title_start, s, e, norm[s:e]))
        return
    if len(words) < 2 or len(words) > 5:
        return
    line_start = norm.rfind("\n", 0, s) + 1
    context = (
        titled
        or _initialled(name_toks)
        or _listed_with_person(ctx, s)
        or _spoken_by(ctx, e)
        or _short_form(norm, e, words)
        or norm[line_start:s].strip().lower() in _BYLINES
        or lx.PERSON_VERB.match(norm, e) is not None
        or norm.startswith("'s", e)
        or lx.PERSON_LABEL.match(norm, line_start, s) is not None
        or lx.PERSON_BEFORE.search(norm, max(line_start, s - 60), s) is not None
        or _object_of_a_person_verb(norm, s, e, line_start, words)
    )
    if not context:
        return
    name = ctx.text[s:e]
    if name_toks[0].text in _GROUP_ARTICLES:
        # "Los Caimanes del Norte": a plural article opens a group's name, not a person's
        add_actor(ctx, name, "organisation", s, e)
        ctx.out.absorbed.append((s, e))
        return
    key = name_key(" ".join(t.text for t in words))
    known = ctx.person_keys.get(key)
    if known is not None:
        ctx.out.mentions.append(FoundMention(known, s, e, "name"))
        actor_id = known
    else:
        actor_id = ctx.person_keys[key] = add_actor(ctx, name, "person", s, e)
    ctx.persons.setdefault(words[-1].text, actor_id)
    short = _SHORT_FORM.match(norm, e)
    if short is not None and any(t.text == short.group("short") for t in words):
        ctx.persons.setdefault(short.group("short"), actor_id)  # "Wu Huihui (Wu)"
    ctx.out.absorbed.append((s, e))
    ctx.out.names.append((s, e))
    ctx.last_person_end = e


_BYLINES = frozenset(("by", "written by", "reporting by", "words by", "text by"))


_GROUP_ARTICLES = frozenset(("Los", "Las", "Les", "Os", "As"))


_LIST_JOINT = re.compile(r"(?:\s*\([^()]{0,80}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+)$")


_SAID_BEFORE = re.compile(r"(?:said|says|added|wrote|noted|told\s+\w+)\s+$")


_CLAUSE_END = re.compile(
    r"\s*(?:[.,;:!?)\"']|$|(?:at|in|on|during|after|before|from|when|while|as)\s)"
)


_SHORT_FORM = re.compile(r"[ \t]*\((?P<short>[A-Z][a-z][\w'-]*)\)")


def _short_form(norm: str, e: int, words: list[Tok]) -> bool:
    """The name gives its own short form in brackets ("Jane Roe (Roe)"), as notices do."""
    m = _SHORT_FORM.match(norm, e)
    return m is not None and any(t.text == m.group("short") for t in words)


def _object_of_a_person_verb(norm: str, s: int, e: int, line_start: int, words: list[Tok]) -> bool:
    """A name of two to four words right after a verb whose object is a person, ending its
    clause ("met Jean Kouassi in Abidjan"; not "killed Red Dune fighters")."""
    return (
        len(words) <= 4
        and lx.PERSON_OBJECT.search(norm, max(line_start, s - 24), s) is not None
        and (_CLAUSE_END.match(norm, e) is not None or norm.startswith(" and ", e))
    )


def _initialled(name_toks: list[Tok]) -> bool:
    """A middle initial or a "Jr."/"Sr." marks a person's name ("John T. Mensah")."""
    inner = name_toks[1:-1]
    return any(len(t.text) == 2 and t.text[1] == "." and t.text[0].isupper() for t in inner) or (
        name_toks[-1].text.rstrip(".") in ("Jr", "Sr")
    )


def _listed_with_person(ctx: Ctx, s: int) -> bool:
    """A name joined to a person's name by "and" or a comma ("Jane Roe and Ali Musa"), maybe
    after a bracket about the first ("Jane Roe (Kenyan national) and Ali Musa")."""
    last = ctx.last_person_end
    return 0 <= last < s and s - last < 90 and _LIST_JOINT.match(ctx.norm, last, s) is not None


def _spoken_by(ctx: Ctx, e: int) -> bool:
    """A speech verb opens the run and the name closes the clause ("…," said Jane Roe.)."""
    start = ctx.run_start
    return (
        _SAID_BEFORE.search(ctx.norm, max(0, start - 16), start) is not None
        and _CLAUSE_END.match(ctx.norm, e) is not None
    )


def _known_surname(ctx: Ctx, tok: Tok) -> bool:
    """Whether a token is a one-word non-state actor name that may also be a surname."""
    span = ctx.covered.get(tok.start)
    return (
        span is not None
        and span[2] == "actor"
        and span[1] == tok.end
        and tok.text[1:].islower()
        and not tok.text.endswith(".")
    )


def references(ctx: Ctx) -> None:
    """Lone surnames, titled ("Ms. Rice") or bare ("Prigozhin said"), of people found here.

    A titled surname no full name explains is a person of its own, named with the title
    ("President Bazoum"); its bare surname later refers to it."""
    if not ctx.persons and not ctx.refs:
        return
    taken = {(m.start, m.end) for m in ctx.out.mentions}
    for title_start, s, e, surname in ctx.refs:
        actor_id = ctx.persons.get(surname)
        if actor_id is None:
            actor_id = add_actor(ctx, ctx.text[title_start:e], "person", title_start, e)
            ctx.persons[surname] = actor_id
            ctx.out.absorbed.append((title_start, e))
            taken.add((title_start, e))
            continue
        ctx.out.mentions.append(FoundMention(actor_id, s, e, "reference"))
        taken.add((s, e))
    absorbed = Containment(ctx.out.absorbed)
    for surname, actor_id in ctx.persons.items():
        for s, e in _whole_words(ctx, surname):
            if (s, e) not in taken and not absorbed.holds(s, e):
                ctx.out.mentions.append(FoundMention(actor_id, s, e, "reference"))
                taken.add((s, e))


def _whole_words(ctx: Ctx, word: str) -> list[tuple[int, int]]:
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
    return scan_whole_words(norm, word)


def scan_whole_words(norm: str, word: str) -> list[tuple[int, int]]:
    """Where ``word`` stands as a whole word in ``norm``: every occurrence, its edges tested."""
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
