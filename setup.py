"""briefbot's optional compiled build: with BRIEFBOT_COMPILE=1, mypyc compiles the analysis.

pyproject.toml describes the package; this file only adds the compiled modules, and only
when asked, so ``pip install -e '.[dev]'`` and a plain ``pip install .`` stay pure Python
(no built module ever shadows a ``.py`` a developer edits). Compiled builds:

- ``BRIEFBOT_COMPILE=1 pip install .`` or ``BRIEFBOT_COMPILE=1 python -m build --wheel``:
  a wheel whose hot analysis modules are C extensions (its ``.py`` files stay beside them);
- ``BRIEFBOT_COMPILE=1 python setup.py build_ext --inplace`` in a throwaway copy of
  the tree, as CI does (``.ci/compiled``).

Either needs mypy (which ships mypyc), setuptools, a C compiler and the Python headers.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent

COMPILED_FOLDERS = ("briefings/text", "briefings/analysis")
"""Every module below these is compiled, except those in ``INTERPRETED``."""

INTERPRETED = frozenset(
    {
        # Glue that runs once per article; tests replace its stages to check the fallbacks.
        "briefings/analysis/pipeline.py",
        # Run once, when the gazetteer and the dictionaries are built: compiling them
        # lengthens the build and saves nothing an article waits for.
        "briefings/analysis/actors/affiliates.py",
        "briefings/analysis/actors/families.py",
        "briefings/analysis/actors/findings.py",
        "briefings/analysis/actors/gazetteer.py",
        "briefings/analysis/actors/gazetteer_build.py",
        "briefings/analysis/actors/lexicon.py",
        "briefings/analysis/actors/matcher.py",
        "briefings/analysis/actors/scan.py",
        "briefings/analysis/actors/spellings.py",
        "briefings/analysis/events/tagging.py",
        "briefings/text/cuefiles.py",
        "briefings/text/prose.py",
    }
)
"""Modules left as Python: glue, and code whose time per article is negligible."""


def compiled_sources(root: Path = ROOT) -> list[str]:
    """The compiled modules' paths, relative to ``root``, in a stable order."""
    found = [
        path.relative_to(root).as_posix()
        for folder in COMPILED_FOLDERS
        for path in (root / folder).rglob("*.py")
    ]
    return sorted(p for p in found if p not in INTERPRETED and not p.endswith("/__init__.py"))


def extensions() -> list[Any]:
    """The mypyc extensions when ``BRIEFBOT_COMPILE=1``, otherwise none (pure Python)."""
    if os.environ.get("BRIEFBOT_COMPILE") != "1":
        return []
    from mypyc.build import mypycify

    # One C file per module, so ``build_ext -j N`` compiles them in parallel; mypy reads
    # its strict settings from pyproject.toml and any type error stops the build.
    return mypycify(
        compiled_sources(), opt_level="3", multi_file=True, group_name="briefings_compiled"
    )


def main() -> None:
    from setuptools import setup

    built = extensions()
    # Compile the C files on every core (``build_ext -j``), however the build was started.
    options = {"build_ext": {"parallel": os.cpu_count() or 1}} if built else {}
    setup(ext_modules=built, options=options)


if __name__ == "__main__":
    main()
