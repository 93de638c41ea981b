"""The CI check that requirements.lock fits pyproject.toml, on made-up inputs."""

from __future__ import annotations

import importlib.util
from importlib import metadata
from types import ModuleType

import pytest
from helpers.paths import ROOT


@pytest.fixture(scope="module")
def lockcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lockcheck", ROOT / ".ci" / "lockcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HASH = "    --hash=sha256:" + "0" * 64


def _lock(*pins: str) -> str:
    return "\n".join(f"{pin} \\\n{HASH}\n    # via x" for pin in pins) + "\n"


def test_a_fitting_lock_passes(lockcheck: ModuleType) -> None:
    pyproject = {"project": {"dependencies": ["pyyaml>=6.0"]}}
    assert lockcheck.problems(pyproject, _lock("pyyaml==6.0.2")) == []


def test_a_new_dependency_makes_the_lock_stale(lockcheck: ModuleType) -> None:
    pyproject = {"project": {"dependencies": ["pyyaml>=6.0", "tzdata>=2024.1"]}}
    found = lockcheck.problems(pyproject, _lock("pyyaml==6.0.2"))
    assert found == ["tzdata>=2024.1 (needed by pyproject.toml) is not pinned"]


def test_a_pin_outside_the_range_or_without_hash_is_stale(lockcheck: ModuleType) -> None:
    pyproject = {"project": {"dependencies": ["pyyaml>=7"]}}
    assert lockcheck.problems(pyproject, _lock("pyyaml==6.0.2")) == [
        "pyyaml==6.0.2 is outside pyyaml>=7 (needed by pyproject.toml)"
    ]
    unhashed = "pyyaml==6.0.2\n    # via x\n"
    pyproject = {"project": {"dependencies": ["pyyaml>=6"]}}
    assert lockcheck.problems(pyproject, unhashed) == ["pyyaml has no hash"]


def test_what_a_pinned_package_requires_must_be_pinned(lockcheck: ModuleType) -> None:
    # aiohttp, locked at its installed version, requires yarl, ... which this lock lacks.
    pyproject = {"project": {"dependencies": ["aiohttp>=3.9"]}}
    found = lockcheck.problems(pyproject, _lock(f"aiohttp=={metadata.version('aiohttp')}"))
    assert any(p.startswith("yarl") and "needed by aiohttp" in p for p in found)
