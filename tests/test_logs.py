"""Structured logs: JSON lines or text, and no token ever written out."""

from __future__ import annotations

import io
import json
import logging

from bot.logs import scrub, setup_logging


def test_tokens_are_scrubbed() -> None:
    assert scrub("posting with xoxb-123-456-abcDEF failed") == "posting with *** failed"
    assert scrub("Authorization: Bearer s3cr3t-value!") == "Authorization: ***"
    assert scrub("app token xapp-1-A02-xyz") == "app token ***"
    discord = "MTA4NjQ4NzI5MzU2NDE2NjI4Mg.GgBfTx.abcdefghijklmnopqrstuvwxyz0123"
    assert scrub(f"login with {discord}") == "login with ***"
    assert scrub("nothing secret here: 2026-11-23") == "nothing secret here: 2026-11-23"


def test_json_lines_carry_level_logger_and_scrubbed_message() -> None:
    out = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    setup_logging("INFO", "json", out)
    try:
        logging.getLogger("bot.test").warning("token %s leaked?", "xoxb-1-2-3")
        logging.getLogger("bot.test").debug("not shown")
        try:
            raise RuntimeError("with xapp-1-2-3 inside")
        except RuntimeError:
            logging.getLogger("bot.test").exception("failed")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(d["level"], d["logger"], d["message"]) for d in lines] == [
        ("warning", "bot.test", "token *** leaked?"),
        ("error", "bot.test", "failed"),
    ]
    assert "xapp" not in lines[1]["exception"] and "RuntimeError" in lines[1]["exception"]
