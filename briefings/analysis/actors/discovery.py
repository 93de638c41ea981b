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
  follows ("Bakura Doro's"), a middle initial or "Jr." marks them ("John T. Mensah"), or
  the line lists people ("Commander1: …"). A title with a lone surname ("Ms. Rice",
  "Spokesperson Miller") and a bare surname later in the text refer to that person; a
  titled surname that no full name explains is a person of its own ("President Bazoum").

Sentence-initial capitals of common words ("The", "After", "Today") never start a name.
An acronym in brackets after a name ("Azawad Liberation Front (FLA)") is linked to it: its
later uses name the same actor. "(previously the Wagner PMC group)", "formerly known as …"
link a former name the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from briefings.analysis.actors import collectives as co
from briefings.analysis.actors import definitions as df
from briefings.analysis.actors import lexicon as lx
from briefings.analysis.actors.affiliates import affiliates
from briefings.analysis.actors.findings import (
    Ctx,
    Discovery,
    FoundMention,
    Span,
    StateLookup,
    add_actor,
)
from briefings.analysis.actors.listings import listed_people
from briefings.analysis.actors.people import references
from briefings.analysis.actors.runs import run, worth_a_look
from briefings.analysis.actors.sources import sources
from briefings.model import MentionKind
from briefings.text.folding import fold_in_place
from briefings.text.occurrences import Occurrences

_ACRONYM = re.compile(r"\((?P<acr>[A-Z][A-Za-z0-9&.'-]{1,11})\)")


_FORMER_HINTS = ("previously", "formerly", "known as", "successor")


_BRACKET_OR_COMMA = frozenset("(,")


def discover(text: str, norm: str, covered: Mapping[int, Span], state: StateLookup) -> Discovery:
    """Find organisations, people, acronym links and former names the gazetteer pass missed.

    Args:
        text: the article text (names are taken from it).
        norm: the same text with quotes, dashes and accents folded (same offsets).
        covered: what the gazetteer pass found, by start offset.
        state: looks a state actor up by id (for demonym-led names).
    """
    ctx = Ctx(text, norm, covered, state, Discovery())
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
        if worth_a_look(known, text_of_run, start):
            run(ctx, text_of_run, start)
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
    references(ctx)
    return ctx.out


def _initials(ctx: Ctx) -> None:
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


def _definitions(ctx: Ctx) -> None:
    """Names the text defines itself (:mod:`briefings.analysis.actors.definitions`), found before
    the runs."""
    text, norm = ctx.text, ctx.norm
    found = (
        df.rule_heads(text, norm, ctx.covered)
        + df.allcaps_names(text, norm, ctx.covered)
        + co.collectives(text, norm, ctx.covered)
        + co.self_named(text, norm, ctx.covered)
        + sources(text, norm, ctx.covered)
    )
    if "(" in norm:
        found += df.acronym_definitions(text, norm, ctx.covered)
    found += df.companies(text, norm)
    if "," in norm:
        people, particulars = listed_people(text, norm)
        found += people
        ctx.out.absorbed.extend(particulars)
    linked = affiliates(text, norm, ctx.covered)
    for d in linked:  # the groups named inside describe the affiliate: no mentions there
        ctx.out.names.append((d.start, d.end))
    found += linked
    if not found:
        return
    covered = dict(ctx.covered)
    ctx.covered = covered
    for d in found:
        if d.name in lx.DESIGNATIONS or any(a <= d.start < b for a, b in ctx.out.absorbed):
            continue
        actor_id = add_actor(ctx, d.name, d.type, d.start, d.end)
        covered[d.start] = (d.start, d.end, "actor", actor_id)
        if not co.proxy(d.name):  # a proxy's backer stays an actor ("Iran-backed groups")
            ctx.out.absorbed.append((d.start, d.end))
    ctx.starts = []
    for d in found:
        actor_id = covered[d.start][3] if d.start in covered else ""
        if not actor_id.startswith("x-"):
            continue
        _link_everywhere(ctx, d.name, actor_id, "name", skip=d.start)
        if d.acronym:
            ctx.out.linked.setdefault(actor_id, []).append(d.acronym)
            _link_everywhere(ctx, d.acronym, actor_id, "acronym", override=d.redefines)


def _acronyms(ctx: Ctx) -> None:
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
    ctx: Ctx,
    form: str,
    actor_id: str,
    kind: MentionKind,
    *,
    skip: int = -1,
    override: bool = False,
) -> None:
    """Mentions of ``actor_id`` wherever ``form`` stands free (with ``override``, also where
    a known actor of the same form stands: that reading is dropped)."""
    if ctx.words is None:
        ctx.words = Occurrences(ctx.norm)
    for s, e in ctx.words.of(fold_in_place(form)):
        if s == skip:
            continue
        span = ctx.covered.get(s)
        if override and span is not None and span[1] == e and span[2] != "place":
            ctx.out.names.append((s, e))
            span = None
        if span is None or span[2] == "place" or span[1] < e:
            ctx.out.mentions.append(FoundMention(actor_id, s, e, kind))


def _merge_into(ctx: Ctx, name: str, actor_id: str) -> bool:
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


def _former_names(ctx: Ctx) -> None:
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
