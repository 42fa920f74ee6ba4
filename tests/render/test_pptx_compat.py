"""python-pptx private names: each one tfeic relies on still exists, and only ``pptx_compat`` uses them.

A python-pptx upgrade that renames or drops a private name fails here by name, not as an
AttributeError deep inside a build (or, for an overridden hook, silently: an override of a hook that no
longer exists is never called).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pathlib
import re

import pytest

import tfeic
from tfeic.render import pptx_compat
from tfeic.render.pptx_compat import PRIVATE_NAMES

PACKAGE = pathlib.Path(tfeic.__file__).parent
COMPAT = pathlib.Path(pptx_compat.__file__)
NAMES = {name for _, _, name in PRIVATE_NAMES} | {owner for _, owner, _ in PRIVATE_NAMES if owner}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _assigned_on_self(cls: type, name: str) -> bool:
    """Whether a method of ``cls`` or of one of its python-pptx bases assigns ``self.<name>`` (an
    instance attribute, which the class itself does not carry)."""
    for klass in cls.__mro__:
        if not klass.__module__.startswith("pptx"):
            continue
        for node in ast.walk(ast.parse(inspect.getsource(klass))):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if (isinstance(target, ast.Attribute) and target.attr == name
                            and isinstance(target.value, ast.Name) and target.value.id == "self"):
                        return True
    return False


@pytest.mark.parametrize("module, owner, name", PRIVATE_NAMES, ids=[".".join(filter(None, e)) for e in PRIVATE_NAMES])
def test_private_name_exists_in_installed_python_pptx(module, owner, name):
    mod = importlib.import_module(module)
    if owner is None:
        assert hasattr(mod, name), f"python-pptx no longer has {module}.{name}"
        return
    cls = getattr(mod, owner, None)
    assert isinstance(cls, type), f"python-pptx no longer has the class {module}.{owner}"
    assert hasattr(cls, name) or _assigned_on_self(cls, name), f"python-pptx no longer has {module}.{owner}.{name}"


def _private_uses(tree: ast.AST) -> set[str]:
    """Private names ``tree`` reaches for: ``x._name``, ``from m import _name``, and methods named
    ``_name`` defined in a class (overriding a hook). Names the module itself defines at top level
    (its own helpers) are not uses."""
    own = {node.name for node in getattr(tree, "body", []) if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            used.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            used.update(alias.name for alias in node.names if _is_private(alias.name))
        elif isinstance(node, ast.ClassDef):
            used.update(
                item.name for item in node.body
                if isinstance(item, ast.FunctionDef) and _is_private(item.name)
            )
    return used - own


def test_pptx_compat_lists_every_private_name_it_uses():
    used = _private_uses(ast.parse(COMPAT.read_text()))
    assert used - NAMES == set(), "pptx_compat uses private names missing from PRIVATE_NAMES"
    assert {name for _, _, name in PRIVATE_NAMES} - used == set(), "PRIVATE_NAMES lists names pptx_compat no longer uses"


def test_no_module_outside_pptx_compat_uses_a_python_pptx_private_name():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == COMPAT:
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in NAMES:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: .{node.attr}")
            elif isinstance(node, ast.ImportFrom):
                offenders += [f"{path.relative_to(PACKAGE)}:{node.lineno}: import {a.name}" for a in node.names
                              if a.name in NAMES or (node.module or "").startswith("pptx") and _is_private(a.name)]
            elif isinstance(node, (ast.FunctionDef, ast.Name)) and getattr(node, "name", getattr(node, "id", "")) in NAMES:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {getattr(node, 'name', getattr(node, 'id', ''))}")
    assert offenders == []


def test_no_other_module_reaches_into_another_object():
    """A new private name outside ``pptx_compat`` is caught even before it is listed: in the modules
    that import python-pptx, no ``x._name`` on anything but ``self`` (lxml's public ``etree._Element``
    type aside)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text()
        if path == COMPAT or not ("from pptx" in text or "import pptx" in text):
            continue
        for node in ast.walk(ast.parse(text, str(path))):
            if (isinstance(node, ast.Attribute) and _is_private(node.attr)
                    and not (isinstance(node.value, ast.Name) and node.value.id == "self")
                    and ast.unparse(node) != "etree._Element"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {ast.unparse(node)}")
    assert offenders == []


def test_the_scan_finds_a_private_use():
    """The two scans above can fail: a module that reaches in is caught."""
    tree = ast.parse("from pptx.package import _ImageParts\nclass S(GroupShapes):\n    def _recalculate_extents(self): pass\n"
                     "def f(chart):\n    return chart._chartSpace\n")
    assert _private_uses(tree) == {"_ImageParts", "_recalculate_extents", "_chartSpace"}


def test_python_pptx_is_pinned_below_its_next_minor():
    """The installed python-pptx satisfies the pin, and the pin stops before the next minor (the
    release that may rename what ``PRIVATE_NAMES`` lists)."""
    import pptx

    text = (PACKAGE.parent / "pyproject.toml").read_text()
    found = re.search(r'"python-pptx>=([0-9.]+),<([0-9]+)\.([0-9]+)"', text)
    assert found, "python-pptx has no upper bound in pyproject.toml"
    installed = tuple(int(part) for part in pptx.__version__.split(".")[:3])
    lower = tuple(int(part) for part in found.group(1).split("."))
    assert lower <= installed
    assert (int(found.group(2)), int(found.group(3))) == (installed[0], installed[1] + 1)
