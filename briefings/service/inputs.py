"""Ingest inputs: the files that paths, folders, globs and ``-`` name, and what was passed over."""

from __future__ import annotations

import glob
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = frozenset(
    {
        ".txt",
        ".text",
        ".md",
        ".markdown",
        ".html",
        ".htm",
        ".xhtml",
        ".json",
        ".xml",
        ".rss",
        ".atom",
    }
)
"""The file names a directory is searched for (a file named on its own is always tried)."""

STDIN = "-"
"""The input name that stands for standard input."""

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that was not stored, and why, in words a user can act on."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """Files a folder search passed over because their names are of no article format."""

    folder: str
    suffixes: tuple[tuple[str, int], ...]
    """(suffix, how many files), most frequent first; ``""`` for names without one."""

    @property
    def count(self) -> int:
        """How many files were passed over."""
        return sum(n for _, n in self.suffixes)

    def describe(self) -> str:
        """One line: how many, of which kinds, why, and what to do."""
        kinds = ", ".join(
            f"{n} {suffix}" if suffix else f"{n} without a suffix" for suffix, n in self.suffixes
        )
        files = "file" if self.count == 1 else "files"
        return (
            f"skipped {self.count} {files} in {self.folder} ({kinds}): not named as text, "
            "Markdown, HTML, JSON or a feed; name a file on its own to have it tried anyway"
        )


@dataclass(frozen=True, slots=True)
class Input:
    """One thing to read: a file, or standard input."""

    name: str
    path: Path | None


def expand(
    inputs: Sequence[str], skipped: list[Skipped] | None = None
) -> tuple[list[Input], list[Rejection]]:
    """Files to read for the given paths, directories, globs and ``-``, without repeats.

    Directories are searched recursively for :data:`SUFFIXES`; hidden entries and, in
    folders and globs, a folder's own documentation (``README.md``, ``LICENSE.txt``…)
    are skipped (a file named by itself is read).

    Args:
        inputs: what the user named.
        skipped: where to add, per directory searched, the files passed over for their
            names (hidden ones are not counted).

    Returns:
        The inputs in order, and a rejection for each name that matched nothing.
    """
    found: list[Input] = []
    rejected: list[Rejection] = []
    seen: set[Path] = set()
    stdin = False

    def add(path: Path) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            found.append(Input(name=str(resolved), path=resolved))

    for item in inputs:
        if item == STDIN:
            if not stdin:
                stdin = True
                found.append(Input(name="<stdin>", path=None))
            continue
        path = Path(item).expanduser()
        if path.is_dir():
            for child in _walk(path, skipped):
                add(child)
        elif path.exists():
            add(path)
        elif _GLOB_CHARS & set(item):
            matches = sorted(glob.glob(os.path.expanduser(item), recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file() and not _project_file(Path(m))]
            for match in matches:
                if Path(match).is_dir():
                    files.extend(_walk(Path(match), skipped))
            if not files:
                rejected.append(Rejection(item, "no file matches this pattern"))
            for child in files:
                add(child)
        else:
            rejected.append(Rejection(item, "no such file or directory"))
    return found, rejected


_PROJECT_FILES = frozenset(("readme", "license", "licence", "changelog", "contributing", "notice"))
"""A folder's own documentation (``README.md``): skipped when a folder is searched, read
when named."""


def _walk(root: Path, skipped: list[Skipped] | None = None) -> list[Path]:
    found: list[Path] = []
    passed: Counter[str] = Counter()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or _project_file(Path(name)):
                continue
            suffix = Path(name).suffix.lower()
            if suffix in SUFFIXES:
                found.append(Path(dirpath) / name)
            else:
                passed[suffix] += 1
    if passed and skipped is not None:
        kinds = sorted(passed.items(), key=lambda kv: (-kv[1], kv[0]))
        skipped.append(Skipped(str(root), tuple(kinds)))
    return found


def _project_file(path: Path) -> bool:
    return path.stem.casefold() in _PROJECT_FILES
