"""What Slack refuses in a message, and how Slack signs its requests: the fake's rules.

:func:`message_problems` checks Slack's limits (50 blocks, 3000-character sections,
150-character plain-text headers, 10 fields of 2000, 25 buttons of 75, values of 2000)
and briefbot's own rules: a ``text`` fallback, ``verbatim: true`` on every mrkdwn
object, no ``link_names`` or ``parse=full``, unique action ids, and no ``<!channel>``,
``<!here>``, ``<!everyone>``, ``<!subteam^…>`` or ``<@…>`` anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from typing import Any

SIGNING_SECRET = "fake-signing-secret"

_MENTION = re.compile(r"<!(?:channel|here|everyone|subteam\^)[^>]*>|<@[^>]*>", re.IGNORECASE)


def strings(value: Any) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def _text_objects(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        found = [value] if value.get("type") in ("mrkdwn", "plain_text") else []
        return found + [t for v in value.values() for t in _text_objects(v)]
    if isinstance(value, list):
        return [t for v in value for t in _text_objects(v)]
    return []


def message_problems(payload: dict[str, Any], allowed_mentions: set[str]) -> list[str]:
    """Everything in a message payload that Slack (or briefbot's rules) would refuse."""
    problems: list[str] = []
    blocks = payload.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not payload.get("text"):
        problems.append("no text fallback")
    if payload.get("link_names") not in (None, False, 0, "0", "false"):
        problems.append("link_names is set")
    if payload.get("parse") == "full":
        problems.append("parse=full")
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks (max 50)")
    action_ids: list[str] = []
    for i, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "header":
            text = block["text"]
            if text.get("type") != "plain_text" or len(text["text"]) > 150:
                problems.append(f"block {i}: header must be plain_text of at most 150 chars")
        elif kind == "section":
            if "text" in block and len(block["text"]["text"]) > 3000:
                problems.append(f"block {i}: section text {len(block['text']['text'])} > 3000")
            flds = block.get("fields") or []
            if len(flds) > 10 or any(len(f["text"]) > 2000 for f in flds):
                problems.append(f"block {i}: more than 10 fields or a field over 2000")
            if "text" not in block and not flds:
                problems.append(f"block {i}: section without text or fields")
        elif kind == "context":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 10:
                problems.append(f"block {i}: context needs 1-10 elements")
            if any(len(e.get("text", "")) > 3000 for e in elements):
                problems.append(f"block {i}: context element over 3000")
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 25:
                problems.append(f"block {i}: actions needs 1-25 elements")
        elif kind != "divider":
            problems.append(f"block {i}: unexpected block type {kind!r}")
        buttons = list(block.get("elements") or []) if kind == "actions" else []
        if block.get("accessory"):
            buttons.append(block["accessory"])
        for button in buttons:
            if len(button["text"]["text"]) > 75 or len(button.get("value", "")) > 2000:
                problems.append(f"block {i}: button text over 75 or value over 2000")
            action_ids.append(button.get("action_id", ""))
    if len(action_ids) != len(set(action_ids)):
        problems.append("duplicate action_id")
    for obj in _text_objects(blocks):
        if obj["type"] == "mrkdwn" and obj.get("verbatim") is not True:
            problems.append("mrkdwn text object without verbatim: true")
        if not obj.get("text"):
            problems.append("empty text object")
    for text in strings({"text": payload.get("text"), "blocks": blocks}):
        for mention in _MENTION.findall(text):
            if mention.strip("<@>") not in allowed_mentions:
                problems.append(f"mention {mention!r}")
    return problems


def sign(body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    """The headers Slack puts on a request it sends to an app."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
