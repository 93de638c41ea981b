"""Check that requirements.lock still fits pyproject.toml, offline and in well under a second.

The lock is current when every dependency pyproject.toml declares is pinned in it at a
version its range allows, every pin carries a hash, and what the pinned packages require
is pinned too, in range (read from the installed packages' metadata, for those installed
at their locked version: CI installs from the ranges, so others may differ). Regenerate it with
the command at the top of requirements.lock.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def pins(lock: str) -> tuple[dict[str, Version], list[str]]:
    """The pinned versions by canonical name, and the pins that carry no hash."""
    found: dict[str, Version] = {}
    unhashed: list[str] = []
    current: str | None = None
    hashed = True
    for line in lock.splitlines():
        match = _PIN.match(line)
        if match:
            if current is not None and not hashed:
                unhashed.append(current)
            current = canonicalize_name(match.group(1))
            found[current] = Version(match.group(2))
            hashed = "--hash=" in line
        elif "--hash=sha256:" in line:
            hashed = True
    if current is not None and not hashed:
        unhashed.append(current)
    return found, unhashed


def problems(pyproject: dict[str, object], lock: str) -> list[str]:
    """What makes the lock stale; empty when it is current."""
    project = pyproject["project"]
    assert isinstance(project, dict)
    locked, unhashed = pins(lock)
    out = [f"{name} has no hash" for name in unhashed]
    env = default_environment()
    wanted: list[tuple[Requirement, str]] = [
        (Requirement(r), "pyproject.toml") for r in project["dependencies"]
    ]
    seen: set[str] = set()
    while wanted:
        req, why = wanted.pop()
        if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
            continue
        name = canonicalize_name(req.name)
        version = locked.get(name)
        if version is None:
            out.append(f"{req} (needed by {why}) is not pinned")
            continue
        if req.specifier and not req.specifier.contains(version, prereleases=True):
            out.append(f"{name}=={version} is outside {req} (needed by {why})")
        key = f"{name}[{','.join(sorted(req.extras))}]"
        if key in seen:
            continue
        seen.add(key)
        try:
            if Version(metadata.version(req.name)) != version:
                continue  # installed at another version: its requirements may differ
            requires = metadata.requires(req.name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            sub = Requirement(text)
            if sub.marker is not None:
                active = any(sub.marker.evaluate({**env, "extra": e}) for e in (req.extras or {""}))
                if not active:
                    continue
            wanted.append((Requirement(str(sub).split(";")[0]), name))
    return out


def main() -> int:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    found = problems(pyproject, lock)
    for problem in found:
        print(f"requirements.lock is stale: {problem}", file=sys.stderr)
    if found:
        print("regenerate it with the pip-compile command at its top", file=sys.stderr)
        return 1
    print(f"requirements.lock is current ({len(pins(lock)[0])} pinned packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
