"""The push endpoint ``POST /articles``: a newsroom system sends articles with a bearer token.

The body is one article (text, Markdown, HTML or the documented JSON form, chosen by
Content-Type), a JSON list of articles, or a feed document. Optional query parameters:
``url``, ``published`` (YYYY-MM-DD) and ``source``. Answers 201 when something new was
stored, 200 when it was known already, 401 without the right token, 413 over the size
cap (never a silent cut: the whole body is read, with or without a Content-Length), 422
when the body is not an article. The JSON answer gives the bytes received and, for each
article, its id, outcome, title and the words stored.
"""

from __future__ import annotations

import hmac
from datetime import date

from aiohttp import web

from bot.pipeline import Pipeline
from bot.sections import PushSettings

_FORMATS = {
    "application/json": "json",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
}


_CHUNK = 64 * 1024


class PushEndpoint:
    """``POST /articles``: authenticated article intake.

    Args:
        settings: the token and the size cap.
        pipeline: where the articles go.
    """

    def __init__(self, settings: PushSettings, pipeline: Pipeline) -> None:
        if settings.token is None:
            raise ValueError("the push endpoint needs sources.push.token")
        self._token = settings.token.get_secret_value().encode("utf-8")
        self._max_bytes = settings.max_bytes
        self._pipeline = pipeline

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        try:
            given = token.strip().encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not text (aiohttp keeps them as surrogates)
            return False
        return hmac.compare_digest(given, self._token)

    async def handle(self, request: web.Request) -> web.Response:
        """Take one pushed article or feed."""
        if not self._authorised(request):
            return web.json_response(
                {"error": "a valid 'Authorization: Bearer <token>' header is required"},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="briefbot"'},
            )
        if request.content_length is not None and request.content_length > self._max_bytes:
            return _too_large(self._max_bytes)
        body = await _whole_body(request, self._max_bytes)
        if body is None:
            return _too_large(self._max_bytes)
        published: date | None = None
        if "published" in request.query:
            try:
                published = date.fromisoformat(request.query["published"])
            except ValueError:
                return web.json_response(
                    {"error": "published must be a date like 2026-04-27"}, status=422
                )
        kind = _FORMATS.get(request.content_type, "auto")
        outcomes = await self._pipeline.data(
            body,
            source="push",
            name=request.query.get("source") or request.query.get("url"),
            format=kind,
            url=request.query.get("url"),
            published=published,
        )
        items = [
            {"id": o.id, "outcome": o.outcome, "error": o.error, "title": o.title, "words": o.words}
            for o in outcomes
        ]
        if outcomes and all(o.error is not None for o in outcomes):
            return web.json_response({"articles": items, "error": outcomes[0].error}, status=422)
        status = 201 if any(o.outcome == "new" for o in outcomes) else 200
        return web.json_response({"articles": items, "bytes": len(body)}, status=status)


async def _whole_body(request: web.Request, cap: int) -> bytes | None:
    """The whole request body, however it is sent (with a length or chunked); None past
    ``cap`` bytes. ``content.read(n)`` alone returns what is buffered so far, not the body."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(cap: int) -> web.Response:
    return web.json_response({"error": f"the body is over the {cap}-byte cap"}, status=413)
