"""Failures of the machine (a closed pipe, a full disk, a damaged database) as one line.

:func:`explain` turns the exceptions that the machine rather than the program raises into
a :class:`Failure`: one line saying what is wrong and what to do, and the CLI's exit code.
The CLI prints it instead of a traceback; the running bot logs it instead of one. Anything
it does not recognise stays an exception (a traceback is then a bug report).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

BROKEN_PIPE = 141
"""The exit code when the output was closed early: the shell's code for a SIGPIPE death."""
ENVIRONMENT = 1
"""The exit code when the machine failed the command (disk full, damaged database)."""
SETUP = 2
"""The exit code when the setup is wrong (a port another program holds)."""
_LISTEN_ERRNOS = frozenset({errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES})

_SQLITE_FULL = 13
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_READONLY = 8
_PG_FULL = frozenset({"53100"})
"""PostgreSQL's disk_full."""
_PG_CORRUPT = frozenset({"XX001", "XX002"})
"""PostgreSQL's data_corrupted and index_corrupted."""

_NOT_SAVED = "the write that failed was not saved"


@dataclass(frozen=True, slots=True)
class Failure:
    """What to print (without the ``briefbot: error:`` prefix) and the exit code."""

    message: str
    code: int


def explain(exc: BaseException) -> Failure | None:
    """The one-line account of ``exc``, or None when it is not a failure of the machine.

    Args:
        exc: what a command raised.
    """
    if isinstance(exc, BrokenPipeError):
        return Failure(
            "the output was closed before everything was written (piped into head?); "
            "the rest was dropped: write to a file or to a command that reads it all",
            BROKEN_PIPE,
        )
    if isinstance(exc, DBAPIError):
        return _database(exc)
    if isinstance(exc, OSError) and exc.errno in _LISTEN_ERRNOS and "bind" in str(exc):
        # A server other than briefbot's own HTTP server (which says which setting to
        # change itself): the Slack adapter's, in HTTP mode.
        what = str(exc).split("] ", 1)[-1]
        return Failure(
            f"cannot listen: {what}; stop the program that holds the port, or set another "
            "host or port in the config (e.g. [platforms.slack] port)",
            SETUP,
        )
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return Failure(
            f"no room left on the disk ({exc.strerror}); free some space, then try again",
            ENVIRONMENT,
        )
    return None


def explain_chain(exc: BaseException) -> Failure | None:
    """:func:`explain` of ``exc`` or of the first exception it was raised from (or while
    handling) that it recognises."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        failure = explain(current)
        if failure is not None:
            return failure
        current = current.__cause__ or current.__context__
    return None


def _database(exc: DBAPIError) -> Failure | None:
    orig = exc.orig
    detail = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    state = getattr(orig, "sqlstate", None)
    if primary == _SQLITE_FULL or state in _PG_FULL:
        return Failure(
            f"the database is full ({detail}): its disk, or its size limit, has no room "
            f"left; {_NOT_SAVED}: free some space (or raise the limit), then try again",
            ENVIRONMENT,
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or state in _PG_CORRUPT:
        return Failure(
            f"the database is damaged ({detail}); {_NOT_SAVED}: restore it from a backup "
            "(for SQLite, `sqlite3 FILE .recover` may save what is readable) or point "
            "--db at a new database",
            ENVIRONMENT,
        )
    if primary == _SQLITE_READONLY:
        return Failure(
            f"the database cannot be written ({detail}); {_NOT_SAVED}: check the "
            "permissions of the database file and its folder",
            ENVIRONMENT,
        )
    return None
