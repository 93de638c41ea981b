"""Dependencies point inward: the core imports no platform SDK, adapters never import the bot."""

from __future__ import annotations

import ast
import subprocess
import sys

from helpers.paths import ROOT

FORBIDDEN_IN_CORE = {"bot", "adapters", "discord", "slack_bolt", "slack_sdk", "apscheduler"}


def _imports(package: str) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {(str(path.relative_to(ROOT)), a.name.split(".")[0]) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path.relative_to(ROOT)), node.module.split(".")[0]))
    return found


def test_core_imports_no_platform_or_outer_layer() -> None:
    bad = sorted((f, m) for f, m in _imports("briefings") if m in FORBIDDEN_IN_CORE)
    assert bad == []


def test_adapters_never_import_the_bot() -> None:
    bad = sorted((f, m) for f, m in _imports("adapters") if m == "bot")
    assert bad == []


def test_importing_the_core_loads_no_platform_sdk() -> None:
    code = (
        "import sys, pkgutil, importlib, briefings\n"
        "for m in pkgutil.walk_packages(briefings.__path__, 'briefings.'):\n"
        "    if 'migrations' not in m.name: importlib.import_module(m.name)\n"
        "names = ('discord', 'slack_bolt', 'slack_sdk', 'apscheduler', 'bot', 'adapters')\n"
        "print(sorted(k for k in names if k in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
