"""Structured logging for ``briefbot run``: JSON lines or plain text, never a secret.

Settings never reach a log record (they are not formatted anywhere), database URLs are
logged with the password masked, and as a last guard every message is scrubbed of
anything that looks like a Slack or Discord token, a bearer header or a URL's
credentials (user info, secret-looking query values).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

from bot.failures import ENVIRONMENT, explain_chain
from bot.redaction import redact_text

_SECRETS = re.compile(
    r"(xox[abpr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|Bearer\s+\S+|"
    r"[MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,})"
)


def scrub(text: str) -> str:
    """``text`` with token-like strings and URL credentials replaced by ``***``."""
    return redact_text(_SECRETS.sub("***", text))


class MachineFailures(logging.Filter):
    """Logs an exception of the machine (a full disk, a damaged database) as one line that
    says what to do, in place of its traceback; other exceptions keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        failure = explain_chain(exc) if exc is not None else None
        if failure is not None and failure.code == ENVIRONMENT:
            record.msg = f"{record.getMessage()}: {failure.message}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message (and the exception)."""

    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        if record.exc_info:
            doc["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(doc, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``2026-11-23 08:00:00 INFO bot.scheduler: message``, scrubbed."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def setup_logging(level: str = "INFO", form: str = "text", stream: TextIO | None = None) -> None:
    """Log to standard error (or ``stream``) at ``level`` in ``form`` (``json`` or ``text``).

    Args:
        level: DEBUG, INFO, WARNING or ERROR.
        form: ``json`` lines or ``text``.
        stream: where to write.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if form == "json" else TextFormatter())
    handler.addFilter(MachineFailures())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("apscheduler", "aiohttp.access", "sqlalchemy.engine", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
