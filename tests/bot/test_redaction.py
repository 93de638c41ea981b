"""Credentials in URLs, as the review found them, are hidden wherever a URL is shown."""

from __future__ import annotations

import pytest

from bot.logs import scrub
from bot.redaction import redact_text, redact_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pw@host/feed?apikey=abc", "https://user:***@host/feed?apikey=***"),
        ("https://u:p@ss@host/feed", "https://u:***@host/feed"),  # a password holding @
        ("https://:secret@host/", "https://:***@host/"),
        ("https://TOKEN123@host/x", "https://***@host/x"),
        ("https://host/f?password=hunter2&lang=en", "https://host/f?password=***&lang=en"),
        (
            "https://h/f?access_token=a&X-Amz-Signature=s&client_secret=c#top",
            "https://h/f?access_token=***&X-Amz-Signature=***&client_secret=***#top",
        ),
        ("https://h/f?monkey=1&page=2", "https://h/f?monkey=1&page=2"),
        ("postgresql+asyncpg://u:pw@h/db", "postgresql+asyncpg://u:***@h/db"),
        ("https://example.org/plain", "https://example.org/plain"),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_urls_inside_text_and_logs_are_redacted() -> None:
    text = "feed https://a:b@h/x?token=t failed; see http://h/ok"
    assert redact_text(text) == "feed https://a:***@h/x?token=*** failed; see http://h/ok"
    assert "token=t " not in scrub(text) and "a:b@" not in scrub(text)
