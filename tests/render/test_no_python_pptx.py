"""tfeic writes .pptx files without importing python-pptx: render writes the XML itself, and reads
only python-pptx's template files (its default template, and the notes master and theme it adds).

A module that imports python-pptx again would bring back its cost (about 100 ms of start-up and a
tree per slide) and its private names; this fails by module and line.
"""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import tfeic

PACKAGE = pathlib.Path(tfeic.__file__).parent


def test_no_module_of_tfeic_imports_python_pptx():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            found += [f"{path.relative_to(PACKAGE)}:{node.lineno}" for name in names if name.split(".")[0] == "pptx"]
    assert found == []


def test_rendering_a_deck_leaves_python_pptx_unimported(tmp_path):
    code = ("import sys; from tfeic.layout.placed import PlacedDeck, PlacedSlide; from tfeic.render import render_deck; "
            "render_deck(PlacedDeck(9144000, 6858000, (PlacedSlide(1, None, (), 'notes', 'FFFFFF'),))); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pptx'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
