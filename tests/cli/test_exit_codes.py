"""Exit codes are picked in one place: stages raise errors of a kind, ``tfeic.cli.exit_codes`` maps them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tfeic
from tfeic.cli.exit_codes import exit_code
from tfeic.core.diagnostics import (Diagnostic, LayoutError, OutputError, SourceError, SpecError, TfeicError,
                               combined)
from tfeic.layout.engine import UnprovenLayout

PACKAGE = Path(tfeic.__file__).parent
EXITS = {"SystemExit", "exit", "_exit"}  # SystemExit(...), sys.exit(...), os._exit(...)


def _name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def exit_code_uses(tree: ast.AST) -> list[str]:
    """What in ``tree`` picks an exit code: a mention of ``ExitCode`` or ``exit_codes``, a call that
    exits, or an exception class with a ``code`` attribute (what ``TfeicError`` subclasses once had)."""
    found = []
    for node in ast.walk(tree):
        name = _name(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
        if name in ("ExitCode", "exit_codes", "exit_code"):
            found.append(f"line {node.lineno}: {name}")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any("exit_code" in n or n == "ExitCode" for n in names):
                found.append(f"line {node.lineno}: imports {names}")
        if isinstance(node, ast.Call):
            if _name(node.func) in EXITS:
                found.append(f"line {node.lineno}: calls {_name(node.func)}")
        if isinstance(node, ast.ClassDef) and any(_name(b).endswith(("Error", "Exception")) for b in node.bases):
            for stmt in node.body:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
                if any(isinstance(t, ast.Name) and t.id == "code" for t in targets):
                    found.append(f"line {stmt.lineno}: class {node.name} sets code")
    return found


def test_only_the_cli_package_picks_exit_codes():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] == "cli":
            continue
        uses = exit_code_uses(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if uses:
            offenders[str(path.relative_to(PACKAGE))] = uses
    assert not offenders


@pytest.mark.parametrize("source", [
    "from tfeic.cli.exit_codes import ExitCode",
    "raise SpecError('x', ExitCode.DATA)",
    "import sys\nsys.exit(3)",
    "raise SystemExit(2)",
    "class BadError(Exception):\n    code = 2",
])
def test_the_walker_sees_each_way_of_picking_a_code(source):
    assert exit_code_uses(ast.parse(source))


@pytest.mark.parametrize("error, code", [
    (SpecError("x"), 2),
    (OutputError("x"), 2),  # refused or unwritable output: the user's to fix, as a bad -o is
    (SourceError("x"), 3),
    (LayoutError("x"), 4),
    (TfeicError("x"), 1),  # an error of no kind is a bug
    (ValueError("x"), 1),
    (KeyboardInterrupt(), 130),
    (BrokenPipeError(), 0),
])
def test_each_kind_maps_to_its_documented_code(error, code):
    assert exit_code(error) == code


def test_combined_errors_keep_every_diagnostic_and_the_first_kind():
    first, second = SourceError(Diagnostic("a")), SpecError([Diagnostic("b"), Diagnostic("c")])
    both = combined([first, second])
    assert type(both) is SourceError and [d.message for d in both.diagnostics] == ["a", "b", "c"]


def test_combined_stands_a_kind_with_its_own_constructor_for_its_base():
    class Proof:
        failures = [Diagnostic("overflow")]

    both = combined([UnprovenLayout(Proof()), SpecError("x")])
    assert type(both) is LayoutError and [d.message for d in both.diagnostics] == ["overflow", "x"]
