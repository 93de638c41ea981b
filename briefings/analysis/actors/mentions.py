"""The output stage of actor finding: mentions, salience, actors and places of one article.

Candidates from the gazetteer pass and discovery are sorted once; a span found twice for the
same actor counts once; sentences are found by walking the sentence starts, and salience is
summed in the same pass (the rule is in :mod:`briefings.analysis.actors.finder`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields

from briefings.model import (
    ActorFindings,
    ActorInfo,
    ArticleActor,
    Mention,
    MentionKind,
    PlaceMention,
    Sentence,
)

Candidate = tuple[int, int, str, MentionKind, int]
"""A mention candidate: (start, -end, actor id, kind, pattern code); plain tuples sort by
offset, longest first."""
PlaceSpan = tuple[int, int, str, str, str | None]
"""A place named in the text: (start, end, name, place kind, country)."""


def assemble(
    text: str,
    sentences: Sequence[Sentence],
    cands: list[Candidate],
    places: list[PlaceSpan],
    *,
    info: Callable[[str], ActorInfo | None],
    linked: Mapping[str, list[str]],
) -> ActorFindings:
    """The findings of one article from its mention candidates and place spans.

    Args:
        text: the article text (surfaces are taken from it).
        sentences: its sentences, in order.
        cands: mention candidates (sorted here); the same span and actor twice counts once.
        places: place spans (sorted here by start, stably).
        info: the actor behind an id (known or derived in this article), None to drop it.
        linked: per actor id, the forms that discovery linked to it in this article.
    """
    starts = [s.start for s in sentences]
    weights_of = _sentence_weights(sentences)
    nsent = len(starts)
    cands.sort()
    new = _new
    set_actor, set_surface, set_start, set_end, set_sentence, set_kind = _MENTION_SETTERS
    mentions: list[Mention] = []
    by_actor: dict[str, list[Mention]] = {}
    weights: dict[str, float] = {}
    prev_start = prev_end = -1
    prev_id = ""
    k = 0  # sentences starting at or before the current mention
    last_sentence = -1
    for start, neg_end, actor_id, kind, _code in cands:
        if start == prev_start and neg_end == prev_end and actor_id == prev_id:
            continue  # the same mention found twice
        prev_start, prev_end, prev_id = start, neg_end, actor_id
        while k < nsent and starts[k] <= start:
            k += 1
        sentence = k - 1 if k else 0
        mention = new(Mention)
        set_actor(mention, actor_id)
        set_surface(mention, text[start:-neg_end])
        set_start(mention, start)
        set_end(mention, -neg_end)
        set_sentence(mention, sentence)
        set_kind(mention, kind)
        mentions.append(mention)
        group = by_actor.get(actor_id)
        if group is None:
            by_actor[actor_id] = [mention]
        else:
            group.append(mention)
        # Salience: the sentence's weight, times 1.5 for an early first mention.
        w = weights_of[sentence] if sentence < nsent else 1.0
        if sentence != last_sentence:
            last_sentence = sentence
            if sentence < nsent and start - starts[sentence] < 40:
                w *= 1.5
        weights[actor_id] = weights.get(actor_id, 0.0) + w
    top = max(weights.values(), default=1.0) or 1.0
    ranked: list[tuple[float, int, int, ArticleActor]] = []
    for actor_id, ms in by_actor.items():
        actor_info = info(actor_id)
        if actor_info is None:
            continue
        forms = linked.get(actor_id)
        salience = round(weights[actor_id] / top, 3)
        actor = _article_actor(
            actor_info, tuple(ms), salience, tuple(dict.fromkeys(forms)) if forms else ()
        )
        ranked.append((-salience, ms[0].start, len(ranked), actor))
    ranked.sort()
    places.sort(key=_first)
    found_places: list[PlaceMention] = []
    k = 0
    for s, e, name, pk, country in places:
        while k < nsent and starts[k] <= s:
            k += 1
        found_places.append(_place_mention(name, text[s:e], (s, e, k - 1 if k else 0), country, pk))
    return ActorFindings(
        actors=tuple([r[3] for r in ranked]),
        mentions=tuple(mentions),
        places=tuple(found_places),
    )


def _first(place: PlaceSpan) -> int:
    return place[0]


# Fast construction of the frozen model objects: a frozen dataclass's ``__init__`` goes
# through ``object.__setattr__`` once per field, which doubles the cost of the many
# mentions an article yields; the slot descriptors set the same fields directly.
_new = object.__new__


def _setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[object, object], None], ...]:
    if tuple(f.name for f in fields(cls)) != names:
        raise RuntimeError(
            f"briefings.model.{cls.__name__} changed: update briefings.analysis.actors.mentions"
        )
    return tuple(getattr(cls, name).__set__ for name in names)


_MENTION_SETTERS = _setters(Mention, ("actor_id", "surface", "start", "end", "sentence", "kind"))
_ACTOR_SETTERS = _setters(ArticleActor, ("actor", "mentions", "salience", "linked_aliases"))
_PLACE_SETTERS = _setters(
    PlaceMention, ("name", "surface", "start", "end", "sentence", "country", "kind")
)


def _article_actor(
    info: ActorInfo, mentions: tuple[Mention, ...], salience: float, linked: tuple[str, ...]
) -> ArticleActor:
    actor = _new(ArticleActor)
    set_info, set_mentions, set_salience, set_linked = _ACTOR_SETTERS
    set_info(actor, info)
    set_mentions(actor, mentions)
    set_salience(actor, salience)
    set_linked(actor, linked)
    return actor


def _place_mention(
    name: str, surface: str, span: tuple[int, int, int], country: str | None, kind: str
) -> PlaceMention:
    s, e, sentence = span
    place = _new(PlaceMention)
    set_name, set_surface, set_start, set_end, set_sentence, set_country, set_kind = _PLACE_SETTERS
    set_name(place, name)
    set_surface(place, surface)
    set_start(place, s)
    set_end(place, e)
    set_sentence(place, sentence)
    set_country(place, country)
    set_kind(place, kind)
    return place


def _sentence_weights(sentences: Sequence[Sentence]) -> list[float]:
    """Each sentence's mention weight: 3 in the title, 2 in the dek, 1.5 in the first body
    sentence, 1 elsewhere."""
    first_body = next((s.index for s in sentences if s.kind not in ("title", "subtitle")), -1)
    weights = []
    for sent in sentences:
        if sent.kind == "title":
            weights.append(3.0)
        elif sent.kind == "subtitle":
            weights.append(2.0)
        elif sent.index == first_body:
            weights.append(1.5)
        else:
            weights.append(1.0)
    return weights
