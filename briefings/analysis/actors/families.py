"""Actor families: a body and its members, from the ``parent`` links of the gazetteer.

Mali's government and army name Mali as their ``parent``; the Malian Armed Forces name the
army. A state "means its institutions too": filters, subscriptions and profiles about Mali
include the members, unless the user asks for the body only. The links come from the
gazetteer and from the actors the store knows (discovered actors may carry a parent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class Families:
    """Parent links, looked up both ways; build once per name index.

    Args:
        parents: actor id → its parent's id.
    """

    def __init__(self, parents: Mapping[str, str]) -> None:
        self._parents = dict(parents)
        self._children: dict[str, list[str]] = {}
        for child, parent in sorted(self._parents.items()):
            self._children.setdefault(parent, []).append(child)

    @classmethod
    def of(cls, links: Iterable[tuple[str, str | None]], known: Iterable[str]) -> Families:
        """The families of (actor id, parent id) links, keeping links between known actors.

        Args:
            links: each actor's id and parent (None: no parent); later links win.
            known: the ids of every actor answers can show.
        """
        ids = set(known)
        return cls({c: p for c, p in links if p is not None and c in ids and p in ids})

    def members(self, actor_id: str) -> list[str]:
        """The ids whose parent chain leads to the actor, nearest first (breadth first)."""
        out: list[str] = []
        seen = {actor_id}
        queue = list(self._children.get(actor_id, ()))
        while queue:
            child = queue.pop(0)
            if child in seen:
                continue
            seen.add(child)
            out.append(child)
            queue.extend(self._children.get(child, ()))
        return out

    def ancestors(self, actor_id: str) -> list[str]:
        """The ids up the actor's parent chain, nearest first (Malian military → Mali)."""
        out: list[str] = []
        current = self._parents.get(actor_id)
        while current is not None and current not in out and current != actor_id:
            out.append(current)
            current = self._parents.get(current)
        return out
