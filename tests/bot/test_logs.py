"""Structured logs: JSON lines or text, and no token ever written out."""

from __future__ import annotations

import io
import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from bot.logs import scrub, setup_logging


@contextmanager
def logging_to(out: io.StringIO, fmt: str) -> Iterator[None]:
    """Log at INFO in ``fmt`` to ``out``; the root logger is as it was afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    setup_logging("INFO", fmt, out)
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])


def test_tokens_are_scrubbed() -> None:
    assert scrub("posting with xoxb-123-456-abcDEF failed") == "posting with *** failed"
    assert scrub("Authorization: Bearer s3cr3t-value!") == "Authorization: ***"
    assert scrub("app token xapp-1-A02-xyz") == "app token ***"
    discord = "MTA4NjQ4NzI5MzU2NDE2NjI4Mg.GgBfTx.abcdefghijklmnopqrstuvwxyz0123"
    assert scrub(f"login with {discord}") == "login with ***"
    assert scrub("nothing secret here: 2026-11-23") == "nothing secret here: 2026-11-23"


def test_json_lines_carry_level_logger_and_scrubbed_message() -> None:
    out = io.StringIO()
    with logging_to(out, "json"):
        logging.getLogger("bot.test").warning("token %s leaked?", "xoxb-1-2-3")
        logging.getLogger("bot.test").debug("not shown")
        try:
            raise RuntimeError("with xapp-1-2-3 inside")
        except RuntimeError:
            logging.getLogger("bot.test").exception("failed")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(d["level"], d["logger"], d["message"]) for d in lines] == [
        ("warning", "bot.test", "token *** leaked?"),
        ("error", "bot.test", "failed"),
    ]
    assert "xapp" not in lines[1]["exception"] and "RuntimeError" in lines[1]["exception"]


def _full_database_error() -> Exception:
    """A real SQLite "database or disk is full", as SQLAlchemy raises it."""
    from sqlalchemy.exc import OperationalError

    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE TABLE t (b BLOB)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        conn.execute("INSERT INTO t VALUES (zeroblob(100000))")
    except sqlite3.OperationalError as exc:
        return OperationalError("INSERT INTO t ...", {}, exc)
    finally:
        conn.close()
    raise AssertionError("the page limit did not fill the database")


def test_a_full_database_is_logged_as_one_line_with_what_to_do() -> None:
    out = io.StringIO()
    with logging_to(out, "text"):
        try:
            raise RuntimeError("storing failed") from _full_database_error()
        except RuntimeError:
            logging.getLogger("bot.folder").exception("folder: handing on %s failed", "a.txt")
        try:
            raise ValueError("a bug")
        except ValueError:
            logging.getLogger("bot.test").exception("unexpected")
    lines = out.getvalue().splitlines()
    assert lines[0].endswith(
        "ERROR bot.folder: folder: handing on a.txt failed: the database is full (database "
        "or disk is full): its disk, or its size limit, has no room left; the write that "
        "failed was not saved: free some space (or raise the limit), then try again"
    )
    assert "ERROR bot.test: unexpected" in lines[1]
    assert "Traceback" in out.getvalue() and "ValueError: a bug" in out.getvalue()
    assert "RuntimeError" not in out.getvalue()  # the full database's traceback is not logged
