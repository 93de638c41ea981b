"""Hiding credentials in URLs and in text that may hold URLs (logs, health, notices, labels)."""

from __future__ import annotations

import re

_AUTHORITY = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#]*@)?")
_SECRET_KEY = re.compile(
    r"(?i)([?&;](?:[a-z0-9]+[_.-])*(?:[a-z]*pass(?:word|wd)?|pwd|[a-z]*secret|[a-z]*token|"
    r"api[_-]?key|key|auth|sig(?:nature)?|credentials?|session(?:id)?)(?:[_.-][a-z0-9]+)*=)"
    r"[^&#;]*"
)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")


def redact_url(url: str) -> str:
    """``url`` with its user info's password (or a lone token) and secret-looking query
    values replaced by ``***``: ``https://u:***@host/feed?apikey=***``.

    Args:
        url: any URL (a feed's, a database's).
    """
    match = _AUTHORITY.match(url)
    if match is None:
        return url
    userinfo = match.group("userinfo")
    head = match.group("scheme")
    if userinfo:
        user, colon, _ = userinfo[:-1].partition(":")
        head += f"{user}:***@" if colon else "***@"
    rest = url[match.end() :]
    return head + _SECRET_KEY.sub(r"\1***", rest)


def redact_text(text: str) -> str:
    """``text`` with every URL in it redacted by :func:`redact_url`."""
    return _URL.sub(lambda m: redact_url(m.group(0)), text)
