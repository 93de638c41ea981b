"""Fetching links found in content (feed entries) without reaching internal addresses.

A feed's author chooses its entries' links, so a link may point at ``127.0.0.1``, a
private network or a cloud metadata address (server-side request forgery). A
:class:`Links` fetcher checks every address a link's host resolves to *at connect time*
(its resolver refuses the whole name if any address is not allowed, so a DNS answer
that changes between a check and the connection cannot slip past), checks IP literals
before connecting, and follows redirects itself, one hop at a time, checking each, at
most :data:`MAX_REDIRECTS`. Feed URLs the operator configured do not go through here.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Callable, Mapping
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot.fetch import Fetched, FetchError, fetch

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5

_LEGACY_IPV4 = re.compile(r"(?i)(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

AddressPolicy = Callable[[IPAddress, int], bool]
"""Whether a link may connect to this address and port."""


def public_only(ip: IPAddress, port: int) -> bool:
    """Only globally routable unicast addresses (no loopback, private, link-local, ...)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def any_address(ip: IPAddress, port: int) -> bool:
    """Every address (``sources.allow_private_links``: an intranet's own feeds)."""
    return not ip.is_unspecified and not ip.is_multicast


class LinkRefused(FetchError):
    """A link (or a redirect from it) points at an address links may not reach."""


class _Refused(OSError):
    """Raised inside the resolver; aiohttp wraps it, :meth:`Links.fetch` unwraps it."""


class GuardedResolver(AbstractResolver):
    """Resolves names like aiohttp's threaded resolver, refusing disallowed answers.

    Args:
        policy: which addresses are allowed.
    """

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        for answer in answers:
            ip = ipaddress.ip_address(answer["host"].split("%")[0])
            if not self._policy(ip, port):
                raise _Refused(f"{host} resolves to {ip}, which links may not reach")
        return answers

    async def close(self) -> None:
        await self._inner.close()


def check_literal(url: URL, policy: AddressPolicy) -> None:
    """Refuse a URL whose host is an IP literal the policy does not allow (aiohttp
    connects to literals without asking the resolver)."""
    host = (url.raw_host or "").strip("[]").split("%")[0]
    ip: IPAddress
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if not _LEGACY_IPV4.fullmatch(host):
            return
        try:  # 2130706433, 0x7f000001, 127.1: forms the C library reads as IPv4
            ip = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return
    if not policy(ip, url.port or 0):
        raise LinkRefused(f"{ip} is not an address links may reach")


class Links:
    """Fetches links found in content, within an address policy.

    Args:
        policy: which addresses links may reach (:func:`public_only` unless the operator
            allows private ones).
        headers: default request headers (the User-Agent).
    """

    def __init__(
        self, policy: AddressPolicy = public_only, *, headers: Mapping[str, str] | None = None
    ) -> None:
        self.policy = policy
        self._headers = dict(headers or {})
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(resolver=GuardedResolver(self.policy))
            self._session = aiohttp.ClientSession(
                connector=connector, headers=self._headers, trust_env=False
            )
        return self._session

    async def fetch(self, url: str, *, timeout: float, max_bytes: int) -> Fetched:
        """GET a link, following at most :data:`MAX_REDIRECTS` redirects, each checked.

        Raises:
            LinkRefused: the link or a redirect points at a refused address or scheme,
                or there were too many redirects.
            FetchError: the fetch failed otherwise.
        """
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            target = URL(current)
            if target.scheme not in ("http", "https") or not target.raw_host:
                raise LinkRefused(f"{current!r} is not an http(s) link")
            check_literal(target, self.policy)
            try:
                got = await fetch(
                    self._client(), current, timeout=timeout, max_bytes=max_bytes, redirects=False
                )
            except FetchError as exc:
                cause = exc.__cause__
                if isinstance(cause, aiohttp.ClientConnectorError) and isinstance(
                    cause.os_error, _Refused
                ):
                    raise LinkRefused(str(cause.os_error)) from None
                raise
            if got.location is None:
                return got
            current = urljoin(current, got.location)
        raise LinkRefused(f"more than {MAX_REDIRECTS} redirects from {url}")

    async def close(self) -> None:
        """Close the connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None
