"""The optional compiled build: what setup.py compiles, and which build the tests run on.

CI runs the suite on the editable pure install, then builds a throwaway copy of the tree
with ``BRIEFBOT_COMPILE=1`` and runs the core tests there (``.ci/compiled``) with
``BRIEFBOT_EXPECT_COMPILED=1``, so that run checks it really imported the compiled modules.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from importlib.machinery import EXTENSION_SUFFIXES
from types import ModuleType

import pytest
from helpers.paths import ROOT


def _setup() -> ModuleType:
    spec = importlib.util.spec_from_file_location("briefbot_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines the lists; setup() runs only as __main__
    return module


def test_the_hot_analysis_modules_are_compiled_and_the_glue_is_not() -> None:
    setup = _setup()
    sources = setup.compiled_sources()
    for hot in ("events/clauses.py", "events/roles.py", "events/extraction.py", "summary.py"):
        assert f"briefings/analysis/{hot}" in sources
    assert "briefings/text/sentences.py" in sources
    # test_analysis_safety replaces the pipeline's stages: it must stay Python.
    assert "briefings/analysis/pipeline.py" not in sources
    assert not [s for s in sources if s.startswith("briefings/model")]
    missing = sorted(p for p in setup.INTERPRETED if not (ROOT / p).is_file())
    assert missing == [], "setup.py leaves out modules that no longer exist"


def test_without_the_variable_the_build_is_pure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFBOT_COMPILE", raising=False)
    assert _setup().extensions() == []


def test_the_tests_run_on_the_build_they_expect() -> None:
    """Compiled modules in the compiled run; none (no stale build output) otherwise."""
    expect_compiled = os.environ.get("BRIEFBOT_EXPECT_COMPILED") == "1"
    names = [s.removesuffix(".py").replace("/", ".") for s in _setup().compiled_sources()]
    wrong = []
    for name in names:
        path = importlib.import_module(name).__file__ or ""
        if path.endswith(tuple(EXTENSION_SUFFIXES)) != expect_compiled:
            wrong.append(path)
    assert wrong == [], f"expected {'compiled' if expect_compiled else 'pure'} modules"
