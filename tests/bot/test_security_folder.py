"""Attacks on the watched folder: links out of it, special files, files that lie about size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.folder import FolderWatcher, _Unreadable, read_capped

PROC_STATUS = Path("/proc/self/status")


async def test_links_leaving_the_folder_are_skipped_and_own_files_taken(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (outside / "deep.txt").write_text("private notes", encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "own.md").write_text("# JNIM attacks a convoy\n\nText.", encoding="utf-8")
    (inbox / "sub").mkdir()
    (inbox / "sub" / "nested.txt").write_text("nested own file", encoding="utf-8")
    (inbox / "x").symlink_to(secret)
    (inbox / "etc-passwd").symlink_to("/etc/passwd")
    (inbox / "dir").symlink_to(outside, target_is_directory=True)
    if PROC_STATUS.exists():
        (inbox / "status").symlink_to(PROC_STATUS)
    (inbox / "inner-link").symlink_to(inbox / "own.md")  # even a link within: skipped
    os.mkfifo(inbox / "pipe")  # a FIFO must not hang the scan

    seen: list[tuple[str, bytes]] = []

    async def sink(path: Path, data: bytes) -> None:
        seen.append((path.relative_to(inbox).as_posix(), data))

    watcher = FolderWatcher(inbox, sink, pattern="**/*", max_bytes=10_000)
    assert await watcher.scan() == 2
    assert sorted(name for name, _ in seen) == ["own.md", "sub/nested.txt"]
    assert all(b"root:" not in data and b"private" not in data for _, data in seen)
    assert watcher.health().ok


def test_a_link_swapped_in_after_the_scan_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "secret"
    target.write_text("secret", encoding="utf-8")
    link = tmp_path / "article.md"
    link.symlink_to(target)
    with pytest.raises(OSError):  # O_NOFOLLOW: ELOOP
        read_capped(link, 1000)


def test_special_files_are_refused_on_the_descriptor(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(_Unreadable, match="not a regular file"):
        read_capped(fifo, 1000)  # O_NONBLOCK: no hang waiting for a writer


@pytest.mark.skipif(not PROC_STATUS.exists(), reason="needs Linux /proc")
def test_files_that_report_size_zero_are_read_only_to_the_cap() -> None:
    assert PROC_STATUS.stat().st_size == 0
    with pytest.raises(_Unreadable, match="over 50 bytes"):
        read_capped(PROC_STATUS, 50)


def test_a_file_at_the_cap_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    assert read_capped(path, 100) == b"x" * 100
    with pytest.raises(_Unreadable):
        read_capped(path, 99)
