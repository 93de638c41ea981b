"""The root error of briefbot's core and its children, each with a message a user can act on."""

from __future__ import annotations


class BriefingError(Exception):
    """Root of every error briefbot raises on purpose; its message is meant for the user."""


class EmptyArticleError(BriefingError):
    """The input holds no text to analyse (empty or whitespace only)."""


class BinaryInputError(BriefingError):
    """The input looks like binary data (an image, an archive, a PDF), not text."""


class InputTooLargeError(BriefingError):
    """The input is over the documented size cap."""


class UnsupportedFormatError(BriefingError):
    """The input format is unknown or does not match what was asked for."""


class ParseError(BriefingError):
    """The input could not be parsed in the requested format (broken JSON, an empty feed)."""


class CommandError(BriefingError):
    """A command could not be understood; the message says what to type instead."""


class GazetteerError(BriefingError):
    """An actor gazetteer file is malformed."""


class EmptyFeedError(ParseError):
    """A well-formed RSS or Atom feed that has no entries (yet): nothing to read, no fault."""


class SearchTooComplexError(BriefingError):
    """A search holds more terms than the store can evaluate, or the store refused it."""
