"""Helpers shared by the directives that read a ``table`` source (chart, stat, table): finding a
column the deck names, with a did-you-mean at the option's YAML position, and writing cells."""

from __future__ import annotations

from typing import Any

from tfeic.core.diagnostics import SpecError
from tfeic.core.registry import suggest
from tfeic.deck.model import SlideSpec
from .. import Column, Table
from tfeic.directives import slide_diagnostic

TABLE_SOURCE = {"type": "string", "description": "Name of a `table` source."}
#: from this magnitude on a number is written in scientific notation whatever its format says: fixed
#: point would spell out up to 309 digits (1e308 with ',.0f') that no slide can hold or anyone read
SCIENTIFIC_FROM = 1e15
FORMAT = {"type": "string", "description": "Python format spec for numbers, e.g. '.2f' or ',.0f'."}


def column(spec: SlideSpec, table: Table, name: str, *key: str | int, numeric: bool = False) -> Column:
    """The column ``name`` of ``table``; an unknown or (when ``numeric``) non-numeric column is exit 2
    at the option ``key``."""
    where = ".".join(str(k) for k in key)
    try:
        found = table.column(name)
    except KeyError:
        match = suggest(name, list(table.names))
        raise SpecError(slide_diagnostic(spec, where, f"no column '{name}' in the table "
                                         f"(columns: {', '.join(table.names)})", spec.pos_of(*key),
                                         f"did you mean '{match}'?" if match else None)) from None
    if numeric and not found.numeric:
        raise SpecError(slide_diagnostic(spec, where, f"column '{name}' is {found.kind}, not numeric",
                                         spec.pos_of(*key)))
    return found


def check_rows(spec: SlideSpec, table: Table, max_rows: int) -> Table:
    """``table`` if a slide may draw all its rows (``limits.slide_rows``): drawing costs seconds per
    thousand rows (a chart's category index is quadratic), and no slide can show more; else exit 2."""
    if table.num_rows > max_rows:
        raise SpecError(slide_diagnostic(spec, "", f"{spec.kind} of {table.num_rows} rows, more than "
                                         f"{max_rows} (limits.slide_rows)", spec.pos,
                                         "aggregate the table first, or raise limits.slide_rows in the deck"))
    return table


def check_format(spec: SlideSpec, fmt: str | None, *key: str | int) -> str | None:
    """``fmt`` if Python can format a number with it; else exit 2 at the option ``key``."""
    if fmt is not None:
        try:
            format(1.5, fmt)
        except ValueError as e:
            where = ".".join(str(k) for k in key)
            raise SpecError(slide_diagnostic(spec, where, f"'{fmt}' is not a number format: {e}",
                                             spec.pos_of(*key), "e.g. '.2f', ',.0f' or '.0%'")) from None
    return fmt


def format_cell(value: Any, fmt: str | None = None, decimals: int | None = None) -> str:
    """A cell as text: missing is empty; numbers use ``fmt`` (checked by ``check_format``), else
    integers as written and floats with the column's ``decimals`` (``Column.decimals``: as the file
    writes them) or to four significant digits (thousands separated above 10^4);
    from ``SCIENTIFIC_FROM`` on, four significant digits in scientific notation."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(value) >= SCIENTIFIC_FROM:
            return f"{value:.4g}"
        if fmt:
            return format(value, fmt)
        if isinstance(value, int):
            return str(value)
        if decimals is not None:
            return f"{value:,.{decimals}f}" if abs(value) >= 1e4 else f"{value:.{decimals}f}"
        return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:.4g}"
    return str(value)
