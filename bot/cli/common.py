"""Pieces the sub-commands share: the usage error and argument helpers."""

from __future__ import annotations

from briefings.errors import BriefingError


class UsageError(BriefingError):
    """A command-line argument is malformed."""
