"""A watched folder: files that appear or change there are read and handed on.

The folder is scanned on an interval (no platform file-notification API, so it works the
same on every system and on network mounts). A file is handed on when its size or
modification time differs from the last scan that saw it; since ingest is idempotent, a
file still being written is simply handed on again once it is complete. Hidden files and
editor leftovers (``.*``, ``*~``, ``*.tmp``, ``*.part``) are ignored.

Only regular files inside the folder are read: symbolic links (to a file or a directory,
at any depth) are skipped, a file is opened with ``O_NOFOLLOW | O_NONBLOCK`` (a link or
FIFO swapped in after the scan cannot redirect or block the read), must be a regular
file on the open descriptor, and is read to at most the size cap plus one byte (files in
``/proc`` report size 0).
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FileSink = Callable[[Path, bytes], Awaitable[None]]
"""Receives a new or changed file: its path and its bytes."""

_IGNORED_SUFFIXES = (".tmp", ".part", ".swp", ".crdownload", "~")
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_CHUNK = 1 << 20


class _Unreadable(Exception):
    """The file is not one the folder takes (not regular, a link, over the cap)."""


def read_capped(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, refusing links, devices, FIFOs and oversized files.

    Raises:
        _Unreadable: the path is not a regular file or holds more than ``max_bytes``.
        OSError: it could not be opened or read (a link gives ``ELOOP``).
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _Unreadable("not a regular file")
        data = bytearray()
        while len(data) <= max_bytes:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - len(data)))
            if not chunk:
                break
            data += chunk
        if len(data) > max_bytes:
            raise _Unreadable(f"over {max_bytes} bytes")
        return bytes(data)
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class FolderHealth:
    """The folder as the health output shows it."""

    path: str
    ok: bool
    files: int
    error: str | None


class FolderWatcher:
    """Scans one folder; call :meth:`scan` on an interval (the scheduler ticks it).

    Args:
        path: the folder (created when missing).
        sink: receives new and changed files.
        pattern: a glob for the files to take (``*``, ``*.md``, ``**/*.txt``).
        max_bytes: files bigger than this are skipped with a warning.
    """

    def __init__(
        self, path: Path, sink: FileSink, *, pattern: str = "*", max_bytes: int = 5_000_000
    ) -> None:
        self.path = path
        self._sink = sink
        self._pattern = pattern
        self._max_bytes = max_bytes
        self._seen: dict[Path, tuple[int, int]] = {}
        self._links: set[Path] = set()
        self._error: str | None = None
        self._lock = asyncio.Lock()

    def health(self) -> FolderHealth:
        """Whether the last scan could read the folder."""
        return FolderHealth(str(self.path), self._error is None, len(self._seen), self._error)

    def _candidates(self) -> list[tuple[Path, tuple[int, int]]]:
        if not self.path.is_dir():
            self.path.mkdir(parents=True, exist_ok=True)
            # A typo in `path` would otherwise watch an empty new folder without a word.
            log.warning("folder: %s did not exist; created it and watching it", self.path)
        out = []
        links = set()
        for p in sorted(self.path.glob(self._pattern)):
            rel = p.relative_to(self.path)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if p.name.endswith(_IGNORED_SUFFIXES):
                continue
            if self._through_link(rel):
                links.add(p)
                continue
            st = p.lstat()
            if not stat.S_ISREG(st.st_mode):
                continue
            out.append((p, (st.st_mtime_ns, st.st_size)))
        for link in sorted(links - self._links):
            log.warning("folder: %s is a symbolic link or under one; skipped", link)
        self._links = links
        return out

    def _through_link(self, rel: Path) -> bool:
        """Whether the path, or a directory on the way to it, is a symbolic link."""
        here = self.path
        for part in rel.parts:
            here = here / part
            if here.is_symlink():
                return True
        return False

    async def scan(self) -> int:
        """Hand on every new or changed file; returns how many were handed on."""
        if self._lock.locked():
            return 0
        async with self._lock:
            try:
                found = await asyncio.to_thread(self._candidates)
            except OSError as exc:
                self._error = f"cannot read the folder: {exc}"
                log.warning("folder %s: %s", self.path, self._error)
                return 0
            self._error = None
            handed = 0
            present = set()
            for path, stamp in found:
                present.add(path)
                if self._seen.get(path) == stamp:
                    continue
                self._seen[path] = stamp
                if stamp[1] > self._max_bytes:
                    log.warning("folder: %s is over %d bytes; skipped", path, self._max_bytes)
                    continue
                try:
                    data = await asyncio.to_thread(read_capped, path, self._max_bytes)
                except _Unreadable as exc:
                    log.warning("folder: %s skipped: %s", path, exc)
                    continue
                except OSError as exc:
                    log.warning("folder: cannot read %s: %s", path, exc)
                    del self._seen[path]
                    continue
                try:
                    await self._sink(path, data)
                except Exception:  # not stored: forget it, so the next scan tries again
                    log.exception("folder: handing on %s failed", path)
                    del self._seen[path]
                    continue
                handed += 1
            for gone in set(self._seen) - present:
                del self._seen[gone]
            return handed
