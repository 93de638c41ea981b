"""The fake Slack enforces what real Slack would refuse, so the other tests can fail."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, sign
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.kit import mrkdwn


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    slack.add_channel("C0NEWS", "news")
    await slack.start()
    yield slack
    await slack.stop()


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {**mrkdwn(text), **extra}}


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"blocks": [section("x")] * 51}, "51 blocks"),
        ({"blocks": [section("x" * 3001)]}, "3001 > 3000"),
        (
            {"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]},
            "header",
        ),
        ({"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}]}, "verbatim"),
        ({"blocks": [section("hi <!channel>")]}, "<!channel>"),
        ({"blocks": [section("hi <!here|here>")]}, "<!here|here>"),
        ({"blocks": [section("hi <@U123>")]}, "<@U123>"),
        ({"text": "fallback <!everyone>", "blocks": [section("x")]}, "<!everyone>"),
        ({"blocks": [section("x")], "link_names": True}, "link_names"),
        ({"text": "", "blocks": [section("x")]}, "no text fallback"),
        (
            {"blocks": [{"type": "section", "fields": [mrkdwn("f")] * 11}]},
            "more than 10 fields",
        ),
    ],
)
async def test_a_message_slack_would_refuse_is_refused(
    fake: FakeSlack, payload: dict[str, Any], problem: str
) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)
    args = {"channel": "C0NEWS", "text": "fallback", **payload}
    warns = pytest.warns(UserWarning) if not args["text"] else contextlib.nullcontext()
    with pytest.raises(SlackApiError) as info, warns:
        await client.chat_postMessage(**args)
    assert info.value.response["error"] == "invalid_blocks"
    assert any(problem in p for p in info.value.response["errors"])
    assert fake.posted() == []


async def test_an_escaped_message_passes(fake: FakeSlack) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)
    text = "&lt;!channel&gt; @everyone &lt;@U123&gt;"
    response = await client.chat_postMessage(channel="C0NEWS", text=text, blocks=[section(text)])
    assert response["ok"]
    assert fake.posted("C0NEWS")[0].text == text


async def test_rate_limits_answer_429_with_retry_after(fake: FakeSlack) -> None:
    fake.channel_interval = 10.0
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)
    await client.chat_postMessage(channel="C0NEWS", text="one", blocks=[section("one")])
    with pytest.raises(SlackApiError) as info:
        await client.chat_postMessage(channel="C0NEWS", text="two", blocks=[section("two")])
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "1"
    assert fake.rate_limited == 1


async def test_a_wrong_token_is_refused(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-wrong", base_url=fake.api_url)
    with pytest.raises(SlackApiError) as info:
        await client.auth_test()
    assert info.value.response["error"] == "invalid_auth"


def test_requests_are_signed_the_way_slack_signs_them() -> None:
    body = "command=%2Fbrief&text=7d"
    headers = sign(body)
    verifier = SignatureVerifier(SIGNING_SECRET)
    assert verifier.is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )
    stale = sign(body, timestamp=int(time.time()) - 600)
    assert not verifier.is_valid(
        body, stale["X-Slack-Request-Timestamp"], stale["X-Slack-Signature"]
    )
