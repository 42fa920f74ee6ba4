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
import re
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


def _written_as_integer(cell: Any) -> None:
    """Inference only: a cell written with a decimal point or an exponent ("14.0", 1e3, a JSON float)
    makes its column ``number`` even when its value is whole, so "14.0" stays "14.0" on a slide."""
    if isinstance(cell, float) or (isinstance(cell, str) and _FRACTION.search(cell)):
        raise ValueError(f"{cell!r} is written as a fraction")
    _as_integer(cell)


_FRACTION = re.compile(r"[.eE]")
_FIXED = re.compile(r"^[+-]?\d*\.?(\d*)$")
#: more decimals than this are not a presentation choice (a float's repr): such a column keeps the
#: default four significant digits
MAX_DECIMALS = 6


def _infer(cells: list[Any]) -> str:
    for kind, check in (("integer", _written_as_integer), ("number", _as_number)):
        try:
            for cell in cells:
                check(cell)
            return kind
        except (TypeError, ValueError):
            continue
    return "string"


def decimals_of(cells: list[Any]) -> int | None:
    """The decimals a number column is written with: the most any present cell has, when every cell
    is written in plain fixed notation ("14.0", "3.25", 7) with at most ``MAX_DECIMALS``; else None."""
    most = 0
    for cell in cells:
        text = cell.strip() if isinstance(cell, str) else repr(cell) if isinstance(cell, (int, float)) else ""
        m = _FIXED.match(text)
        if not m or isinstance(cell, bool) or len(m[1]) > MAX_DECIMALS:
            return None
        most = max(most, len(m[1]))
    return most


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
    present = [c for c in cells if not _missing(c)]
    kind = spec.kind or _infer(present)
    values: list[Any] = []
    for row, (cell, line) in enumerate(zip(cells, raw.lines)):
        if _missing(cell):
            values.append(None)
            continue
        where = f"{raw.records}[{row}].{name}" if raw.records else f"row {row + 1}"
        try:
            value = _CONVERT[kind](cell)
        except (TypeError, ValueError):
            raise TableError(f"column '{name}': {_shown(cell)} is not of type {kind} ({where})",
                             Pos(path, line, 1)) from None
        values.append(_finite(value, f"column '{name}': {_shown(cell)} ({where})", Pos(path, line, 1)))
    return Column(name, kind, tuple(values), spec.unit, spec.label, decimals_of(present) if kind == "number" else None)


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
