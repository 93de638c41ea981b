"""Claims of responsibility: the claimant becomes the doer of the attack it claims.

"A bombing took place at the airport. X claimed responsibility for the attack." The
bombing names no doer; the claim does. When a sentence's claim ("claimed responsibility
(for ...)", "was claimed by X") has a speaker, each assault at or before it that
names no actor, within a few sentences and after the last attack whose doer is known,
takes the claimant as actor and the claim as source (modality ``claimed``). "For the
bombing" picks the assault of that word; "for the Lahore bombing" only one whose
sentence names Lahore; "for a separate attack" none of those told before.
"""

from __future__ import annotations

import re
from dataclasses import replace

from briefings.model import Event

_FOR = re.compile(r"\bresponsibility\s+for\s+([^.,;:]{1,80})")
_CLAIMED_BY = re.compile(r"\bclaimed\s+by\b")
_OTHER = frozenset({"separate", "another", "other", "second", "earlier", "previous", "new"})
_REACH = 3
"""How many sentences back a claim may reach."""


def credit_claims(earlier: list[Event], made: list[Event]) -> None:
    """Give a claimed attack its claimant, in place (``earlier``: the events of the
    sentences before; ``made``: those of the sentence with the claim)."""
    for claim in made:
        if claim.modality != "claimed" or claim.type != "statement" or not claim.actors:
            continue
        if "responsibility" not in claim.trigger.lower() and not _CLAIMED_BY.search(claim.text):
            continue
        m = _FOR.search(claim.text)
        phrase = m.group(1).split() if m else []
        words = {w.lower().rstrip("s") for w in phrase}
        if not _OTHER.isdisjoint(words):
            continue  # "for a separate attack": none of those told before
        names = [w for w in phrase if w[:1].isupper()]  # "the Lahore bombing"
        # the same sentence's events first, then the earlier ones, nearest first
        pool = [(made, i) for i in reversed(range(len(made)))]
        pool += [(earlier, i) for i in reversed(range(len(earlier)))]
        found: list[tuple[list[Event], int]] = []
        for events, i in pool:
            e = events[i]
            if claim.sentence - e.sentence > _REACH:
                break
            if e.type != "assault":
                continue
            if e.actors:
                break  # an attack with a known doer: the claim is about it or a later one
            if not set(claim.actors).isdisjoint(e.recipients):
                continue  # the claimant was the one attacked: the claim is of another
            if any(n not in e.text for n in names):
                continue
            if e.trigger.lower().split()[-1].rstrip("s") in words:
                found = [(events, i)]
                break
            found.append((events, i))
        for events, i in found:
            events[i] = replace(
                events[i],
                actors=claim.actors,
                attribution=claim.attribution,
                attribution_actor=claim.attribution_actor,
                modality="claimed",
            )
