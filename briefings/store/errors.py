"""Errors the store raises on purpose, each with a message a user can act on."""

from __future__ import annotations

from briefings.errors import BriefingError


class StoreError(BriefingError):
    """A database problem a user can fix (a bad URL, an unreachable server)."""


class DatabaseURLError(StoreError):
    """The database URL names no backend briefbot supports, or is malformed."""


class DatabaseUnavailableError(StoreError):
    """The database cannot be reached or opened."""


class SchemaTooNewError(StoreError):
    """The database's schema revision is one this version of briefbot does not know."""
