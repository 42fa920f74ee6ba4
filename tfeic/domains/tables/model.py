"""The Table value: named, typed columns of equal length, each with an optional unit and label."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...core.diagnostics import Pos


class TableError(Exception):
    """A problem in a table file or its column declarations, with where it was found."""

    def __init__(self, message: str, pos: Pos | None = None, hint: str | None = None):
        super().__init__(message)
        self.message, self.pos, self.hint = message, pos, hint


@dataclass(frozen=True)
class Column:
    """One column. ``kind`` is ``number`` (floats), ``integer`` or ``string``; None is a missing cell.
    ``label`` is how people name it on a slide ("TTFT"); ``unit`` goes into axis titles and headers.
    ``decimals``: how many decimals the file writes the column's numbers with (None: not one fixed
    notation), so a slide prints "14.0" in a column of one-decimal numbers, not "14"."""

    name: str
    kind: str
    values: tuple[Any, ...]
    unit: str = ""
    label: str = ""
    decimals: int | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "integer")

    @property
    def title(self) -> str:
        """``label (unit)``, the form axis titles and table headers use."""
        text = self.label or self.name
        return f"{text} ({self.unit})" if self.unit else text


@dataclass(frozen=True)
class Table:
    """Columns in file order (derived columns last) and where the table came from."""

    columns: tuple[Column, ...]
    path: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def num_rows(self) -> int:
        return len(self.columns[0].values) if self.columns else 0

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def row_where(self, key: str, value: Any) -> int | None:
        """Index of the first row whose ``key`` cell equals ``value`` (compared as text), else None."""
        wanted = str(value)
        for i, cell in enumerate(self.column(key).values):
            if cell is not None and (str(cell) == wanted or _same_number(cell, value)):
                return i
        return None


def _same_number(cell: Any, value: Any) -> bool:
    return isinstance(cell, (int, float)) and isinstance(value, (int, float)) and float(cell) == float(value)
