"""Pronouns and descriptors ("it", "they", "the rebels", "the junta") resolved to earlier actors.

The rule is deliberately simple and the same for every article. A reference of class

* ``thing`` ("it") takes the latest non-person actor that acted in an earlier event, else
  the latest non-person actor named before it;
* ``group`` ("they") takes all non-person actors of the latest event that had one, else
  the latest armed group or organisation named before it;
* ``faction`` ("the group", "the movement", "the militia") takes the first armed group of
  the latest event that had one, else the latest armed group (or organisation) named;
* ``them`` ("them", "him" as an object) takes the recipients of the latest event that had
  any ("criticized A and B, blaming them"), else it is read as ``group``;
* ``person`` ("he", "she") takes the latest person named before it in its own sentence,
  else the first person (the subject, as a rule) of the latest sentence that names one:
  in "Roe met Doe in Accra. He said ...", "he" is Roe (a possessive "Roe's" is no subject);
* ``author`` ("I", "we") takes the person the title names after "by" or "from"
  ("Statement by President X"), or in a statement's title ("Statement by", "Remarks by",
  "Readout of", "Press release:") the actor of any kind named after "by"/"from"/"of" (the
  Ministry, the Treasury): a press release's author; else the person the byline names
  ("By Jane Roe, Secretary of State", when the text names Jane Roe);
* ``armed`` ("the rebels", "militants", "the jihadist-led insurgency") takes the armed
  groups of the latest event that had any, else the latest armed group named before it;
* ``government`` ("the junta", "the government", "the regime") takes the latest
  government actor named before it, else a government of the article's main state (its
  most salient state), else that state itself;
* ``military`` ("the army", "troops") takes the latest military actor named before it,
  and ``company`` ("the company", "the firm") the latest company;
* ``sides`` ("both sides", "each other") takes the non-person participants of the latest
  event (not a statement) with two or more of them, else the two latest non-person actors
  named before it.

"Latest" counts mentions by offset (so a pronoun can point back within its own sentence)
and events in the order they were extracted. Nothing resolves to an actor named later.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from briefings.model import ActorFindings, ActorInfo, Mention, Sentence

_PERSONISH = frozenset({"person"})
_GROUPISH = frozenset({"armed_group", "organisation", "military", "company", "other"})
_ARMED = frozenset({"armed_group"})
_BY_AUTHOR = re.compile(r"\b(?:by|from)\s+(?:[A-Z]\w+\s+)*$")
# A statement's own title: whoever it is "by", "from" or "of" wrote it.
_STATEMENT_TITLE = re.compile(
    r"^(?:Joint\s+|Press\s+|Official\s+)?(?:Statement|Remarks|Readout|Message|Letter|Address"
    r"|Speech|Op-[Ee]d|Press [Rr]elease|Declaration|Communiqu[eé])\b",
    re.IGNORECASE,
)
_BY_OF_AUTHOR = re.compile(r"\b(?:by|from|of)\s+(?:the\s+)?(?:[A-Z][\w.]*\s+)*$")


class Referents:
    """Resolves references in one article; feed it events in order with :meth:`note_event`.

    Args:
        findings: the article's actors and mentions.
        sentences: the article's sentences (the title, if any, first).
        mentions: the findings' mentions of known actors sorted by offset, when the
            caller has them already.
    """

    def __init__(
        self,
        findings: ActorFindings,
        sentences: Sequence[Sentence],
        *,
        mentions: Sequence[Mention] | None = None,
        byline: str | None = None,
    ) -> None:
        self.info: dict[str, ActorInfo] = {a.actor.id: a.actor for a in findings.actors}
        if mentions is None:
            mentions = sorted(
                (m for m in findings.mentions if m.actor_id in self.info), key=lambda m: m.start
            )
        self._starts = [m.start for m in mentions]
        self._ids = [m.actor_id for m in mentions]
        self._sentence_of = [m.sentence for m in mentions]
        self._sentence_starts = [sentence.start for sentence in sentences]
        self._sentence_index = [sentence.index for sentence in sentences]
        self._mentions = mentions
        self._sentences = sentences
        self._type: dict[str, str] = {a: i.type for a, i in self.info.items()}
        self._kinds: list[str] | None = None  # see _types
        self._events: list[tuple[str, ...]] = []
        self._participants: list[tuple[str, ...]] = []
        self._recipients: list[tuple[str, ...]] = []
        self.main_state = next((a.id for a in findings.actors if a.actor.type == "state"), None)
        self.author = self._find_author(findings, sentences) or self._byline_author(byline)

    def _find_author(self, findings: ActorFindings, sentences: Sequence[Sentence]) -> str | None:
        if not sentences or sentences[0].kind != "title":
            return None
        title = sentences[0]
        statement = _STATEMENT_TITLE.match(title.text) is not None
        for m in findings.mentions:
            if m.start >= title.end:
                break
            if m.sentence != title.index or m.actor_id not in self.info:
                continue
            before = m.start - title.start
            if self.type_of(m.actor_id) == "person" and _BY_AUTHOR.search(title.text, 0, before):
                return m.actor_id
            if statement and _BY_OF_AUTHOR.search(title.text, 0, before):
                return m.actor_id
        return None

    def _byline_author(self, byline: str | None) -> str | None:
        """The person actor the byline names ("By Jane Roe" and "Secretary Roe said")."""
        if not byline:
            return None
        words = set(byline.casefold().split())
        for actor_id, info in self.info.items():
            if info.type != "person":
                continue
            name = info.name.casefold().split()
            if name and (name[-1] in words and (len(name) == 1 or name[0] in words)):
                return actor_id
        return None

    def type_of(self, actor_id: str) -> str:
        return self._type.get(actor_id, "other")

    def note_event(
        self, actors: Sequence[str], recipients: Sequence[str], *, statement: bool = False
    ) -> None:
        """Record the actors and recipients of an event just extracted (a statement's
        speakers are no "sides")."""
        actors, recipients = tuple(actors), tuple(recipients)
        if actors:
            self._events.append(actors)
        if (actors or recipients) and not statement:
            self._participants.append(actors + recipients)
        if recipients:
            self._recipients.append(recipients)

    @property
    def _types(self) -> list[str]:
        """The type of each mention's actor (see :meth:`type_of`), latest last."""
        if self._kinds is None:
            self._kinds = [self._type.get(i, "other") for i in self._ids]
        return self._kinds

    def _latest(self, pos: int, types: frozenset[str], *, exclude: bool = False) -> str | None:
        kinds = self._types
        for i in range(bisect_left(self._starts, pos) - 1, -1, -1):
            if (kinds[i] in types) != exclude:
                return self._ids[i]
        return None

    def _latest_event(self, types: frozenset[str], *, exclude: bool = False) -> tuple[str, ...]:
        type_of = self._type.get
        for participants in reversed(self._events):
            hits = []
            for actor_id in participants:
                if (type_of(actor_id, "other") in types) != exclude:
                    hits.append(actor_id)
            if hits:
                return tuple(hits)
        return ()

    def resolve(self, klass: str, pos: int) -> tuple[str, ...]:
        """The actor ids a reference of ``klass`` at offset ``pos`` stands for (maybe none).

        Args:
            klass: the reference class from the dictionary (``thing``, ``group``, ...).
            pos: the reference's offset in the article text.
        """
        if klass == "them":
            if self._recipients:
                return self._recipients[-1]
            klass = "group"
        if klass == "person":
            found = self._person(pos)
            return (found,) if found else ()
        if klass == "author":
            return (self.author,) if self.author else ()
        if klass == "thing":
            event = self._latest_event(_PERSONISH, exclude=True)
            if event:
                return event[:1]
            found = self._latest(pos, _PERSONISH, exclude=True)
            return (found,) if found else ()
        if klass == "group":
            event = self._latest_event(_PERSONISH, exclude=True)
            if event:
                return event
            found = self._latest(pos, _GROUPISH)
            return (found,) if found else ()
        if klass == "faction":
            event = self._latest_event(_ARMED)
            if event:
                return event[:1]
            found = self._latest(pos, _ARMED) or self._latest(pos, _GROUPISH)
            return (found,) if found else ()
        if klass == "armed":
            event = self._latest_event(_ARMED)
            if event:
                return event
            found = self._latest(pos, _ARMED)
            return (found,) if found else ()
        if klass == "government":
            return self._government(pos)
        if klass in ("military", "company"):
            found = self._latest(pos, frozenset({klass}))
            return (found,) if found else ()
        if klass == "sides":
            return self._sides(pos)
        return ()

    def _person(self, pos: int) -> str | None:
        """The person a "he" or "she" at ``pos`` stands for (see the module's rule)."""
        kinds, sentence_of = self._types, self._sentence_of
        latest = -1
        for i in range(bisect_left(self._starts, pos) - 1, -1, -1):
            if kinds[i] == "person":
                latest = i
                break
        if latest < 0:
            return None
        sentence = sentence_of[latest]
        own = bisect_left(self._sentence_starts, pos + 1) - 1
        if own < 0 or sentence >= self._sentence_index[own]:
            return self._ids[latest]  # "Roe said he would": the person of its own sentence
        first = latest
        for i in range(latest - 1, -1, -1):
            if sentence_of[i] != sentence:
                break
            if kinds[i] == "person" and not self._possessive(i):
                first = i  # "Roe's spokesman Doe said ... He": Doe, not Roe
        return self._ids[first]

    def _possessive(self, i: int) -> bool:
        """Whether mention ``i`` is followed by "'s" (it then qualifies another noun)."""
        mention = self._mentions[i]
        at = bisect_left(self._sentence_starts, mention.start + 1) - 1
        if at < 0:
            return False
        sentence = self._sentences[at]
        after = sentence.text[mention.end - sentence.start : mention.end - sentence.start + 2]
        return after in ("'s", "\u2019s")

    def _government(self, pos: int) -> tuple[str, ...]:
        found = self._latest(pos, frozenset({"government"}))
        if found:
            return (found,)
        if self.main_state is None:
            return ()
        country = self.info[self.main_state].country
        for actor_id, info in self.info.items():
            if info.type == "government" and country and info.country == country:
                return (actor_id,)
        return (self.main_state,)

    def _sides(self, pos: int) -> tuple[str, ...]:
        for participants in reversed(self._participants):
            sides = tuple(dict.fromkeys(a for a in participants if self.type_of(a) != "person"))
            if len(sides) >= 2:
                return sides
        seen: list[str] = []
        kinds = self._types
        for i in range(bisect_left(self._starts, pos) - 1, -1, -1):
            actor_id = self._ids[i]
            if kinds[i] != "person" and actor_id not in seen:
                seen.append(actor_id)
                if len(seen) == 2:
                    break
        return tuple(seen)
