"""Imports point down the pipeline: no package of tfeic imports one in a layer above its own.

``LAYERS`` is the one place the allowed edges are written down (docs/architecture.md shows the same
table, and the last test here fails when the two differ). A module may import its own package, the
core modules, and any package in a lower layer; packages that share a layer do not import each other
(a domain does not reach into another domain), except the core modules, which are one layer of small
leaf modules used by everything. Every import counts, including one inside a function (a lazy import
is still an edge: moving it into a function only hides a cycle) and every relative form
(``from . import x``, ``from ..kv import pool``).
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# bottom to top; a unit is a top-level module or package of tfeic ("__init__" is the package itself)
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("core", frozenset({"__init__", "core", "domains", "ir"})),
    ("load", frozenset({"deck"})),
    ("theme", frozenset({"theme"})),
    ("resolve, expand", frozenset({"sources", "directives"})),
    ("shared domains", frozenset({"domains.trtllm"})),
    ("domains", frozenset({"domains.bench", "domains.code", "domains.inference", "domains.kv", "domains.tables", "domains.timeline"})),
    ("layout", frozenset({"layout"})),
    ("render", frozenset({"render"})),
    ("around the stages", frozenset({"preview", "reference"})),
    ("pipeline", frozenset({"pipeline"})),
    ("splicing an edit", frozenset({"splice"})),
    ("command line", frozenset({"cli"})),
    ("entry point", frozenset({"__main__"})),
)
CORE = LAYERS[0][0]
LAYER_OF = {unit: (index, name) for index, (name, units) in enumerate(LAYERS) for unit in units}


def module_name(root: Path, file: Path) -> str:
    parts = list(file.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(root: Path, module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The tfeic modules ``node`` imports, relative forms resolved (``from . import x`` names the
    submodule ``x`` when there is one, else the package it is taken from)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "tfeic"]
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = package[:len(package) - node.level + 1] + ([node.module] if node.module else [])
        target = ".".join(base)
    else:
        target = node.module or ""
    if target.split(".")[0] != "tfeic":
        return []
    found = []
    for alias in node.names:
        sub = root.joinpath(*target.split("."), alias.name)
        found.append(f"{target}.{alias.name}" if sub.with_suffix(".py").is_file() or (sub / "__init__.py").is_file()
                     else target)
    return found


def unit_of(module: str) -> str:
    """``tfeic.core.*`` is one unit, each domain (``tfeic.domains.kv.*``) is one, and so is each other
    top-level module or package."""
    parts = module.split(".")
    if len(parts) > 2 and parts[1] == "domains":
        return ".".join(parts[1:3])
    return parts[1] if len(parts) > 1 else "__init__"


def violations(root: Path) -> list[str]:
    """One line per import that points up (or sideways between packages of one layer), and one per
    module whose package has no layer."""
    found = []
    for file in sorted((root / "tfeic").rglob("*.py")):
        module = module_name(root, file)
        unit = unit_of(module)
        if unit not in LAYER_OF:
            found.append(f"{module}: {unit} has no layer: add it to LAYERS (and docs/architecture.md)")
            continue
        layer, layer_name = LAYER_OF[unit]
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), str(file))):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for target in imported(root, module, file.name == "__init__.py", node):
                other = unit_of(target)
                if other == unit or other not in LAYER_OF:  # an unplaced unit is reported at its own modules
                    continue
                other_layer, other_name = LAYER_OF[other]
                where = f"{module}:{node.lineno} -> {target}"
                if other_layer > layer:
                    found.append(f"{where} ({unit}, layer {layer_name!r}, imports {other}, "
                                 f"layer {other_name!r} above it)")
                elif other_layer == layer and layer_name != CORE:
                    found.append(f"{where} ({unit} and {other} share layer {layer_name!r}: they do not import each other)")
    return found


def test_no_package_imports_one_above_it():
    assert violations(REPO) == []


def test_an_upward_import_inside_a_function_is_named(tmp_path):
    """The checker on a made-up tree: lazy, relative and absolute upward imports, and a sibling edge."""
    files = {
        "tfeic/__init__.py": "",
        "tfeic/core/__init__.py": "",
        "tfeic/core/diagnostics.py": "",
        "tfeic/domains/__init__.py": "",
        "tfeic/domains/kv/__init__.py": "from . import pool\nfrom ...core.diagnostics import Pos\n",
        "tfeic/domains/kv/pool.py": "def f():\n    from ...layout import engine\n",
        "tfeic/deck/__init__.py": "import tfeic.domains.timeline.rules\n",
        "tfeic/layout/__init__.py": "",
        "tfeic/layout/engine.py": "",
        "tfeic/domains/timeline/__init__.py": "from ..kv.pool import f\n",
        "tfeic/domains/timeline/rules.py": "def g():\n    import tfeic.pipeline\n",
        "tfeic/newthing.py": "",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    assert violations(tmp_path) == [
        "tfeic.deck:1 -> tfeic.domains.timeline.rules (deck, layer 'load', imports domains.timeline, layer 'domains' "
        "above it)",
        "tfeic.domains.kv.pool:2 -> tfeic.layout.engine (domains.kv, layer 'domains', imports layout, layer 'layout' "
        "above it)",
        "tfeic.domains.timeline:1 -> tfeic.domains.kv.pool (domains.timeline and domains.kv share layer 'domains': "
        "they do not import each other)",
        "tfeic.domains.timeline.rules:2 -> tfeic.pipeline (domains.timeline, layer 'domains', imports pipeline, "
        "layer 'pipeline' above it)",
        "tfeic.newthing: newthing has no layer: add it to LAYERS (and docs/architecture.md)",
    ]


def layers_text() -> str:
    """``LAYERS`` as docs/architecture.md shows it: top layer first, one line each."""
    return "\n".join(f"{name:<18} {'  '.join(sorted(units))}" for name, units in reversed(LAYERS))


def test_the_architecture_page_shows_these_layers():
    assert f"```text\n{layers_text()}\n```" in (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
