"""Dependencies point inward: the core imports no platform SDK, adapters never import the bot,
and inside the core each layer imports only from itself and the layers before it."""

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


CORE_LAYERS = (
    ("errors", "model", "serialize"),
    ("text",),
    ("formats",),
    ("analysis.actors",),
    ("analysis.events",),
    ("analysis",),
    ("store", "migrations"),
    ("service",),
    ("chat",),
)
"""The core's layers, innermost first; a module belongs to the longest prefix that names it."""


def _layer(module: str) -> int | None:
    """The index of the layer a ``briefings.*`` module belongs to (None: in no layer)."""
    rest = module.removeprefix("briefings.")
    best: tuple[int, int] | None = None
    for index, prefixes in enumerate(CORE_LAYERS):
        for prefix in prefixes:
            if (rest == prefix or rest.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[0]
            ):
                best = (len(prefix), index)
    return None if best is None else best[1]


def _core_imports(module: str, source: str) -> list[str]:
    """The ``briefings.*`` modules one core module's source imports (relative ones resolved)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("briefings.")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: -node.level]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "briefings":
                found += [f"briefings.{a.name}" for a in node.names]
            elif base.startswith("briefings."):
                found.append(base)
    return found


def _layer_violations(module: str, source: str) -> list[str]:
    """One line per import of ``source`` that reaches into a later layer of the core."""
    own = _layer(module)
    if own is None:
        return [f"{module} is in no layer of CORE_LAYERS (tests/test_layering.py)"]
    bad: list[str] = []
    for target in _core_imports(module, source):
        theirs = _layer(target)
        if theirs is not None and theirs > own:
            bad.append(
                f"{module} imports {target}: layer {CORE_LAYERS[theirs][0]!r} comes after "
                f"{CORE_LAYERS[own][0]!r}, so move the shared code down or the importer up"
            )
    return bad


def test_core_layers_import_only_inward() -> None:
    bad: list[str] = []
    for path in sorted((ROOT / "briefings").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)  # keeps "__init__"
        if module == "briefings.__init__":
            continue
        bad += _layer_violations(module, path.read_text(encoding="utf-8"))
    assert bad == [], "\n".join(bad)


def test_a_backward_import_is_reported_with_module_and_import() -> None:
    source = "from briefings.service.replies import ActorRef\nfrom briefings import model\n"
    assert _layer_violations("briefings.analysis.actors.families", source) == [
        "briefings.analysis.actors.families imports briefings.service.replies: layer 'service' "
        "comes after 'analysis.actors', so move the shared code down or the importer up"
    ]
    assert _layer_violations("briefings.text.sentences", "from ..formats import parse\n") == [
        "briefings.text.sentences imports briefings.formats: layer 'formats' comes after "
        "'text', so move the shared code down or the importer up"
    ]
    assert _layer_violations("briefings.chat.grammar", "from briefings.store import Store\n") == []


def test_a_module_outside_every_layer_is_reported() -> None:
    assert _layer_violations("briefings.extras.tool", "") == [
        "briefings.extras.tool is in no layer of CORE_LAYERS (tests/test_layering.py)"
    ]
