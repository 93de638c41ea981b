"""Event rows of one sentence: repeats and plain statements of an event's own actor dropped."""

from __future__ import annotations


def without_plain_statements(
    made: list[list[object]],
    said: list[list[object]],
    spoken: list[list[object]],
) -> list[list[object]]:
    """The rows less the plain statements whose speaker is the actor of an event they
    report ("X and Y announced their intent to donate tanks to Z"): the event keeps the
    speaker as its source. An accusation, a denial or a statement about others stays.

    Rows hold :class:`Event`'s fields from ``type`` on (see ``extraction._Run._events``)."""
    reported = [
        row
        for row in made
        if row[0] != "statement" and row[6] is not None and not any(row is r for r in spoken)
    ]
    if not reported:
        return made
    drop = [
        row
        for row in said
        if row[2] and any(set(row[2]) <= set(other[2]) for other in reported)  # type: ignore[call-overload]
    ]
    return [row for row in made if not any(row is d for d in drop)]


def duplicate(row: list[object], made: list[list[object]]) -> bool:
    """Whether an event of the same sentence already says as much (or more): the same
    type, actors, modality and date, and no new recipient. The one kept takes the other's
    place when it names none ("drones at Ukraine ..., killing three in Kharkiv").

    Rows hold :class:`Event`'s fields from ``type`` on (see ``extraction._Run._events``)."""
    for i, other in enumerate(made):
        if other[0] != row[0] or other[2] != row[2] or other[8] != row[8] or other[4] != row[4]:
            continue
        mine, theirs = set(row[3]), set(other[3])  # type: ignore[call-overload]
        if mine <= theirs:
            if other[5] is None and row[5] is not None:
                other[5] = row[5]
            return True
        if theirs <= mine:
            if row[5] is None and other[5] is not None:
                row[5] = other[5]
            made[i] = row
            return True
    return False
