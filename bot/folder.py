"""A watched folder: files that appear or change there are read and handed on.

The folder is scanned on an interval (no platform file-notification API, so it works the
same on every system and on network mounts). A file is handed on when its size or
modification time differs from the last scan that saw it; since ingest is idempotent, a
file still being written is simply handed on again once it is complete. Hidden files and
editor leftovers (``.*``, ``*~``, ``*.tmp``, ``*.part``) are ignored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FileSink = Callable[[Path, bytes], Awaitable[None]]
"""Receives a new or changed file: its path and its bytes."""

_IGNORED_SUFFIXES = (".tmp", ".part", ".swp", ".crdownload", "~")


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
        self._error: str | None = None
        self._lock = asyncio.Lock()

    def health(self) -> FolderHealth:
        """Whether the last scan could read the folder."""
        return FolderHealth(str(self.path), self._error is None, len(self._seen), self._error)

    def _candidates(self) -> list[tuple[Path, tuple[int, int]]]:
        self.path.mkdir(parents=True, exist_ok=True)
        out = []
        for p in sorted(self.path.glob(self._pattern)):
            rel = p.relative_to(self.path)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if p.name.endswith(_IGNORED_SUFFIXES) or not p.is_file():
                continue
            st = p.stat()
            out.append((p, (st.st_mtime_ns, st.st_size)))
        return out

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
                    data = await asyncio.to_thread(path.read_bytes)
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
