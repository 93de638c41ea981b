"""Who says so: an event's attribution, statements that are views, and quotes after "X said:".

A plain "said" whose speaker stands aside ("Air defence, X said, remains vital"; "'...,' he
said.") and that reports no event and names no addressee is a view, not an event; so is a
plain statement by the actor of the event it reports ("X announced it will send tanks"),
which that event carries as its source (:mod:`briefings.analysis.events.eventrows`).

Attribution: the speaker of a speech verb ("X alleged that ...", "according to X") for the
statement itself and for everything it reports, with the verb's modality (alleged,
claimed; else reported). A quoted paragraph right after "X said:" is X's.

The rules are those of :mod:`briefings.analysis.events.extraction`; :class:`Speakers` is a
base of its per-article run and reads the run's state.
"""

from __future__ import annotations

import re

from briefings.analysis.events.circumstances import Circumstances
from briefings.analysis.events.frames import Frame
from briefings.analysis.events.tags import Node
from briefings.model import Event, Sentence

# A speaker named amid or after what is said: "..., X said" / "..., he said".
_AN_ASIDE = re.compile(r"[,”\"]\s*(?:[A-Z][\w.'’-]*|he|she|they|it)(?:\s+[A-Z][\w.'’-]*){0,3}\s*$")
_QUOTE_OPEN = ("“", '"', "‘")


class Speakers(Circumstances):
    """The speaker rules of one article's extraction (a base of its run)."""

    events: list[Event]

    def _attribution(self, frame: Frame) -> tuple[str | None, str | None]:
        """Who says so, as written and as an actor id (each None when unknown)."""
        if frame.speaker:
            speaker = self._resolve(frame.speaker)
            if speaker:
                info = self.info
                attribution = (
                    info[speaker[0]].name
                    if len(speaker) == 1
                    else " and ".join(info[a].name for a in speaker)
                )
                return attribution, speaker[0]
        if frame.speaker_span is not None and not frame.passive:
            return self._speaker_text(frame.speaker_span), None
        return None, None

    def _no_event(
        self,
        frame: Frame,
        type_: str,
        actors: tuple[str, ...],
        recipients: tuple[str, ...],
        *,
        s0: int,
        sentence: str,
    ) -> bool:
        """Whether a speech frame (in the sentence ``sentence`` starting at ``s0``) is no
        event: an unnamed voice, or a view or a source given as an aside."""
        text = self.text
        if not recipients and not frame.reported:
            if not actors:
                return True  # "Analysts say ...": an unnamed voice that reports no event
            # "Air defence, X said, remains vital": a view, no event
            return (
                frame.lemma == "say"
                and type_ == "statement"
                and text[frame.end : frame.end + 1] in (",", ".")
                and _AN_ASIDE.search(text, max(s0, frame.start - 40), frame.start) is not None
            )
        # "Also, X said, Y has sent tanks": Y's deed carries X as its source
        return (
            bool(frame.reported)
            and frame.lemma == "say"
            and text[frame.end : frame.end + 1] == ","
            and not any(q in sentence for q in _QUOTE_OPEN)
            and _AN_ASIDE.search(text, max(s0, frame.start - 40), frame.start) is not None
        )

    def _quote_intro(self, sentence: Sentence, made: list[Event]) -> tuple[list[str], int] | None:
        """ "X said:" -> X, whose the quote that follows is; None after any other sentence.
        A sentence that only introduces the quote ("X elaborated:") keeps no event of its
        own (``made``: its events, the last of ``self.events``)."""
        if not sentence.text.rstrip().endswith(":"):
            return None
        speakers = [e for e in made if e.attribution_actor]
        if not speakers:
            return None
        intro = [e for e in made if e.type == "statement" and not e.recipients]
        if len(intro) == len(made):
            del self.events[len(self.events) - len(made) :]
        return [speakers[-1].attribution_actor or ""], sentence.block

    def _opens_quote(self, sentence: Sentence, previous: Sentence | None) -> bool:
        return previous is not None and sentence.text.lstrip().startswith(_QUOTE_OPEN)

    def _quoted(self, frames: list[Frame], speaker: list[str], sentence: Sentence) -> None:
        """The frames of a quoted paragraph take ``speaker``; one that reports nothing is
        the speaker's statement."""
        node: Node = (-1, -1, tuple(speaker), None)
        for frame in frames:
            if not frame.speaker:
                frame.speaker = [node]
        if not any(f.speech for f in frames):
            frame = Frame(sentence.start, sentence.start, "statement", "quote")
            frame.actors = [node]
            frame.speaker = [node]
            frame.speech = True
            frame.clause = (sentence.start, sentence.end)
            frames.insert(0, frame)
