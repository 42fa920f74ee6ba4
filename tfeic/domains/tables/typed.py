"""Raw rows -> typed columns, then derived columns.

A column's type is declared (``number``, ``integer``, ``string``) or inferred: integer when every
present cell is a whole number, number when every present cell is numeric, else string. An empty
cell is missing (None). A cell that does not convert to its declared type is an error at its line,
and so is a number that is not finite (``nan``, ``inf``, ``1e999``): no slide can draw or print it
honestly, and an empty cell already says "missing". A derived value that overflows is refused the same way.
Derived columns are computed row by row, in declaration order, so a later one may use an earlier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ...core.diagnostics import Pos
from .expr import ExprError, Expression
from .model import Column, Table, TableError
from .read import RawRows

KINDS = ("number", "integer", "string")


@dataclass(frozen=True)
class ColumnSpec:
    """What a deck says about one column: type, unit and label (all optional)."""

    kind: str | None = None
    unit: str = ""
    label: str = ""


@dataclass(frozen=True)
class Derived:
    name: str
    expression: Expression
    spec: ColumnSpec = ColumnSpec()


def _missing(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _as_number(cell: Any) -> float:
    if isinstance(cell, bool):
        raise ValueError("a boolean is not a number")
    try:
        return float(cell)
    except OverflowError:  # a JSON integer beyond the range of a double
        return math.inf


#: an integer column holds whole numbers a double represents exactly; a larger one ("1e308", which
#: would become a 309-digit int) makes the column ``number``
EXACT_INTEGER = 2 ** 53


def _as_integer(cell: Any) -> int:
    value = _as_number(cell)
    if not value.is_integer() or abs(value) > EXACT_INTEGER:
        raise ValueError(f"{cell!r} is not a whole number within \u00b12^53")
    return int(value)


_CONVERT = {"number": _as_number, "integer": _as_integer, "string": lambda cell: str(cell)}


def _infer(cells: list[Any]) -> str:
    for kind in ("integer", "number"):
        try:
            for cell in cells:
                _CONVERT[kind](cell)
            return kind
        except (TypeError, ValueError):
            continue
    return "string"


def _shown(cell: Any, limit: int = 24) -> str:
    """``repr(cell)``, cut to ``limit`` characters: a message quotes the cell, not a 400-digit number."""
    text = repr(cell)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finite(value: Any, what: str, pos: Pos) -> Any:
    """``value`` unless it is a float that is not finite; then a TableError saying ``what`` it is."""
    if isinstance(value, float) and not math.isfinite(value):
        raise TableError(f"{what} is not a finite number (leave the cell empty for missing data)", pos)
    return value


def _column(raw: RawRows, index: int, name: str, spec: ColumnSpec, path: str) -> Column:
    cells = [row[index] for row in raw.rows]
    kind = spec.kind or _infer([c for c in cells if not _missing(c)])
    values: list[Any] = []
    for cell, line in zip(cells, raw.lines):
        if _missing(cell):
            values.append(None)
            continue
        try:
            value = _CONVERT[kind](cell)
        except (TypeError, ValueError):
            raise TableError(f"column '{name}': {_shown(cell)} is not of type {kind}", Pos(path, line, 1)) from None
        values.append(_finite(value, f"column '{name}': {_shown(cell)}", Pos(path, line, 1)))
    return Column(name, kind, tuple(values), spec.unit, spec.label)


def build_table(raw: RawRows, specs: dict[str, ColumnSpec], derived: list[Derived], path: str) -> Table:
    """Typed columns in file order, then the derived ones. ``specs`` and ``derived`` must name only
    columns that exist (the source checks that against the deck's positions first)."""
    columns = [_column(raw, i, name, specs.get(name, ColumnSpec()), path) for i, name in enumerate(raw.header)]
    for d in derived:
        by_name = {c.name: c for c in columns}
        for name in sorted(d.expression.names):
            if not by_name[name].numeric:
                raise TableError(f"derived column '{d.name}' uses '{name}', which is not numeric", Pos(path))
        values = []
        for i, line in enumerate(raw.lines):
            try:
                value = d.expression.evaluate({n: by_name[n].values[i] for n in d.expression.names})
            except ExprError as e:
                raise TableError(f"derived column '{d.name}' = {d.expression.text}: {e}", Pos(path, line, 1)) from None
            values.append(_finite(value, f"derived column '{d.name}' = {d.expression.text}: the result",
                                  Pos(path, line, 1)))
        columns.append(Column(d.name, "number", tuple(values), d.spec.unit, d.spec.label))
    return Table(tuple(columns), path)
