"""Derived-column expressions: numbers, column names, + - * / and parentheses. Never ``eval``.

A deck declares ``derive: {speedup: "trtllm_tps / pytorch_tps"}``; the text is parsed with Python's
``ast`` and only the node types of plain arithmetic are accepted, so a deck cannot run code. The
parsed ``Expression`` names the columns it reads, so unknown names are found before any row is
computed, and it evaluates one row at a time (a missing operand gives a missing result).
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass
from typing import Callable, Mapping

_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
}
_UNARY: dict[type, Callable[[float], float]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}


class ExprError(ValueError):
    """The expression is not plain arithmetic over column names, or a row cannot be computed."""


@dataclass(frozen=True)
class Expression:
    text: str
    tree: ast.expr
    names: frozenset[str]

    def evaluate(self, row: Mapping[str, float | None]) -> float | None:
        """The value for one row; None when an operand is missing. Division by zero is an ExprError."""
        return _eval(self.tree, row)


def parse_expression(text: str) -> Expression:
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as e:
        raise ExprError(f"not an arithmetic expression: {e.msg}") from None
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise ExprError(f"only numbers may be constants, not {node.value!r}")
        elif isinstance(node, ast.BinOp) and type(node.op) not in _BINARY:
            raise ExprError(f"operator {type(node.op).__name__} is not allowed (use + - * /)")
        elif isinstance(node, ast.UnaryOp) and type(node.op) not in _UNARY:
            raise ExprError(f"operator {type(node.op).__name__} is not allowed (use + - * /)")
        elif not isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Load, *_BINARY, *_UNARY)):
            raise ExprError(f"{type(node).__name__} is not allowed: only numbers, column names, + - * / and ()")
    return Expression(text, tree, frozenset(names))


def _eval(node: ast.expr, row: Mapping[str, float | None]) -> float | None:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, (int, float))  # parse_expression admits numeric constants only
        return float(node.value)
    if isinstance(node, ast.Name):
        value = row[node.id]
        return None if value is None else float(value)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, row)
        return None if operand is None else _UNARY[type(node.op)](operand)
    assert isinstance(node, ast.BinOp)  # parse_expression admits no other node
    left, right = _eval(node.left, row), _eval(node.right, row)
    if left is None or right is None:
        return None
    if isinstance(node.op, ast.Div) and right == 0:
        raise ExprError("division by zero")
    return _BINARY[type(node.op)](left, right)
