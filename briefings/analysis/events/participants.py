"""Who: the actor ids of a frame's nodes and the words of a speaker no actor names."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from briefings.analysis.actors.coreference import Referents
from briefings.analysis.events.tags import Node
from briefings.model import (
    ActorInfo,
    Mention,
)

_IN_OF = re.compile(r"\b(?:in|of)\s+(?:the\s+)?$")
_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "you", "who", "which", "that"})


class Participants:
    """The actor rules of one article's extraction (a base of its run)."""

    text: str
    info: dict[str, ActorInfo]
    mentions: list[Mention]
    mention_starts: list[int]
    referents: Referents

    def _resolve(self, nodes: Sequence[Node]) -> tuple[str, ...]:
        if len(nodes) == 1:
            if nodes[0][3] is None:
                return nodes[0][2]
        elif not nodes:
            return ()
        out: list[str] = []
        for start, _end, ids, klass in nodes:
            if klass is None:
                found = ids
            elif klass == "them":
                found = self.referents.resolve("them", start)
            elif klass == "tactic":
                found = ()
            elif klass == "government":
                found = self._government_near(start) or self.referents.resolve(klass, start)
            else:
                found = self.referents.resolve(klass, start)
            for actor_id in found:
                if actor_id not in out:
                    out.append(actor_id)
        return tuple(out)

    def _government_near(self, pos: int) -> tuple[str, ...]:
        """ "the junta in Mali": the government of the state named right after it."""
        j = bisect_left(self.mention_starts, pos)
        if j < len(self.mentions):
            m = self.mentions[j]
            between = self.text[pos : m.start]
            if len(between) < 40 and _IN_OF.search(between):
                info = self.info.get(m.actor_id)
                if info is not None and info.type in ("state", "government"):
                    for actor_id, other in self.info.items():
                        if other.type == "government" and other.country == info.country:
                            return (actor_id,)
                    return (m.actor_id,)
        return ()

    def _speaker_text(self, span: tuple[int, int]) -> str | None:
        """A speaker named by no actor ("the army", "An American defense official")."""
        # "Also, Austin said": the speaker is what follows the opener's comma
        words = self.text[span[0] : span[1]].strip(' ,;:–—"“”').rpartition(",")[2].split()
        while words and (words[0][0].isdigit() or words[0].lower() in ("on", "in", "and", "but")):
            words.pop(0)
        phrase = " ".join(words)
        if not 0 < len(words) <= 8 or phrase.lower() in _PRONOUNS:
            return None
        return phrase
