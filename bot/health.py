"""The health document of ``/healthz``: the store, the outbox, every feed and folder."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from bot.feeds import FeedHealth
from bot.folder import FolderHealth


async def health_document(
    *,
    started: datetime | None,
    adapters: Sequence[str],
    outbox_counts: Callable[[], Awaitable[dict[str, int]]],
    feeds: Sequence[FeedHealth],
    folders: Sequence[FolderHealth],
) -> dict[str, Any]:
    """The document: ``ok``, ``degraded`` (a feed or folder failing) or ``failing`` (no store).

    Args:
        started: when the bot started.
        adapters: the platforms being served.
        outbox_counts: reads the outbox's rows by state (raises when the store is down).
        feeds: every polled feed's health.
        folders: every watched folder's health.
    """
    doc: dict[str, Any] = {
        "status": "ok",
        "started": started.isoformat() if started else None,
        "adapters": list(adapters),
    }
    try:
        doc["outbox"] = await outbox_counts()
        doc["store"] = "ok"
    except Exception as exc:
        doc["store"] = f"unavailable: {type(exc).__name__}"
        doc["status"] = "failing"
    doc["feeds"] = [
        {
            "url": f.url,
            "name": f.name,
            "ok": not f.failing,
            "failures": f.failures,
            "last_error": f.last_error,
            "last_success": f.last_success.isoformat() if f.last_success else None,
            "next_poll": f.next_poll.isoformat(),
        }
        for f in feeds
    ]
    doc["folders"] = [
        {"path": h.path, "ok": h.ok, "files": h.files, "error": h.error} for h in folders
    ]
    degraded = any(f.failing for f in feeds) or any(not h.ok for h in folders)
    if doc["status"] == "ok" and degraded:
        doc["status"] = "degraded"
    return doc
