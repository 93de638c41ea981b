"""HTTP GET with a timeout, a size cap read as a stream, and conditional-request headers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp

_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A fetch failed: the server answered with an error, too slowly, or too much.

    ``status`` is the HTTP status when there was one; ``retry_after`` the seconds the
    server asked to wait (429/503), if it said.
    """

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response body, or ``not_modified`` for a 304 (then ``body`` is empty)."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    location: str | None = None
    """Where a redirect points (only when redirects are not followed)."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = "*/*",
    redirects: bool = True,
) -> Fetched:
    """GET ``url``; stop reading and fail once the body passes ``max_bytes``.

    Args:
        session: the client session (it carries the User-Agent).
        url: what to fetch.
        timeout: the most seconds the whole request may take.
        max_bytes: the largest body accepted.
        etag: the ETag of the last response, for ``If-None-Match``.
        last_modified: the Last-Modified of the last response, for ``If-Modified-Since``.
        accept: the Accept header.
        redirects: follow redirects; when False, a redirect is returned with its
            ``location`` (and an empty body) for the caller to check and follow.

    Raises:
        FetchError: a network error, a timeout, an HTTP error status or an oversized body.
    """
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(timeout):
            async with session.get(url, headers=headers, allow_redirects=redirects) as resp:
                location = resp.headers.get("Location")
                if not redirects and resp.status in _REDIRECTS and location:
                    return Fetched(url, resp.status, b"", "", None, None, location)
                if resp.status == 304:
                    return Fetched(url, 304, b"", "", etag, last_modified)
                if resp.status >= 400:
                    raise FetchError(
                        f"HTTP {resp.status} {resp.reason or ''}".strip(),
                        status=resp.status,
                        retry_after=_retry_after(resp.headers.get("Retry-After")),
                    )
                if resp.content_length is not None and resp.content_length > max_bytes:
                    raise FetchError(
                        f"the body is {resp.content_length} bytes, over the {max_bytes}-byte cap",
                        status=resp.status,
                    )
                body = bytearray()
                async for chunk in resp.content.iter_chunked(_CHUNK):
                    body += chunk
                    if len(body) > max_bytes:
                        raise FetchError(
                            f"the body passed the {max_bytes}-byte cap; stopped reading",
                            status=resp.status,
                        )
                return Fetched(
                    url=str(resp.url),
                    status=resp.status,
                    body=bytes(body),
                    content_type=resp.headers.get("Content-Type", ""),
                    etag=resp.headers.get("ETag"),
                    last_modified=resp.headers.get("Last-Modified"),
                )
    except TimeoutError:
        raise FetchError(f"no complete answer within {timeout:g} s") from None
    except aiohttp.ClientError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from exc
