"""Every message about a slide's options is worded by one helper, ``slide_diagnostic``."""

from __future__ import annotations

import ast
from pathlib import Path

import tfeic
from tfeic.core.diagnostics import Pos
from tfeic.directives import slide_diagnostic
from tfeic.deck.model import SlideSpec

PACKAGE = Path(tfeic.__file__).parent


def hand_built_prefixes(tree: ast.AST) -> list[int]:
    """Lines of f-strings that start a message with ``slides[{...}]`` themselves."""
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant)
            and str(node.values[0].value).endswith("slides[") and len(node.values) > 1]


def test_no_module_but_the_helper_builds_a_slide_prefix():
    found = {str(path.relative_to(PACKAGE)): lines for path in sorted(PACKAGE.rglob("*.py"))
             if (lines := hand_built_prefixes(ast.parse(path.read_text(encoding="utf-8"))))}
    assert list(found) == ["directives/__init__.py"] and len(found["directives/__init__.py"]) == 1


def test_the_guard_sees_a_hand_built_prefix():
    assert hand_built_prefixes(ast.parse('m = f"slides[{spec.index}].rows: bad"')) == [1]


def test_the_prefix_names_the_slide_and_the_option():
    spec = SlideSpec(3, "table", {}, Pos("deck.yaml", 9, 3), positions={"rows": Pos("deck.yaml", 11, 7)})
    at_option = slide_diagnostic(spec, "rows.2", "too long", spec.pos_of("rows"), "shorten it")
    assert at_option.format() == "deck.yaml:11:7: error: slides[3].rows.2: too long (shorten it)"
    assert slide_diagnostic(spec, "", "no rows").format() == "deck.yaml:9:3: error: slides[3]: no rows"
